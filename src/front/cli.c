/* cli.c - the one-shot command line: options, program, bindings, output.
 *
 * One option table produces the getopt_long arrays and the --help text,
 * so an option cannot exist without being documented. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "front/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/emit.h"
#include "codegen/symbolic.h"
#include "codegen/tcode.h"
#include "core/alloc.h"
#include "core/compile.h"
#include "core/diag.h"
#include "core/domain.h"
#include "core/escape.h"
#include "core/program.h"
#include "core/tvals.h"
#include "core/view.h"
#include "front/batch.h"
#include "front/bindings.h"
#include "front/completion.h"
#include "front/jacobian.h"
#include "front/readfile.h"
#include "front/repl.h"
#include "front/savegrad.h"
#include "front/tdirection.h"
#include "front/termwidth.h"
#include "front/verify_main.h"
#include "modes/direction.h"
#include "modes/explain.h"
#include "modes/check_report.h"
#include "modes/modes.h"
#include "modes/verify.h"
#include "output/outfile.h"
#include "output/writer.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Warnings shown before the rest are summarised in one line. */
#define MAX_WARNINGS 20

enum { OPT_WRT = 256, OPT_PRECISION, OPT_LIST, OPT_COLOR, OPT_STRICT,
       OPT_COMPLETION, OPT_MAX_ELEMENTS };
/* Tensors' options (SPEC section 9). */
enum { OPT_SEED = 300, OPT_UPSTREAM, OPT_JACOBIAN, OPT_SAVE_GRAD };
/* Batch mode's options (batch.h). */
enum { OPT_BATCH = 320, OPT_INPUT, OPT_NO_ECHO, OPT_NODES, OPT_EDGES,
       OPT_ON_ERROR, OPT_MAX_RECORD, OPT_SWEEP, OPT_SUM };
/* --check's --tol, --step and --check-samples; a mode's option
 * (modes.def) is OPT_MODE + its mode. */
enum { OPT_TOL = 397, OPT_STEP, OPT_CHECK_SAMPLES, OPT_MODE };

struct optdef {
	const char *name;
	int key;                /* short option letter, or an OPT_ value */
	int arg;                /* no_argument, required_ or optional_ */
	const char *argname;
	const char *help;       /* 53 bytes at most: --help fits 80 columns */
	const char *const *values;      /* what the shell completes the
					 * argument to (completion.h) */
};

/* The names of formats.def, of enum color_mode, of --completion's
 * shells: the words the shell completes the arguments to. */
static const char *const format_names[] = {
#define NB_FORMAT(id, name, fronts, human, graph, sink) name,
#include "output/formats.def"
#undef NB_FORMAT
	NULL
};
/* In the order of enum color_mode. */
static const char *const color_names[] = { "auto", "always", "never", NULL };
static const char *const shells[] = { "bash", NULL };

static const struct optdef optdefs[] = {
	{ "file", 'f', required_argument, "FILE",
	  "read the program from FILE ('-' is standard input)", nb_comp_files },
	{ "format", 'o', required_argument, "FMT",
	  "output format (table by default):", format_names },
	{ "quiet", 'q', no_argument, NULL,
	  "just the table's f = and df/dNAME = lines", NULL },
	{ "wrt", OPT_WRT, required_argument, "NAMES",
	  "report the gradient only for these inputs (a,b,...)", NULL },
	{ "precision", OPT_PRECISION, required_argument, "N",
	  "digits in tables and dot, 1 to 17 (default 6)", NULL },
	{ "max-elements", OPT_MAX_ELEMENTS, required_argument, "N",
	  "tensor elements per axis in tables and dot (6; 0 all)", NULL },
	{ "color", OPT_COLOR, optional_argument, "WHEN",
	  "colour the table: auto (default), always, never", color_names },
	{ "strict", OPT_STRICT, no_argument, NULL,
	  "treat nan and inf (domain warnings) as errors", NULL },
	{ "seed", OPT_SEED, required_argument, "N",
	  "seed of randn and rand (default 0)", NULL },
	{ "upstream", OPT_UPSTREAM, required_argument, "VALUE",
	  "the gradient arriving at the output (its shape)", NULL },
	{ "jacobian", OPT_JACOBIAN, no_argument, NULL,
	  "print the output's Jacobian for each input", NULL },
	{ "save-grad", OPT_SAVE_GRAD, required_argument, "DIR",
	  "also write value and gradients as DIR/*.npy files",
	  nb_comp_files },
	{ "interactive", 'i', no_argument, NULL,
	  "interactive session even when stdin is not a terminal", NULL },
	{ "batch", OPT_BATCH, no_argument, NULL,
	  "evaluate EXPR for every row of the input files (CSV)", NULL },
	{ "input", OPT_INPUT, required_argument, "FMT",
	  "input format csv, tsv, jsonl (default: by extension)",
	  nb_batch_inputs },
	{ "no-echo", OPT_NO_ECHO, no_argument, NULL,
	  "batch: do not copy the input columns to the output", NULL },
	{ "nodes", OPT_NODES, no_argument, NULL,
	  "batch: one line per (row, node)", NULL },
	{ "edges", OPT_EDGES, no_argument, NULL,
	  "batch: one line per (row, edge)", NULL },
	{ "on-error", OPT_ON_ERROR, required_argument, "WHAT",
	  "batch: on a bad row stop (default), skip, nan",
	  nb_batch_onerrors },
	{ "max-record", OPT_MAX_RECORD, required_argument, "BYTES",
	  "batch: longest record, K, M or G (default 1G)", NULL },
	{ "sweep", OPT_SWEEP, required_argument, "NAME=A:B:N",
	  "batch over N evenly spaced NAME from A to B, no input", NULL },
	{ "sum", OPT_SUM, no_argument, NULL,
	  "batch: a last record, the sums over the good rows", NULL },
	{ "jobs", 'j', required_argument, "N",
	  "batch: sweep rows on N threads (default 1, 0: all)", NULL },
};

/* After the modes' options (modes.def). */
static const struct optdef optdefs_after[] = {
	{ "tol", OPT_TOL, required_argument, "T",
	  "largest relative error (1e-6; --verify: 1e-9)", NULL },
	{ "step", OPT_STEP, required_argument, "H",
	  "--check: this step instead of the best of a ladder", NULL },
	{ "check-samples", OPT_CHECK_SAMPLES, required_argument, "N",
	  "--check: N elements picked by --seed, not all", NULL },
	{ "list-functions", OPT_LIST, no_argument, NULL,
	  "list the functions and their local gradients", NULL },
	{ "completion", OPT_COMPLETION, required_argument, "SHELL",
	  "print the completion script for SHELL (bash) and exit", shells },
	{ "help", 'h', no_argument, NULL, "show this help and exit", NULL },
	{ "version", 'V', no_argument, NULL, "show the version and exit", NULL },
};

