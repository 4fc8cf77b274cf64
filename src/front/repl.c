/* repl.c - the read-run loop shared by the REPL, scripts and :load.
 *
 * An input is a line, or several joined while parentheses are open or a
 * line ends in an operator.  A command line goes to the command table;
 * anything else is split into statements at ';' and each is checked by
 * compiling it alone (so diagnostics point into the user's own line)
 * before it changes the session.  A failed statement changes nothing and
 * skips the rest of its line. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "front/repl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/domain.h"
#include "core/escape.h"
#include "core/lexer.h"
#include "core/ops.h"
#include "core/program.h"
#include "core/sweep.h"
#include "front/commands.h"
#include "front/lineedit.h"
#include "front/replctx.h"
#include "num/numfmt.h"
#include "output/outfile.h"

#define PROMPT "nabla> "
#define PROMPT_MORE "  ...> "

/* :load files open at once (a file that loads itself stops here). */
#define MAX_LOAD_DEPTH 16

/* A diagnostic from compiling a slice of the current input. */
static int report(struct nb_repl *r, const struct nb_diag *d)
{
	nb_flush_stdout();
	nb_diag_print(stderr, d->located ? &r->src : NULL, d, r->color_err);
	r->errors++;
	return 1;
}

/* The tokens of [from, to) of the input joined by single spaces where
 * there was any space, comment or line break: how a definition is kept,
 * shown by :defs and saved. */
static int normalize(const struct nb_repl *r, size_t from, size_t to,
		     struct nb_text *out)
{
	struct nb_lexer lx;
	struct nb_token t;
	size_t end = from;

	nb_lexer_init(&lx, r->src.text, to);
	lx.pos = from;
	while ((t = nb_lex(&lx)).kind != NB_TOK_EOF) {
		if (t.kind == NB_TOK_NEWLINE)
			continue;
		if (out->len && t.start > end && nb_text_add(out, " ", 1))
			return -1;
		if (nb_text_add(out, r->src.text + t.start, t.len))
			return -1;
		end = t.start + t.len;
	}
	return 0;
}

/* Compiles [from, to) of the input alone: the rest of the input is
 * blanked (line breaks kept) so that positions stay the user's. */
static int compile_slice(struct nb_repl *r, size_t from, size_t to,
			 struct nb_program *p)
{
	char *copy = nb_malloc(r->src.len + 1);
	struct nb_diag d;
	int status;

	if (!copy)
		return nb_repl_error(r, from, to - from, "out of memory");
	for (size_t i = 0; i < r->src.len; i++) {
		char c = r->src.text[i];
		copy[i] = (i >= from && i < to) || c == '\n' ? c : ' ';
	}
	status = nb_program_compile_at(p, r->src.name, copy, r->src.len,
				       r->src.line0, &d);
	nb_free(copy);
	if (status) {
		nb_program_free(p);
		return report(r, &d);
	}
	return 0;
}

/* The names of p's inputs, as slices of its text. */
static int input_names(const struct nb_program *p, const char ***names,
		       size_t **lens)
{
	*names = nb_malloc((p->nvars + 1) * sizeof **names);
	*lens = nb_malloc((p->nvars + 1) * sizeof **lens);
	if (!*names || !*lens)
		return -1;
	for (size_t i = 0; i < p->nvars; i++) {
		struct nb_span s = nb_tape_name(&p->tape, p->vars[i]);
		(*names)[i] = p->src.text + s.start;
		(*lens)[i] = s.len;
	}
	return 0;
}

static int reserved(struct nb_repl *r, struct nb_token name)
{
	const char *s = r->src.text + name.start;
	struct nb_quote q;
	double v;

	if (nb_constant(s, name.len, &v))
		return nb_repl_error(r, name.start, name.len, "cannot assign "
				     "to the constant '%s'",
				     nb_quote(&q, s, name.len));
	if (nb_op_function(s, name.len) >= 0)
		return nb_repl_error(r, name.start, name.len, "cannot assign "
				     "to the function '%s'",
				     nb_quote(&q, s, name.len));
	return 0;
}

/* Evaluates p, which has no inputs, with its domain warnings pointing
 * into the user's text; errors at [at, at+len). */
