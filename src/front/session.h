/* session.h - the REPL's state: bound inputs and named definitions.
 *
 * A session holds names, each either a binding (an input with a value,
 * x = 3) or a definition (an expression over other names, f = q * z).
 * Definitions are kept as text and compiled afresh, together with what
 * they need, whenever they are used: a definition is re-evaluated with
 * the current values of its inputs for free, and the program the session
 * builds is an ordinary nabla program that the one-shot mode reads too.
 *
 * Invariant: the definitions never form a cycle (nb_session_define
 * refuses one), so every name's dependencies can be put in order. */
#ifndef NABLA_SESSION_H
#define NABLA_SESSION_H

#include <stddef.h>

#include "core/shape.h"
#include "front/namecount.h"

struct nb_entry {
	char *name;             /* NUL-terminated identifier */
	char *expr;             /* definition text, or NULL for a binding */
	double value;           /* a binding's value, if a scalar */
	struct nb_tensor tval;  /* a binding's value, if a tensor (data
				 * NULL otherwise): a session program
				 * spells it as an array literal */
	char **refs;            /* names the definition uses, in order */
	size_t nrefs;
};

struct nb_session {
	struct nb_entry *e;     /* in order of first assignment */
	size_t n, cap;
	size_t *slot;           /* hash index by name: entry + 1, 0 empty */
	size_t nslots;          /* a power of two, at least 2 n */
	struct nb_namecount used;       /* names the definitions refer to */
};

void nb_session_init(struct nb_session *s);
void nb_session_free(struct nb_session *s);

/* Index of the entry called by the len bytes at name, or -1. */
long nb_session_find(const struct nb_session *s, const char *name,
		     size_t len);

/* Binds name to v, replacing whatever the name was.  Returns 0, or -1
 * when out of memory (the session is then unchanged). */
int nb_session_bind(struct nb_session *s, const char *name, size_t len,
		    double v);

/* Binds name to a copy of the tensor t (a scalar if its rank is 0),
 * replacing whatever the name was.  Returns 0, or -1 when out of memory
 * (the session is then unchanged). */
int nb_session_bind_tensor(struct nb_session *s, const char *name,
			   size_t len, const struct nb_tensor *t);

/* Defines name as the expression text expr (exprlen bytes) that uses the
 * nrefs names refs (each refs[i] of reflen[i] bytes), replacing whatever
 * the name was.  Returns 0; -1 when out of memory; 1 when the definition
 * would make a cycle, with the cycle ("f -> q -> f") in why (size bytes).
 * The session is unchanged unless 0 is returned. */
int nb_session_define(struct nb_session *s, const char *name, size_t len,
		      const char *expr, size_t exprlen, const char *const *refs,
		      const size_t *reflen, size_t nrefs, char *why,
		      size_t size);

/* Removes the entry called name; returns 0, or -1 if there is none. */
int nb_session_delete(struct nb_session *s, const char *name, size_t len);

/* A growable NUL-terminated string. */
struct nb_text {
	char *s;
	size_t len, cap;
};

/* Appends the n bytes at p; returns 0 or -1 when out of memory. */
int nb_text_add(struct nb_text *t, const char *p, size_t n);

/* Appends to out the program lines ("x = 3", "q = x + y") that the nroots
 * names roots (each roots[i] of rootlen[i] bytes) need, dependencies
 * first, every needed entry once; a root that is an entry comes after
 * all it needs.  Names used but neither bound nor defined are appended
 * to unbound, separated by ", " (empty when all are known).  Returns 0
 * or -1 when out of memory. */
int nb_session_program(const struct nb_session *s, const char *const *roots,
		       const size_t *rootlen, size_t nroots,
		       struct nb_text *out, struct nb_text *unbound);

/* The whole session as a program: every binding, then every definition
 * in dependency order (in order of definition where there is a choice).
 * Returns 0 or -1 when out of memory. */
int nb_session_save(const struct nb_session *s, struct nb_text *out);

#endif
