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

#include "core/diag.h"
#include "core/program.h"

/* Parses p->src into p->tape, p->names, p->vars and p->output.  p must be
 * freshly initialised.  Returns 0, or fills d and returns its status. */
int nb_parse(struct nb_program *p, struct nb_diag *d);

/* Parses p->src from byte from to its end as one expression, whose node
 * becomes p->output (a REPL statement's right side, parsed alone).
 * Returns 0, or fills d and returns its status. */
int nb_parse_expr(struct nb_program *p, size_t from, struct nb_diag *d);

/* Whether the identifier at name in text may be assigned: not a constant
 * or a function.  Returns 0, or fills d and returns its status. */
int nb_check_assignable(const char *text, struct nb_span name,
			struct nb_diag *d);

#endif
