/* fold.h - constant folding, the pass after parsing.
 *
 * A statement NAME = CONSTANT-EXPR binds an input variable to the
 * expression's value (x = -2, r = 2*pi; grammar/nabla.ebnf, section 3),
 * and the expression's own nodes are no part of the program.  The parser
 * moves them out of the program's tape as it meets them and says which
 * variable they bind; after parsing, nb_fold_run evaluates them all, gives
 * the variables their values and keeps the constants' domain warnings
 * (x = log(-1)), in the order of the statements.  The parser itself never
 * evaluates. */
#ifndef NABLA_FOLD_H
#define NABLA_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "core/tape.h"

struct nb_fold_binding {
	uint32_t root;          /* the expression's value, in side */
	uint32_t var;           /* the variable it binds, in the program */
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
 * root (they use no node below from), out of t.  Returns 0, or -1 when
 * out of memory. */
int nb_fold_take(struct nb_fold *f, struct nb_tape *t, size_t from,
		 uint32_t root);
/* The expression taken last binds node var of the program. */
void nb_fold_binds(struct nb_fold *f, uint32_t var);

/* Evaluates every expression taken, gives each variable its value and
 * keeps the domain warnings in p.  Returns 0, or -1 when out of memory. */
int nb_fold_run(struct nb_fold *f, struct nb_program *p);

/* The value of p's output, p being constants only (a REPL binding's
 * right side), with its domain warnings kept in p.  Returns 0, or -1 when
 * out of memory. */
int nb_fold_program(struct nb_program *p, double *value);

#endif