static int constant_value(struct nb_repl *r, struct nb_program *p,
			  size_t at, size_t len)
{
	struct nb_repl_warnings w = { r, &r->src, 0 };

	nb_forward(&p->tape, 0, p->tape.n);
	if (nb_domain_note_constant(p, 0, p->tape.n))
		return nb_repl_error(r, at, len, "out of memory");
	for (size_t i = 0; i < p->nconstwarn; i++)
		nb_repl_warn(&w, &p->constwarn[i]);
	if (r->strict && w.count > 0)
		return nb_repl_error(r, at, len, "domain warnings are errors "
				     "with --strict");
	return 0;
}

/* Gives name the compiled right side p: a binding when it is constant,
 * else a definition (refused if it would close a cycle). */
static int assign(struct nb_repl *r, struct nb_token name,
		  struct nb_program *p, const struct nb_text *expr)
{
	const char *s = r->src.text + name.start;
	const char **refs = NULL;
	size_t *lens = NULL;
	struct nb_quote q;
	char why[256];
	int rc;

	if (p->nvars == 0) {
		if (constant_value(r, p, name.start, name.len))
			return 1;
		if (nb_session_bind(&r->session, s, name.len,
				    p->tape.value[p->output]))
			return nb_repl_error(r, name.start, name.len,
					     "out of memory");
		return 0;
	}
	if (input_names(p, &refs, &lens))
		rc = -1;
	else
		rc = nb_session_define(&r->session, s, name.len, expr->s,
				       expr->len, refs, lens, p->nvars, why,
				       sizeof why);
	nb_free(refs);
	nb_free(lens);
	if (rc < 0)
		return nb_repl_error(r, name.start, name.len, "out of memory");
	if (rc > 0)
		return nb_repl_error(r, name.start, name.len, "'%s' would "
				     "depend on itself: %s",
				     nb_quote(&q, s, name.len), why);
	return 0;
}

static void print_value(const struct nb_repl *r, double v)
{
	char num[NB_NUMBUF];

	if (nb_format_human(r->format))
		nb_fmt_human(num, v, r->precision);
	else
		nb_fmt_exact(num, v);
	printf("%s\n", num);
}

/* After an assignment in a session: "name = value", as MATLAB and Julia
 * show it, when every input it needs is bound (a definition may come
 * before its inputs). */
static void echo(struct nb_repl *r, struct nb_token name)
{
	const char *s = r->src.text + name.start;
	struct nb_text text = { 0 }, unbound = { 0 };
	struct nb_program full;
	int ready = nb_session_program(&r->session, &s, &name.len, 1, &text,
				       &unbound) == 0 && unbound.len == 0;

	nb_free(text.s);
	nb_free(unbound.s);
	if (!ready || nb_repl_eval(r, &s, &name.len, 1, NULL, 0, NULL,
				   name.start, name.len, &full))
		return;
	printf("%.*s = ", (int)name.len, s);
	print_value(r, full.tape.value[full.output]);
	nb_program_free(&full);
}

/* A bare expression: evaluated with what the session knows, printed. */
static int show_value(struct nb_repl *r, size_t from, size_t to,
		      struct nb_program *p, const struct nb_text *expr)
{
	struct nb_program full;
	const char **refs = NULL;
	size_t *lens = NULL;
	int status;

	/* a constant needs nothing of the session, and its warnings can
	 * point at what the user typed */
	if (p->nvars == 0) {
		if (constant_value(r, p, from, to - from))
			return 1;
		print_value(r, p->tape.value[p->output]);
		return 0;
	}
	if (input_names(p, &refs, &lens))
		status = nb_repl_error(r, from, to - from, "out of memory");
	else
		status = nb_repl_eval(r, refs, lens, p->nvars, expr->s,
				      expr->len, p, from, to - from, &full);
	nb_free(refs);
	nb_free(lens);
	if (status)
		return status;
	print_value(r, full.tape.value[full.output]);
	nb_program_free(&full);
	return 0;
}

/* Runs the statement at [from, to) of the input; an assignment shows
 * its value if loud. */
static int statement(struct nb_repl *r, size_t from, size_t to, int loud)
{
	struct nb_lexer lx;
	struct nb_token first, second;
	struct nb_program p;
	struct nb_text expr = { 0 };
	size_t rhs = from;
	int status;

	nb_lexer_init(&lx, r->src.text, to);
	lx.pos = from;
	first = nb_lex(&lx);
	second = nb_lex(&lx);
	if (first.kind == NB_TOK_IDENT && second.kind == NB_TOK_ASSIGN) {
		rhs = second.start + 1;
		if (reserved(r, first))
			return 1;
		if (nb_lex(&lx).kind == NB_TOK_EOF)
			return nb_repl_error(r, second.start, 1, "expected an "
					     "expression after '='");
	}
	if (compile_slice(r, rhs, to, &p))
		return 1;
	if (normalize(r, rhs, to, &expr))
		status = nb_repl_error(r, from, to - from, "out of memory");
	else if (rhs != from) {
		status = assign(r, first, &p, &expr);
		if (status == 0 && loud)
			echo(r, first);
	} else
		status = show_value(r, from, to, &p, &expr);
	nb_free(expr.s);
	nb_program_free(&p);
	return status;
}

