/* commands.c - the REPL's command table and what each command does. */
#include "front/commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/emit.h"
#include "codegen/symbolic.h"
#include "codegen/tcode.h"
#include "core/alloc.h"
#include "core/escape.h"
#include "core/ops.h"
#include "core/program.h"
#include "front/tdirection.h"
#include "front/termwidth.h"
#include "front/verify_main.h"
#include "modes/direction.h"
#include "modes/explain.h"
#include "modes/check_report.h"
#include "modes/modes.h"
#include "modes/verify.h"
#include "num/numfmt.h"
#include "output/atomicfile.h"
#include "output/ndfmt.h"
#include "output/writer.h"

/* :NAME for each mode of modes.def: mode_command. */
#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) \
	static int cmd_mode_##id(struct nb_repl *r, const struct nb_args *a);
#include "modes/modes.def"
#undef NB_MODE
static int cmd_graph(struct nb_repl *r, const struct nb_args *a);
static int cmd_vars(struct nb_repl *r, const struct nb_args *a);
static int cmd_defs(struct nb_repl *r, const struct nb_args *a);
static int cmd_del(struct nb_repl *r, const struct nb_args *a);
static int cmd_format(struct nb_repl *r, const struct nb_args *a);
static int cmd_precision(struct nb_repl *r, const struct nb_args *a);
static int cmd_load(struct nb_repl *r, const struct nb_args *a);
static int cmd_save(struct nb_repl *r, const struct nb_args *a);
static int cmd_help(struct nb_repl *r, const struct nb_args *a);
static int cmd_quit(struct nb_repl *r, const struct nb_args *a);

