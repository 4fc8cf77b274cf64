/* tests/check_alloc.c - every allocation failure is a clean error.
 *
 * For each command line below, runs nabla in a child process with the
 * N-th allocation failing, for N = 1, 2, ... until a run no longer reaches
 * the N-th allocation.  A run that hit the failure must exit 1 and say
 * "out of memory" on stderr; no run may crash.  Under the sanitizer or
 * valgrind builds the same sweep also proves nothing leaks on these
 * paths. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "front/cli.h"
#include "testmain.h"

/* Child exit statuses that report what the run did. */
enum { CHILD_CLEAN = 0, CHILD_OOM_OK = 10, CHILD_WRONG = 11 };

struct sweep_case {
	const char *const *argv;
	const char *input;      /* standard input, or NULL for none */
};

static const struct sweep_case cases[] = {
	{ (const char *const[]){ "nabla", "(x + y) * z", "x=-2", "y=5",
				 "z=-4", NULL }, NULL },
	{ (const char *const[]){ "nabla", "-o", "json",
				 "1/(1+exp(-(w0*x0+w1*x1+w2)))", "w0=2",
				 "x0=-1", "w1=-3", "x1=-2", "w2=-3", NULL },
	  NULL },
	{ (const char *const[]){ "nabla", "-o", "csv",
				 "q = x + y; f = max(q, x, 2) * log(x)",
				 "x=-1", "y=5", NULL }, NULL },
	{ (const char *const[]){ "nabla", "-o", "dot", "--wrt", "y",
				 "a = x*x; b = sigmoid(a) + y; f = a / b",
				 "x=3", "y=-4", NULL }, NULL },
	{ (const char *const[]){ "nabla", "a*b + c", NULL }, NULL },
	/* constant bindings, folded after parsing */
	{ (const char *const[]){ "nabla", "x = log(-1); r = 2 * pi\n"
				 "f = x * r + y", "y=1", NULL }, NULL },
	{ (const char *const[]){ "nabla", "sigmod(x)", "x=1", NULL }, NULL },
	/* --symbolic and --emit: rules, expression graph, printers */
	{ (const char *const[]){ "nabla", "--symbolic",
				 "q = x * y; f = max(q, x, 2) / sigmoid(q) + "
				 "x^y", "x=2", NULL }, NULL },
	{ (const char *const[]){ "nabla", "--emit", "c",
				 "q = x * y; f = min(q, x, 2) * log(q) + y^3",
				 NULL }, NULL },
	{ (const char *const[]){ "nabla", "--emit", "python", "--wrt", "y",
				 "sum(x, y) * relu(x) + cbrt(y)", NULL }, NULL },
	/* batch mode: reader, bindings, row writers, a bad row */
	{ (const char *const[]){ "nabla", "--batch", "(x + y) * z", "z=-4",
				 NULL },
	  "x,y,label\n-2,5,\"a, b\"\n1,2,c\n3,oops,d\n" },
	{ (const char *const[]){ "nabla", "--batch", "--nodes", "-o", "jsonl",
				 "sigmoid(x * y)", NULL },
	  "x,y\n1,2\n3,4\n" },
	/* -j 2: the workers' program copies, writers, blocks, threads */
	{ (const char *const[]){ "nabla", "--batch", "-j", "2", "--check",
				 "(x + y) * z", "z=-4", NULL },
	  "x,y,label\n-2,5,\"a, b\"\n1,2,c\n3,oops,d\n4,5,e\n" },
	/* the derivative modes: forward, jvp, Hessian, hvp */
	{ (const char *const[]){ "nabla", "--forward", "q = x + y; f = q * z",
				 "x=-2", "y=5", "z=-4", NULL }, NULL },
	{ (const char *const[]){ "nabla", "-o", "json", "--jvp", "x=1,z=2",
				 "sigmoid(x * y) + z", "x=1", "y=2", "z=3",
				 NULL }, NULL },
	{ (const char *const[]){ "nabla", "--hessian", "--wrt", "x,y",
				 "hypot(x, y) * pow(x, z)", "x=1", "y=2",
				 "z=3", NULL }, NULL },
	{ (const char *const[]){ "nabla", "-o", "csv", "--hvp", "x=1",
				 "atan2(x, y) / y", "x=1", "y=2", NULL },
	  NULL },
	{ (const char *const[]){ "nabla", "--batch", "--jvp", "x=1",
				 "(x + y) * z", "z=-4", NULL },
	  "x,y\n-2,5\n1,oops\n" },
	{ (const char *const[]){ "nabla", "--batch", "--hvp", "x=1,y=2",
				 "-o", "table", "x * y * exp(x)", NULL },
	  "x,y\n1,2\n3,4\n" },
	{ (const char *const[]){ "nabla", NULL },
	  "x = -2; y = 5; z = -4\nf = (x + y) * z\n:forward f\n"
	  ":jvp f x=1 z=2\n:hessian f x y\n:hvp f x=1,y=2\n:jvp f q=1\n" },
	/* --check, --explain, batch --check and their REPL commands */
	{ (const char *const[]){ "nabla", "--check", "-o", "json",
				 "t = relu(x) * y; f = max(t, x) / y", "x=0",
				 "y=2", NULL }, NULL },
	{ (const char *const[]){ "nabla", "--explain",
				 "t = x * x; f = sigmoid(t) + x", "x=1", NULL },
	  NULL },
	{ (const char *const[]){ "nabla", "--batch", "--check", "-o", "table",
				 "abs(x) * y", NULL },
	  "x,y\n0,2\n1,3\nbad,4\n" },
	{ (const char *const[]){ "nabla", NULL },
	  "x = 0; y = 2\nf = relu(x) * y + x\n:check f\n:explain f y\n" },
	/* --verify: the parser's gradient lines, the grader, the reasons */
	{ (const char *const[]){ "nabla", "--verify", "-", "x=2", "y=-3",
				 NULL },
	  "z = 0.5\na = x * y\np = a * math.exp(z)\nb = a + p\nf = b * 2\n"
	  "df = 1.0\ndb = 2 * df\nda = db\ndp = db\ndx = da * y\n"
	  "da += dp * math.exp(z)\ndy = -da * x\ndz = dp * a\n" },
	{ (const char *const[]){ "nabla", "--verify", "-", "-o", "json",
				 NULL },
	  "x = 3\ny = x * x + x\ndy = 1\ndx = dy * x\ndx = dy\n" },
	/* --verify on tensors: the lines' own tapes, the shape reasons */
	{ (const char *const[]){ "nabla", "--verify", "-", "-o", "json",
				 NULL },
	  "W = [[1, 2, 0], [-1, 0, 3]]\nX = [[2, -1], [0, 1], [1, 1]]\n"
	  "D = W.dot(X)\ndD = [[1, -2], [0, 3]]\ndW = X.T @ dD\n"
	  "dX = W @ dD\n" },
	/* tensors: constant-expression bindings, the shape pass, the
	 * kernels, both sweeps, --upstream, --jacobian and every writer */
	{ (const char *const[]){ "nabla", "--seed", "3", "-o", "json",
				 "L = sum(softmax(W @ x + b) * onehot(1, 3))",
				 "W=randn(3,4)", "x=[1,-2,3,-3]", "b=zeros(3)",
				 NULL }, NULL },
	{ (const char *const[]){ "nabla", "--upstream", "[4,-1,5,9]",
				 "max(0, x)", "x=[1,-2,3,-3]", NULL }, NULL },
	{ (const char *const[]){ "nabla", "-o", "csv", "--upstream",
				 "ones(2,2)", "D = E[ids] @ X.T",
				 "E=[[1,2],[3,4],[5,6]]", "ids=[2,0]",
				 "X=eye(2)", NULL }, NULL },
	{ (const char *const[]){ "nabla", "--jacobian", "relu(x) * 2",
				 "x=[1,-2,3]", NULL }, NULL },
	/* script mode: statements and commands */
	{ (const char *const[]){ "nabla", NULL },
	  "x = -2; y = 5; z = -4\nq = x + y\nf = q * z\n:grad f\n"
	  ":graph f\n:vars\n:defs\nx = 1\nf\n:del f\nsigmod(x)\n" },
	{ (const char *const[]){ "nabla", NULL },
	  "x = -2; y = 5\nf = exp(x) * y\n:symbolic f\n:emit c f\n" },
};

