/* check_writers.c - every output format (src/writer.c, src/write_*.c).
 *
 * Programs go through the real parser and sweeps, then a writer into a
 * memory stream; the tests compare whole outputs where the format is a
 * contract (JSON, CSV, the table's layout) and look for the telling
 * pieces elsewhere.  Text the parser cannot produce (quotes, control
 * bytes, '<') is tested on a program built by hand. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/program.h"
#include "core/sweep.h"
#include "testmain.h"
#include "testprog.h"
#include "output/writer.h"

/* ------------------------------------------------------------------ */
/* Helpers */

/* Compiles text, binds "name", value pairs (ending with NULL) and runs
 * both sweeps. */
static void run(struct nb_program *p, const char *text, ...)
{
	va_list ap;

	compile_ok(p, text);
	va_start(ap, text);
	vbind_run(p, ap);
	va_end(ap);
}

/* The default spec: every input reported, 6 digits, no colour. */
static struct nb_outspec spec_for(const struct nb_program *p,
				  enum nb_format format)
{
	static size_t all[64];

	ck_assert_uint_le(p->nvars, 64);
	for (size_t k = 0; k < p->nvars; k++)
		all[k] = k;
	return (struct nb_outspec){ .format = format, .precision = 6,
				    .wrt = all, .nwrt = p->nvars };
}

