/* tests/tkcheck.c -- driving one tensor kernel by hand (tkcheck.h). */
#include "tkcheck.h"

#include <check.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/ops.h"
#include "num/rng.h"
#include "testrand.h"

double tk_dyadic(uint64_t *st)
{
	return ((double)(splitmix64(st) % 2048) - 1024) / 1024;
}

size_t tk_count(const struct nb_shape *s)
{
	size_t c = 1;

	for (int i = 0; i < s->rank; i++)
		c *= s->dim[i];
	return c;
}

static double *doubles(size_t n)
{
	double *x = nb_malloc((n ? n : 1) * sizeof *x);

	ck_assert_ptr_nonnull(x);
	return x;
}

/* Elements past the end of every buffer a kernel writes, and their
 * value: a kernel that writes past its output changes them. */
#define GUARDS 8
#define GUARD (-777.25)

/* n doubles for a kernel to write, all nan (what it leaves unwritten
 * shows), then the guards. */
static double *nans(size_t n)
{
	double *x = doubles(n + GUARDS);

	for (size_t i = 0; i < n + GUARDS; i++)
		x[i] = i < n ? NAN : GUARD;
	return x;
}

/* The guards after the n elements of x, as nans left them. */
static void guarded(const double *x, size_t n, const char *what,
		    enum nb_op op)
{
	for (size_t i = n; i < n + GUARDS; i++)
		ck_assert_msg(x[i] == GUARD, "%s: %s written past its %zu "
			      "elements", nb_ops[op].name, what, n);
}

struct tk_in *tk_add(struct tk_node *n, const char *name, struct nb_shape s,
		     const double *vals, uint64_t *st)
{
	struct tk_in *a = &n->in[n->nin++];
	size_t c = tk_count(&s);

	ck_assert_uint_le(n->nin, TK_MAXIN);
	memset(a, 0, sizeof *a);
	a->s = s;
	a->name = name;
	a->x = doubles(c);
	for (size_t i = 0; i < c; i++)
		a->x[i] = vals ? vals[i] : st ? tk_dyadic(st) : 0;
	return a;
}

struct tk_in *tk_add_const(struct tk_node *n, const char *name, double v)
{
	struct tk_in *a = tk_add(n, name, nb_shape_scalar(), &v, NULL);

	a->known = 1;
	a->index = 1;
	return a;
}

void tk_free(struct tk_node *n)
{
	for (size_t k = 0; k < n->nin; k++)
		nb_free(n->in[k].x);
	n->nin = 0;
}

/* The inputs as kernels see them: values at shape time only if known. */
static void targs(const struct tk_node *n, struct nb_targ *a, int at_shape)
{
	for (size_t k = 0; k < n->nin; k++) {
		a[k].s = n->in[k].s;
		a[k].x = !at_shape || n->in[k].known ? n->in[k].x : NULL;
		a[k].name = n->in[k].name;
		a[k].trans = 0;
	}
}

int tk_shape(const struct tk_node *n, struct nb_shape *out, char *why)
{
	struct nb_targ a[TK_MAXIN];

	targs(n, a, 1);
	return nb_tkernel_shape(n->op, n->axis, a, n->nin, out, why);
}

/* A node for the kernels; its work is asked with no values, as the
 * shape pass asks, and starts as nan. */
static struct nb_tnode tnode(const struct tk_node *n, struct nb_targ *a,
			     const struct nb_shape *vs)
{
	struct nb_tnode t = { n->op, n->axis, a, n->nin, NULL, *vs, NULL,
			      NULL, NULL, NULL };

	targs(n, a, 1);
	for (size_t k = 0; k < n->nin; k++)
		a[k].x = NULL;
	t.work = nans(nb_tkernel_work(&t));
	targs(n, a, 0);
	return t;
}

/* The forward kernel into v, from a generator started at TK_SEED. */
static int run_forward(struct nb_tnode *t, double *v, char *why)
{
	struct nb_rng rng;

	nb_rng_seed(&rng, TK_SEED);
	t->v = v;
	t->rng = &rng;
	return nb_tkernel_forward(t, why);
}

int tk_forward(const struct tk_node *n, double **v, struct nb_shape *vs,
	       char *why)
{
	struct nb_targ a[TK_MAXIN];
	struct nb_tnode t;
	int r;

	ck_assert_msg(tk_shape(n, vs, why) == 0, "%s", why);
	t = tnode(n, a, vs);
	*v = nans(tk_count(vs));
	r = run_forward(&t, *v, why);
	guarded(*v, tk_count(vs), "the value", n->op);
	guarded(t.work, nb_tkernel_work(&t), "the work", n->op);
	nb_free(t.work);
	if (r) {
		nb_free(*v);
		*v = NULL;
	}
	return r;
}

double *tk_value(const struct tk_node *n, struct nb_shape *vs)
{
	char why[NB_TKERNEL_WHY] = "";
	double *v;

	ck_assert_msg(tk_forward(n, &v, vs, why) == 0, "%s", why);
	return v;
}

