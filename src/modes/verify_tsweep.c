/* verify_tsweep.c - the forward program of a backward pass on vectors
 * and matrices (verify_tctx.h): copied to a tape of its own and swept
 * there, its tensor output's gradient taken from the pass's first line
 * for it (the seeds' dD = np.random.randn(*D.shape)), and what each gate
 * sends back to each named node, edge by edge. */
#include <string.h>

#include "core/alloc.h"
#include "core/sweep.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "modes/verify.h"
#include "modes/verify_tctx.h"

#define NONE UINT32_MAX

static int copy_forward(struct nb_tape *f, const struct nb_tape *p,
			uint32_t nfwd)
{
	for (uint32_t i = 0; i < nfwd; i++) {
		uint32_t id;
		struct nb_span nm = nb_tape_name(p, i);
		if (nb_tape_push(f, (enum nb_op)p->op[i], nb_tape_span(p, i),
				 p->in + p->first[i], nb_tape_nin(p, i), &id) ||
		    (nb_tape_attr(p, i) &&
		     nb_tape_set_attr(f, id, nb_tape_attr(p, i))) ||
		    (nm.len && nb_tape_set_name(f, id, nm)))
			return -1;
		f->value[id] = p->value[i];
	}
	return 0;
}

static int oom(struct nb_diag *d)
{
	return nb_error_plain(d, NB_EFAIL, "out of memory");
}

static int setup(struct nb_verify *v, struct nb_tverify *x)
{
	size_t n = v->p.tape.n, nb = n - x->nfwd;

	x->upline = NONE;
	x->partial = nb_tvx_zalloc(x->nfwd, sizeof *x->partial);
	x->nlines = nb_tvx_zalloc(x->nfwd, sizeof *x->nlines);
	x->wrong = nb_tvx_zalloc(x->nfwd, sizeof *x->wrong);
	x->lineof = nb_tvx_zalloc(nb, sizeof *x->lineof);
	x->student = nb_tvx_zalloc(v->bw.n, sizeof *x->student);
	x->mark = nb_tvx_zalloc(n, sizeof *x->mark);
	x->map = nb_tvx_zalloc(n, sizeof *x->map);
	x->refs = nb_tvx_zalloc(n, sizeof *x->refs);
	if (!x->partial || !x->nlines || !x->wrong || !x->lineof ||
	    !x->student || !x->mark || !x->map || !x->refs)
		return -1;
	for (size_t i = 0; i < x->nfwd; i++)
		x->wrong[i] = -1;
	for (size_t i = 0; i < nb; i++)
		x->lineof[i] = -1;
	for (size_t k = 0; k < v->bw.n; k++)
		x->lineof[v->bw.line[k].node - x->nfwd] = (int64_t)k;
	return 0;
}

/* The tensor output's gradient: the value of the first line that gives
 * it, which must read no gradient and have the output's shape. */
static int upstream(struct nb_verify *v, struct nb_tverify *x,
		    struct nb_tensor *up, struct nb_diag *d)
{
	struct tvx t = { v, x };
	struct nb_shape os = nb_node_value(&x->fwd, v->p.output).shape;
	char why[256], a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];
	size_t len;
	const char *out = nb_program_outname(&v->p, &len);
	int r;

	for (size_t k = 0; k < v->bw.n && x->upline == NONE; k++)
		if (v->bw.line[k].of == v->p.output)
			x->upline = (uint32_t)k;
	if (x->upline == NONE)
		return nb_error_plain(d, NB_EUSAGE, "the output %.*s is %s, not a "
				      "scalar: the backward pass starts with its "
				      "gradient, d%.*s = ... of shape %s (the "
				      "seeds' dD = np.random.randn(*D.shape))",
				      (int)len, out, nb_shape_format(a, &os),
				      (int)len, out, a);
	x->k = x->upline;
	x->g = &v->bw.line[x->upline];
	nb_tvx_refs(&t);
	r = nb_tvx_eval(&t, READ_STUDENT, NULL, up, why, sizeof why);
	if (r < 0)
		return oom(d);
	if (r == 0 && !nb_shape_equal(&up->shape, &os))
		snprintf(why, sizeof why, "it is %s", nb_shape_format(b, &up->shape));
	if (r == 0 && nb_shape_equal(&up->shape, &os))
		return 0;
	return nb_error(d, NB_EUSAGE, x->g->stmt.start, x->g->stmt.len,
			"the gradient of the output %.*s starts the backward "
			"pass and must have its shape %s: %s", (int)len, out,
			nb_shape_format(a, &os), why);
}

static int sweep(struct nb_verify *v, struct nb_tverify *x,
		 struct nb_diag *d)
{
	struct nb_program *p = &v->p;
	struct nb_tleaves lv = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	struct nb_tensor up = { { 0, { 0 } }, NULL };
	int r;

