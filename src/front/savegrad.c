/* savegrad.c - writing the .npy files of --save-grad. */
#include "front/savegrad.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/view.h"
#include "output/npy.h"

static int failed(const char *path, int err)
{
	struct nb_quote q;

	fprintf(stderr, "nabla: --save-grad: %s: %s\n", nb_quote_path(&q, path),
		strerror(err));
	return 1;
}

/* DIR/NAME.npy from v; name is len bytes, or two names joined as
 * dL_dNAME when prefix is not NULL. */
static int save(const char *dir, const char *prefix, size_t plen,
		const char *name, size_t len, const struct nb_view *v)
{
	size_t n = strlen(dir) + plen + len + 16;
	char *path = nb_malloc(n);
	FILE *f;
	int err = 0, r;

	if (!path)
		return nb_out_of_memory();
	if (prefix)
		snprintf(path, n, "%s/d%.*s_d%.*s.npy", dir, (int)plen, prefix,
			 (int)len, name);
	else
		snprintf(path, n, "%s/%.*s.npy", dir, (int)len, name);
	if (!(f = fopen(path, "wb")))
		err = errno;
	else if (nb_npy_write(f, &v->shape, v->x))
		err = errno;
	if (f && fclose(f) && !err)
		err = errno;
	r = err ? failed(path, err) : 0;
	nb_free(path);
	return r;
}

int nb_save_grad(const char *dir, const struct nb_program *p,
		 const size_t *wrt, size_t nwrt)
{
	size_t olen, len;
	const char *out = nb_program_outname(p, &olen);
	struct nb_view v = nb_node_value(&p->tape, p->output);
	int r;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return failed(dir, errno);
	if ((r = save(dir, NULL, 0, out, olen, &v)) || !nb_program_has_grad(p))
		return r;
	for (size_t k = 0; k < nwrt && r == 0; k++) {
		size_t node = p->vars[wrt[k]];
		const char *name = nb_node_name(p, node, &len);

		v = nb_node_grad(&p->tape, node);
		r = save(dir, out, olen, name, len, &v);
	}
	return r;
}