/* Splits the input at ';' and line breaks outside parentheses (a line
 * break after an operator continues the statement) and runs each
 * statement until one fails.  In a session an assignment that no ';'
 * ends shows its value. */
static int statements(struct nb_repl *r)
{
	struct nb_lexer lx;
	struct nb_token t;
	enum nb_tok last = NB_TOK_SEMI;
	size_t start = 0, end = 0;
	int depth = 0, any = 0;

	nb_lexer_init(&lx, r->src.text, r->src.len);
	for (;;) {
		t = nb_lex(&lx);
		int brk = t.kind == NB_TOK_EOF || (depth == 0 &&
			  (t.kind == NB_TOK_SEMI || (t.kind == NB_TOK_NEWLINE &&
			   last != NB_TOK_OP && last != NB_TOK_ASSIGN)));
		if (brk) {
			if (any && statement(r, start, end, r->echo &&
					     r->load_depth == 0 &&
					     t.kind != NB_TOK_SEMI))
				return 1;
			any = 0;
			last = NB_TOK_SEMI;
			if (t.kind == NB_TOK_EOF)
				return 0;
			continue;
		}
		if (t.kind == NB_TOK_NEWLINE)
			continue;
		depth += (t.kind == NB_TOK_LPAREN) - (t.kind == NB_TOK_RPAREN);
		if (!any)
			start = t.start;
		any = 1;
		end = t.start + t.len;
		last = t.kind;
	}
}

/* Runs one whole input: text (len bytes) starting after line line0. */
static void run_input(struct nb_repl *r, const char *text, size_t len,
		      size_t line0)
{
	r->src.text = text;
	r->src.len = len;
	r->src.line0 = line0;
	if (nb_is_command(text, len))
		nb_command_run(r, 0, len);
	else
		statements(r);
	nb_flush_stdout();
}

/* Whether the input goes on on the next line: a '(' is open, the last
 * token is an operator, '=' or ',', or the line ends in '\' (which the
 * lexer reads, with the line break, as a blank). */
static int needs_more(const char *text, size_t len)
{
	struct nb_lexer lx;
	struct nb_token t;
	enum nb_tok last = NB_TOK_EOF;
	long depth = 0;

	if (nb_is_command(text, len))
		return 0;
	if (len > 0 && text[len - 1] == '\\')
		return 1;
	nb_lexer_init(&lx, text, len);
	while ((t = nb_lex(&lx)).kind != NB_TOK_EOF) {
		if (t.kind == NB_TOK_ERROR)
			return 0;
		if (t.kind == NB_TOK_NEWLINE)
			continue;
		depth += (t.kind == NB_TOK_LPAREN) - (t.kind == NB_TOK_RPAREN);
		last = t.kind;
	}
	return depth > 0 || last == NB_TOK_OP || last == NB_TOK_ASSIGN ||
	       last == NB_TOK_COMMA;
}

/* Joined lines become one history entry; a comment would swallow what
 * follows it once the lines are joined, and a '\' only joins lines at a
 * line break, so such inputs are recorded line by line. */
static void remember(struct nb_lineedit *le, struct nb_text *input)
{
	if (le->mode != NB_LE_READLINE)
		return;
	if (strchr(input->s, '#') || strchr(input->s, '\\')) {
		for (char *l = input->s, *nl; l; l = nl ? nl + 1 : NULL) {
			if ((nl = strchr(l, '\n')))
				*nl = '\0';
			nb_lineedit_history(le, l);
			if (nl)
				*nl = '\n';
		}
		return;
	}
	for (char *s = input->s; *s; s++)
		if (*s == '\n')
			*s = ' ';
	nb_lineedit_history(le, input->s);
}

/* A read error ends the stream and makes the exit status 1, even of an
 * interactive session: what the rest of the input held is lost. */