#define NBEFORE (sizeof optdefs / sizeof optdefs[0])
/* Every option: optdefs, the modes' options (those of the modes.def
 * rows that have help), optdefs_after. */
#define NOPTS (NBEFORE + NB_NMODES + \
	       sizeof optdefs_after / sizeof optdefs_after[0])

/* Option i of NOPTS into *o; returns 0, or -1 for a mode without an
 * option (the default). */
static int option_at(size_t i, struct optdef *o)
{
	const struct nb_modeinfo *m;

	if (i < NBEFORE || i >= NBEFORE + NB_NMODES) {
		*o = i < NBEFORE ? optdefs[i]
				 : optdefs_after[i - NBEFORE - NB_NMODES];
		return 0;
	}
	m = &nb_modes[i - NBEFORE];
	*o = (struct optdef){ m->name, OPT_MODE + (int)(i - NBEFORE),
			      m->arg == NB_ARG_NONE ? no_argument
						    : required_argument,
			      m->argname, m->help,
			      m->arg == NB_ARG_LANG ? nb_emit_langs
			      : m->arg == NB_ARG_FILE ? nb_comp_files : NULL };
	return m->help ? 0 : -1;
}

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct cli {
	const char *file;       /* -f FILE, or NULL */
	const char *wrt;        /* --wrt list, or NULL */
	enum nb_format format;
	int precision;
	enum color_mode color;
	int strict;
	int quiet;              /* -q */
	int interactive;        /* -i */
	enum nb_mode mode;      /* a mode's option (modes.def) */
	const char *modearg;    /* the list of --jvp or --hvp, --verify's
				 * FILE */
	struct nb_batch_opts batch;     /* --batch and its options */
	int batch_only_given;   /* one of batch's options, even at its
				 * default (--input=csv) */
	int jobs_given;         /* -j, even -j 1 */
	double tol;             /* --tol */
	int tol_given;
	double step;            /* --step, or 0 */
	size_t samples;         /* --check-samples, or 0: every element */
	enum nb_lang lang;      /* --emit's */
	int precision_given;    /* --precision, even at its default */
	uint64_t seed;          /* --seed */
	const char *upstream;   /* --upstream's VALUE, or NULL */
	int jacobian;           /* --jacobian */
	const char *save_grad;  /* --save-grad's DIR, or NULL */
	size_t max_elements;    /* --max-elements as nb_outspec has it */
	long warnings;          /* domain warnings seen so far */
	int stderr_color;
	struct nb_source *src;  /* where warnings point */
};

/* -o's values, after its help: formats.def names them. */
static void print_formats(void)
{
	char list[NB_FORMAT_LIST];

	nb_format_list(list, nb_format_mask(NB_ONESHOT | NB_REPL | NB_BATCH));
	printf("\n%-27s%s", "", list);
}

static void print_help(void)
{
	printf("Usage: nabla [OPTIONS] EXPR [NAME=VALUE ...]\n"
	       "  or:  nabla [OPTIONS] -f FILE [NAME=VALUE ...]\n"
	       "  or:  nabla --batch [OPTIONS] EXPR|-f FILE [NAME=VALUE ...] "
	       "[FILE ...]\n"
	       "  or:  nabla [OPTIONS] [-i [-f FILE] [STATEMENT ...]]\n");
	/* The modes that read their program from FILE (modes.def). */
	for (int m = 0; m < NB_NMODES; m++)
		if (nb_modes[m].arg == NB_ARG_FILE)
			printf("  or:  nabla %s %s [NAME=VALUE ...]\n",
			       nb_modes[m].option, nb_modes[m].argname);
	printf("Differentiate a program by backpropagation: show every "
	       "node's value and\nupstream gradient, and each input's local "
	       "and downstream gradient.\nWithout EXPR: an interactive "
	       "session on a terminal, else a script\non standard input "
	       "(statements and :commands; ':help' lists them).\n\n"
	       "Options:\n");
	for (size_t i = 0; i < NOPTS; i++) {
		struct optdef od, *o = &od;
		char left[40];

		if (option_at(i, o))
			continue;
		int n = o->key < 256
				? snprintf(left, sizeof left, "-%c, --%s", o->key,
					   o->name)
				: snprintf(left, sizeof left, "    --%s", o->name);
		if (o->argname)
			snprintf(left + n, sizeof left - (size_t)n,
				 o->arg == optional_argument ? "[=%s]" : "=%s",
				 o->argname);
		printf("  %-24s %s", left, o->help);
		if (o->key == 'o')
			print_formats();
		putchar('\n');
	}
	printf("  %-24s %s\n", "--", "end of options (for EXPR starting with -)");
	printf("\nLanguage: numbers, names, + - * / ^ (or **), unary - +, "
	       "parentheses,\nfunction calls; statements NAME = EXPR "
	       "separated by ';' or newlines;\n'#' comments. Constants: "
	       "pi e inf nan.\nFunctions:");
	nb_op_print_functions(stdout);
	/* No line may start with "--": tests and completion read such a
	 * line as an option's row. */
	printf("\n\nVectors and matrices: [1, -2, 3] and [[1, 2], [3, 4]]; "
	       "W @ x is the matrix\nproduct, X.T the transpose; x[i], "
	       "X[i, j] and E[ids] index; everything else\nis elementwise, "
	       "with NumPy broadcasting; sum(X) reduces, sum(X, axis=0)\n"
	       "along an axis. A VALUE may be a constant expression "
	       "(W='randn(5, 10)') or\n@FILE (.npy, .csv, .tsv, .json). "
	       "The gradients of a vector or matrix output\nneed "
	       "--upstream=VALUE, the gradient arriving at it. Batch rows "
	       "bind them by\nx[i] and W[i,j] columns or JSON arrays; then "
	       "only the inputs the rows bind\nget gradient columns, unless "
	       "--wrt names others (--check, --jvp, --hvp and\nthe layouts "
	       "--nodes and --edges take them too).\n"
	       "\nExit status: 0 success, 1 evaluation, data or I/O error,\n"
	       "2 usage or syntax error.\n\nExamples:\n  nabla '(x + y) * z' "
	       "x=-2 y=5 z=-4\n  nabla 'max(0, x)' x='[1, -2, 3, -3]' "
	       "--upstream='[4, -1, 5, 9]'\n\n"
	       "Full documentation: man nabla\n");
}

