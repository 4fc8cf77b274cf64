/* replctx.c - errors and evaluation for a session's statements and
 * commands. */
#include "front/replctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/escape.h"
#include "core/domain.h"
#include "output/outfile.h"

int nb_repl_error(struct nb_repl *r, size_t start, size_t len,
		  const char *fmt, ...)
{
	/* Nothing to point into (-i -f FILE): a plain message. */
	struct nb_diag d = { .severity = NB_ERROR, .status = NB_EFAIL,
			     .located = r->src.len > 0, .start = start,
			     .len = len };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof d.msg, fmt, ap);
	va_end(ap);
	nb_flush_stdout();
	nb_diag_print(stderr, &r->src, &d, r->color_err);
	r->errors++;
	return 1;
}

/* "in node 3" means nothing in a session, whose tables are not shown:
 * the warning names the expression of the session's program instead,
 * "in 'log(x)'". */
static void name_expression(struct nb_diag *d, const struct nb_source *prog)
{
	char *at = strstr(d->msg, " in node ");
	struct nb_quote q;

	if (!at || !prog || !d->located || d->start + d->len > prog->len)
		return;
	snprintf(at, sizeof d->msg - (size_t)(at - d->msg), " in '%s'",
		 nb_quote(&q, prog->text + d->start, d->len));
}

void nb_repl_warn(void *ctx, const struct nb_diag *d)
{
	struct nb_repl_warnings *w = ctx;
	struct nb_diag shown = *d;

	if (!w->src) {
		name_expression(&shown, w->prog);
		shown.located = 0;
	}
	if (w->count++ < 20)
		nb_diag_print(stderr, w->src, &shown, w->r->color_err);
}

/* Moves [at, at+len) to the first name of the list that user uses. */
static void locate(const struct nb_program *user, const char *list,
		   size_t *at, size_t *len)
{
	while (user && *list) {
		size_t n = strcspn(list, ",");
		long var = nb_program_var(user, list, n);
		if (var >= 0) {
			struct nb_span s = nb_tape_name(&user->tape,
							user->vars[var]);
			*at = s.start;
			*len = s.len;
			return;
		}
		list += n;
		list += strspn(list, ", ");
	}
}

int nb_repl_eval(struct nb_repl *r, const char *const *roots,
		 const size_t *rootlen, size_t nroots, const char *tail,
		 size_t taillen, const struct nb_program *user, size_t at,
		 size_t atlen, struct nb_program *p)
{
	struct nb_text text = { 0 }, unbound = { 0 };
	struct nb_repl_warnings w = { r, NULL, 0, NULL };
	struct nb_diag d;
	int status = 0;

	if (nb_session_program(&r->session, roots, rootlen, nroots, &text,
			       &unbound) ||
	    (tail && (nb_text_add(&text, tail, taillen) ||
		      nb_text_add(&text, "\n", 1))))
		status = nb_repl_error(r, at, atlen, "out of memory");
	else if (unbound.len) {
		locate(user, unbound.s, &at, &atlen);
		status = nb_repl_error(r, at, atlen, "unbound variable%s %s",
				       strchr(unbound.s, ',') ? "s" : "",
				       unbound.s);
	}
	nb_free(unbound.s);
	if (status) {
		nb_free(text.s);
		return status;
	}
	if (nb_program_compile(p, "<session>", text.s, text.len, &d)) {
		nb_free(text.s);
		nb_diag_print(stderr, &p->src, &d, r->color_err);
		nb_program_free(p);
		r->errors++;
		return 1;
	}
	nb_free(text.s);
	/* Its constants are the session's bindings, warned about when they
	 * were made (a nan kept is spelled 0/0), not again at each use. */
	p->nconstwarn = 0;
	p->seed = r->seed;
	if (nb_program_run(p, NULL, &d))
		status = nb_repl_error(r, at, atlen, "%s", d.msg);
	else {
		w.prog = &p->src;
		nb_domain_check(p, nb_repl_warn, &w);
	}
	if (status == 0 && r->strict && w.count > 0)
		status = nb_repl_error(r, at, atlen, "domain warnings are "
				       "errors with --strict");
	if (status)
		nb_program_free(p);
	return status;
}