const struct nb_command nb_commands[] = {
#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) \
	{ name, usage, min, max, cmd_mode_##id, cmdhelp },
#include "modes/modes.def"
#undef NB_MODE
	{ "graph", ":graph NAME [> FILE]", 1, 3, cmd_graph,
	  "NAME's computational graph as Graphviz DOT" },
	{ "vars", ":vars", 0, 0, cmd_vars, "list the bound inputs" },
	{ "defs", ":defs", 0, 0, cmd_defs, "list the definitions" },
	{ "del", ":del NAME", 1, 1, cmd_del,
	  "forget the binding or definition of NAME" },
	{ "format", ":format FMT", 1, 1, cmd_format,
	  "the output's format:" },
	{ "precision", ":precision N", 1, 1, cmd_precision,
	  "significant digits of values and tables, 1 to 17" },
	{ "load", ":load FILE", 1, 1, cmd_load,
	  "run the statements and commands of FILE" },
	{ "save", ":save FILE", 1, 1, cmd_save,
	  "write the session as a program (:load, nabla -f)" },
	{ "help", ":help [COMMAND|FUNCTION]", 0, 1, cmd_help,
	  "this help, or help on one command or function" },
	{ "quit", ":quit", 0, 0, cmd_quit, "end the session (also Ctrl-D)" },
};

const size_t nb_ncommands = sizeof nb_commands / sizeof nb_commands[0];

const char *nb_command_name(size_t i)
{
	return i < nb_ncommands ? nb_commands[i].name : NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits [start, start+len) of text into words; a word in double
 * quotes may hold blanks (a file name) and is taken without them.
 * Returns 0, -1 if there are too many words, or -2 if a quote is not
 * closed (*a then ends with the word it opens). */
static int split(const char *text, size_t start, size_t len,
		 struct nb_args *a)
{
	size_t i = start, end = start + len;

	a->n = 0;
	while (i < end) {
		int quoted;
		while (i < end && is_space(text[i]))
			i++;
		if (i == end)
			break;
		if (a->n == NB_MAX_ARGS)
			return -1;
		quoted = text[i] == '"';
		i += (size_t)quoted;
		a->word[a->n] = text + i;
		a->pos[a->n] = i;
		while (i < end && (quoted ? text[i] != '"' : !is_space(text[i])))
			i++;
		a->len[a->n] = i - a->pos[a->n];
		a->n++;
		if (quoted && i == end)
			return -2;
		i += (size_t)quoted;
	}
	return 0;
}

static int word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(w, s, len) == 0;
}

int nb_is_command(const char *line, size_t len)
{
	struct nb_args a;

	if (split(line, 0, len, &a)) {
		/* Too many words for a command is still a command, so that
		 * it gets "more than N words", not "unexpected ':'". */
		size_t i = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		return i < len && line[i] == ':';
	}
	if (a.n == 0)
		return 0;
	if (a.word[0][0] == ':')
		return 1;
	if (a.n == 1 && (word_is(a.word[0], a.len[0], "quit") ||
			 word_is(a.word[0], a.len[0], "exit")))
		return 1;
	return a.n <= 2 && word_is(a.word[0], a.len[0], "help") &&
	       (a.n == 1 || a.word[1][0] != '=');
}

static const struct nb_command *find(const char *name, size_t len)
{
	if (word_is(name, len, "exit"))
		name = "quit", len = 4;
	for (size_t i = 0; i < nb_ncommands; i++)
		if (word_is(name, len, nb_commands[i].name))
			return &nb_commands[i];
	return NULL;
}

/* The usage line, after an error about the arguments. */
static int usage(const struct nb_command *c)
{
	fprintf(stderr, "usage: %s\n", c->usage);
	return 1;
}

int nb_command_run(struct nb_repl *r, size_t start, size_t len)
{
	const struct nb_command *c;
	struct nb_args a;
	struct nb_quote q;
	const char *name;
	size_t nlen;
	int n;

	n = split(r->src.text, start, len, &a);
	if (n == -2)
		return nb_repl_error(r, a.pos[a.n - 1] - 1, 1, "unterminated "
				     "quote (a quoted word ends with '\"')");
	if (n)
		return nb_repl_error(r, start, len, "more than %d words",
				     NB_MAX_ARGS);
	name = a.word[0] + (a.word[0][0] == ':');
	nlen = a.len[0] - (a.word[0][0] == ':');
	if (!(c = find(name, nlen)))
		return nb_repl_error(r, a.pos[0], a.len[0],
				     "unknown command '%s' (:help lists "
				     "them)", nb_quote(&q, a.word[0], a.len[0]));
	n = (int)a.n - 1;
	if (n < c->min) {
		nb_repl_error(r, a.pos[0], a.len[0], ":%s: missing argument",
			      c->name);
		return usage(c);
	}
	if (c->max >= 0 && n > c->max) {
		nb_repl_error(r, a.pos[c->max + 1], a.len[c->max + 1],
			      ":%s: unexpected argument '%s'", c->name,
			      nb_quote(&q, a.word[c->max + 1],
				       a.len[c->max + 1]));
		return usage(c);
	}
	/* The handlers see the arguments only. */
	memmove(a.word, a.word + 1, (a.n - 1) * sizeof a.word[0]);
	memmove(a.len, a.len + 1, (a.n - 1) * sizeof a.len[0]);
	memmove(a.pos, a.pos + 1, (a.n - 1) * sizeof a.pos[0]);
	a.n--;
	return c->run(r, &a);
}

/* Argument i must name an entry of the session. */
static int known_name(struct nb_repl *r, const struct nb_args *a, size_t i)
{
	struct nb_quote q;

	if (nb_session_find(&r->session, a->word[i], a->len[i]) >= 0)
		return 0;
	return nb_repl_error(r, a->pos[i], a->len[i], "'%s' is not "
			     "defined (:vars and :defs list the names)",
			     nb_quote(&q, a->word[i], a->len[i]));
}

/* Adds the input var to wrt unless it is there already. */
static int add_wrt(struct nb_repl *r, size_t **wrt, size_t *n, size_t *cap,
		   size_t var, size_t at, size_t len)
{
	struct nb_quote q;

	for (size_t k = 0; k < *n; k++)
		if ((*wrt)[k] == var)
			return nb_repl_error(r, at, len, "'%s' is listed twice",
					     nb_quote(&q, r->src.text + at, len));
	if (nb_grow((void **)wrt, cap, *n + 1, sizeof **wrt))
		return nb_repl_error(r, at, len, "out of memory");
	(*wrt)[(*n)++] = var;
	return 0;
}

/* The inputs named by the arguments from 1 on (each a name or a comma
 * list), or all inputs when there are none. */
static int resolve_wrt(struct nb_repl *r, const struct nb_args *a,
		       const struct nb_program *p, size_t **wrt, size_t *n)
{
	struct nb_quote q, q0;
	size_t cap = 0;

	*n = 0;
	if (nb_grow((void **)wrt, &cap, p->nvars + 1, sizeof **wrt))
		return nb_repl_error(r, a->pos[0], a->len[0], "out of memory");
	if (a->n == 1) {
		for (; *n < p->nvars; (*n)++)
			(*wrt)[*n] = *n;
		return 0;
	}
	for (size_t i = 1; i < a->n; i++) {
		for (size_t off = 0; off < a->len[i];) {
			const char *w = a->word[i] + off;
			size_t len = strcspn(w, ",");
			if (len > a->len[i] - off)
				len = a->len[i] - off;
			long var = nb_program_var(p, w, len);
			if (len && var < 0)
				return nb_repl_error(r, a->pos[i] + off, len,
						     "'%s' is not an input of "
						     "'%s'", nb_quote(&q, w, len),
						     nb_quote(&q0, a->word[0],
							      a->len[0]));
			if (len && add_wrt(r, wrt, n, &cap, (size_t)var,
					   a->pos[i] + off, len))
				return 1;
			off += len + 1;
		}
	}
	return 0;
}

/* Writes p as spec says into the file at path. */
static int write_to(struct nb_repl *r, const struct nb_args *a,
		    const char *path, const struct nb_program *p,
		    const struct nb_outspec *spec)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return nb_repl_error(r, a->pos[0], a->len[0], "cannot write "
				     "'%s': %s", path, strerror(errno));
	nb_write(f, p, spec);
	err = ferror(f) ? errno : 0;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (err)
		return nb_repl_error(r, a->pos[0], a->len[0], "cannot write "
				     "'%s': %s", path, strerror(err));
	return 0;
}

