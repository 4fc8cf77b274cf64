/* valuefile.c - reads a value file whole and hands it to the reader its
 * extension names; what the text readers share. */
#include "front/valuefile.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "front/readfile.h"
#include "num/numfmt.h"

enum kind { NPY, CSV, TSV, JSON, UNKNOWN };

static enum kind kind_of(const char *path)
{
	static const struct { const char *ext; enum kind k; } exts[] = {
		{ ".npy", NPY }, { ".csv", CSV }, { ".tsv", TSV },
		{ ".json", JSON },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++)
		if (strcasecmp(dot, exts[i].ext) == 0)
			return exts[i].k;
	return UNKNOWN;
}

int nb_valuefile_read(struct nb_valuefile *vf, const char *path,
		      struct nb_diag *d)
{
	enum kind k = kind_of(path);
	const char *name;

	vf->path = path;
	vf->value.data = NULL;
	vf->text = NULL;
	vf->len = 0;
	if (k == UNKNOWN)
		return nb_error_plain(d, NB_EFAIL, "'%s': a value file must "
				      "be .npy, .csv, .tsv or .json", path);
	vf->text = nb_read_file(path, &vf->len, &name, d);
	if (!vf->text)
		return NB_EFAIL;
	vf->text[vf->len] = '\0';
	switch (k) {
	case NPY:
		return nb_npy_read((const unsigned char *)vf->text, vf->len,
				   path, &vf->value, d);
	case JSON:
		return nb_json_read(vf->text, vf->len, &vf->value, d);
	default:
		return nb_text_read(vf->text, vf->len, k == CSV ? ',' : '\t',
				    &vf->value, d);
	}
}

struct nb_source nb_valuefile_source(const struct nb_valuefile *vf)
{
	struct nb_source src = { vf->path, vf->text, vf->len, 0 };

	return src;
}

void nb_valuefile_free(struct nb_valuefile *vf)
{
	nb_tensor_free(&vf->value);
	nb_free(vf->text);
	vf->text = NULL;
}

int nb_numbuf_push(struct nb_numbuf *b, double v, struct nb_diag *d)
{
	if (nb_grow((void **)&b->x, &b->cap, b->n + 1, sizeof *b->x))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	b->x[b->n++] = v;
	return 0;
}

int nb_numbuf_number(const char *s, size_t len, size_t start, double *v,
		     struct nb_diag *d)
{
	if (nb_read_number(s, len, v) != 0)
		return nb_error(d, NB_EFAIL, start, len ? len : 1,
				"not a number");
	if (isinf(*v) && !memchr(s, 'i', len) && !memchr(s, 'I', len))
		return nb_error(d, NB_EFAIL, start, len,
				"number too large: it would read as inf");
	if (nb_number_underflows(s, len, *v))
		return nb_error(d, NB_EFAIL, start, len,
				"number too small: it would read as 0");
	return 0;
}

void nb_numbuf_take(struct nb_numbuf *b, const struct nb_shape *s,
		    struct nb_tensor *t)
{
	t->shape = *s;
	t->data = b->x;
	b->x = NULL;
	b->n = b->cap = 0;
}
