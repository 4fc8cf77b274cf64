/* verify_main.c - the front ends' part of a mode that reads its program
 * from FILE (NB_ARG_FILE, modes.def): file, bindings, diagnostics; the
 * mode's run grades and reports. */
#include "front/verify_main.h"

#include "core/diag.h"
#include "front/bindings.h"
#include "front/readfile.h"
#include "modes/modes.h"

/* Runs the mode on v, compiled and bound: the exit status. */
static int run(FILE *out, const struct nb_verify_opts *o,
	       struct nb_verify *v)
{
	struct nb_outspec spec = { .format = o->format,
				   .precision = o->precision,
				   .color = o->color_out };
	struct nb_mode_call c = { NB_MODE_VERIFY, out, &v->p, &spec, NULL,
				  o->tol, 0, v, 0, 0 };
	int w = nb_mode_run(&c);

	if (w < 0)
		return nb_out_of_memory();
	return w == NB_RUN_FAILED ? NB_EFAIL : NB_OK;
}

int nb_verify_main(FILE *out, const struct nb_verify_opts *o,
		   const char *path, char **argv, int n)
{
	struct nb_verify v;
	struct nb_argvalue av = { 0 };
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
		r = nb_apply_bindings(&v.p, argv, n, nb_warn_unused_binding,
				      &av, &d);
	if (r == 0)
		r = nb_program_check_bound(&v.p, &d);
	if (r == 0)
		r = nb_verify_sweep(&v, &d);
	if (r != 0)
		nb_diag_print(stderr, d.located ? nb_argvalue_source(&av,
								    &v.p.src)
					        : NULL, &d, o->color_err);
	else
		r = run(out, o, &v);
	nb_argvalue_free(&av);
	nb_verify_free(&v);
	return r;
}