/* How op is written: "a + b", "-a", "exp(a)", "max(a, b, ...)". */
static void op_usage(const struct nb_opinfo *o, char *buf, size_t size)
{
	if (o->kind == NB_INFIX)
		snprintf(buf, size, "a %s b", o->sym);
	else if (o->kind == NB_PREFIX)
		snprintf(buf, size, "%sa", o->sym);
	else if (o->kind == NB_SYNTAX)
		snprintf(buf, size, "%s", o->sym);
	else
		snprintf(buf, size, "%s(%s%s)", o->fn,
			 o->arity == 1 ? "a" : o->arity == 2 ? "a, b"
			 : o->arity == NB_ONE_OR_TWO ? "m[, n]" : "a, b, ...",
			 o->axis ? "[, axis=A]" : "");
}

static void list_functions(void)
{
	char call[32];
	int wcall = 8, wsum = 11;

	for (int i = 0; i < NB_OP_COUNT; i++) {
		if (nb_ops[i].kind == NB_LEAF)
			continue;
		op_usage(&nb_ops[i], call, sizeof call);
		if ((int)strlen(call) > wcall)
			wcall = (int)strlen(call);
		if ((int)strlen(nb_ops[i].summary) > wsum)
			wsum = (int)strlen(nb_ops[i].summary);
	}
	printf("%-*s  %-*s  %s\n", wcall, "function", wsum, "description",
	       "local gradient");
	for (int i = 0; i < NB_OP_COUNT; i++) {
		if (nb_ops[i].kind == NB_LEAF)
			continue;
		op_usage(&nb_ops[i], call, sizeof call);
		printf("%-*s  %-*s  %s\n", wcall, call, wsum, nb_ops[i].summary,
		       nb_ops[i].rule);
	}
}

static int parse_precision(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < 1 || v > 17)
		return -1;
	*out = (int)v;
	return 0;
}

/* --max-elements N: 0 (every element) is SIZE_MAX in nb_outspec, whose
 * 0 is the default. */
static int parse_max_elements(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *s < '0' || *s > '9' || *end != '\0' || v >= SIZE_MAX)
		return -1;
	*out = v ? (size_t)v : SIZE_MAX;
	return 0;
}

/* --check-samples N: a count >= 1. */
static int parse_samples(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *s < '0' || *s > '9' || *end != '\0' || v < 1 ||
	    v >= SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_color(const char *s, enum color_mode *out)
{
	if (!s) {
		*out = COLOR_ALWAYS;
		return 0;
	}
	for (int i = 0; color_names[i]; i++)
		if (strcmp(s, color_names[i]) == 0) {
			*out = (enum color_mode)i;
			return 0;
		}
	return -1;
}

/* Whether colour goes to the terminal on fd (man page: --color). */
static int use_color(enum color_mode mode, int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	if ((no && *no) || (term && strcmp(term, "dumb") == 0))
		return 0;
	return isatty(fd);
}

/* --completion SHELL: the script that completes the option table. */
static int print_completion(const char *shell)
{
	struct nb_compopt opt[NOPTS];
	struct nb_quote q;
	size_t n = 0;

	if (strcmp(shell, shells[0]) != 0)
		return nb_usage_error("--completion: '%s' is not bash",
				      nb_quote_str(&q, shell));
	for (size_t i = 0; i < NOPTS; i++) {
		struct optdef o;

		if (option_at(i, &o))
			continue;
		opt[n++] = (struct nb_compopt){ o.name, o.key < 256 ? o.key : 0,
						o.arg, o.values };
	}
	nb_completion_bash(stdout, opt, n);
	return NB_OK;
}

/* Builds the getopt_long arrays from the option table. */
static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t k = 0, n = 0;

	/* A leading ':' makes getopt tell a missing argument from an
	 * unknown option. */
	shortopts[k++] = ':';
	for (size_t i = 0; i < NOPTS; i++) {
		struct optdef o;

		if (option_at(i, &o))
			continue;
		longopts[n++] = (struct option){ o.name, o.arg, NULL, o.key };
		if (o.key < 256) {
			shortopts[k++] = (char)o.key;
			if (o.arg == required_argument)
				shortopts[k++] = ':';
		}
	}
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[k] = '\0';
}

static const char *failed_option(char **argv, int optopt)
{
	static char buf[4];

	if (optopt) {
		snprintf(buf, sizeof buf, "-%c", optopt);
		return buf;
	}
	return argv[optind - 1];
}

/* One of batch mode's options into b; returns 0 or an exit status. */
static int batch_option(int c, const char *arg, struct nb_batch_opts *b)
{
	struct nb_quote q;
	int v;

	switch (c) {
	case OPT_BATCH: b->on = 1; break;
	case OPT_SWEEP:
		if (nb_range_parse(arg, &b->sweep))
			return nb_usage_error("--sweep: '%s' is not NAME=A:B:N "
					   "(A, B numbers, N from 1 to %d)",
					   nb_quote_str(&q, arg), NB_RANGE_MAX);
		b->on = 1;
		break;
	case OPT_NO_ECHO: b->no_echo = 1; break;
	case OPT_SUM: b->sum = 1; break;
	case OPT_NODES:
	case OPT_EDGES:
		if (b->layout == (c == OPT_NODES ? NB_EDGES : NB_NODES))
			return nb_usage_error("--nodes and --edges exclude each "
					   "other");
		b->layout = c == OPT_NODES ? NB_NODES : NB_EDGES;
		break;
	case OPT_INPUT:
		if ((v = nb_batch_input_parse(arg)) < 0)
			return nb_usage_error("--input: '%s' is not csv, tsv or "
					   "jsonl", nb_quote_str(&q, arg));
		b->input = (enum nb_rowfmt)v;
		b->input_given = 1;
		break;
	case 'j':
		if (nb_batch_jobs_parse(arg, &b->jobs))
			return nb_usage_error("-j: '%s' is not a number of "
					   "threads from 0 to %d",
					   nb_quote_str(&q, arg), NB_JOBS_MAX);
		break;
	case OPT_MAX_RECORD:
		if (nb_batch_maxrec_parse(arg, &b->max_record))
			return nb_usage_error("--max-record: '%s' is not a "
					   "number of bytes (K, M or G)",
					   nb_quote_str(&q, arg));
		break;
	default:
		if ((v = nb_batch_onerror_parse(arg)) < 0)
			return nb_usage_error("--on-error: '%s' is not stop, skip "
					   "or nan", nb_quote_str(&q, arg));
		b->on_error = (enum nb_onerror)v;
		break;
	}
	return 0;
}

/* -o with a name formats.def does not know: the message lists those it
 * does. */
static int unknown_format(const char *name)
{
	char list[NB_FORMAT_LIST];
	struct nb_quote q;

	nb_format_list(list, nb_format_mask(NB_ONESHOT | NB_REPL | NB_BATCH));
	return nb_usage_error("unknown format '%s': -o takes %s",
			      nb_quote_str(&q, name), list);
}

