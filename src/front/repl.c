/* repl.c - the read-run loop shared by the REPL, scripts and :load.
 *
 * An input is a line, or several joined while the grammar says it is
 * incomplete (core/statement.h).  A command line goes to the command
 * table; anything else is split into statements, each parsed alone (so
 * diagnostics point into the user's own line) before it changes the
 * session.  A failed statement changes nothing and skips the rest of its
 * input.  The grammar is the parser's: this file keeps none of its own. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "front/repl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/program.h"
#include "core/statement.h"
#include "front/commands.h"
#include "front/lineedit.h"
#include "front/replctx.h"
#include "num/numfmt.h"
#include "num/rng.h"
#include "output/ndfmt.h"
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

/* Shows the domain warnings of a statement that names nothing, pointing
 * into the user's text; errors at [at, at+len). */
static int constant_warnings(struct nb_repl *r, const struct nb_stmt *st,
			     size_t at, size_t len)
{
	struct nb_repl_warnings w = { r, &r->src, 0, NULL };

	for (size_t i = 0; i < st->expr.nconstwarn; i++)
		nb_repl_warn(&w, &st->expr.constwarn[i]);
	if (r->strict && w.count > 0)
		return nb_repl_error(r, at, len, "domain warnings are errors "
				     "with --strict");
	return 0;
}

/* Binds the name s (len bytes) to the value of binding st. */
static int bind_value(struct nb_repl *r, const char *s, size_t len,
		      const struct nb_stmt *st)
{
	struct nb_view v = nb_node_value(&st->expr.tape, st->expr.output);
	struct nb_tensor t = { v.shape, (double *)v.x };

	if (v.shape.rank == 0)
		return nb_session_bind(&r->session, s, len, st->value);
	return nb_session_bind_tensor(&r->session, s, len, &t);
}

/* Gives a statement's name its value (a binding) or its expression (a
 * definition, refused if it would close a cycle). */
static int assign(struct nb_repl *r, struct nb_stmt *st)
{
	const char *s = r->src.text + st->name.start;
	size_t len = st->name.len;
	const char **refs = NULL;
	size_t *lens = NULL;
	struct nb_quote q;
	char why[256];
	int rc;

	if (st->kind == NB_STMT_BINDING) {
		if (constant_warnings(r, st, st->name.start, len))
			return 1;
		if (bind_value(r, s, len, st))
			return nb_repl_error(r, st->name.start, len,
					     "out of memory");
		return 0;
	}
	if (input_names(&st->expr, &refs, &lens))
		rc = -1;
	else
		rc = nb_session_define(&r->session, s, len, st->text,
				       st->textlen, refs, lens,
				       st->expr.nvars, why, sizeof why);
	nb_free(refs);
	nb_free(lens);
	if (rc < 0)
		return nb_repl_error(r, st->name.start, len, "out of memory");
	if (rc > 0)
		return nb_repl_error(r, st->name.start, len, "'%s' would "
				     "depend on itself: %s",
				     nb_quote(&q, s, len), why);
	return 0;
}

/* A value as the session shows it: a number, or a tensor as NumPy
 * writes it (at the human precision and elided past --max-elements, or
 * in exact digits, every element, for the other formats). */
static void print_value(const struct nb_repl *r, struct nb_view v)
{
	char num[NB_NUMBUF];
	struct nb_ndfmt f;
	struct nb_outspec spec = { .format = r->format };

	if (v.shape.rank == 0) {
		if (nb_format_human(r->format))
			nb_fmt_human(num, v.x[0], r->precision);
		else
			nb_fmt_exact(num, v.x[0]);
		printf("%s\n", num);
		return;
	}
	spec.max_elements = r->max_elements;
	nb_nd_layout(&f, v, nb_format_human(r->format) ? r->precision : 0,
		     nb_format_human(r->format) ? nb_outspec_max(&spec) : 0);
	nb_nd_write(stdout, &f, "\n");
	putchar('\n');
}

/* After an assignment in a session: "name = value", as MATLAB and Julia
 * show it, when every input it needs is bound (a definition may come
 * before its inputs). */
static void echo(struct nb_repl *r, struct nb_span name)
{
	const char *s = r->src.text + name.start;
	size_t len = name.len;
	struct nb_text text = { 0 }, unbound = { 0 };
	struct nb_program full;
	int ready = nb_session_program(&r->session, &s, &len, 1, &text,
				       &unbound) == 0 && unbound.len == 0;

	nb_free(text.s);
	nb_free(unbound.s);
	if (!ready || nb_repl_eval(r, &s, &len, 1, NULL, 0, NULL, name.start,
				   len, &full))
		return;
	printf("%.*s = ", (int)len, s);
	print_value(r, nb_node_value(&full.tape, full.output));
	nb_program_free(&full);
}

/* A bare expression: evaluated with what the session knows, printed. */
static int show_value(struct nb_repl *r, struct nb_stmt *st)
{
	struct nb_program full;
	const char **refs = NULL;
	size_t *lens = NULL;
	size_t at = st->start, len = st->end - st->start;
	int status;

	/* a constant needs nothing of the session, and its warnings can
	 * point at what the user typed */
	if (st->expr.nvars == 0) {
		if (constant_warnings(r, st, at, len))
			return 1;
		print_value(r, nb_node_value(&st->expr.tape,
					     st->expr.output));
		return 0;
	}
	if (input_names(&st->expr, &refs, &lens))
		status = nb_repl_error(r, at, len, "out of memory");
	else
		status = nb_repl_eval(r, refs, lens, st->expr.nvars, st->text,
				      st->textlen, &st->expr, at, len, &full);
	nb_free(refs);
	nb_free(lens);
	if (status)
		return status;
	print_value(r, nb_node_value(&full.tape, full.output));
	nb_program_free(&full);
	return 0;
}

/* Runs the input's statements in order until one fails: each is parsed
 * alone, so a failed one changes nothing and skips the rest.  In a
 * session an assignment that no ';' ends shows its value. */
static int statements(struct nb_repl *r)
{
	char *buf = nb_malloc(r->src.len + 1);
	struct nb_stmt st;
	struct nb_diag d;
	size_t pos = 0;
	int status = 0;

	if (!buf)
		return nb_repl_error(r, 0, r->src.len, "out of memory");
	while (status == 0 && nb_stmt_next(r->src.text, r->src.len, &pos, buf,
					   &st)) {
		/* each statement's randn draws from a stream of its own */
		if (nb_stmt_parse(&r->src, &st,
				  nb_rng_stream(r->seed, ++r->streams), &d)) {
			status = report(r, &d);
			break;
		}
		if (st.kind == NB_STMT_EXPR)
			status = show_value(r, &st);
		else if ((status = assign(r, &st)) == 0 && r->echo &&
			 r->load_depth == 0 && !st.semi)
			echo(r, st.name);
		nb_program_free(&st.expr);
	}
	nb_free(buf);
	return status;
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
		if (!nb_is_command(input.s, input.len) &&
		    nb_input_incomplete(input.s, input.len))
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
			     .max_elements = o->max_elements, .seed = o->seed,
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
