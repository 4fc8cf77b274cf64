/* verify_mode.c - --verify FILE: grades the backward pass the front end
 * compiled from FILE and bound (c->verify), then writes the grades
 * (verify.h). */
#include "modes/modes.h"

static int run(const struct nb_mode_call *c)
{
	int prec = c->spec->precision;

	if (nb_verify_grade(c->verify, c->tol, prec))
		return -1;
	return nb_verify_report(c->out, c->verify, c->spec->format, prec,
				c->spec->color) ? NB_RUN_FAILED : NB_RUN_OK;
}

const struct nb_mode_ops nb_verify_mode = { run, NULL, NULL };