/* NAME's program in format fmt, on stdout or into the file at path. */
static int show(struct nb_repl *r, const struct nb_args *a,
		enum nb_format fmt, const char *path)
{
	struct nb_program p;
	struct nb_outspec spec;
	size_t *wrt = NULL, nwrt = 0;
	const char *root = a->word[0];
	size_t rootlen = a->len[0];
	int status = 0;

	if (known_name(r, a, 0) ||
	    nb_repl_eval(r, &root, &rootlen, 1, NULL, 0, NULL, a->pos[0],
			 a->len[0],
			 &p))
		return 1;
	if (resolve_wrt(r, a, &p, &wrt, &nwrt)) {
		nb_free(wrt);
		nb_program_free(&p);
		return 1;
	}
	spec = (struct nb_outspec){ fmt, r->precision,
				    fmt == NB_FMT_TABLE && r->color_out && !path,
				    wrt, nwrt, 0, 0, r->max_elements };
	if (path)
		status = write_to(r, a, path, &p, &spec);
	else
		nb_write(stdout, &p, &spec);
	nb_free(wrt);
	nb_program_free(&p);
	return status;
}

/* Refuses mode when it does not write :format's format, naming the
 * formats it does write; returns 1 then, else 0. */
static int wrong_format(struct nb_repl *r, const struct nb_args *a,
			enum nb_mode mode)
{
	char list[NB_FORMAT_LIST];

	if (nb_mode_writes(mode, r->format, NB_REPL))
		return 0;
	nb_format_list(list, nb_mode_formats(mode, NB_REPL));
	return nb_repl_error(r, a->pos[0], a->len[0], ":%s writes %s, not %s "
			     "(see :format)", nb_modes[mode].name, list,
			     nb_format_name(r->format));
}

