/* bindings.c - parsing NAME=VALUE arguments. */
#include "front/bindings.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
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

/* One argument; seen[var] marks variables already bound on the command
 * line so that x=1 x=2 is caught. */
static int bind_one(struct nb_program *p, const char *arg,
		    unsigned char *seen,
		    void (*warn)(const char *name, size_t len),
		    struct nb_diag *d)
{
	const char *eq = strchr(arg, '=');
	size_t len;
	double v;
	long var;

	if (!eq)
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s' is not a binding NAME=VALUE", arg);
	len = (size_t)(eq - arg);
	if (len == 0)
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': no variable name before '='", arg);
	if (eq[1] == '\0')
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': no value after '='", arg);
	if (!is_name(arg, len))
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%.*s' is not a variable name", arg,
				      (int)len, arg);
	if (nb_read_number(eq + 1, strlen(eq + 1), &v))
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%s' is not a number", arg, eq + 1);
	if (isinf(v) && !strpbrk(eq + 1, "iI"))
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%s' is too large for a double "
				      "(write inf if you mean it)", arg, eq + 1);
	if (nb_number_underflows(eq + 1, strlen(eq + 1), v))
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%s' is too small for a double "
				      "(write 0 if you mean it)", arg, eq + 1);
	var = nb_program_var(p, arg, len);
	if (var < 0 && nb_symtab_find(&p->names, arg, len) >= 0)
		return nb_error_plain(d, NB_EUSAGE,
				      "'%s': '%.*s' is a named intermediate, "
				      "not an input", arg, (int)len, arg);
	if (var < 0 && nb_constant_clash(p, arg, len, d))
		return d->status;
	if (var < 0) {
		if (warn)
			warn(arg, len);
		return 0;
	}
	if (seen[var])
		return nb_error_plain(d, NB_EUSAGE, "'%.*s' is bound twice",
				      (int)len, arg);
	seen[var] = 1;
	nb_program_set(p, (size_t)var, v);
	return 0;
}

int nb_apply_bindings(struct nb_program *p, char **argv, int n,
		      void (*warn)(const char *name, size_t len),
		      struct nb_diag *d)
{
	unsigned char *seen = nb_malloc(p->nvars);
	int r = 0;

	if (!seen)
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	memset(seen, 0, p->nvars);
	for (int i = 0; i < n && r == 0; i++)
		r = bind_one(p, argv[i], seen, warn, d);
	nb_free(seen);
	return r;
}