/* <dv, f(x)> from the forward kernel, at the node's current inputs,
 * its value computed into v (t's own stays for the VJPs). */
static double project(const struct nb_tnode *t, const double *dv, double *v)
{
	char why[NB_TKERNEL_WHY] = "";
	struct nb_tnode c = *t;
	size_t n = tk_count(&t->vs);
	double s = 0;

	ck_assert_msg(run_forward(&c, v, why) == 0, "%s", why);
	guarded(v, n, "the value", t->op);
	for (size_t i = 0; i < n; i++)
		s += dv[i] * v[i];
	return s;
}

/* Every element of input k's VJP da against central differences. */
static void check_input(struct tk_node *n, const struct nb_tnode *t,
			size_t k, const double *da, double h, double tol)
{
	const char *op = nb_ops[n->op].name;
	struct tk_in *in = &n->in[k];
	double *v = nans(tk_count(&t->vs));

	for (size_t e = 0; e < tk_count(&in->s); e++) {
		double x = in->x[e], up, down, diff;

		if (in->index) {
			ck_assert_msg(da[e] == 0, "%s: index input %s gets "
				      "gradient %g at %zu", op, in->name,
				      da[e], e);
			continue;
		}
		in->x[e] = x + h;
		up = project(t, t->dv, v);
		in->x[e] = x - h;
		down = project(t, t->dv, v);
		in->x[e] = x;
		diff = (up - down) / (2 * h);
		ck_assert_msg(fabs(diff - da[e]) <= tol * (1 + fabs(diff)),
			      "%s: d/d%s[%zu]: vjp %.17g, central difference "
			      "%.17g", op, in->name, e, da[e], diff);
	}
	nb_free(v);
}

void tk_check_vjp(struct tk_node *n, double h, double tol, uint64_t seed)
{
	struct nb_targ a[TK_MAXIN];
	struct nb_shape vs;
	struct nb_tnode t;
	double *v = tk_value(n, &vs), *dv = doubles(tk_count(&vs));

	for (size_t i = 0; i < tk_count(&vs); i++)
		dv[i] = tk_dyadic(&seed);
	t = tnode(n, a, &vs);
	t.v = v;
	t.dv = dv;
	for (size_t k = 0; k < n->nin; k++) {
		double *da = nans(tk_count(&n->in[k].s));
		nb_tkernel_vjp(&t, k, da);
		guarded(da, tk_count(&n->in[k].s), "a VJP", n->op);
		check_input(n, &t, k, da, h, tol);
		nb_free(da);
	}
	nb_free(t.work);
	nb_free(v);
	nb_free(dv);
}

/* Moves every differentiated input to keep + h * tan. */
static void move(struct tk_node *n, double *const *keep,
		 double *const *tan, double h)
{
	for (size_t k = 0; k < n->nin; k++)
		for (size_t e = 0; !n->in[k].index && e < tk_count(&n->in[k].s);
		     e++)
			n->in[k].x[e] = keep[k][e] + h * tan[k][e];
}

/* f(x + h t) into out, the inputs restored after. */
static void forward_at(struct tk_node *n, const struct nb_tnode *t,
		       double *const *keep, double *const *tan, double h,
		       double *out)
{
	char why[NB_TKERNEL_WHY] = "";
	struct nb_tnode c = *t;

	move(n, keep, tan, h);
	ck_assert_msg(run_forward(&c, out, why) == 0, "%s", why);
	move(n, keep, tan, 0);
}

void tk_check_jvp(struct tk_node *n, double h, double tol, uint64_t seed)
{
	struct nb_targ a[TK_MAXIN];
	struct nb_shape vs;
	struct nb_tnode t;
	double *v = tk_value(n, &vs), *keep[TK_MAXIN], *tan[TK_MAXIN];
	size_t nv = tk_count(&vs);
	double *dt = nans(nv), *up = doubles(nv), *down = doubles(nv);

	t = tnode(n, a, &vs);
	t.v = v;
	for (size_t k = 0; k < n->nin; k++) {
		size_t c = tk_count(&n->in[k].s);
		keep[k] = doubles(c);
		memcpy(keep[k], n->in[k].x, c * sizeof *keep[k]);
		tan[k] = n->in[k].index ? nans(c) : doubles(c);
		for (size_t e = 0; !n->in[k].index && e < c; e++)
			tan[k][e] = tk_dyadic(&seed);
		a[k].t = tan[k];
	}
	nb_tkernel_jvp(&t, dt);
	forward_at(n, &t, keep, tan, h, up);
	forward_at(n, &t, keep, tan, -h, down);
	for (size_t i = 0; i < nv; i++) {
		double diff = (up[i] - down[i]) / (2 * h);
		ck_assert_msg(fabs(diff - dt[i]) <= tol * (1 + fabs(diff)),
			      "%s: tangent[%zu]: jvp %.17g, central difference "
			      "%.17g", nb_ops[n->op].name, i, dt[i], diff);
	}
	for (size_t k = 0; k < n->nin; k++) {
		nb_free(keep[k]);
		nb_free(tan[k]);
	}
	nb_free(t.work);
	nb_free(v);
	nb_free(dt);
	nb_free(up);
	nb_free(down);
}

