/* exprprint.h - writing an expression graph as nabla, C or Python.
 *
 * One printer for the three languages, with the fewest parentheses each
 * one's precedence allows.  Nodes that the caller marks as named
 * (temporaries) and leaves print through the caller's callbacks; the
 * rest print inline, so the caller bounds how deep that goes. */
#ifndef NABLA_EXPRPRINT_H
#define NABLA_EXPRPRINT_H

#include <stdint.h>
#include <stdio.h>

#include "codegen/expr.h"
#include "codegen/naming.h"

struct nb_exprnames {
	/* writes leaf (NB_OP_VAR) ref's name */
	void (*leaf)(void *ctx, FILE *out, uint32_t ref);
	/* writes the name of node i, for nodes with named[i] set */
	void (*temp)(void *ctx, FILE *out, uint32_t i);
	const unsigned char *named;     /* per node, or NULL for none */
	void *ctx;
};

/* Writes node i (its definition, even if it is named itself). */
void nb_expr_print(FILE *out, const struct nb_expr *e, uint32_t i,
		   enum nb_lang lang, const struct nb_exprnames *names);

/* Writes v as a number literal of lang (C and Python: always a float). */
void nb_expr_print_number(FILE *out, double v, enum nb_lang lang);

#endif
