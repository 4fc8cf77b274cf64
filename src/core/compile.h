/* compile.h - program text to a program: copied or taken over, parsed.
 *
 * Kept apart from program.h, which the parser fills in, so that the
 * parser and the program do not include each other. */
#ifndef NABLA_COMPILE_H
#define NABLA_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/backward.h"
#include "core/diag.h"
#include "core/program.h"

/* Copies text and parses it.  Returns 0, or fills d and returns its
 * status (2 for a syntax error, 1 when out of memory). */
int nb_program_compile(struct nb_program *p, const char *name,
		       const char *text, size_t len, struct nb_diag *d);
/* The same for text that starts after line line0 of its file (a REPL or
 * script input), so that positions in messages are the file's. */
int nb_program_compile_at(struct nb_program *p, const char *name,
			  const char *text, size_t len, size_t line0,
			  struct nb_diag *d);
/* The expression at bytes [from, to) of src alone (a REPL statement's
 * right side): only the text before to is copied, and positions stay
 * src's. */
int nb_program_compile_expr(struct nb_program *p,
			    const struct nb_source *src, size_t from,
			    size_t to, struct nb_diag *d);
/* The same for text from nb_malloc with room for len + 1 bytes, which p
 * takes over (nb_program_free frees it): no copy of a large program.
 * Without spans, the tape keeps no expression text per node (see
 * nb_tape_span): for a run that prints none, as batch runs do.  seed
 * (--seed) becomes p->seed before the program's constant bindings are
 * evaluated (W = randn(3, 4)); the other ways of compiling use 0. */
int nb_program_compile_owned(struct nb_program *p, const char *name,
			     char *text, size_t len, int spans, uint64_t seed,
			     struct nb_diag *d);

/* The same for a forward program followed by its backward pass, written
 * by hand (nb_parse_backward, parser.h), into bw. */
int nb_program_compile_backward(struct nb_program *p, const char *name,
				char *text, size_t len,
				struct nb_backward *bw, struct nb_diag *d);

#endif
