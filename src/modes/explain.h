/* explain.h - the backward pass narrated gate by gate (--explain,
 * :explain), in the words of the CS231n notes: each gate passes
 * [downstream] = [upstream] * [local] to each input, add distributes,
 * multiply swaps, max routes, and gradients add at forks. */
#ifndef NABLA_EXPLAIN_H
#define NABLA_EXPLAIN_H

#include <stdio.h>

#include "core/program.h"
#include "output/writer.h"

/* Writes the narration of p's backward pass (its sweeps have run) to
 * out, numbers at spec->precision, then the value and the partials of
 * spec->wrt.  Returns 0, or -1 with errno ENOMEM when out of memory
 * (before writing anything); write errors are left in out's error
 * flag. */
int nb_explain(FILE *out, const struct nb_program *p,
	       const struct nb_outspec *spec);

#endif