/* --seed N: a whole number that fits in 64 bits. */
static int parse_seed(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *s < '0' || *s > '9' || *end != '\0')
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* One of the tensors' options into cli; returns 0 or an exit status. */
static int tensor_option(int c, const char *arg, struct cli *cli)
{
	struct nb_quote q;

	switch (c) {
	case OPT_SEED:
		if (parse_seed(arg, &cli->seed))
			return nb_usage_error("--seed: '%s' is not a whole number "
					   "from 0 to 2^64-1",
					   nb_quote_str(&q, arg));
		break;
	case OPT_UPSTREAM: cli->upstream = arg; break;
	case OPT_JACOBIAN: cli->jacobian = 1; break;
	default: cli->save_grad = arg; break;
	}
	return 0;
}

/* One of the modes, with its option's argument; two exclude each
 * other. */
static int set_mode(struct cli *cli, enum nb_mode mode, const char *arg)
{
	int lang;
	struct nb_quote q;

	if (cli->mode != NB_MODE_GRAD && cli->mode != mode)
		return nb_usage_error("%s and %s exclude each other",
				      nb_mode_name(cli->mode), nb_mode_name(mode));
	if (nb_modes[mode].arg == NB_ARG_LANG) {
		if ((lang = nb_emit_lang(arg)) < 0)
			return nb_usage_error("%s: '%s' is not c, python or "
					      "cblas",
					      nb_mode_name(mode),
					      nb_quote_str(&q, arg));
		cli->lang = (enum nb_lang)lang;
		arg = NULL;
	}
	cli->mode = mode;
	cli->modearg = arg;
	return 0;
}

/* Parses options into cli; returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, struct cli *cli)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 3];
	struct nb_quote q;
	int c, fmt;

	build_getopt(longopts, shortopts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'f': cli->file = optarg; break;
		case 'o':
			if ((fmt = nb_format_parse(optarg)) < 0)
				return unknown_format(optarg);
			cli->format = (enum nb_format)fmt;
			cli->batch.format_given = 1;
			break;
		case OPT_WRT: cli->wrt = optarg; break;
		case OPT_PRECISION:
			if (parse_precision(optarg, &cli->precision))
				return nb_usage_error("--precision: '%s' is not a "
						   "number from 1 to 17",
						   nb_quote_str(&q, optarg));
			cli->precision_given = 1;
			break;
		case OPT_MAX_ELEMENTS:
			if (parse_max_elements(optarg, &cli->max_elements))
				return nb_usage_error("--max-elements: '%s' is "
						   "not a count", nb_quote_str(
						   &q, optarg));
			break;
		case OPT_COLOR:
			if (parse_color(optarg, &cli->color))
				return nb_usage_error("--color: '%s' is not auto, "
						   "always or never",
						   nb_quote_str(&q, optarg));
			break;
		case OPT_STRICT: cli->strict = 1; break;
		case OPT_SEED: case OPT_UPSTREAM: case OPT_JACOBIAN:
		case OPT_SAVE_GRAD:
			if (tensor_option(c, optarg, cli))
				return NB_EUSAGE;
			break;
		case 'q': cli->quiet = 1; break;
		case 'i': cli->interactive = 1; break;
		case OPT_BATCH: case OPT_INPUT: case OPT_NO_ECHO: case OPT_NODES:
		case OPT_EDGES: case OPT_ON_ERROR: case OPT_MAX_RECORD:
		case OPT_SWEEP: case OPT_SUM: case 'j':
			if (batch_option(c, optarg, &cli->batch))
				return NB_EUSAGE;
			cli->batch_only_given |= c != OPT_BATCH && c != OPT_SWEEP &&
						 c != 'j';
			cli->jobs_given |= c == 'j';
			break;
		case OPT_TOL:
			if (nb_check_tol_parse(optarg, &cli->tol))
				return nb_usage_error("--tol: '%s' is not a number "
						   ">= 0", nb_quote_str(&q, optarg));
			cli->tol_given = 1;
			break;
		case OPT_STEP:
			if (nb_check_step_parse(optarg, &cli->step))
				return nb_usage_error("--step: '%s' is not a number "
						   "> 0", nb_quote_str(&q, optarg));
			break;
		case OPT_CHECK_SAMPLES:
			if (parse_samples(optarg, &cli->samples))
				return nb_usage_error("--check-samples: '%s' is not "
						   "a count >= 1", nb_quote_str(
						   &q, optarg));
			break;
		case OPT_LIST: list_functions(); return NB_OK;
		case OPT_COMPLETION: return print_completion(optarg);
		case 'h': print_help(); return NB_OK;
		case 'V': printf("nabla %s\n", PACKAGE_VERSION); return NB_OK;
		case ':':
			/* optopt is 'o' for --format too: name what was typed. */
			return nb_usage_error("option '%s' requires an argument",
					   nb_quote_str(&q, strncmp(argv[optind - 1],
								    "--", 2) == 0
							? argv[optind - 1]
							: failed_option(argv,
									optopt)));
		default:
			if (c >= OPT_MODE && c < OPT_MODE + NB_NMODES) {
				if (set_mode(cli, (enum nb_mode)(c - OPT_MODE),
					     optarg))
					return NB_EUSAGE;
				break;
			}
			return nb_usage_error("unrecognized option '%s'",
					   nb_quote_str(&q, failed_option(argv,
									  optopt)));
		}
	}
	return -1;
}

static int load_file(const char *path, struct nb_program *p, int spans,
		     uint64_t seed, struct nb_diag *d)
{
	const char *name;
	size_t len;
	char *text = nb_read_file(path, &len, &name, d);

	if (!text)
		return d->status;
	return nb_program_compile_owned(p, name, text, len, spans, seed, d);
}

/* EXPR compiled as -f FILE is (a copy, for its constants' --seed). */
static int compile_expr(const char *expr, struct nb_program *p, int spans,
			uint64_t seed, struct nb_diag *d)
{
	size_t len = strlen(expr);
	char *text = nb_malloc(len + 1);

	if (!text)
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	memcpy(text, expr, len);
	return nb_program_compile_owned(p, "<expr>", text, len, spans, seed,
					d);
}

static void emit_warning(void *ctx, const struct nb_diag *d)
{
	struct cli *cli = ctx;

	if (cli->warnings++ < MAX_WARNINGS)
		nb_diag_print(stderr, cli->src, d, cli->stderr_color);
}

/* Resolves --wrt into indices of p->vars (all variables by default);
 * returns 0 or an exit status, having said why. */