/* The NAME=VALUE lists of arguments 1.. into a new *dir, for p's
 * shaped tape (front/tdirection.h). */
static int read_tdir(struct nb_repl *r, const struct nb_args *a,
		     const struct nb_program *p, enum nb_mode mode,
		     double **dir)
{
	struct nb_argvalue av = { .seed = r->seed };
	unsigned char *given;
	struct nb_diag d;
	char opt[32];
	int bad = 0;

	snprintf(opt, sizeof opt, ":%s", nb_modes[mode].name);
	if (nb_tdirection_new(p, dir, &given))
		return nb_repl_error(r, a->pos[0], a->len[0], "out of memory");
	for (size_t i = 1; i < a->n && !bad; i++)
		if (nb_tdirection_read(p, &av, opt, a->word[i],
				       a->len[i], *dir, given, &d))
			bad = nb_repl_error(r, a->pos[i], a->len[i], "%s",
					    d.msg);
	nb_argvalue_free(&av);
	nb_free(given);
	return bad;
}

/* The NAME=NUMBER lists of arguments 1.. into a new *dir. */
static int read_dir(struct nb_repl *r, const struct nb_args *a,
		    const struct nb_program *p, double **dir)
{
	unsigned char *given;
	struct nb_direrr e;
	int bad = 0;

	if (nb_direction_new(p, dir, &given))
		return nb_repl_error(r, a->pos[0], a->len[0], "out of memory");
	for (size_t i = 1; i < a->n && !bad; i++)
		if (nb_direction_read(p, a->word[i], a->len[i], *dir, given, &e))
			bad = nb_repl_error(r, a->pos[i] + e.at, e.len, "%s",
					    e.msg);
	nb_free(given);
	return bad;
}

static char *word_copy(struct nb_repl *r, const struct nb_args *a,
		       size_t i, size_t skip);

/* :graph NAME, or the DOT into a file: :graph NAME > FILE, NAME >FILE
 * or NAME FILE. */
static int cmd_graph(struct nb_repl *r, const struct nb_args *a)
{
	struct nb_args name = *a;
	size_t file = a->n - 1, skip = 0;
	char *path;
	int status;

	name.n = 1;
	if (a->n == 1)
		return show(r, a, NB_FMT_DOT, NULL);
	if (a->n == 3 && !(a->len[1] == 1 && a->word[1][0] == '>'))
		return nb_repl_error(r, a->pos[1], a->len[1], "usage: :graph "
				     "NAME [> FILE]");
	if (a->n == 2 && a->word[1][0] == '>')
		skip = 1;
	if (a->len[file] == skip)
		return nb_repl_error(r, a->pos[file], a->len[file], "usage: "
				     ":graph NAME [> FILE]");
	if (!(path = word_copy(r, a, file, skip)))
		return 1;
	status = show(r, &name, NB_FMT_DOT, path);
	nb_free(path);
	return status;
}

/* What a mode cannot do with p's tensors (saying why): :check,
 * :explain and second order need a gradient, so a scalar output (a
 * session has no upstream gradient), and :check at most
 * NB_CHECK_MAX_ELEMENTS elements; :forward its limits (modes.h). */
static int tensor_limits(struct nb_repl *r, const struct nb_args *a,
			 const struct nb_program *p, enum nb_mode mode,
			 const size_t *wrt, size_t nwrt)
{
	char shape[NB_SHAPE_BUF];
	size_t total = nb_check_total(p, wrt, nwrt);
	struct nb_diag d;

	if ((mode == NB_MODE_CHECK || mode == NB_MODE_EXPLAIN ||
	     mode == NB_MODE_HESSIAN || mode == NB_MODE_HVP) &&
	    !nb_program_has_grad(p))
		return nb_repl_error(r, a->pos[0], a->len[0], ":%s needs a "
				     "gradient, and '%.*s' is %s, not a scalar: "
				     "reduce it with sum(...)",
				     nb_modes[mode].name, (int)a->len[0],
				     a->word[0], nb_shape_format(shape,
				     &p->tape.tv->shape[p->output]));
	if (mode == NB_MODE_CHECK && total > NB_CHECK_MAX_ELEMENTS)
		return nb_repl_error(r, a->pos[0], a->len[0], ":check checks "
				     "at most %d elements, and the inputs have "
				     "%zu: name fewer inputs (WRT), or use "
				     "nabla --check --check-samples N",
				     NB_CHECK_MAX_ELEMENTS, total);
	if (nb_mode_tensor_limits(p, mode, wrt, nwrt, &d) == 0)
		return 0;
	return nb_repl_error(r, a->pos[0], a->len[0], "%s", d.msg);
}

