/* valuefile_tool.c - drives the value-file readers and the .npy writer
 * for tests/valuefile.py.
 *
 *   valuefile_tool FILE          the shape ("2x3", "3", "()") on one line,
 *                                then each element's IEEE bits in hex
 *   valuefile_tool --npy OUT FILE   FILE's value written to OUT as .npy
 *
 * A bad file: nabla's diagnostic on stderr and its exit status. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "front/valuefile.h"
#include "output/npy.h"

static int save(const char *out, const struct nb_tensor *t)
{
	FILE *f = fopen(out, "wb");

	if (!f || nb_npy_write(f, &t->shape, t->data) != 0) {
		perror(out);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

static void dump(const struct nb_tensor *t)
{
	char sh[NB_SHAPE_BUF];
	size_t n;

	nb_shape_size(&t->shape, &n);
	printf("%s\n", nb_shape_format(sh, &t->shape));
	for (size_t i = 0; i < n; i++) {
		uint64_t bits;

		memcpy(&bits, &t->data[i], sizeof bits);
		printf("%016" PRIx64 "\n", bits);
	}
}

int main(int argc, char **argv)
{
	struct nb_valuefile vf;
	struct nb_diag d;
	const char *out = NULL;
	int r;

	if (argc == 4 && strcmp(argv[1], "--npy") == 0) {
		out = argv[2];
		argv += 2;
	} else if (argc != 2) {
		fputs("usage: valuefile_tool [--npy OUT] FILE\n", stderr);
		return 2;
	}
	r = nb_valuefile_read(&vf, argv[1], &d);
	if (r) {
		struct nb_source src = nb_valuefile_source(&vf);

		nb_diag_print(stderr, &src, &d, 0);
	} else if (out) {
		r = save(out, &vf.value);
	} else {
		dump(&vf.value);
	}
	nb_valuefile_free(&vf);
	return r;
}