static int resolve_wrt(const struct cli *cli, const struct nb_program *p,
		       size_t **wrt, size_t *nwrt)
{
	const char *s = cli->wrt;
	struct nb_quote q;
	size_t n = 0, cap = 0;

	*wrt = NULL;
	if (nb_grow((void **)wrt, &cap, p->nvars + 1, sizeof **wrt))
		return nb_out_of_memory();
	if (!s) {
		for (n = 0; n < p->nvars; n++)
			(*wrt)[n] = n;
		*nwrt = n;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(s, ",");
		long var = nb_program_var(p, s, len);
		if (var < 0)
			return nb_usage_error("--wrt: '%s' is not an input "
					   "variable of the program",
					   nb_quote(&q, s, len));
		for (size_t k = 0; k < n; k++)
			if ((*wrt)[k] == (size_t)var)
				return nb_usage_error("--wrt: '%s' is listed "
						   "twice", nb_quote(&q, s, len));
		if (nb_grow((void **)wrt, &cap, n + 1, sizeof **wrt))
			return nb_out_of_memory();
		(*wrt)[n++] = (size_t)var;
		if (s[len] == '\0')
			break;
		s += len + 1;
	}
	*nwrt = n;
	return 0;
}

/* Prints d, which made the run fail with status r, pointing into src
 * if it is located; an error about the command line rather than the
 * program also gets the --help hint. */
static int report_in(const struct cli *cli, const struct nb_source *src,
		     const struct nb_diag *d, int r)
{
	nb_diag_print(stderr, d->located ? src : NULL, d, cli->stderr_color);
	if (r == NB_EUSAGE && !d->located)
		fputs(NB_TRY_HELP, stderr);
	return r;
}

static int report(const struct cli *cli, const struct nb_program *p,
		  const struct nb_diag *d, int r)
{
	return report_in(cli, &p->src, d, r);
}

/* Compiles -f FILE, or expr, into p; returns 0 or the exit status,
 * having reported why.  Without spans, a program read from FILE keeps
 * no expression text per node; an expr, of command-line size, keeps it
 * either way. */
static int compile(const struct cli *cli, const char *expr,
		   struct nb_program *p, int spans)
{
	struct nb_diag d;
	int r = cli->file ? load_file(cli->file, p, spans, cli->seed, &d)
			  : compile_expr(expr, p, spans, cli->seed, &d);

	return r ? report(cli, p, &d, r) : 0;
}

static int strict_error(void)
{
	fputs("nabla: error: domain warnings are errors with --strict\n",
	      stderr);
	return NB_EFAIL;
}

/* The direction of --jvp on p's shaped tape into a new *dir; returns
 * the exit status. */
static int tensor_direction(const struct cli *cli, const struct nb_program *p,
			    double **dir)
{
	struct nb_argvalue av = { .seed = cli->seed };
	struct nb_diag d;
	unsigned char *given;
	int r;

	if (nb_tdirection_new(p, dir, &given))
		return nb_out_of_memory();
	r = nb_tdirection_read(p, &av, nb_mode_name(cli->mode), cli->modearg,
			       strlen(cli->modearg), *dir, given, &d);
	if (r)
		report_in(cli, nb_argvalue_source(&av, &p->src), &d, r);
	nb_argvalue_free(&av);
	nb_free(given);
	return r;
}

/* The report of the mode the options chose (the backprop table by
 * default); returns the exit status. */
static int write_mode(const struct cli *cli, struct nb_program *p,
		      const struct nb_outspec *spec)
{
	struct nb_diag d;
	double *dir = NULL;
	int r = 0, w = NB_RUN_OK;
	struct nb_mode_call call = { cli->mode, stdout, p, spec, NULL,
				     cli->tol, cli->step, NULL, cli->samples,
				     cli->seed };

	if (nb_modes[cli->mode].arg == NB_ARG_DIRECTION && p->tape.tv)
		r = tensor_direction(cli, p, &dir);
	else if (nb_modes[cli->mode].arg == NB_ARG_DIRECTION &&
		 (r = nb_direction_option(p, nb_mode_name(cli->mode),
					  cli->modearg, &dir, &d)) != 0)
		report(cli, p, &d, r);
	call.dir = dir;
	if (r == 0)
		w = nb_mode_run(&call);
	nb_free(dir);
	if (w < 0)
		return nb_out_of_memory();
	if (w == NB_RUN_FAILED)
		return NB_EFAIL;
	return w == NB_RUN_WARNED && cli->strict ? strict_error() : r;
}

/* A domain warning in a value (x=log(-1)): counted as the program's
 * are, so that --strict makes it an error. */
static void value_warning(void *ctx, const struct nb_source *src,
			  const struct nb_diag *d)
{
	struct cli *cli = ctx;

	if (cli->warnings++ < MAX_WARNINGS)
		nb_diag_print(stderr, src, d, cli->stderr_color);
}

/* Applies the NAME=VALUE operands to p and reads --upstream into *up;
 * returns 0 or the exit status, having reported why. */
static int bind(struct cli *cli, struct nb_program *p, char **bindings,
		int nb, struct nb_tensor *up)
{
	struct nb_argvalue av = { .seed = cli->seed, .warn = value_warning,
				  .ctx = cli };
	struct nb_diag d;
	int r = nb_apply_bindings(p, bindings, nb, nb_warn_unused_binding,
				  &av, &d);

	if (r == 0)
		r = nb_program_check_bound(p, &d);
	if (r == 0 && cli->upstream)
		r = nb_argvalue_read(&av, "--upstream", "upstream", 8,
				     cli->upstream, up, &d);
	if (r != 0)
		report_in(cli, nb_argvalue_source(&av, &p->src), &d, r);
	nb_argvalue_free(&av);
	return r;
}

/* A non-scalar output without --upstream has values only: how to get
 * gradients. */
static void values_only_hint(const struct nb_program *p)
{
	char shape[NB_SHAPE_BUF];
	size_t len;
	const char *name = nb_program_outname(p, &len);

	fprintf(stderr, "nabla: the output %.*s is %s, not a scalar: values "
		"only; for gradients give --upstream VALUE of that shape, or "
		"reduce it with sum(...)\n", (int)(len > 40 ? 40 : len), name,
		nb_shape_format(shape, &p->tape.tv->shape[p->output]));
}

/* A mode that needs the gradient, of a non-scalar output without
 * --upstream: exit status 2. */
static int no_gradient(const struct nb_program *p, const char *mode)
{
	char shape[NB_SHAPE_BUF];
	size_t len;
	const char *name = nb_program_outname(p, &len);

	return nb_usage_error("%s needs a gradient, and the output %.*s is %s, "
			      "not a scalar: give --upstream VALUE of that "
			      "shape (%s then checks sum(upstream * %.*s)), or "
			      "reduce it with sum(...)", mode,
			      (int)(len > 40 ? 40 : len), name,
			      nb_shape_format(shape,
					      &p->tape.tv->shape[p->output]),
			      mode, (int)(len > 40 ? 40 : len), name);
}

/* Runs p's sweeps (the upstream gradient up if --upstream) and checks
 * its values; returns the exit status, having said why. */