/* NAME's program through mode (modes.def), written in format fmt: the
 * words after NAME are inputs (WRT), or for a mode that takes a
 * direction NAME=NUMBER lists (and then it reports on every input). */
static int run_mode(struct nb_repl *r, const struct nb_args *a,
		    enum nb_mode mode, enum nb_format fmt)
{
	struct nb_program p;
	struct nb_outspec spec;
	struct nb_args all = *a;
	size_t *wrt = NULL, nwrt = 0;
	double *dir = NULL;
	const char *root = a->word[0];
	size_t rootlen = a->len[0];
	struct nb_quote q;
	int status, vec = nb_modes[mode].arg == NB_ARG_DIRECTION;

	if (known_name(r, a, 0) ||
	    nb_repl_eval(r, &root, &rootlen, 1, NULL, 0, NULL, a->pos[0],
			 a->len[0], &p))
		return 1;
	all.n = 1;
	status = resolve_wrt(r, vec ? &all : a, &p, &wrt, &nwrt) ||
		 tensor_limits(r, a, &p, mode, wrt, nwrt) ||
		 (vec && (p.tape.tv ? read_tdir(r, a, &p, mode, &dir)
				    : read_dir(r, a, &p, &dir)));
	if (!status) {
		struct nb_mode_call call = { mode, stdout, &p, &spec, dir,
					     NB_CHECK_TOL, 0, NULL, 0,
					     r->seed };

		spec = (struct nb_outspec){ fmt, r->precision,
					    nb_format_human(fmt) &&
					    r->color_out, wrt, nwrt,
					    nb_term_columns(1), 0,
					    r->max_elements };
		status = nb_mode_run(&call);
		if (status < 0)
			status = nb_repl_error(r, a->pos[0], a->len[0],
					       "out of memory");
		else if (status == NB_RUN_FAILED)
			status = nb_repl_error(r, a->pos[0], a->len[0],
					       "a partial of '%s' failed the "
					       "check", nb_quote(&q, a->word[0],
								 a->len[0]));
		else if (status == NB_RUN_WARNED && r->strict)
			status = nb_repl_error(r, a->pos[0], a->len[0],
					       "domain warnings are errors "
					       "with --strict");
		else
			status = 0;
	}
	nb_free(dir);
	nb_free(wrt);
	nb_program_free(&p);
	return status;
}

static int codegen_command(struct nb_repl *r, const struct nb_args *a,
			   enum nb_mode mode);
static int file_command(struct nb_repl *r, const struct nb_args *a);

/* :NAME of a mode: its report in :format, or the program it prints. */
static int mode_command(struct nb_repl *r, const struct nb_args *a,
			enum nb_mode mode)
{
	if (wrong_format(r, a, mode))
		return 1;
	if (!nb_modes[mode].ops)
		return codegen_command(r, a, mode);
	if (nb_modes[mode].arg == NB_ARG_FILE)
		return file_command(r, a);
	return run_mode(r, a, mode, r->format);
}

