/* fold.h - constant folding, the pass after parsing.
 *
 * A statement NAME = CONSTANT-EXPR binds an input variable to the
 * expression's value (x = -2, r = 2*pi, x = [1, -2, 3], W = randn(2, 3);
 * grammar/nabla.ebnf, section 3), and the expression's own nodes are no
 * part of the program.  The parser moves them out of the program's tape
 * as it meets them and says which variable they bind; after parsing,
 * nb_fold_run evaluates them all (on the shaped sweeps when a tensor op
 * is among them: a tensor is never folded into a scalar), gives the
 * variables their values, scalars or tensors, and keeps the scalar
 * constants' domain warnings (x = log(-1)), in the order of the
 * statements.  The parser itself never evaluates. */
#ifndef NABLA_FOLD_H
#define NABLA_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/program.h"
#include "core/tape.h"

/* The stream of the seed (num/rng.h) that randn and rand draw from in
 * constant bindings: the last one, far from the command line's. */
#define NB_FOLD_STREAM UINT64_MAX

struct nb_fold_binding {
	uint32_t first;         /* the expression's first node, in side */
	uint32_t root;          /* the expression's value, in side */
	uint32_t var;           /* the variable it binds: its index in the
				 * program's vars */
	int tensor;             /* the expression has a tensor op */
};

struct nb_fold {
	struct nb_tape side;    /* the constant expressions' nodes */
	struct nb_fold_binding *b;
	size_t n, cap;
};

/* An empty fold whose tape keeps spans unless nospan (as the program's). */
void nb_fold_init(struct nb_fold *f, int nospan);
void nb_fold_free(struct nb_fold *f);

/* Moves nodes from.. of t, a constant expression whose value is node
 * root (they use no node below from), out of t, with their attributes.
 * Returns 0, or -1 when out of memory. */
int nb_fold_take(struct nb_fold *f, struct nb_tape *t, size_t from,
		 uint32_t root);
/* The expression taken last binds variable number var of the program
 * (an index in its vars). */
void nb_fold_binds(struct nb_fold *f, uint32_t var);

/* Evaluates every expression taken, gives each variable its value and
 * keeps the domain warnings in p.  randn and rand draw from stream
 * NB_FOLD_STREAM of p->seed, which compiling sets to 0.
 * Returns 0, or an exit status with d filled: 2 for a shape or index
 * error (at its operator), 1 when out of memory. */
int nb_fold_run(struct nb_fold *f, struct nb_program *p, struct nb_diag *d);

/* The value of p's output, p being constants only (a REPL binding's
 * right side), with its domain warnings kept in p: *value, or nan for a
 * tensor, which stays on p's tape (read it with nb_node_value).
 * Returns 0, or an exit status with d filled. */
int nb_fold_program(struct nb_program *p, double *value, struct nb_diag *d);

#endif
