/* bindings.c - parsing NAME=VALUE arguments. */
#include "front/bindings.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/lexer.h"
#include "core/ops.h"
#include "num/numfmt.h"

static int is_name(const char *s, size_t len)
{
	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

int nb_constant_clash(const struct nb_program *p, const char *name,
		      size_t len, struct nb_diag *d)
{
	struct nb_lexer lx;
	struct nb_token t;
	char buf[NB_NUMBUF];
	double v;

	if (!nb_constant(name, len, &v))
		return 0;
	nb_lexer_init(&lx, p->src.text, p->src.len);
	do
		t = nb_lex(&lx);
	while (t.kind != NB_TOK_EOF && t.kind != NB_TOK_ERROR &&
	       !(t.kind == NB_TOK_IDENT && t.len == len &&
		 memcmp(p->src.text + t.start, name, len) == 0));
	if (t.kind != NB_TOK_IDENT)
		return 0;
	nb_fmt_exact(buf, v);
	return nb_error_plain(d, NB_EUSAGE, "'%.*s' is the constant %.*s = %s "
			      "in the program, not an input: to make it an "
			      "input, rename it (say %.*s0)", (int)len, name,
			      (int)len, name, buf, (int)len, name);
}

/* Where NAME=VALUE's value goes, once read into t (its elements taken,
 * not copied); seen[var] marks variables already bound on the command
 * line so that x=1 x=2 is caught. */
static int bind_value(struct nb_program *p, const char *arg, size_t len,
		      struct nb_tensor *t, unsigned char *seen,
		      void (*warn)(const char *name, size_t len),
		      struct nb_diag *d)
{
	struct nb_quote qa, qb;
	const char *a = nb_quote_str(&qa, arg);
	long var = nb_program_var(p, arg, len);

	if (var < 0 && nb_symtab_find(&p->names, arg, len) >= 0)
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%s' is a named intermediate, "
				      "not an input", a, nb_quote(&qb, arg, len));
	if (var < 0 && nb_constant_clash(p, arg, len, d))
		return d->status;
	if (var < 0) {
		if (warn)
			warn(arg, len);
		return 0;
	}
	if (seen[var])
		return nb_error_plain(d, NB_EUSAGE, "'%s' is bound twice",
				      nb_quote(&qb, arg, len));
	seen[var] = 1;
	if (nb_program_take_tensor(p, (size_t)var, t))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	return 0;
}

/* One argument NAME=VALUE. */
static int bind_one(struct nb_program *p, const char *arg,
		    unsigned char *seen,
		    void (*warn)(const char *name, size_t len),
		    struct nb_argvalue *av, struct nb_diag *d)
{
	const char *eq = strchr(arg, '=');
	struct nb_quote qa, qb;
	const char *a = nb_quote_str(&qa, arg);
	char what[sizeof qa.s + 2];
	struct nb_tensor t;
	size_t len;
	int r;

	if (!eq)
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s' is not a binding NAME=VALUE", a);
	len = (size_t)(eq - arg);
	if (len == 0)
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': no variable name before '='", a);
	if (eq[1] == '\0')
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': no value after '='", a);
	if (!is_name(arg, len))
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%s' is not a variable name", a,
				      nb_quote(&qb, arg, len));
	snprintf(what, sizeof what, "'%s'", a);
	if ((r = nb_argvalue_read(av, what, arg, len, eq + 1, &t, d)) == 0)
		r = bind_value(p, arg, len, &t, seen, warn, d);
	nb_tensor_free(&t);
	return r;
}

int nb_apply_bindings(struct nb_program *p, char **argv, int n,
		      void (*warn)(const char *name, size_t len),
		      struct nb_argvalue *av, struct nb_diag *d)
{
	unsigned char *seen = nb_malloc(p->nvars);
	int r = 0;

	if (!seen)
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	memset(seen, 0, p->nvars);
	for (int i = 0; i < n && r == 0; i++)
		r = bind_one(p, argv[i], seen, warn, av, d);
	nb_free(seen);
	return r;
}
