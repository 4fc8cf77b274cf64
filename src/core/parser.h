/* parser.h - parser from program text to tape.
 *
 * The grammar is grammar/nabla.ebnf; each parse function is named after
 * its rule and opens with the rule as a comment.  Statements are parsed
 * by recursive descent (parser.c), expressions by a machine of explicit
 * frames (parser_expr.c), so that nesting is bounded by NB_MAX_DEPTH and
 * never by the C stack.  Constant bindings are evaluated by a pass after
 * parsing (fold.h): the parser itself evaluates nothing. */
#ifndef NABLA_PARSER_H
#define NABLA_PARSER_H

#include "core/backward.h"
#include "core/diag.h"
#include "core/program.h"

/* Parses p->src into p->tape, p->names, p->vars and p->output.  p must be
 * freshly initialised.  Returns 0, or fills d and returns its status. */
int nb_parse(struct nb_program *p, struct nb_diag *d);

/* The same for a forward program followed by a hand-written backward
 * pass (backward.h), in Python's spellings as the seed notes write them:
 * "math." before a function is dropped, and "dNAME" or "grad_NAME" for
 * a name of the forward program may be assigned again and again, with
 * "=" or "+=".  The first such line ends the forward program, whose
 * output is its last statement.  Fills bw (free it with
 * nb_backward_free, whatever the result). */
int nb_parse_backward(struct nb_program *p, struct nb_backward *bw,
		      struct nb_diag *d);

/* Parses p->src from byte from to its end as one expression, whose node
 * becomes p->output (a REPL statement's right side, parsed alone).
 * Returns 0, or fills d and returns its status. */
int nb_parse_expr(struct nb_program *p, size_t from, struct nb_diag *d);

/* Whether the identifier at name in text may be assigned: not a constant
 * or a function, except a tensor function (dot, norm, ...), whose name
 * calls it only when "(" follows.  Returns 0, or fills d and returns its status. */
int nb_check_assignable(const char *text, struct nb_span name,
			struct nb_diag *d);

#endif