#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) \
	static int cmd_mode_##id(struct nb_repl *r, const struct nb_args *a) \
	{ \
		return mode_command(r, a, NB_MODE_##id); \
	}
#include "modes/modes.def"
#undef NB_MODE

/* "W (2x3) = [[...]]": a tensor binding with its shape, every number
 * exact, elided past --max-elements. */
static void list_tensor(const struct nb_repl *r, const struct nb_entry *e)
{
	struct nb_outspec spec = { .max_elements = r->max_elements };
	struct nb_view v = { e->tval.data, e->tval.shape };
	char shape[NB_SHAPE_BUF];
	char post[NB_SHAPE_BUF + 4];

	snprintf(post, sizeof post, " (%s)", nb_shape_format(shape, &v.shape));
	nb_nd_show(stdout, "", e->name, strlen(e->name), post, v, 0,
		   nb_outspec_max(&spec));
}

/* Prints the entries that are (definitions) or are not bindings. */
static int list(struct nb_repl *r, int definitions)
{
	char num[NB_NUMBUF];

	for (size_t i = 0; i < r->session.n; i++) {
		const struct nb_entry *e = &r->session.e[i];
		if ((e->expr != NULL) != definitions)
			continue;
		if (e->expr) {
			printf("%s = %s\n", e->name, e->expr);
		} else if (e->tval.data) {
			list_tensor(r, e);
		} else {
			nb_fmt_exact(num, e->value);
			printf("%s = %s\n", e->name, num);
		}
	}
	return 0;
}

static int cmd_vars(struct nb_repl *r, const struct nb_args *a)
{
	(void)a;
	return list(r, 0);
}

static int cmd_defs(struct nb_repl *r, const struct nb_args *a)
{
	(void)a;
	return list(r, 1);
}

static int cmd_del(struct nb_repl *r, const struct nb_args *a)
{
	if (known_name(r, a, 0))
		return 1;
	nb_session_delete(&r->session, a->word[0], a->len[0]);
	return 0;
}

/* A NUL-terminated copy of argument i in buf, or NULL if too long. */
static const char *arg(const struct nb_args *a, size_t i, char *buf,
		       size_t size)
{
	if (a->len[i] >= size)
		return NULL;
	memcpy(buf, a->word[i], a->len[i]);
	buf[a->len[i]] = '\0';
	return buf;
}

static int cmd_format(struct nb_repl *r, const struct nb_args *a)
{
	struct nb_quote q;
	char buf[16];
	const char *s = arg(a, 0, buf, sizeof buf);
	int fmt = s ? nb_format_parse(s) : -1;
	char list[NB_FORMAT_LIST];

	/* Batch mode's own formats (jsonl) stream rows: not for one table. */
	if (fmt < 0 || !nb_format_takes((enum nb_format)fmt, NB_REPL)) {
		nb_format_list(list, nb_format_mask(NB_REPL));
		nb_repl_error(r, a->pos[0], a->len[0], "unknown format '%s': "
			      ":format takes %s",
			      nb_quote(&q, a->word[0], a->len[0]), list);
		return usage(find("format", 6));
	}
	r->format = (enum nb_format)fmt;
	return 0;
}

static int cmd_precision(struct nb_repl *r, const struct nb_args *a)
{
	struct nb_quote q;
	char buf[8], *end;
	const char *s = arg(a, 0, buf, sizeof buf);
	long v = s ? strtol(s, &end, 10) : 0;

	if (!s || *end != '\0' || v < 1 || v > 17) {
		nb_repl_error(r, a->pos[0], a->len[0], "'%s' is not a number "
			      "from 1 to 17", nb_quote(&q, a->word[0], a->len[0]));
		return usage(find("precision", 9));
	}
	r->precision = (int)v;
	return 0;
}

/* A NUL-terminated copy of a file-name argument (free it), or NULL. */
/* Word i of a without its first skip bytes, as a string to free. */
static char *word_copy(struct nb_repl *r, const struct nb_args *a,
		       size_t i, size_t skip)
{
	char *path = nb_malloc(a->len[i] - skip + 1);

	if (!path) {
		nb_repl_error(r, a->pos[i], a->len[i], "out of memory");
		return NULL;
	}
	memcpy(path, a->word[i] + skip, a->len[i] - skip);
	path[a->len[i] - skip] = '\0';
	return path;
}

static char *path_arg(struct nb_repl *r, const struct nb_args *a)
{
	return word_copy(r, a, 0, 0);
}

static int cmd_load(struct nb_repl *r, const struct nb_args *a)
{
	char *path = path_arg(r, a);
	int status;

	if (!path)
		return 1;
	status = r->load(r, path, a->pos[0], a->len[0]);
	nb_free(path);
	return status;
}

/* :verify FILE, a mode that reads its program from FILE, in :format
 * (which mode_command has checked). */
static int file_command(struct nb_repl *r, const struct nb_args *a)
{
	struct nb_verify_opts o = { r->format, r->precision,
				    nb_format_human(r->format) && r->color_out,
				    r->color_err, NB_VERIFY_TOL };
	char *path = path_arg(r, a);
	int status;

	if (!path)
		return 1;
	status = nb_verify_main(stdout, &o, path, NULL, 0);
	nb_free(path);
	return status != 0;
}

static int cmd_save(struct nb_repl *r, const struct nb_args *a)
{
	struct nb_text t = { 0 };
	char *path = path_arg(r, a);
	struct nb_quote q;
	int err = 0;

	if (!path)
		return 1;
	if (nb_text_add(&t, "# nabla session (:save): bindings, then "
			"definitions\n", 52) ||
	    nb_session_save(&r->session, &t))
		err = ENOMEM;
	else
		err = nb_write_atomic(path, t.s, t.len);
	nb_free(t.s);
	if (err) {
		nb_repl_error(r, a->pos[0], a->len[0], "cannot write '%s': %s",
			      nb_quote_path(&q, path), strerror(err ? err : EIO));
		nb_free(path);
		return 1;
	}
	nb_free(path);
	return 0;
}

/* c's line of help; :format's ends with the formats.def names. */
static void command_help(const struct nb_command *c)
{
	char list[NB_FORMAT_LIST];

	fputs(c->help, stdout);
	if (c->run == cmd_format) {
		nb_format_list(list, nb_format_mask(NB_REPL));
		printf(" %s", list);
	}
	putchar('\n');
}

static void help_all(void)
{
	printf("Statements (several per line, separated by ';'):\n"
	       "  NAME = EXPR       bind an input (EXPR constant) or define "
	       "a named node\n"
	       "  EXPR              print the value\n"
	       "An assignment shows its value; a ';' after it keeps it "
	       "quiet.\n"
	       "Commands:\n");
	for (size_t i = 0; i < nb_ncommands; i++) {
		printf("  %-26s ", nb_commands[i].usage);
		command_help(&nb_commands[i]);
	}
	printf("help, quit and exit work without ':' too.  Functions:");
	nb_op_print_functions(stdout);
	printf("\nConstants: pi e inf nan.  ':help FUNCTION' shows its "
	       "gradient.\n");
}

static int help_function(const char *w, size_t len)
{
	int op = nb_op_function(w, len);
	double v;

	if (op >= 0) {
		const struct nb_opinfo *o = &nb_ops[op];
		printf("%s(%s)  %s\n  local gradient: %s\n", o->fn,
		       o->arity == 1 ? "a" : o->arity == 2 ? "a, b"
							   : "a, b, ...",
		       o->summary, o->rule);
		return 1;
	}
	if (nb_constant(w, len, &v)) {
		char num[NB_NUMBUF];
		nb_fmt_exact(num, v);
		printf("%.*s  the constant %s\n", (int)len, w, num);
		return 1;
	}
	return 0;
}

static int cmd_help(struct nb_repl *r, const struct nb_args *a)
{
	const struct nb_command *c;
	struct nb_quote q;
	const char *w;
	size_t len;

	if (a->n == 0) {
		help_all();
		return 0;
	}
	w = a->word[0] + (a->word[0][0] == ':');
	len = a->len[0] - (a->word[0][0] == ':');
	if ((c = find(w, len)) != NULL) {
		printf("usage: %s\n  ", c->usage);
		command_help(c);
		return 0;
	}
	if (help_function(w, len))
		return 0;
	return nb_repl_error(r, a->pos[0], a->len[0], "no command or function "
			     "'%s' (:help lists them)",
			     nb_quote(&q, a->word[0], a->len[0]));
}

static int cmd_quit(struct nb_repl *r, const struct nb_args *a)
{
	(void)a;
	r->quit = 1;
	return 0;
}

/* What :symbolic and :emit cannot do with p's tensors (saying why,
 * returning -1): a tensor output has no gradient in a session. */
static int codegen_tensors(struct nb_repl *r, const struct nb_args *a,
			   size_t i, const struct nb_program *p)
{
	char shape[NB_SHAPE_BUF];

	if (!nb_program_has_grad(p)) {
		nb_repl_error(r, a->pos[i], a->len[i], "%.*s is %s, not a "
			      "scalar: reduce it with sum(...) for a gradient",
			      (int)a->len[i], a->word[i], nb_shape_format(shape,
			      &p->tape.tv->shape[p->output]));
		return -1;
	}
	return 0;
}

/* :symbolic and :emit: NAME's program (argument i) written by lang. */
static int codegen(struct nb_repl *r, const struct nb_args *a, size_t i,
		   enum nb_lang lang)
{
	struct nb_program p;
	struct nb_diag d;
	const char *root = a->word[i];
	size_t rootlen = a->len[i], *wrt;
	int status;

	if (known_name(r, a, i) ||
	    nb_repl_eval(r, &root, &rootlen, 1, NULL, 0, NULL, a->pos[i],
			 a->len[i], &p))
		return 1;
	wrt = nb_malloc((p.nvars + 1) * sizeof *wrt);
	if (!wrt) {
		nb_program_free(&p);
		return nb_repl_error(r, a->pos[i], a->len[i], "out of memory");
	}
	for (size_t w = 0; w < p.nvars; w++)
		wrt[w] = w;
	if (nb_program_shaped(&p) &&
	    (status = codegen_tensors(r, a, i, &p)) == 0)
		status = lang == NB_LANG_C || lang == NB_LANG_CBLAS
				 ? nb_tcode_write_c(stdout, &p, wrt, p.nvars,
						    lang == NB_LANG_CBLAS, &d)
				 : nb_tcode_write(stdout, &p, lang == NB_LANG_NABLA
						  ? NB_LANG_NABLA : NB_LANG_NUMPY,
						  wrt, p.nvars, &d);
	else if (!nb_program_shaped(&p))
		status = lang == NB_LANG_NABLA
			 ? nb_symbolic_write(stdout, &p, wrt, p.nvars, &d)
			 : nb_emit_write(stdout, &p, lang == NB_LANG_CBLAS
					 ? NB_LANG_C : lang, wrt, p.nvars, &d);
	if (status < 0) {
		nb_free(wrt);
		nb_program_free(&p);
		return 1;
	}
	nb_free(wrt);
	nb_program_free(&p);
	if (status) {
		nb_diag_print(stderr, NULL, &d, r->color_err);
		r->errors++;
	}
	return status != 0;
}

/* :symbolic NAME, or for a mode that takes a language :emit LANG NAME. */
static int codegen_command(struct nb_repl *r, const struct nb_args *a,
			   enum nb_mode mode)
{
	struct nb_quote q;
	const struct nb_modeinfo *m = &nb_modes[mode];
	char buf[8];
	const char *s;
	int lang;

	if (m->arg != NB_ARG_LANG)
		return codegen(r, a, 0, NB_LANG_NABLA);
	s = arg(a, 0, buf, sizeof buf);
	lang = s ? nb_emit_lang(s) : -1;
	if (lang < 0) {
		nb_repl_error(r, a->pos[0], a->len[0], "'%s' is not c, python "
			      "or cblas", nb_quote(&q, a->word[0], a->len[0]));
		return usage(find(m->name, strlen(m->name)));
	}
	return codegen(r, a, 1, (enum nb_lang)lang);
}
