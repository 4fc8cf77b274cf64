/* explain_gate.h - the words of --explain for one gate, and how the
 * story writes nodes and values (explain.c tells the story).
 *
 * On a tape of scalars a gate is its op's summary and local rule, then
 * "downstream to q = upstream -4 * local 1 = -4" per input.  On tensors
 * (SPEC section 9) an elementwise gate says its Jacobian is diagonal
 * and not formed, and a broadcast input's gradient is summed back over
 * the axes broadcasting stretched; a structural gate (@, .T,
 * reductions, softmax, indexing, stacking) gives each input its rule
 * with the dimension analysis of the seeds: dW = dv @ x.T: (5x3)@(3x10)
 * is 5x10, the shape of W. */
#ifndef NABLA_EXPLAIN_GATE_H
#define NABLA_EXPLAIN_GATE_H

#include <stddef.h>
#include <stdio.h>

#include "core/program.h"
#include "core/view.h"

/* "q" for a named node, else "#k (text)". */
void nb_explain_ref(FILE *out, const struct nb_program *p, size_t i);

/* A value: a number, or a tensor as NumPy writes it on one line, each
 * axis elided past max elements (0: none). */
void nb_explain_value(FILE *out, struct nb_view v, int prec, size_t max);

/* Gate i (not a leaf) of p, whose sweeps have run: its words, then one
 * line per input. */
void nb_explain_gate(FILE *out, const struct nb_program *p, size_t i,
		     int prec, size_t max);

#endif