	if ((r = nb_tsweep_prepare(&x->fwd, &lv, 1, p->src.text, d)) != 0)
		return r;
	if (!x->fwd.tv) {
		nb_forward(&x->fwd, 0, x->fwd.n);
		return nb_reverse(&x->fwd, p->output) ? oom(d) : 0;
	}
	if ((r = nb_tsweep_forward(&x->fwd, &lv, p->seed, p->src.text, d)))
		return r;
	if (nb_node_value(&x->fwd, p->output).shape.rank > 0 &&
	    (r = upstream(v, x, &up, d)) != 0) {
		nb_tensor_free(&up);
		return r;
	}
	nb_tsweep_reverse(&x->fwd, p->output, up.data);
	nb_tensor_free(&up);
	return 0;
}

/* Adds edge e's downstream gradient (of node i, to node j) to the
 * contribution of gate to j. */
static int contribute(struct nb_tverify *x, uint32_t gate, uint32_t i,
		      size_t e, uint32_t j)
{
	const struct nb_tape *f = &x->fwd;
	struct nb_view w = nb_node_value(f, j);
	size_t n = nb_tvx_elems(&w.shape), c;
	double s;

	for (c = 0; c < x->nc; c++)
		if (x->c[c].gate == gate && x->c[c].of == j)
			break;
	if (c == x->nc) {
		if (nb_grow((void **)&x->c, &x->ccap, x->nc + 1, sizeof *x->c))
			return -1;
		x->c[c] = (struct tcontrib){ gate, j, nb_tvx_zalloc(n, sizeof(double)),
					     TOPEN, 0 };
		if (!x->c[x->nc++].d)
			return -1;
	}
	if (!f->tv) {
		s = nb_downstream(f->grad[i], f->local[e]);
		nb_tvx_add(x->c[c].d, (struct nb_view){ &s, w.shape }, 1);
	} else {
		nb_tvx_add(x->c[c].d, nb_edge_down(f, e), 1);
	}
	return 0;
}

/* What each gate sends to each named node: unnamed nodes belong to the
 * gate of the statement they are in. */
static int contributions(struct nb_tverify *x)
{
	const struct nb_tape *f = &x->fwd;
	uint32_t *gate = nb_malloc(((size_t)x->nfwd + 1) * sizeof *gate);

	if (!gate)
		return -1;
	for (size_t i = 0; i < x->nfwd; i++)
		gate[i] = NONE;
	for (uint32_t i = x->nfwd; i-- > 0;) {
		if (nb_tape_name(f, i).len)
			gate[i] = i;
		else if (gate[i] == NONE)
			continue;
		for (size_t e = f->first[i]; e < f->first[i + 1]; e++) {
			uint32_t j = f->in[e];
			if (nb_tape_name(f, j).len) {
				if (contribute(x, gate[i], i, e, j)) {
					nb_free(gate);
					return -1;
				}
			} else if (f->op[j] != NB_OP_CONST) {
				gate[j] = gate[i];
			}
		}
	}
	nb_free(gate);
	for (size_t i = 0; i < x->nfwd; i++) {
		struct nb_shape s = nb_node_value(f, i).shape;
		if (nb_tensor_alloc(&x->partial[i], &s))
			return -1;
		memset(x->partial[i].data, 0, nb_tvx_elems(&s) * sizeof(double));
	}
	return 0;
}

int nb_verify_sweep(struct nb_verify *v, struct nb_diag *d)
{
	struct nb_tverify *x;
	int r;

	if (!nb_program_shaped(&v->p))
		return 0;
	if (!(x = v->tv = nb_tvx_zalloc(1, sizeof *x)))
		return oom(d);
	nb_tape_init(&x->fwd);
	x->nfwd = v->bw.started ? v->bw.fwd_end : (uint32_t)v->p.tape.n;
	if (copy_forward(&x->fwd, &v->p.tape, x->nfwd) || setup(v, x))
		return oom(d);
	if ((r = sweep(v, x, d)) != 0)
		return r;
	return contributions(x) ? oom(d) : 0;
}

void nb_verify_tfree(struct nb_verify *v)
{
	struct nb_tverify *x = v->tv;

	if (!x)
		return;
	for (size_t k = 0; v->grade && k < v->bw.n; k++) {
		nb_tensor_free(&v->grade[k].tcomputed);
		nb_tensor_free(&v->grade[k].texpected);
	}
	for (size_t i = 0; i < x->nc; i++)
		nb_free(x->c[i].d);
	for (size_t i = 0; x->partial && i < x->nfwd; i++)
		nb_tensor_free(&x->partial[i]);
	for (size_t k = 0; x->student && k < v->bw.n; k++)
		nb_tensor_free(&x->student[k]);
	nb_tensor_free(&x->c2);
	nb_free(x->c);
	nb_free(x->partial);
	nb_free(x->nlines);
	nb_free(x->wrong);
	nb_free(x->lineof);
	nb_free(x->student);
	nb_free(x->mark);
	nb_free(x->map);
	nb_free(x->refs);
	nb_tape_free(&x->fwd);
	nb_free(x);
	v->tv = NULL;
}
