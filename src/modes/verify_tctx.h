/* verify_tctx.h - what grading the backward pass of a program with
 * vectors and matrices knows, shared by the grader (verify_tensor.c),
 * the evaluation of its lines (verify_tline.c) and the table of classic
 * mistakes on tensors (verify_twhy.c), and the sweep of the forward
 * program (verify_tsweep.c).
 *
 * The forward program is copied to a tape of its own and swept there,
 * so that a line of the backward pass whose shapes do not fit is a
 * wrong line, not an error of the whole file.  Each line is evaluated
 * on a small tape of its own too: the nodes of its right side, with
 * every node it reads from before it (a forward value, a gradient an
 * earlier line computed) as a leaf whose value the grader chooses: the
 * student's, the right one, or a substitute; and a variant of the line
 * (its '@' operands swapped, one transposed) is the same tape built
 * slightly differently.  A contribution is what one gate sends back to
 * one named node, as a tensor of that node's shape: the gradients that
 * add up at a fork (verify_ctx.h for scalars). */
#ifndef NABLA_VERIFY_TCTX_H
#define NABLA_VERIFY_TCTX_H

#include <stddef.h>
#include <stdint.h>

#include "core/shape.h"
#include "core/tape.h"
#include "core/view.h"

struct nb_verify;
struct nb_gradline;

struct tcontrib {
	uint32_t gate, of;
	double *d;              /* its elements, in of's shape */
	unsigned char state;    /* TOPEN, TMATCHED or TTRIED */
	uint32_t line;          /* the line that matched or tried it */
};

enum { TOPEN, TMATCHED, TTRIED };

/* How a line is evaluated: what its gradients read, and how it is
 * changed. */
enum tread { READ_STUDENT, READ_RIGHT };
enum {
	CHANGE_SWAP = 1,        /* a @ b read as b @ a */
	CHANGE_T0 = 2,          /* then the first operand transposed, or
				 * its .T dropped */
	CHANGE_T1 = 4,          /* the same for the second */
	CHANGE_SUBST = 8        /* a node's value replaced */
};

struct tvariant {
	unsigned change;        /* CHANGE_ flags */
	uint32_t node;          /* the '@' node changed, or the node whose
				 * value is replaced */
	struct nb_view subst;   /* CHANGE_SUBST: its value instead */
};

struct nb_tverify {
	struct nb_tape fwd;     /* the forward program, swept */
	uint32_t nfwd;
	uint32_t upline;        /* the line that gives a tensor output's
				 * gradient, or UINT32_MAX */
	double tol;
	int prec;
	int oom;                /* an allocation failed where the grading
				 * went on (a reason not tried) */
	struct tcontrib *c;
	size_t nc, ccap;
	struct nb_tensor *partial;      /* per forward node: what a right
					 * pass has added so far */
	uint32_t *nlines;       /* per forward node: lines so far */
	int64_t *wrong;         /* per forward node: its last wrong line, or
				 * -1 */
	int64_t *lineof;        /* per backward node: the line whose result
				 * it is, or -1 */
	struct nb_tensor *student;      /* per line: its target's value
					 * after it (data NULL: none) */
	uint32_t *mark;         /* per node of the program: scratch */
	uint32_t stamp;
	uint32_t *map;          /* per node of the program: its node on a
				 * line's tape */
	uint32_t *refs;         /* the nodes from before the line that it
				 * reads */
	size_t nrefs;
	/* The line being graded. */
	size_t k;
	const struct nb_gradline *g;
	int self;               /* it reads its own target */
	struct nb_tensor c2;    /* its value reading right gradients (data
				 * NULL: it has none) */
	char c2why[256];        /* why it has none */
};

/* The program's, the line's, as verify_tensor.c keeps them. */
struct tvx {
	struct nb_verify *v;
	struct nb_tverify *x;
};

/* Small tools on tensors: n zeroed elements of size bytes (at least
 * one); the number of elements of a shape; *a = a copy of w (a->data
 * NULL when w has none; -1 when out of memory); a += sign * w. */
void *nb_tvx_zalloc(size_t n, size_t size);
size_t nb_tvx_elems(const struct nb_shape *s);
int nb_tvx_copy(struct nb_tensor *a, struct nb_view w);
void nb_tvx_add(double *a, struct nb_view w, double sign);

/* Evaluates line x->k as var says (NULL: as written), its gradients
 * read as r says, into *out (allocated; free it).  Returns 0; 1 when the
 * line has no value (a shape or index error, or it reads a gradient
 * that has none), with why (size bytes) saying so; -1 when out of
 * memory. */
int nb_tvx_eval(const struct tvx *t, enum tread r,
		const struct tvariant *var, struct nb_tensor *out, char *why,
		size_t size);
/* Finds the nodes line x->k reads from before it (x->refs). */
void nb_tvx_refs(const struct tvx *t);
/* The value of ref node j as r says. */
struct nb_view nb_tvx_read(const struct tvx *t, uint32_t j, enum tread r);
/* Whether a and b have one shape and agree elementwise within the
 * tolerance, relative to the largest element of either and of scale
 * (NULL: none). */
int nb_tvx_near(const struct tvx *t, struct nb_view a, struct nb_view b,
		const struct nb_view *scale);
/* Views of a tensor and of a contribution. */
struct nb_view nb_tvx_view(const struct nb_tensor *a);
struct nb_view nb_tvx_cview(const struct tvx *t, const struct tcontrib *c);
/* The true gradient of forward node i. */
struct nb_view nb_tvx_grad(const struct tvx *t, uint32_t i);
/* Whether ref node j is a gradient an earlier line computed, and the
 * forward node whose gradient it is. */
int nb_tvx_is_gradient(const struct tvx *t, uint32_t j, uint32_t *of);
/* The contribution of the target that the wrong line most likely
 * meant, and the reason (verify_twhy.c); NULL when none is left. */
const struct tcontrib *nb_tvx_diagnose(const struct tvx *t, char *why,
				       size_t size);
/* The open contribution of the target the line most likely means: the
 * one from the gate whose gradient it reads, else the first. */
struct tcontrib *nb_tvx_meant(const struct tvx *t);

#endif
