/* program.h - a parsed program: its text, its tape and its names.
 *
 * The driver (one-shot, batch, REPL) owns a program, binds its inputs,
 * runs the sweeps and hands it to a writer; nothing here knows where the
 * values came from or where they go. */
#ifndef NABLA_PROGRAM_H
#define NABLA_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/shape.h"
#include "core/symtab.h"
#include "core/tape.h"

/* Most expression levels open at once: the statement is one level, and
 * each open parenthesis, call, prefix operator or right operand of ^ adds
 * one, so NB_MAX_DEPTH - 1 nested parentheses are accepted.  The parser
 * keeps open levels on the heap, a few bytes each, never on the C stack,
 * so the limit does not depend on the stack's size. */
#define NB_MAX_DEPTH 1000000

struct nb_program {
	struct nb_source src;   /* owned copy of the text */
	struct nb_tape tape;
	struct nb_symtab names; /* variables and named intermediates */
	uint32_t output;        /* the node the program computes */
	struct nb_span outname; /* output's name; len 0 means "f" */
	uint32_t *vars;         /* input variables, in order of appearance */
	unsigned char *bound;   /* per entry of vars: has a value */
	size_t nvars, varcap;
	struct nb_tensor *tval; /* per entry of vars, NULL until one is
				 * bound to a tensor: its value (data NULL:
				 * a scalar, in the tape) */
	uint64_t seed;          /* --seed: randn and rand */
	int lean;               /* no writer reads the edges' gradients:
				 * the shaped sweeps keep none (tvals.h) */
	struct nb_diag *constwarn; /* domain warnings of folded constants */
	size_t nconstwarn, constwarncap;
};

/* Frees what p owns; compile.h makes programs. */
void nb_program_free(struct nb_program *p);

/* The output's name: the last statement's name, or "f". */
const char *nb_program_outname(const struct nb_program *p, size_t *len);
/* Node i's name, or NULL if it has none. */
const char *nb_node_name(const struct nb_program *p, size_t i, size_t *len);
/* The name tables show for node i: its own, or the output's ("f"), or
 * NULL (with *len 0). */
const char *nb_node_shown_name(const struct nb_program *p, size_t i,
			       size_t *len);
/* Index in p->vars of the variable called name, or -1. */
long nb_program_var(const struct nb_program *p, const char *name,
		    size_t len);

/* Gives variable number var the value v. */
void nb_program_set(struct nb_program *p, size_t var, double v);
/* Gives variable number var a copy of the tensor v (a scalar if its rank
 * is 0).  Returns 0, or -1 when out of memory. */
int nb_program_set_tensor(struct nb_program *p, size_t var,
			  const struct nb_tensor *v);
/* The same, taking v's elements instead of a copy (v->data NULL after,
 * when it returns 0): a large value read from a file is held once. */
int nb_program_take_tensor(struct nb_program *p, size_t var,
			   struct nb_tensor *v);

/* Whether p takes the shaped sweeps (core/tsweep.h): a variable bound
 * to a tensor, or a tensor op.  The modes other than the backprop table
 * do not run such programs yet. */
int nb_program_shaped(const struct nb_program *p);
/* Runs the program: shapes, values, and gradients when the output is a
 * scalar or upstream (NULL: none) gives the output's gradient, which
 * must have the output's shape.  Returns 0, or an exit status with d
 * filled (a shape or index error is 2, at its operator). */
int nb_program_run(struct nb_program *p, const struct nb_tensor *upstream,
		   struct nb_diag *d);
/* Whether the last nb_program_run computed gradients. */
int nb_program_has_grad(const struct nb_program *p);
/* 0 if every variable has a value, else an error naming all that lack
 * one, pointing at the first use of the first. */
int nb_program_check_bound(const struct nb_program *p, struct nb_diag *d);

#endif
