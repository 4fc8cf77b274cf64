/* tk_todo.c - DEVELOPMENT ONLY, deleted before the tensor core lands:
 * the tensor ops not written yet, each refusing at its shape rule. */
#include <stdio.h>

#include "core/tk_ops.h"

static int todo(int axis, const struct nb_targ *in, size_t nin,
		struct nb_shape *out, char *why)
{
	(void)axis; (void)in; (void)nin; (void)out;
	snprintf(why, NB_TKERNEL_WHY, "this tensor op is not written yet");
	return -1;
}

const struct nb_tk nb_tk_MATMUL = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_TRANSPOSE = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_INDEX = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_STACK = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_DOT = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_OUTER = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_TRACE = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_ZEROS = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_ONES = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_EYE = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_ONEHOT = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_RANDN = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_RAND = { todo, NULL, NULL, NULL };
