/* check_twriters.c - every output format of a program with tensors
 * (src/output/write_*.c through the views of core/view.h).
 *
 * Programs are compiled, their inputs bound to tensors through the core
 * API and run (with an upstream gradient or without), then written into
 * a memory stream.  L = W * x + b broadcasts x (3) over the rows of W
 * (2x3) and a scalar b over everything, so its numbers are exact:
 * dL/dx sums the upstream times W over the rows, dL/db sums the
 * upstream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/program.h"
#include "output/writer.h"
#include "testmain.h"
#include "testprog.h"

static const double W[] = { 1, -2, 3, 4, 5, -6 }, X[] = { 0.5, -1, 2 };
static const double UP[] = { 1, 2, 3, 4, 5, 6 };

static void bind(struct nb_program *p, const char *name, struct nb_shape s,
		 const double *x)
{
	struct nb_tensor t = { s, (double *)x };
	long v = nb_program_var(p, name, strlen(name));

	ck_assert_msg(v >= 0, "no input %s", name);
	ck_assert_int_eq(nb_program_set_tensor(p, (size_t)v, &t), 0);
}

/* L = W * x + b with W, x and b = 2.5 bound, run with the upstream UP
 * (up set) or without. */
static void run_layer(struct nb_program *p, int up)
{
	struct nb_tensor u = { nb_shape_matrix(2, 3), (double *)UP };
	struct nb_diag d;

	compile_ok(p, "L = W * x + b");
	bind(p, "W", nb_shape_matrix(2, 3), W);
	bind(p, "x", nb_shape_vector(3), X);
	nb_program_set(p, (size_t)nb_program_var(p, "b", 1), 2.5);
	ck_assert_int_eq(nb_program_run(p, up ? &u : NULL, &d), 0);
}

/* p in format f (max elements per axis as nb_outspec has them) fitted
 * to columns (0: any), as a malloc'd string. */