/* Cases that read the file v.json, with its text, in a scratch
 * directory the run starts in (and may write to).  As above, options
 * come first: getopt would permute the read-only argv. */
struct file_case {
	struct sweep_case c;
	const char *file;
};

static const struct file_case file_cases[] = {
	/* values: @FILE, constant expressions, --upstream, --jacobian,
	 * --save-grad */
	{ { (const char *const[]){ "nabla", "--save-grad", "g",
				   "--upstream=@v.json", "x * y + z",
				   "x=@v.json", "y=2*pi", "z=1", NULL },
	    NULL },
	  "[1, -2, 3, -3]" },
	{ { (const char *const[]){ "nabla", "--jacobian", "-o", "json",
				 "max(0, x) * y", "x=@v.json", "y=exp(1)",
				 NULL }, NULL },
	  "[[1, -2], [3, -3]]" },
	{ { (const char *const[]){ "nabla", "--jacobian", "x * y", "x=@v.json",
				 "y=2", "w=@v.json", NULL }, NULL },
	  "[[1, -2], [3, -3]]" },
	{ { (const char *const[]){ "nabla", "-q", "--save-grad", "g", "x * y",
				 "x=2", "y=sqrt(2)", NULL }, NULL },
	  "1" },
};

/* A file holding text, open for reading from its start. */
static FILE *input_file(const char *text)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	rewind(f);
	return f;
}

