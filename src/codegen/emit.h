/* emit.h - the forward and backward pass written out as C or Python.
 *
 * --emit writes one function in the seeds' style: a statement per node
 * forward (s3 = s2 + w2), then a statement per edge backward, each
 * gradient a grad_ variable, assigned by its first contribution and
 * added to (+=) by the others, where the graph forks:
 *     grad_s3 = grad_L * ((1 - L) * L)
 * Values and local gradients are the SYMBOLIC column of ops.def printed
 * in the target language, so the code follows nabla's conventions; the
 * local gradients of tanh and sigmoid are helpers with nabla's own
 * formulas (core/opmath.h), so that the gradient is nabla's bit for bit. */
#ifndef NABLA_EMIT_H
#define NABLA_EMIT_H

#include <stddef.h>
#include <stdio.h>

#include "codegen/expr.h"
#include "codegen/naming.h"
#include "core/diag.h"
#include "core/program.h"

/* The languages' names, NULL-terminated (shell completion offers them). */
extern const char *const nb_emit_langs[];

/* The language called name ("c", "python", "cblas": C that calls CBLAS
 * for the matrix products of a program with vectors or matrices, and
 * is plain C on scalars), or -1. */
int nb_emit_lang(const char *name);

/* Writes the helper functions (nb_sigmoid, nb_mul0, ...) of lang
 * (NB_LANG_C or NB_LANG_PYTHON) that the ops of e call. */
void nb_emit_helpers(FILE *out, enum nb_lang lang, const struct nb_expr *e);

/* Writes p's function in lang (NB_LANG_C or NB_LANG_PYTHON), returning
 * the value and the nwrt partials wrt (indices into p->vars).  Returns
 * 0, or the exit status with d saying why. */
int nb_emit_write(FILE *out, const struct nb_program *p, enum nb_lang lang,
		  const size_t *wrt, size_t nwrt, struct nb_diag *d);

#endif
