/* savegrad.h - --save-grad DIR: the output's value and the inputs'
 * gradients as NumPy files, so tensors go out in NumPy's own format. */
#ifndef NABLA_SAVEGRAD_H
#define NABLA_SAVEGRAD_H

#include <stddef.h>

#include "core/program.h"

/* Writes DIR/L.npy (the value of p's output, L its name) and, when p
 * was run with gradients, DIR/dL_dNAME.npy for the inputs wrt[0..nwrt)
 * (indices into p->vars): float64, C order.  DIR is made if missing.
 * Returns 0, or 1 having said which path failed and why. */
int nb_save_grad(const char *dir, const struct nb_program *p,
		 const size_t *wrt, size_t nwrt);

#endif
