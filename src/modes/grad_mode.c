/* grad_mode.c - the default mode: the backprop table (or graph) of the
 * swept program, in the format asked for (writer.h). */
#include "modes/modes.h"

static int run(const struct nb_mode_call *c)
{
	/* A failed write is the caller's to report when it closes out. */
	nb_write(c->out, c->p, c->spec);
	return 0;
}

const struct nb_mode_ops nb_grad_mode = { run, NULL, NULL };