static int sweep(struct cli *cli, struct nb_program *p,
		 const struct nb_tensor *up)
{
	struct nb_diag d;
	int r;

	p->seed = cli->seed;
	/* -q's summary reads no edge; the other modes read every node's
	 * value in the arena (a lean tape may leave leaves where they are
	 * bound and transposes unformed). */
	p->lean = cli->quiet && cli->mode == NB_MODE_GRAD;
	if ((r = nb_program_run(p, cli->upstream ? up : NULL, &d)) != 0)
		return report(cli, p, &d, r);
	nb_domain_check(p, emit_warning, cli);
	if (cli->warnings > MAX_WARNINGS)
		fprintf(stderr, "nabla: %ld more warnings\n",
			cli->warnings - MAX_WARNINGS);
	if (cli->strict && cli->warnings > 0)
		return strict_error();
	if (!nb_program_has_grad(p) &&
	    (cli->mode == NB_MODE_CHECK || cli->mode == NB_MODE_EXPLAIN))
		return no_gradient(p, nb_mode_name(cli->mode));
	/* Forward mode needs no gradient: --jvp takes a tensor output. */
	if (!nb_program_has_grad(p) && !cli->jacobian &&
	    cli->mode == NB_MODE_GRAD)
		values_only_hint(p);
	return 0;
}

/* What the mode cannot do on p's shaped tape; returns the exit
 * status. */
static int tensor_limits(const struct cli *cli, const struct nb_program *p,
			 const size_t *wrt, size_t nwrt)
{
	struct nb_diag d;
	int r = nb_mode_tensor_limits(p, cli->mode, wrt, nwrt, &d);

	return r ? report(cli, p, &d, r) : 0;
}

/* Binds, sweeps and writes the compiled p; returns the exit status. */
static int run_compiled(struct cli *cli, struct nb_program *p,
			char **bindings, int nb)
{
	struct nb_outspec spec;
	struct nb_tensor up = { { 0 }, NULL };
	size_t *wrt = NULL, nwrt = 0;
	int r = bind(cli, p, bindings, nb, &up);

	if (r == 0)
		r = resolve_wrt(cli, p, &wrt, &nwrt);
	if (r == 0 && cli->mode == NB_MODE_CHECK && !cli->samples &&
	    nb_check_total(p, wrt, nwrt) > NB_CHECK_MAX_ELEMENTS)
		r = nb_usage_error("--check: the inputs have %zu elements, more "
				   "than %d: check a sample of them with "
				   "--check-samples N", nb_check_total(p, wrt,
				   nwrt), NB_CHECK_MAX_ELEMENTS);
	if (r == 0)
		r = sweep(cli, p, &up);
	if (r == 0)
		r = tensor_limits(cli, p, wrt, nwrt);
	if (r == 0 && cli->save_grad)
		r = nb_save_grad(cli->save_grad, p, wrt, nwrt);
	if (r == 0) {
		spec = (struct nb_outspec){ cli->format, cli->precision,
					    use_color(cli->color, 1), wrt, nwrt,
					    nb_term_columns(1), cli->quiet,
					    cli->max_elements };
		r = cli->jacobian ? nb_jacobian_write(stdout, p, &spec)
		    : write_mode(cli, p, &spec);
	}
	nb_tensor_free(&up);
	nb_free(wrt);
	return r;
}

/* Compiles EXPR (or -f FILE) and runs it; returns the exit status. */
static int run(struct cli *cli, const char *expr, char **bindings, int nb)
{
	struct nb_program p = { 0 };
	int r = compile(cli, expr, &p, 1);

	if (r == 0) {
		/* Warnings point into p while it lives, and only then. */
		cli->src = &p.src;
		r = run_compiled(cli, &p, bindings, nb);
		cli->src = NULL;
	}
	nb_program_free(&p);
	return r;
}

/* --batch: compiles EXPR (the first operand) or -f FILE and hands the
 * program and the other operands to batch mode (batch.h). */
static int run_batch(struct cli *cli, char **argv, int n)
{
	struct nb_program p = { 0 };
	struct nb_diag d;
	size_t *wrt = NULL, nwrt = 0;
	double *dir = NULL;
	int r, e;

	if (!cli->file && n == 0)
		return nb_usage_error("--batch needs EXPR or -f FILE");
	/* before the program is read from it */
	if (cli->file && strcmp(cli->file, "-") == 0 && !cli->batch.sweep.n &&
	    nb_batch_reads_stdin(argv, n))
		return nb_usage_error("--batch: standard input can't be both "
				      "the program (-f -) and the data");
	/* Batch runs print no expression text, but an EXPR's shape and
	 * index errors point into it (a program file may be too large). */
	r = compile(cli, cli->file ? NULL : argv[0], &p, !cli->file);
	if (!cli->file) {
		argv++;
		n--;
	}
	if (r != 0) {
		nb_program_free(&p);
		return r;
	}
	/* A list of more than numbers (vectors, for a program with them)
	 * is read again once the columns have given the shapes. */
	if ((r = resolve_wrt(cli, &p, &wrt, &nwrt)) == 0 && cli->modearg &&
	    nb_direction_option(&p, nb_mode_name(cli->mode), cli->modearg,
				&dir, &d) != 0) {
		nb_free(dir);
		dir = NULL;
	}
	if (r == 0) {
		cli->batch.format = cli->batch.format_given ? cli->format
							    : NB_FMT_CSV;
		cli->batch.precision = cli->precision;
		cli->batch.color = cli->stderr_color;
		cli->batch.mode = cli->mode;
		cli->batch.dir = dir;
		cli->batch.dirarg = cli->modearg;
		cli->batch.tol = cli->tol;
		cli->batch.step = cli->step;
		cli->batch.seed = cli->seed;
		cli->batch.wrt_given = cli->wrt != NULL;
		r = nb_batch_run(&p, &cli->batch, wrt, nwrt, argv, n);
	}
	e = errno;
	nb_free(dir);
	nb_free(wrt);
	nb_program_free(&p);
	errno = e;
	return r;
}

/* Options that only batch mode knows, given without --batch. */
static int batch_only(const struct cli *cli)
{
	const struct nb_batch_opts *b = &cli->batch;

	if (!nb_format_takes(cli->format, NB_ONESHOT))
		return nb_usage_error("-o %s needs --batch",
				      nb_format_name(cli->format));
	if (cli->jobs_given)
		return nb_usage_error("-j needs --batch");
	if (cli->batch_only_given || b->input != NB_IN_CSV || b->no_echo ||
	    b->layout != NB_WIDE || b->on_error != NB_ONERR_STOP)
		return nb_usage_error("--input, --no-echo, --nodes, --edges, "
				   "--sum and --on-error need --batch");
	return 0;
}

