/* program.h - a parsed program: its text, its tape and its names.
 *
 * The driver (one-shot, batch, REPL) owns a program, binds its inputs,
 * runs the sweeps and hands it to a writer; nothing here knows where the
 * values came from or where they go. */
#ifndef NABLA_PROGRAM_H
#define NABLA_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "symtab.h"
#include "tape.h"

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
	struct nb_diag *constwarn; /* domain warnings of folded constants */
	size_t nconstwarn, constwarncap;
};

/* Copies text and parses it.  Returns 0, or fills d and returns its
 * status (2 for a syntax error, 1 when out of memory). */
int nb_program_compile(struct nb_program *p, const char *name,
		       const char *text, size_t len, struct nb_diag *d);
/* The same for text that starts after line line0 of its file (a REPL or
 * script input), so that positions in messages are the file's. */
int nb_program_compile_at(struct nb_program *p, const char *name,
			  const char *text, size_t len, size_t line0,
			  struct nb_diag *d);
/* The same for text from nb_malloc with room for len + 1 bytes, which p
 * takes over (nb_program_free frees it): no copy of a large program.
 * Without spans, the tape keeps no expression text per node (see
 * nb_tape_span): for a run that prints none, as batch runs do. */
int nb_program_compile_owned(struct nb_program *p, const char *name,
			     char *text, size_t len, int spans,
			     struct nb_diag *d);
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
/* 0 if every variable has a value, else an error naming all that lack
 * one, pointing at the first use of the first. */
int nb_program_check_bound(const struct nb_program *p, struct nb_diag *d);

#endif