/* p written with spec, as a malloc'd string. */
static char *render_spec(const struct nb_program *p,
			 const struct nb_outspec *spec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(nb_write(f, p, spec), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

static char *render(const struct nb_program *p, enum nb_format format)
{
	struct nb_outspec spec = spec_for(p, format);

	return render_spec(p, &spec);
}

static void assert_has(const char *out, const char *piece)
{
	ck_assert_msg(strstr(out, piece) != NULL,
		      "missing \"%s\" in:\n%s", piece, out);
}

static size_t count(const char *out, const char *piece)
{
	size_t n = 0;

	for (const char *s = out; (s = strstr(s, piece)) != NULL; s++)
		n++;
	return n;
}

/* The running example of the seeds: (x + y) * z at x=-2, y=5, z=-4. */
static void example(struct nb_program *p)
{
	run(p, "(x + y) * z", "x", -2.0, "y", 5.0, "z", -4.0, NULL);
}

/* A program built by hand whose text holds bytes no parse gives: one
 * input variable spelled text, named by its first namelen bytes. */
struct handmade {
	struct nb_program p;
	uint32_t var;
	unsigned char bound;
};

static void handmade(struct handmade *h, const char *text, size_t namelen)
{
	uint32_t id;
	struct nb_span all = { 0, (uint32_t)strlen(text) };

	memset(h, 0, sizeof *h);
	nb_tape_init(&h->p.tape);
	ck_assert_int_eq(nb_tape_push(&h->p.tape, NB_OP_VAR, all, NULL, 0,
				      &id), 0);
	h->p.src = (struct nb_source){ "<test>", text, all.len, 0 };
	ck_assert_int_eq(nb_tape_set_name(&h->p.tape, id, (struct nb_span){
				0, (uint32_t)namelen }), 0);
	h->p.tape.value[id] = 1;
	h->p.tape.grad[id] = 1;
	h->p.output = id;
	h->var = id;
	h->bound = 1;
	h->p.vars = &h->var;
	h->p.bound = &h->bound;
	h->p.nvars = 1;
}

/* ------------------------------------------------------------------ */
/* Dispatch */

START_TEST(format_names)
{
	ck_assert_int_eq(nb_format_parse("table"), NB_FMT_TABLE);
	ck_assert_int_eq(nb_format_parse("csv"), NB_FMT_CSV);
	ck_assert_int_eq(nb_format_parse("tsv"), NB_FMT_TSV);
	ck_assert_int_eq(nb_format_parse("json"), NB_FMT_JSON);
	ck_assert_int_eq(nb_format_parse("dot"), NB_FMT_DOT);
	ck_assert_int_eq(nb_format_parse("jsonl"), NB_FMT_JSONL);
	ck_assert(nb_format_takes(NB_FMT_JSONL, NB_BATCH));
	ck_assert(!nb_format_takes(NB_FMT_JSONL, NB_ONESHOT));
	ck_assert(!nb_format_takes(NB_FMT_JSONL, NB_REPL));
	ck_assert(!nb_format_takes(NB_FMT_DOT, NB_BATCH));
	ck_assert_int_eq(nb_format_parse("TABLE"), -1);
	ck_assert_int_eq(nb_format_parse(""), -1);
	ck_assert_int_eq(nb_format_parse("tablex"), -1);
}
END_TEST

START_TEST(write_error_is_reported)
{
	struct nb_program p;
	struct nb_outspec spec;
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		return;         /* not a Linux-like system */
	example(&p);
	for (int fmt = 0; fmt < NB_NFORMATS; fmt++) {
		if (!nb_format_takes((enum nb_format)fmt, NB_ONESHOT))
			continue;
		spec = spec_for(&p, (enum nb_format)fmt);
		errno = 0;
		ck_assert_int_eq(nb_write(f, &p, &spec), -1);
		ck_assert_int_eq(errno, ENOSPC);
		clearerr(f);
	}
	fclose(f);
	nb_program_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* JSON */

START_TEST(json_example)
{
	struct nb_program p;
	char *out;

	example(&p);
	out = render(&p, NB_FMT_JSON);
	ck_assert_str_eq(out,
		"{\"output\": \"f\", \"value\": -12,\n"
		" \"gradient\": {\"x\": -4, \"y\": -4, \"z\": 3},\n"
		" \"nodes\": [\n"
		"  {\"id\": 0, \"name\": \"x\", \"op\": \"var\","
		" \"expr\": \"x\", \"value\": -2, \"grad\": -4,"
		" \"inputs\": []},\n"
		"  {\"id\": 1, \"name\": \"y\", \"op\": \"var\","
		" \"expr\": \"y\", \"value\": 5, \"grad\": -4,"
		" \"inputs\": []},\n"
		"  {\"id\": 2, \"op\": \"add\", \"expr\": \"x + y\","
		" \"value\": 3, \"grad\": -4, \"inputs\": ["
		"{\"id\": 0, \"local\": 1, \"downstream\": -4}, "
		"{\"id\": 1, \"local\": 1, \"downstream\": -4}]},\n"
		"  {\"id\": 3, \"name\": \"z\", \"op\": \"var\","
		" \"expr\": \"z\", \"value\": -4, \"grad\": 3,"
		" \"inputs\": []},\n"
		"  {\"id\": 4, \"op\": \"mul\", \"expr\": \"(x + y) * z\","
		" \"value\": -12, \"grad\": 1, \"inputs\": ["
		"{\"id\": 2, \"local\": -4, \"downstream\": -4}, "
		"{\"id\": 3, \"local\": 3, \"downstream\": 3}]}\n"
		" ]}\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(json_named_output_and_wrt)
{
	struct nb_program p;
	struct nb_outspec spec;
	const size_t wrt[] = { 2, 0 };
	char *out;

	run(&p, "q = x + y; r = q * z", "x", -2.0, "y", 5.0, "z", -4.0,
	    NULL);
	spec = spec_for(&p, NB_FMT_JSON);
	spec.wrt = wrt;
	spec.nwrt = 2;
	out = render_spec(&p, &spec);
	assert_has(out, "{\"output\": \"r\", \"value\": -12,\n"
		   " \"gradient\": {\"z\": 3, \"x\": -4},\n");
	assert_has(out, "{\"id\": 2, \"name\": \"q\", \"op\": \"add\"");
	assert_has(out, "{\"id\": 4, \"name\": \"r\", \"op\": \"mul\", "
		   "\"expr\": \"q * z\"");
	free(out);
	spec.nwrt = 0;
	out = render_spec(&p, &spec);
	assert_has(out, " \"gradient\": {},\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(json_nonfinite_as_strings)
{
	struct nb_program p;
	char *out;

	run(&p, "sqrt(x) + log(y)", "x", -1.0, "y", 0.0, NULL);
	out = render(&p, NB_FMT_JSON);
	assert_has(out, "\"value\": \"nan\",\n");
	assert_has(out, "\"gradient\": {\"x\": \"nan\", \"y\": \"inf\"}");
	assert_has(out, "\"op\": \"log\", \"expr\": \"log(y)\", "
		   "\"value\": \"-inf\"");
	ck_assert_ptr_null(strstr(out, "-nan"));
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(json_exact_numbers)
{
	struct nb_program p;
	char *out;

	run(&p, "x / 3", "x", 1.0, NULL);
	out = render(&p, NB_FMT_JSON);
	assert_has(out, "\"value\": 0.3333333333333333,\n");
	assert_has(out, "{\"id\": 1, \"local\": -0.1111111111111111, ");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(json_escapes_strings)
{
	struct handmade h;
	struct nb_outspec spec;
	char *out;

	handmade(&h, "a\"b\\c\t\001", 7);
	spec = spec_for(&h.p, NB_FMT_JSON);
	out = render_spec(&h.p, &spec);
	/* The name as it is; the expression as displayed (tab as space). */
	assert_has(out, "\"gradient\": {\"a\\\"b\\\\c\\u0009\\u0001\": 1}");
	assert_has(out, "\"expr\": \"a\\\"b\\\\c \\u0001\"");
	free(out);
	nb_tape_free(&h.p.tape);
}
END_TEST

/* Whitespace runs and comments inside an expression read as one space. */
START_TEST(expression_text_collapses_blanks)
{
	struct nb_program p;
	char *out;

	run(&p, "((x +  # the sum\n\t y) *\tz)", "x", 1.0, "y", 2.0, "z",
	    3.0, NULL);
	out = render(&p, NB_FMT_JSON);
	assert_has(out, "\"expr\": \"x + y\"");
	assert_has(out, "\"expr\": \"(x + y) * z\"");
	free(out);
	out = render(&p, NB_FMT_TABLE);
	assert_has(out, " (x + y) * z ");
	ck_assert_ptr_null(strstr(out, "sum"));
	ck_assert_ptr_null(strstr(out, "\t"));
	free(out);
	nb_program_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* CSV and TSV */

START_TEST(csv_example)
{
	struct nb_program p;
	char *out;

	example(&p);
	out = render(&p, NB_FMT_CSV);
	ck_assert_str_eq(out,
		"node,name,op,expr,value,grad,input,local,downstream\n"
		"0,x,var,x,-2,-4,,,\n"
		"1,y,var,y,5,-4,,,\n"
		"2,,add,x + y,3,-4,0,1,-4\n"
		"2,,add,x + y,3,-4,1,1,-4\n"
		"3,z,var,z,-4,3,,,\n"
		"4,,mul,(x + y) * z,-12,1,2,-4,-4\n"
		"4,,mul,(x + y) * z,-12,1,3,3,3\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(csv_quotes_only_when_needed)
{
	struct nb_program p;
	char *out;

	run(&p, "max(x, y) * x", "x", -2.0, "y", 5.0, NULL);
	out = render(&p, NB_FMT_CSV);
	assert_has(out, "\n2,,max,\"max(x, y)\",5,-2,0,0,");
	assert_has(out, "\n3,,mul,\"max(x, y) * x\",-10,1,2,-2,-2\n");
	assert_has(out, "\n0,x,var,x,-2,5,,,\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(csv_doubles_quotes)
{
	struct handmade h;
	struct nb_outspec spec;
	char *out;

	handmade(&h, "a,\"b\"", 1);
	spec = spec_for(&h.p, NB_FMT_CSV);
	out = render_spec(&h.p, &spec);
	assert_has(out, "\n0,a,var,\"a,\"\"b\"\"\",1,1,,,\n");
	free(out);
	nb_tape_free(&h.p.tape);
}
END_TEST

START_TEST(tsv_example)
{
	struct nb_program p;
	char *out;

	run(&p, "max(x, y) * x", "x", 2.0, "y", -5.0, NULL);
	out = render(&p, NB_FMT_TSV);
	ck_assert_str_eq(out,
		"node\tname\top\texpr\tvalue\tgrad\tinput\tlocal\tdownstream\n"
		"0\tx\tvar\tx\t2\t4\t\t\t\n"
		"1\ty\tvar\ty\t-5\t0\t\t\t\n"
		"2\t\tmax\tmax(x, y)\t2\t2\t0\t1\t2\n"
		"2\t\tmax\tmax(x, y)\t2\t2\t1\t0\t0\n"
		"3\t\tmul\tmax(x, y) * x\t4\t1\t2\t2\t2\n"
		"3\t\tmul\tmax(x, y) * x\t4\t1\t0\t2\t2\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(csv_nonfinite)
{
	struct nb_program p;
	char *out;

	run(&p, "sqrt(x) + log(y)", "x", -1.0, "y", 0.0, NULL);
	out = render(&p, NB_FMT_CSV);
	assert_has(out, ",sqrt,sqrt(x),nan,1,0,nan,nan\n");
	assert_has(out, ",log,log(y),-inf,1,2,inf,inf\n");
	ck_assert_ptr_null(strstr(out, "-nan"));
	free(out);
	nb_program_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The table */

START_TEST(table_example)
{
	struct nb_program p;
	char *out;

	example(&p);
	out = render(&p, NB_FMT_TABLE);
	ck_assert_str_eq(out,
		"node  name  op   expr         value  grad  local  downstream\n"
		"----  ----  ---  -----------  -----  ----  -----  ----------\n"
		"  #4  f     mul  (x + y) * z    -12     1\n"
		"                   #2 x + y                   -4          -4\n"
		"                   #3 z                        3           3\n"
		"  #3  z     var  z               -4     3\n"
		"  #2        add  x + y            3    -4\n"
		"                   #0 x                        1          -4\n"
		"                   #1 y                        1          -4\n"
		"  #1  y     var  y                5    -4\n"
		"  #0  x     var  x               -2    -4\n"
		"\n"
		"    f = -12\n"
		"df/dx = -4\n"
		"df/dy = -4\n"
		"df/dz = 3\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

/* The whitespace-separated words of the line of out that starts with
 * prefix, joined by single spaces. */
static char *words_of_line(const char *out, const char *prefix)
{
	static char buf[512];
	const char *s = out;
	size_t n = 0;

	while (s && strncmp(s, prefix, strlen(prefix)) != 0)
		if ((s = strchr(s, '\n')) != NULL)
			s++;
	ck_assert_msg(s != NULL, "no line \"%s\" in:\n%s", prefix, out);
	for (; *s && *s != '\n' && n + 2 < sizeof buf; s++) {
		if (*s != ' ')
			buf[n++] = *s;
		else if (n && buf[n - 1] != ' ' && s[1] != ' ' && s[1] != '\n')
			buf[n++] = ' ';
	}
	if (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

/* Whether the line at s has a number (or nan/inf) ending at column end. */
static int number_ends_at(const char *s, size_t end)
{
	for (size_t k = 0; k < end; k++)
		if (s[k] == '\n' || !s[k])
			return 0;
	return strchr("0123456789naf", s[end - 1]) != NULL
		&& (s[end] == ' ' || s[end] == '\n');
}

/* Every number sits right-aligned under its heading: node rows under
 * value and grad, input lines under local and downstream. */
static void assert_aligned(const char *out)
{
	const char *s = strchr(out, '\n') + 1;
	size_t name = (size_t)(strstr(out, "name") - out);
	size_t value = (size_t)(strstr(out, "value") - out) + 5;
	size_t grad = (size_t)(strstr(out, "grad") - out) + 4;
	size_t local = (size_t)(strstr(out, "local") - out) + 5;
	size_t down = (size_t)(strstr(out, "downstream") - out) + 10;

	for (s = strchr(s, '\n') + 1; *s != '\n'; s = strchr(s, '\n') + 1) {
		int node = strspn(s, " ") < name;

		ck_assert_msg(number_ends_at(s, node ? value : local)
			      && number_ends_at(s, node ? grad : down),
			      "misaligned line in:\n%s", out);
	}
}

START_TEST(table_sigmoid_neuron)
{
	struct nb_program p;
	char *out;

	run(&p, "1/(1+exp(-(w0*x0+w1*x1+w2)))", "w0", 2.0, "x0", -1.0,
	    "w1", -3.0, "x1", -2.0, "w2", -3.0, NULL);
	out = render(&p, NB_FMT_TABLE);
	assert_aligned(out);
	/* The seeds' numbers. */
	ck_assert_str_eq(words_of_line(out, " #14 "),
			 "#14 f div 1/(1+exp(-(w0*x0+w1*x1+w2))) 0.731059 1");
	ck_assert_str_eq(words_of_line(out, "  #2 "),
			 "#2 w0 var w0 2 -0.196612");
	ck_assert_str_eq(words_of_line(out, " #12 "),
			 "#12 exp exp(-(w0*x0+w1*x1+w2)) 0.367879 -0.534447");
	/* The mul gate swaps its inputs: w1's local gradient is x1. */
	ck_assert_str_eq(words_of_line(out, "                     #5 "),
			 "#5 w1 -2 -0.393224");
	assert_has(out, "\n     f = 0.731059\n"
		   "df/dw0 = -0.196612\n"
		   "df/dx0 = 0.393224\n"
		   "df/dw1 = -0.393224\n"
		   "df/dx1 = -0.589836\n"
		   "df/dw2 = 0.196612\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

/* Removes "\033[...m" sequences in place. */
static void strip_ansi(char *s)
{
	char *w = s;

	while (*s) {
		if (*s == '\033') {
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

START_TEST(table_colour_keeps_layout)
{
	struct nb_program p;
	struct nb_outspec spec;
	char *plain, *colour;

	run(&p, "q = x + y; f = q * max(x, z)", "x", -2.0, "y", 5.0, "z",
	    -4.0, NULL);
	spec = spec_for(&p, NB_FMT_TABLE);
	plain = render_spec(&p, &spec);
	ck_assert_ptr_null(strchr(plain, '\033'));
	spec.color = 1;
	colour = render_spec(&p, &spec);
	ck_assert_uint_gt(count(colour, "\033["), 10);
	strip_ansi(colour);
	ck_assert_str_eq(colour, plain);
	free(plain);
	free(colour);
	nb_program_free(&p);
}
END_TEST

START_TEST(table_is_ascii_without_trailing_blanks)
{
	struct nb_program p;
	char *out;

	run(&p, "sigmoid(a*b + c) + max(a, c, 2.5) / hypot(a, b)", "a",
	    1.0, "b", -2.0, "c", 0.5, NULL);
	out = render(&p, NB_FMT_TABLE);
	assert_aligned(out);
	for (const char *s = out; *s; s++) {
		ck_assert_msg((*s >= 0x20 && *s < 0x7f) || *s == '\n',
			      "byte %d", *s);
		if (*s == '\n' && s > out)
			ck_assert_msg(s[-1] != ' ', "trailing blank in:\n%s",
				      out);
	}
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(table_precision)
{
	struct nb_program p;
	struct nb_outspec spec;
	char *out;

	run(&p, "x / 3", "x", 1.0, NULL);
	spec = spec_for(&p, NB_FMT_TABLE);
	spec.precision = 3;
	out = render_spec(&p, &spec);
	assert_has(out, "\n    f = 0.333\ndf/dx = 0.333\n");
	ck_assert_ptr_null(strstr(out, "0.3333"));
	free(out);
	spec.precision = 17;
	out = render_spec(&p, &spec);
	assert_has(out, "\n    f = 0.33333333333333331\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(table_named_output_summary)
{
	struct nb_program p;
	char *out;

	run(&p, "loss = (x - y)^2", "x", 3.0, "y", 1.0, NULL);
	out = render(&p, NB_FMT_TABLE);
	assert_has(out, "\n    loss = 4\n"
		   "dloss/dx = 4\n"
		   "dloss/dy = -4\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(table_rows_after_the_output)
{
	struct nb_program p;
	char *out;
	const char *r[5];

	/* The REPL may ask for a node with later nodes on the tape. */
	example(&p);
	p.output = 2;
	ck_assert(nb_reverse(&p.tape, p.output) == 0);
	out = render(&p, NB_FMT_TABLE);
	r[0] = strstr(out, "\n  #2 ");
	r[1] = strstr(out, "\n  #1 ");
	r[2] = strstr(out, "\n  #0 ");
	r[3] = strstr(out, "\n  #4 ");
	r[4] = strstr(out, "\n  #3 ");
	for (int k = 0; k < 5; k++)
		ck_assert_msg(r[k] && (k == 0 || r[k - 1] < r[k]),
			      "row %d out of order in:\n%s", k, out);
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(table_elides_long_expressions)
{
	struct nb_program p;
	char *out, buf[NB_ELIDE_DATA + 2];

	run(&p, "alpha_one + beta_two + gamma_three + delta_four"
	    " + epsilon_five", "alpha_one", 1.0, "beta_two", 2.0,
	    "gamma_three", 3.0, "delta_four", 4.0, "epsilon_five", 5.0,
	    NULL);
	/* Cut between words, never inside a name. */
	ck_assert_uint_eq(nb_text_elide(buf, &p, p.output, NB_ELIDE), 29);
	ck_assert_str_eq(buf, "alpha_one + ...+ epsilon_five");
	/* A tail that would be a fragment of one name is left out. */
	ck_assert_uint_eq(nb_text_elide(buf, &p, p.output, 20), 15);
	ck_assert_str_eq(buf, "alpha_one + ...");
	ck_assert_uint_eq(nb_text_elide(buf, &p, p.output, NB_ELIDE_DATA),
			  62);
	out = render(&p, NB_FMT_TABLE);
	assert_has(out, "  #8  f             add  alpha_one + ...+ "
		   "epsilon_five          15     1\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

/* A chain a + b*c + b*c + ... of n terms, whose node texts add up to the
 * square of its length, still writes O(1) bytes per node. */
START_TEST(outputs_stay_linear_on_long_chains)
{
	struct nb_program p;
	size_t n = 20000, len = 1 + 4 * n;
	char *text = malloc(len + 1);

	ck_assert_ptr_nonnull(text);
	text[0] = 'a';
	for (size_t k = 0; k < n; k++)
		memcpy(text + 1 + 4 * k, "+b*c", 4);
	text[len] = '\0';
	run(&p, text, "a", 1.0, "b", 2.0, "c", 0.5, NULL);
	ck_assert_uint_eq(p.tape.n, 2 * n + 3);
	for (int fmt = 0; fmt < NB_NFORMATS; fmt++) {
		char *out;

		if (!nb_format_takes((enum nb_format)fmt, NB_ONESHOT))
			continue;
		out = render(&p, (enum nb_format)fmt);

		ck_assert_msg(strlen(out) < 1000 * p.tape.n,
			      "format %d wrote %zu bytes", fmt, strlen(out));
		free(out);
	}
	nb_program_free(&p);
	free(text);
}
END_TEST

/* ------------------------------------------------------------------ */
/* DOT */

START_TEST(dot_example)
{
	struct nb_program p;
	char *out;

	example(&p);
	out = render(&p, NB_FMT_DOT);
	ck_assert_int_eq(strncmp(out, "digraph nabla {\n", 16), 0);
	assert_has(out, "\trankdir=LR;\n");
	assert_has(out, "\tn0 [label=<<b>x</b><br/><font point-size=\"10\">"
		   "var</font><br/>value -2<br/>grad -4>];\n");
	assert_has(out, "\tn2 [label=<<b>add</b><br/><font point-size=\"10\">"
		   "x + y</font><br/>value 3<br/>grad -4>];\n");
	assert_has(out, "\tn4 [label=<<b>f</b><br/><font point-size=\"10\">"
		   "mul: (x + y) * z</font><br/>value -12<br/>grad 1>, "
		   "style=\"rounded,bold\", peripheries=2];\n");
	assert_has(out, "\tn0 -> n2 [label=<local 1<br/>down -4>];\n");
	assert_has(out, "\tn2 -> n4 [label=<local -4<br/>down -4>];\n");
	assert_has(out, "\tn3 -> n4 [label=<local 3<br/>down 3>];\n");
	ck_assert_uint_eq(count(out, "peripheries"), 1);
	ck_assert_uint_eq(count(out, " -> "), 4);
	ck_assert_str_eq(out + strlen(out) - 2, "}\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(dot_shared_leaf_once)
{
	struct nb_program p;
	char *out;

	run(&p, "x * x + x", "x", 3.0, NULL);
	out = render(&p, NB_FMT_DOT);
	ck_assert_uint_eq(count(out, "\tn0 [label"), 1);
	ck_assert_uint_eq(count(out, "\tn0 -> "), 3);
	assert_has(out, "<b>x</b><br/><font point-size=\"10\">var</font>"
		   "<br/>value 3<br/>grad 7>");
	free(out);
	nb_program_free(&p);
}
END_TEST

START_TEST(dot_escapes_html)
{
	struct handmade h;
	struct nb_outspec spec;
	char *out;

	handmade(&h, "a<b&c>\"d", 8);
	spec = spec_for(&h.p, NB_FMT_DOT);
	out = render_spec(&h.p, &spec);
	assert_has(out, "<b>a&lt;b&amp;c&gt;&quot;d</b>");
	free(out);
	nb_tape_free(&h.p.tape);
}
END_TEST

static Suite *writers_suite(void)
{
	Suite *s = suite_create("writers");
	TCase *dispatch = tcase_create("dispatch");
	TCase *json = tcase_create("json");
	TCase *csv = tcase_create("csv");
	TCase *table = tcase_create("table");
	TCase *dot = tcase_create("dot");

	tcase_add_test(dispatch, format_names);
	tcase_add_test(dispatch, write_error_is_reported);
	tcase_add_test(dispatch, expression_text_collapses_blanks);
	tcase_add_test(dispatch, outputs_stay_linear_on_long_chains);
	tcase_set_timeout(dispatch, 60);
	suite_add_tcase(s, dispatch);
	tcase_add_test(json, json_example);
	tcase_add_test(json, json_named_output_and_wrt);
	tcase_add_test(json, json_nonfinite_as_strings);
	tcase_add_test(json, json_exact_numbers);
	tcase_add_test(json, json_escapes_strings);
	suite_add_tcase(s, json);
	tcase_add_test(csv, csv_example);
	tcase_add_test(csv, csv_quotes_only_when_needed);
	tcase_add_test(csv, csv_doubles_quotes);
	tcase_add_test(csv, tsv_example);
	tcase_add_test(csv, csv_nonfinite);
	suite_add_tcase(s, csv);
	tcase_add_test(table, table_example);
	tcase_add_test(table, table_sigmoid_neuron);
	tcase_add_test(table, table_colour_keeps_layout);
	tcase_add_test(table, table_is_ascii_without_trailing_blanks);
	tcase_add_test(table, table_precision);
	tcase_add_test(table, table_named_output_summary);
	tcase_add_test(table, table_rows_after_the_output);
	tcase_add_test(table, table_elides_long_expressions);
	suite_add_tcase(s, table);
	tcase_add_test(dot, dot_example);
	tcase_add_test(dot, dot_shared_leaf_once);
	tcase_add_test(dot, dot_escapes_html);
	suite_add_tcase(s, dot);
	return s;
}

NB_CHECK_MAIN(writers_suite);