/* Runs case c with allocation n failing, in directory dir if not NULL;
 * returns the child's verdict. */
static int run_child(const struct sweep_case *c, unsigned long n,
		     const char *dir)
{
	const char *const *argv = c->argv;
	const char *what = argv[1] ? argv[1] : "(script)";
	char errbuf[4096];
	int errpipe[2], status;
	ssize_t got, len = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(errpipe), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int argc = 0, r;
		if (!freopen("/dev/null", "w", stdout))
			_exit(99);
		if (c->input)
			dup2(fileno(input_file(c->input)), 0);
		else if (!freopen("/dev/null", "r", stdin))
			_exit(99);
		dup2(errpipe[1], 2);
		close(errpipe[0]);
		if (dir && chdir(dir) != 0)
			_exit(99);
		while (argv[argc])
			argc++;
		nb_alloc_fail_at(n);
		r = nb_cli_main(argc, (char **)argv);
		/* exit, not _exit: a leak checker (LeakSanitizer, valgrind)
		 * reports at exit and then changes the status. */
		exit(!nb_alloc_fail_hit() ? CHILD_CLEAN
		     : r == 1 ? CHILD_OOM_OK : CHILD_WRONG);
	}
	close(errpipe[1]);
	while ((got = read(errpipe[0], errbuf + len,
			   sizeof errbuf - 1 - (size_t)len)) > 0)
		len += got;
	errbuf[len] = '\0';
	close(errpipe[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "%s: allocation %lu: killed by "
		      "signal %d", what, n, WTERMSIG(status));
	if (WEXITSTATUS(status) == CHILD_OOM_OK)
		ck_assert_msg(strstr(errbuf, "out of memory"),
			      "%s: allocation %lu: stderr was: %s", what, n,
			      errbuf);
	return WEXITSTATUS(status);
}

/* Makes the directory dir (a mkdtemp template) with v.json holding
 * text. */
static void scratch(char *dir, const char *text)
{
	char path[64];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/v.json", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* Fails each allocation of case c in turn, in directory dir if not
 * NULL. */
static void sweep(const struct sweep_case *c, const char *dir)
{
	const char *what = c->argv[1] ? c->argv[1] : "(script)";
	unsigned long n;
	int verdict = CHILD_OOM_OK;

	for (n = 1; verdict == CHILD_OOM_OK; n++) {
		verdict = run_child(c, n, dir);
		ck_assert_msg(verdict == CHILD_OOM_OK || verdict == CHILD_CLEAN,
			      "%s: allocation %lu failed but the exit status "
			      "was not 1, or memory leaked (child status %d)",
			      what, n, verdict);
	}
	/* The sweep must have exercised something. */
	ck_assert_uint_gt(n, 2);
}

START_TEST(every_allocation_can_fail)
{
	sweep(&cases[_i], NULL);
}
END_TEST

START_TEST(every_allocation_can_fail_with_files)
{
	char dir[] = "/tmp/nabla-alloc.XXXXXX", cmd[64];

	scratch(dir, file_cases[_i].file);
	sweep(&file_cases[_i].c, dir);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *alloc_suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("fail");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, every_allocation_can_fail, 0,
			    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_loop_test(tc, every_allocation_can_fail_with_files, 0,
			    (int)(sizeof file_cases / sizeof file_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(alloc_suite);
