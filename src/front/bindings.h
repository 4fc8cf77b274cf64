/* bindings.h - NAME=VALUE arguments that give input variables values. */
#ifndef NABLA_BINDINGS_H
#define NABLA_BINDINGS_H

#include "core/diag.h"
#include "core/program.h"
#include "front/argvalue.h"

/* Applies the n arguments in argv to p: each must be NAME=VALUE with NAME
 * an input variable of p named once, VALUE a number (nan, inf, -inf
 * allowed), a constant expression or @FILE (front/argvalue.h, which av
 * configures).  A binding overrides a value the program itself gave.  A
 * name the program does not use is reported through warn, if not NULL.
 * Returns 0, or fills d for the first bad argument: status 2, or 1 for
 * a bad file or a value that fails; print d with the source
 * nb_argvalue_source(av, &p->src) gives when it is located. */
int nb_apply_bindings(struct nb_program *p, char **argv, int n,
		      void (*warn)(const char *name, size_t len),
		      struct nb_argvalue *av, struct nb_diag *d);

/* Whether name (len bytes) is a constant (e, pi) that p's text uses:
 * then it cannot name an input, and a binding or column of that name
 * would be silently ignored.  Fills d (status 2, suggesting a rename)
 * and returns 2, or returns 0. */
int nb_constant_clash(const struct nb_program *p, const char *name,
		      size_t len, struct nb_diag *d);


#endif