/* A mode batch mode does not take: the message lists those it does. */
static int no_batch(enum nb_mode mode)
{
	char list[128];
	size_t n = 0, left = 0;

	for (int m = 0; m < NB_NMODES; m++)
		left += nb_mode_takes((enum nb_mode)m, NB_TAKES_BATCH) &&
			nb_modes[m].help;
	for (int m = 0; m < NB_NMODES; m++) {
		if (!nb_mode_takes((enum nb_mode)m, NB_TAKES_BATCH) ||
		    !nb_modes[m].help)
			continue;
		left--;
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
				      !n ? "" : left ? ", " : " or ",
				      nb_modes[m].option);
	}
	return nb_usage_error("%s has no per-row result: --batch takes %s",
			      nb_mode_name(mode), list);
}

/* --upstream, --jacobian and --save-grad belong to the backprop table
 * of one EXPR or -f FILE (--upstream also to --check, --explain, second
 * order and the modes that print programs). */
static int tensor_options(const struct cli *cli, int session)
{
	const char *opt = cli->jacobian ? "--jacobian"
			  : cli->upstream ? "--upstream"
			  : cli->save_grad ? "--save-grad" : NULL;
	/* --check, --explain, --hessian, --hvp, --symbolic and --emit take
	 * --upstream only */
	int mode_ok = cli->mode == NB_MODE_GRAD ||
		      (!cli->jacobian && !cli->save_grad &&
		       (cli->mode == NB_MODE_CHECK ||
			cli->mode == NB_MODE_EXPLAIN ||
			cli->mode == NB_MODE_HESSIAN ||
			cli->mode == NB_MODE_HVP ||
			cli->mode == NB_MODE_SYMBOLIC ||
			cli->mode == NB_MODE_EMIT));

	if (!opt)
		return 0;
	if (!mode_ok || cli->batch.on || session)
		return nb_usage_error("%s goes with the backprop table of one "
				      "EXPR or -f FILE, not with %s", opt,
				      !mode_ok ? nb_mode_name(cli->mode)
				      : cli->batch.on ? "--batch" : "a session");
	if (cli->jacobian && (cli->upstream || cli->save_grad))
		return nb_usage_error("--jacobian makes its own upstream "
				      "gradients: not with %s",
				      cli->upstream ? "--upstream"
						    : "--save-grad");
	if (cli->jacobian && cli->quiet)
		return nb_usage_error("--quiet shortens the backprop table: not "
				      "with --jacobian");
	if (cli->jacobian && cli->format != NB_FMT_TABLE &&
	    cli->format != NB_FMT_JSON)
		return nb_usage_error("--jacobian writes table or json, not %s",
				      nb_format_name(cli->format));
	return 0;
}

/* Options a mode makes no sense with: exit status 2. */
static int check_mode(const struct cli *cli)
{
	const char *m = nb_mode_name(cli->mode);

	if (cli->tol_given && cli->mode != NB_MODE_CHECK &&
	    cli->mode != NB_MODE_VERIFY)
		return nb_usage_error("--tol needs --check or --verify");
	if (cli->step > 0 && cli->mode != NB_MODE_CHECK)
		return nb_usage_error("--step needs --check");
	if (cli->samples && (cli->mode != NB_MODE_CHECK || cli->batch.on))
		return nb_usage_error("--check-samples needs --check of one EXPR "
				      "or -f FILE");
	/* The modes that print programs: codegen_only() */
	if (!nb_modes[cli->mode].ops)
		return 0;
	if (cli->batch.on && !nb_mode_takes(cli->mode, NB_TAKES_BATCH))
		return no_batch(cli->mode);
	if (cli->mode == NB_MODE_CHECK && cli->batch.layout != NB_WIDE)
		return nb_usage_error("--check writes one row per input row: "
				      "not with --nodes or --edges");
	if (cli->batch.on || cli->mode == NB_MODE_GRAD)
		return 0;
	if (!nb_mode_writes(cli->mode, cli->format, NB_ONESHOT)) {
		char list[NB_FORMAT_LIST];

		nb_format_list(list, nb_mode_formats(cli->mode, NB_ONESHOT));
		return nb_usage_error("%s writes %s, not %s", m, list,
				      nb_format_name(cli->format));
	}
	if (cli->mode == NB_MODE_JVP && cli->wrt)
		return nb_usage_error("--jvp reports one directional derivative: "
				      "--wrt makes no sense with it");
	return 0;
}

/* -q keeps the summary of the backprop table: whatever writes no such
 * table (another mode or format, batch, a session, --verify) refuses it
 * rather than print something else than asked. */
static int quiet_only(const struct cli *cli, int session)
{
	const char *what = cli->mode != NB_MODE_GRAD ? nb_mode_name(cli->mode)
			   : cli->batch.on ? "--batch"
			   : session ? "a session"
			   : cli->format != NB_FMT_TABLE
				   ? nb_format_name(cli->format) : NULL;

	if (!cli->quiet || !what)
		return 0;
	return nb_usage_error("--quiet shortens the backprop table of one "
			      "EXPR or -f FILE: not with %s%s",
			      cli->format != NB_FMT_TABLE && what ==
			      nb_format_name(cli->format) ? "-o " : "", what);
}

/* --symbolic or --emit with an option that has no meaning there. */
static int codegen_only(const struct cli *cli, int nbindings)
{
	const char *mode = nb_mode_name(cli->mode);

	if (cli->batch.on || cli->interactive)
		return nb_usage_error("%s works on one EXPR or -f FILE, not with "
				   "%s", mode, cli->batch.on ? "--batch" : "-i");
	if (cli->batch.format_given)
		return nb_usage_error("%s prints a program: -o %s does not "
				      "apply", mode, nb_format_name(cli->format));
	if (cli->precision_given || cli->strict)
		return nb_usage_error("%s prints a program: --precision and "
				      "--strict do not apply", mode);
	(void)nbindings;
	return 0;
}

/* A program with vectors or matrices: every input bound (the shapes),
 * run with --upstream's gradient (tcode.h).  Returns the exit status,
 * having said why. */
static int codegen_run(struct cli *cli, struct nb_program *p,
		       struct nb_argvalue *av, struct nb_tensor *up)
{
	struct nb_diag d;
	int r = nb_program_check_bound(p, &d);

	if (r == 0 && cli->upstream)
		r = nb_argvalue_read(av, "--upstream", "upstream", 8,
				     cli->upstream, up, &d);
	if (r)
		return report_in(cli, nb_argvalue_source(av, &p->src), &d, r);
	p->seed = cli->seed;
	if ((r = nb_program_run(p, cli->upstream ? up : NULL, &d)) != 0)
		return report(cli, p, &d, r);
	if (!nb_program_has_grad(p)) {
		char shape[NB_SHAPE_BUF];
		size_t len;
		const char *name = nb_program_outname(p, &len);

		return nb_usage_error("%s needs a gradient, and the output %.*s "
				      "is %s, not a scalar: give --upstream "
				      "VALUE of that shape (the gradient "
				      "arriving at %.*s), or reduce it with "
				      "sum(...)", nb_mode_name(cli->mode),
				      (int)(len > 40 ? 40 : len), name,
				      nb_shape_format(shape, &p->tape.tv->shape[
					      p->output]),
				      (int)(len > 40 ? 40 : len), name);
	}
	return 0;
}