static char *render_in(const struct nb_program *p, enum nb_format f,
		       size_t max, size_t columns)
{
	static const size_t all[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct nb_outspec spec = { f, 6, 0, all, p->nvars, columns, 0, max };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_uint_le(p->nvars, 8);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(nb_write(out, p, &spec), 0);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

/* L = W * x + b (run_layer) in format f. */
static char *render(const struct nb_program *p, enum nb_format f,
		    size_t max)
{
	return render_in(p, f, max, 0);
}

static char *layer(int up, enum nb_format f, size_t max)
{
	struct nb_program p;
	char *out;

	run_layer(&p, up);
	out = render(&p, f, max);
	nb_program_free(&p);
	return out;
}

static void assert_has(const char *out, const char *piece)
{
	ck_assert_msg(strstr(out, piece) != NULL, "missing \"%s\" in:\n%s",
		      piece, out);
}

static void assert_lacks(const char *out, const char *piece)
{
	ck_assert_msg(strstr(out, piece) == NULL, "unexpected \"%s\" in:\n%s",
		      piece, out);
}

START_TEST(test_table)
{
	char *out = layer(1, NB_FMT_TABLE, 0);

	ck_assert_str_eq(out,
"node  name  op   expr        shape  value                 grad        "
"       local              downstream\n"
"----  ----  ---  ----------  -----  --------------------  ------------"
"-----  -----------------  -----------------\n"
"  #4  L     add  W * x + b   2x3    [[   3,  4.5,  8.5],  [[1, 2, 3],\n"
"                                     [ 4.5, -2.5, -9.5]]   [4, 5, 6]]\n"
"                   #2 W * x  2x3                                      "
"       [[1, 1, 1],        [[1, 2, 3],\n"
"                                                                      "
"        [1, 1, 1]]         [4, 5, 6]]\n"
"                   #3 b      ()                                       "
"       [[1, 1, 1],        21\n"
"                                                                      "
"        [1, 1, 1]]\n"
"  #3  b     var  b           ()     2.5                   21\n"
"  #2        mul  W * x       2x3    [[0.5,   2,   6],     [[1, 2, 3],\n"
"                                     [  2,  -5, -12]]      [4, 5, 6]]\n"
"                   #0 W      2x3                                      "
"       [[0.5,  -1,   2],  [[0.5,  -2,   6],\n"
"                                                                      "
"        [0.5,  -1,   2]]   [  2,  -5,  12]]\n"
"                   #1 x      3                                        "
"       [[ 1, -2,  3],     [ 17,  21, -27]\n"
"                                                                      "
"        [ 4,  5, -6]]\n"
"  #1  x     var  x           3      [0.5,  -1,   2]       [ 17,  21, -27]\n"
"  #0  W     var  W           2x3    [[ 1, -2,  3],        [[0.5,  -2,   6],\n"
"                                     [ 4,  5, -6]]         [  2,  -5,  12]]\n"
"\n"
"    L (2x3) = [[   3,  4.5,  8.5],\n"
"               [ 4.5, -2.5, -9.5]]\n"
"dL/dW (2x3) = [[0.5,  -2,   6],\n"
"               [  2,  -5,  12]]\n"
"  dL/dx (3) = [ 17,  21, -27]\n"
"      dL/db = 21\n");
	free(out);
}
END_TEST

/* A tensor output without --upstream: values only, no gradient
 * columns, no df/d lines. */
START_TEST(test_table_values_only)
{
	char *out = layer(0, NB_FMT_TABLE, 0);

	assert_has(out, "node  name  op   expr        shape  value\n"
		   "----  ----  ---  ----------  -----  --------------------\n");
	assert_has(out, "\n                   #3 b      ()\n");
	assert_has(out, "\nL (2x3) = [[   3,  4.5,  8.5],\n"
		   "           [ 4.5, -2.5, -9.5]]\n");
	assert_lacks(out, "grad");
	assert_lacks(out, "dL/");
	free(out);
}
END_TEST

START_TEST(test_json)
{
	char *out = layer(1, NB_FMT_JSON, 0);

	assert_has(out, "{\"output\": \"L\", \"value\": [[3, 4.5, 8.5], "
		   "[4.5, -2.5, -9.5]],\n \"gradient\": {\"W\": [[0.5, -2, 6], "
		   "[2, -5, 12]], \"x\": [17, 21, -27], \"b\": 21},\n"
		   " \"shapes\": {\"W\": [2, 3], \"x\": [3], \"b\": [], "
		   "\"L\": [2, 3]},\n");
	assert_has(out, "{\"id\": 3, \"name\": \"b\", \"op\": \"var\", "
		   "\"expr\": \"b\", \"shape\": [], \"value\": 2.5, "
		   "\"grad\": 21, \"inputs\": []}");
	/* A broadcast input: its local gradient in the node's shape, the
	 * rule that sums it back, the downstream gradient in its own. */
	assert_has(out, "{\"id\": 1, \"local\": [[1, -2, 3], [4, 5, -6]], "
		   "\"rule\": \"dx = sum(dv * local, axis=0)\", "
		   "\"downstream\": [17, 21, -27]}");
	assert_has(out, "{\"id\": 3, \"local\": [[1, 1, 1], [1, 1, 1]], "
		   "\"rule\": \"db = sum(dL * local)\", \"downstream\": 21}");
	free(out);
}
END_TEST

START_TEST(test_json_values_only)
{
	char *out = layer(0, NB_FMT_JSON, 0);

	assert_has(out, "\"shapes\": {");
	assert_has(out, "{\"id\": 3, \"rule\": \"db = sum(dL * local)\"}");
	assert_lacks(out, "\"gradient\"");
	assert_lacks(out, "\"grad\"");
	assert_lacks(out, "\"local\"");
	assert_lacks(out, "\"downstream\"");
	free(out);
}
END_TEST

START_TEST(test_csv)
{
	char *out = layer(1, NB_FMT_CSV, 0);

	assert_has(out, "node,name,op,expr,shape,index,value,grad,input,"
		   "local,downstream\n"
		   "0,W,var,W,2x3,\"0,0\",1,0.5,,,\n");
	assert_has(out, "\n1,x,var,x,3,2,2,-27,,,\n2,,mul,");
	assert_has(out, "\n3,b,var,b,(),,2.5,21,,,\n");
	/* x's rows under W * x: no local (broadcast), its downstream. */
	assert_has(out, "\n2,,mul,W * x,3,0,,,1,,17\n");
	assert_has(out, "\n2,,mul,W * x,2x3,\"1,2\",,,0,2,12\n");
	assert_has(out, "\n4,L,add,W * x + b,(),,,,3,,21\n");
	free(out);
	out = layer(1, NB_FMT_TSV, 0);
	assert_has(out, "\n0\tW\tvar\tW\t2x3\t1,2\t-6\t12\t\t\t\n");
	free(out);
}
END_TEST

START_TEST(test_csv_values_only)
{
	char *out = layer(0, NB_FMT_CSV, 0);

	assert_has(out, "\n0,W,var,W,2x3,\"0,0\",1,,,,\n");
	assert_has(out, "\n2,,mul,W * x,3,0,,,1,,\n");
	free(out);
}
END_TEST

START_TEST(test_dot)
{
	char *out = layer(1, NB_FMT_DOT, 0);

	assert_has(out, "\tn1 [label=<<b>x</b><br/><font point-size=\"10\">"
		   "var</font><br/>shape 3<br/>value [0.5,  -1,   2]"
		   "<br/>grad [ 17,  21, -27]>];\n");
	assert_has(out, "\tn3 -> n4 [label=<local<br/>[[1, 1, 1],<br/> "
		   "[1, 1, 1]]<br/>down 21>];\n");
	free(out);
	out = layer(0, NB_FMT_DOT, 0);
	assert_has(out, "\tn3 -> n4;\n");
	assert_lacks(out, "grad");
	free(out);
}
END_TEST

/* --max-elements elides the table and DOT, never JSON or CSV. */
START_TEST(test_elide)
{
	static const double v[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct nb_program p;
	struct nb_diag d;
	char *out;

	compile_ok(&p, "f = v * 2");
	bind(&p, "v", nb_shape_vector(10), v);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	out = render(&p, NB_FMT_TABLE, 4);
	assert_has(out, "[0, 1, ..., 8, 9]");
	assert_has(out, "f (10) = [ 0,  2, ..., 16, 18]\n");
	free(out);
	out = render(&p, NB_FMT_TABLE, 0);
	assert_has(out, "f (10) = [ 0,  2,  4, ..., 14, 16, 18]\n");
	free(out);
	out = render(&p, NB_FMT_TABLE, SIZE_MAX);
	assert_has(out, "f (10) = [ 0,  2,  4,  6,  8, 10, 12, 14, 16, 18]\n");
	free(out);
	out = render(&p, NB_FMT_DOT, 2);
	assert_has(out, "value [0, ..., 9]");
	free(out);
	out = render(&p, NB_FMT_JSON, 2);
	assert_has(out, "\"value\": [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]");
	free(out);	nb_program_free(&p);
}
END_TEST

/* On a narrow terminal a table shows fewer elements (before it loses
 * digits) unless --max-elements was given; the summary shows them all. */
START_TEST(test_fit)
{
	static const double g[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
				      12, 13, 14, 15 };
	struct nb_program p;
	struct nb_diag d;
	char *out;

	compile_ok(&p, "f = G * 3");
	bind(&p, "G", nb_shape_matrix(2, 8), g);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	out = render_in(&p, NB_FMT_TABLE, 0, 60);
	assert_has(out, "  #2  f     mul    G * 3   2x8    [[ 0,  3, ..., 18, 21],\n");
	assert_has(out, "f (2x8) = [[ 0,  3,  6, ..., 15, 18, 21],\n");
	free(out);
	out = render_in(&p, NB_FMT_TABLE, 6, 60);
	assert_has(out, "  #2  f     mul    G * 3   2x8    "
		   "[[ 0,  3,  6, ..., 15, 18, 21],\n");
	free(out);
	nb_program_free(&p);
}
END_TEST

static Suite *twriters_suite(void)
{
	Suite *s = suite_create("twriters");
	TCase *tc = tcase_create("twriters");

	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_table_values_only);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_values_only);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_csv_values_only);
	tcase_add_test(tc, test_dot);
	tcase_add_test(tc, test_elide);
	tcase_add_test(tc, test_fit);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(twriters_suite);
