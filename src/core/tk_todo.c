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

const struct nb_tk nb_tk_RSUM = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_RMEAN = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_RMAX = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_RMIN = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_LOGSUMEXP = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_NORM = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_SOFTMAX = { todo, NULL, NULL, NULL };
const struct nb_tk nb_tk_LOG_SOFTMAX = { todo, NULL, NULL, NULL };
