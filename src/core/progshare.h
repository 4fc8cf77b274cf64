/* progshare.h - a program's working copy for another thread.
 *
 * Once compiled and bound, a program's structure (ops, edges, names,
 * variables, source text) is only read; the sweeps write the values,
 * the gradients, the local gradients and the input scratch, and, on a
 * shaped tape (core/tvals.h), its arenas and the tensors bound to the
 * variables (a batch row writes its elements there).  A working copy
 * shares the first and owns the rest, so that several threads can sweep
 * one program at once. */
#ifndef NABLA_PROGSHARE_H
#define NABLA_PROGSHARE_H

#include "core/program.h"

/* Makes w a working copy of the program p, which must outlive it and
 * change no more while it lives (the copy may shape its own tape again,
 * nb_tsweep_prepare).  Returns 0,
 * or -1 when out of memory; either way nb_program_share_free(w) frees
 * what was made. */
int nb_program_share(struct nb_program *w, const struct nb_program *p);
void nb_program_share_free(struct nb_program *w);

#endif