/* The VJP of input k at x + h t (the inputs restored after) into da;
 * the node's value there is computed into v. */
static void vjp_at(struct tk_node *n, const struct nb_tnode *t, size_t k,
		   double *const *keep, double *const *tan, double h,
		   double *v, double *da)
{
	struct nb_tnode c = *t;

	forward_at(n, t, keep, tan, h, v);
	move(n, keep, tan, h);
	c.v = v;
	nb_tkernel_vjp(&c, k, da);
	move(n, keep, tan, 0);
}

/* Input k's second-order term d2 (NULL: the kernel says it is 0)
 * against central differences of its VJP along the tangents. */
static void check_vjp2_input(struct tk_node *n, const struct nb_tnode *t,
			     size_t k, double *const *keep,
			     double *const *tan, const double *d2, double h,
			     double tol)
{
	size_t c = tk_count(&n->in[k].s), nv = tk_count(&t->vs);
	double *up = doubles(c), *down = doubles(c), *v = doubles(nv);

	vjp_at(n, t, k, keep, tan, h, v, up);
	vjp_at(n, t, k, keep, tan, -h, v, down);
	for (size_t e = 0; e < c; e++) {
		double diff = (up[e] - down[e]) / (2 * h), got = d2 ? d2[e] : 0;
		ck_assert_msg(fabs(diff - got) <= tol * (1 + fabs(diff)),
			      "%s: second-order term of %s[%zu]: %s%.17g, "
			      "central difference of the vjp %.17g",
			      nb_ops[n->op].name, n->in[k].name, e,
			      d2 ? "" : "none, so ", got, diff);
	}
	nb_free(up);
	nb_free(down);
	nb_free(v);
}

void tk_check_vjp2(struct tk_node *n, double h, double tol, uint64_t seed)
{
	struct nb_targ a[TK_MAXIN];
	struct nb_shape vs;
	struct nb_tnode t;
	double *v = tk_value(n, &vs), *keep[TK_MAXIN], *tan[TK_MAXIN];
	size_t nv = tk_count(&vs);
	double *dv = doubles(nv), *vt = nans(nv);

	for (size_t i = 0; i < nv; i++)
		dv[i] = tk_dyadic(&seed);
	t = tnode(n, a, &vs);
	t.v = v;
	t.dv = dv;
	for (size_t k = 0; k < n->nin; k++) {
		size_t c = tk_count(&n->in[k].s);
		keep[k] = doubles(c);
		memcpy(keep[k], n->in[k].x, c * sizeof *keep[k]);
		tan[k] = n->in[k].index ? nans(c) : doubles(c);
		for (size_t e = 0; !n->in[k].index && e < c; e++)
			tan[k][e] = tk_dyadic(&seed);
		a[k].t = tan[k];
	}
	nb_tkernel_jvp(&t, vt);
	for (size_t k = 0; k < n->nin; k++) {
		size_t c = tk_count(&n->in[k].s);
		double *d2 = nans(c);
		int has = nb_tkernel_vjp2(&t, vt, k, d2);
		guarded(d2, c, "a second-order term", n->op);
		if (!n->in[k].index)
			check_vjp2_input(n, &t, k, keep, tan, has ? d2 : NULL,
					 h, tol);
		nb_free(d2);
	}
	for (size_t k = 0; k < n->nin; k++) {
		nb_free(keep[k]);
		nb_free(tan[k]);
	}
	nb_free(t.work);
	nb_free(v);
	nb_free(dv);
	nb_free(vt);
}

void tk_check_shape_error(const struct tk_node *n, const char *want)
{
	char why[NB_TKERNEL_WHY] = "";
	struct nb_shape out;

	ck_assert_int_eq(tk_shape(n, &out, why), -1);
	ck_assert_str_eq(why, want);
}

void tk_check_forward_error(const struct tk_node *n, const char *want)
{
	char why[NB_TKERNEL_WHY] = "";
	struct nb_shape vs;
	double *v;

	ck_assert_int_eq(tk_forward(n, &v, &vs, why), -1);
	ck_assert_str_eq(why, want);
}

struct nb_shape tk_rank_shape(int rank, uint32_t d0, uint32_t d1)
{
	return rank == 0 ? nb_shape_scalar()
	       : rank == 1 ? nb_shape_vector(d0) : nb_shape_matrix(d0, d1);
}

void tk_check_op(void (*check)(struct tk_node *, double, double, uint64_t),
		 enum nb_op op, int attr, const struct nb_shape *s,
		 size_t nin, double h, double tol, uint64_t seed)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	struct tk_node nd = { .op = op, .axis = attr };

	for (size_t k = 0; k < nin; k++)
		tk_add(&nd, names[k], s[k], NULL, &seed);
	check(&nd, h, tol, seed);
	tk_free(&nd);
}
