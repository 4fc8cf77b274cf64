/* statement.h - the grammar as an interactive front end needs it.
 *
 * A REPL runs an input statement by statement, each parsed alone so that
 * one that fails changes nothing after what ran before it: it asks
 * whether an input is complete, where its statements are, and what each
 * is (a binding, a definition or a bare expression, the name it assigns
 * and the names it uses).  The rules are the parser's (grammar/nabla.ebnf
 * section 3), read here from the tokens alone. */
#ifndef NABLA_STATEMENT_H
#define NABLA_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/program.h"

/* Whether the len bytes at text go on on a next line: a '(' or '[' is
 * open, the last token is an operator, '=' or ',', or the text ends in
 * '\' (which, with the line break to come, is a blank). */
int nb_input_incomplete(const char *text, size_t len);

enum nb_stmt_kind {
	NB_STMT_EXPR,           /* a bare expression: its value is shown */
	NB_STMT_BINDING,        /* NAME = constant expression: an input */
	NB_STMT_DEFINITION      /* NAME = expression over other names */
};

struct nb_stmt {
	size_t start, end;      /* its text, first token to last */
	struct nb_span name;    /* the name assigned; len 0 for a bare
				 * expression */
	size_t rhs;             /* where its expression starts */
	int semi;               /* it ends at ';' (a REPL keeps it quiet) */
	/* The expression's tokens joined by one space wherever blanks,
	 * comments or line breaks stood between them: how a definition is
	 * kept.  In the caller's buffer, not NUL-terminated. */
	const char *text;
	size_t textlen;
	/* Filled by nb_stmt_parse: */
	enum nb_stmt_kind kind;
	struct nb_program expr; /* the expression alone: its output is the
				 * value, its vars the names it uses */
	double value;           /* the value of a binding, or of a bare
				 * expression that names nothing; nan for
				 * a tensor, which is on expr's tape
				 * (nb_node_value of its output) */
};

/* The next statement of the len bytes at text from *pos: statements end
 * at ';' and at line breaks outside brackets that do not follow an
 * operator or '='.  buf (len bytes at least) receives st->text.  Returns
 * 1 and moves *pos past it, or 0 when no statement is left. */
int nb_stmt_next(const char *text, size_t len, size_t *pos, char *buf,
		 struct nb_stmt *st);

/* Parses statement st (from nb_stmt_next over src's text): its name must
 * be assignable, its expression is compiled alone (positions in messages
 * are src's) and one that names nothing is folded into st->value (its
 * randn and rand drawing from seed), with its domain warnings in
 * st->expr.constwarn.  Returns 0 (free st->expr with nb_program_free),
 * or fills d and returns its status. */
int nb_stmt_parse(const struct nb_source *src, struct nb_stmt *st,
		  uint64_t seed, struct nb_diag *d);

#endif