/* --symbolic, --emit: compiles and writes the program or the code. */
static int run_codegen(struct cli *cli, const char *expr, char **bindings,
		       int nb)
{
	struct nb_program p = { 0 };
	struct nb_argvalue av = { .seed = cli->seed };
	struct nb_tensor up = { { 0 }, NULL };
	struct nb_diag d;
	size_t *wrt = NULL, nwrt = 0;
	int shaped = 0, r = compile(cli, expr, &p, 1);

	if (r == 0) {
		r = nb_apply_bindings(&p, bindings, nb, nb_warn_unused_binding,
				      &av, &d);
		if (r)
			report_in(cli, nb_argvalue_source(&av, &p.src), &d, r);
	}
	if (r == 0 && (shaped = nb_program_shaped(&p)) != 0)
		r = codegen_run(cli, &p, &av, &up);
	else if (r == 0 && (cli->upstream || (cli->mode == NB_MODE_EMIT &&
					      nb > 0)))
		r = nb_usage_error(cli->upstream
				   ? "--upstream goes with a program of vectors "
				     "or matrices: %s takes none for scalars"
				   : "%s takes no NAME=VALUE for scalars: the "
				     "function takes every input as a "
				     "parameter", nb_mode_name(cli->mode));
	nb_argvalue_free(&av);
	if (r == 0)
		r = resolve_wrt(cli, &p, &wrt, &nwrt);
	if (r == 0 && (r = shaped && cli->mode == NB_MODE_EMIT &&
			  cli->lang != NB_LANG_PYTHON
			  ? nb_tcode_write_c(stdout, &p, wrt, nwrt,
					     cli->lang == NB_LANG_CBLAS, &d)
			  : shaped ? nb_tcode_write(stdout, &p, cli->mode ==
						    NB_MODE_EMIT ? NB_LANG_NUMPY
						    : NB_LANG_NABLA, wrt, nwrt,
						    &d)
			  : cli->mode == NB_MODE_EMIT
			  ? nb_emit_write(stdout, &p, cli->lang == NB_LANG_CBLAS
					  ? NB_LANG_C : cli->lang, wrt, nwrt, &d)
			  : nb_symbolic_write(stdout, &p, wrt, nwrt, &d)) != 0)
		report(cli, &p, &d, r);
	nb_tensor_free(&up);
	nb_free(wrt);
	nb_program_free(&p);
	return r;
}

/* --symbolic or --emit on EXPR or -f FILE and the operands after it. */
static int codegen(struct cli *cli, int argc, char **argv)
{
	const char *expr = NULL;
	int r;

	if (!cli->file && optind >= argc)
		return nb_usage_error("%s needs EXPR or -f FILE",
				      nb_mode_name(cli->mode));
	if ((r = codegen_only(cli, argc - optind - !cli->file)) != 0 ||
	    (r = batch_only(cli)) != 0)
		return r;
	if (!cli->file)
		expr = argv[optind++];
	return run_codegen(cli, expr, argv + optind, argc - optind);
}

/* --verify FILE [NAME=VALUE ...] (front/verify_main.h), once
 * check_mode has passed the mode, the format and --batch. */
static int run_verify(const struct cli *cli, char **argv, int n)
{
	struct nb_verify_opts o = { cli->format, cli->precision,
				    use_color(cli->color, 1), cli->stderr_color,
				    cli->tol_given ? cli->tol : NB_VERIFY_TOL };
	int r;

	if (cli->interactive || cli->file || cli->wrt || cli->strict)
		return nb_usage_error("%s takes NAME=VALUE operands and only "
				      "-o, --precision, --tol, --color",
				      nb_mode_name(cli->mode));
	if ((r = batch_only(cli)) != 0)
		return r;
	return nb_verify_main(stdout, &o, cli->modearg, argv, n);
}

/* No EXPR, or -i: the REPL, or a script on stdin (man page: INTERACTIVE MODE);
 * with -i, -f FILE and the operands (statements) are run first. */
static int start_session(const struct cli *cli, char **stmts, int n)
{
	struct nb_repl_opts o = { cli->format, cli->precision,
				  use_color(cli->color, 1), cli->stderr_color,
				  cli->strict, cli->interactive, cli->file,
				  stmts, n, cli->max_elements, cli->seed };

	return nb_repl_main(&o);
}


int nb_cli_main(int argc, char **argv)
{
	struct cli cli = { .format = NB_FMT_TABLE, .precision = 6,
			   .tol = NB_CHECK_TOL,
			   .batch.max_record = NB_RR_MAXREC_DEFAULT,
			   .batch.jobs = 1 };
	const char *expr = NULL;
	int r = parse_options(argc, argv, &cli);

	if (r >= 0)
		return nb_close_stdout(r);
	cli.stderr_color = use_color(cli.color, 2);
	if ((r = quiet_only(&cli, cli.interactive || (!cli.file &&
						     optind >= argc))) != 0)
		return nb_close_stdout(r);
	if (cli.batch.on && cli.interactive)
		return nb_close_stdout(nb_usage_error("--batch and -i exclude each "
						"other"));
	if ((r = check_mode(&cli)) != 0 ||
	    (r = tensor_options(&cli, cli.interactive || (!cli.file &&
							  optind >= argc))) != 0)
		return nb_close_stdout(r);
	if (nb_modes[cli.mode].arg == NB_ARG_FILE)
		return nb_close_stdout(run_verify(&cli, argv + optind,
						  argc - optind));
	if (!nb_modes[cli.mode].ops)
		return nb_close_stdout(codegen(&cli, argc, argv));
	if (cli.batch.on)
		return nb_close_stdout(run_batch(&cli, argv + optind,
					      argc - optind));
	if ((r = batch_only(&cli)) != 0)
		return nb_close_stdout(r);
	if (cli.interactive || (!cli.file && optind >= argc)) {
		if (cli.mode != NB_MODE_GRAD)
			return nb_close_stdout(nb_usage_error(
				"%s needs EXPR or -f FILE (in a session, use "
				":%s)", nb_mode_name(cli.mode),
				nb_modes[cli.mode].name));
		return nb_close_stdout(start_session(&cli, argv + optind,
						  argc - optind));
	}
	if (!cli.file)
		expr = argv[optind++];
	r = run(&cli, expr, argv + optind, argc - optind);
	return nb_close_stdout(r);
}