static void read_error(struct nb_repl *r, const struct nb_lineedit *le,
		       const char *name)
{
	struct nb_quote q;

	if (le->err == ENOMEM)
		nb_out_of_memory();
	else
		fprintf(stderr, "nabla: %s: read error: %s\n",
			nb_quote_path(&q, name), strerror(le->err));
	r->errors++;
	r->read_failed = 1;
}

/* Reads and runs inputs until end of input or :quit. */
static void run_stream(struct nb_repl *r, struct nb_lineedit *le,
		       const char *name)
{
	struct nb_text input = { 0 };
	size_t lineno = 0, first = 0;
	const char *line;
	size_t len;

	r->src.name = name;
	while (!r->quit) {
		enum nb_le_status st = nb_lineedit_read(
			le, input.len ? PROMPT_MORE : PROMPT, &line, &len);
		if (st == NB_LE_INTR) {
			input.len = 0;
			continue;
		}
		if (st == NB_LE_ERROR) {
			read_error(r, le, name);
			break;
		}
		if (st == NB_LE_EOF) {
			/* An unfinished input is run, not dropped: its error
			 * says what it lacks ("found end of input"). */
			if (input.len)
				run_input(r, input.s, input.len, first);
			break;
		}
		if (input.len == 0)
			first = lineno;
		lineno++;
		if ((input.len && nb_text_add(&input, "\n", 1)) ||
		    nb_text_add(&input, line, len)) {
			fputs("nabla: out of memory\n", stderr);
			r->errors++;
			input.len = 0;
			continue;
		}
		if (needs_more(input.s, input.len))
			continue;
		run_input(r, input.s, input.len, first);
		remember(le, &input);
		input.len = 0;
	}
	nb_free(input.s);
}

static int load(struct nb_repl *r, const char *path, size_t at,
		size_t atlen)
{
	struct nb_source saved = r->src;
	struct nb_lineedit le;
	struct nb_quote q;
	FILE *f;

	if (r->load_depth >= MAX_LOAD_DEPTH)
		return nb_repl_error(r, at, atlen, ":load nested more than %d "
				     "deep", MAX_LOAD_DEPTH);
	if (!(f = fopen(path, "r")))
		return nb_repl_error(r, at, atlen, "cannot read '%s': %s",
				     nb_quote_path(&q, path), strerror(errno));
	r->load_depth++;
	nb_lineedit_open(&le, f, 0, NULL);
	run_stream(r, &le, path);
	nb_lineedit_close(&le);
	fclose(f);
	r->load_depth--;
	r->src = saved;
	return 0;
}

/* -f FILE and the statements given as operands, before any input. */
static void preload(struct nb_repl *r, const struct nb_repl_opts *o)
{
	static const char none[] = "";

	r->src = (struct nb_source){ "<arg>", none, 0, 0 };
	if (o->file)
		load(r, o->file, 0, 0);
	for (int i = 0; i < o->nstmts && !r->quit; i++) {
		r->src.name = "<arg>";
		run_input(r, o->stmts[i], strlen(o->stmts[i]), 0);
	}
}

/* A session reading in (named name in diagnostics) after the preload. */
static int run_session(const struct nb_repl_opts *o, FILE *in,
		       const char *name, int interactive)
{
	struct nb_repl r = { .format = o->format, .precision = o->precision,
			     .color_out = o->color_out,
			     .color_err = o->color_err, .strict = o->strict,
			     .load = load };
	struct nb_lineedit le;
	struct nb_completion words = { &r.session, nb_command_name };

	r.interactive = interactive;
	nb_session_init(&r.session);
	preload(&r, o);
	if (!r.quit) {
		nb_lineedit_open(&le, in, r.interactive, &words);
		r.echo = r.interactive;
		if (r.interactive && isatty(fileno(in)))
			fprintf(le.prompt_out, "nabla %s - :help for commands, "
				"Ctrl-D to quit\n", PACKAGE_VERSION);
		run_stream(&r, &le, name);
		nb_lineedit_close(&le);
	}
	nb_session_free(&r.session);
	return r.read_failed || (!r.interactive && r.errors > 0) ? NB_EFAIL
								 : NB_OK;
}

int nb_repl_main(const struct nb_repl_opts *o)
{
	return run_session(o, stdin, "<stdin>",
			   o->interactive || isatty(STDIN_FILENO));
}

int nb_repl_script(const struct nb_repl_opts *o, FILE *in, const char *name)
{
	return run_session(o, in, name, 0);
}
