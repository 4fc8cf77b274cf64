/* verify_main.c - the command around the grader: file, bindings,
 * diagnostics, report. */
#include "front/verify_main.h"

#include "core/diag.h"
#include "front/bindings.h"
#include "front/readfile.h"
#include "modes/verify.h"

int nb_verify_main(FILE *out, const struct nb_verify_opts *o,
		   const char *path, char **argv, int n)
{
	struct nb_verify v;
	struct nb_diag d;
	const char *name;
	size_t len;
	char *text = nb_read_file(path, &len, &name, &d);
	int r;

	if (!text) {
		nb_diag_print(stderr, NULL, &d, o->color_err);
		return d.status;
	}
	r = nb_verify_compile(&v, name, text, len, &d);
	if (r == 0)
		r = nb_apply_bindings(&v.p, argv, n, nb_warn_unused_binding, &d);
	if (r == 0)
		r = nb_program_check_bound(&v.p, &d);
	if (r != 0) {
		nb_diag_print(stderr, d.located ? &v.p.src : NULL, &d,
			      o->color_err);
	} else if (nb_verify_grade(&v, o->tol, o->precision)) {
		r = nb_out_of_memory();
	} else {
		r = nb_verify_report(out, &v, o->format, o->precision,
				     o->color_out);
	}
	nb_verify_free(&v);
	return r;
}
