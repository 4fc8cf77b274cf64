/* argvalue.c - reading a command-line value: number, expression, @FILE. */
#include "front/argvalue.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/domain.h"
#include "core/escape.h"
#include "core/program.h"
#include "core/view.h"
#include "front/valuefile.h"
#include "num/numfmt.h"
#include "num/rng.h"

/* Whether s is one word, maybe signed, of the characters a number is
 * spelled with (0x10, 1.2.3, abc): what a user meant as a number, so a
 * failure keeps the number's message rather than the compiler's. */
static int numberish(const char *s)
{
	s += *s == '-' || *s == '+';
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int not_a_number(const char *what, const char *value,
			struct nb_diag *d)
{
	struct nb_quote q;

	return nb_error_plain(d, NB_EUSAGE, "%s: '%s' is not a number", what,
			      nb_quote_str(&q, value));
}

/* A number: 0, or -1 when value is not one, or the exit status of a
 * number out of a double's range. */
static int number(const char *what, const char *value, double *v,
		  struct nb_diag *d)
{
	struct nb_quote q;
	size_t len = strlen(value);

	if (nb_read_number(value, len, v))
		return -1;
	if (isinf(*v) && !strpbrk(value, "iI"))
		return nb_error_plain(d, NB_EUSAGE,
				      "%s: '%s' is too large for a double "
				      "(write inf if you mean it)", what,
				      nb_quote_str(&q, value));
	if (nb_number_underflows(value, len, *v))
		return nb_error_plain(d, NB_EUSAGE,
				      "%s: '%s' is too small for a double "
				      "(write 0 if you mean it)", what,
				      nb_quote_str(&q, value));
	return 0;
}

/* Keeps text (from nb_malloc, len bytes) as the source of d when d is
 * located; frees it otherwise. */
static void keep_source(struct nb_argvalue *a, const char *name, char *text,
			size_t len, const struct nb_diag *d)
{
	if (!d->located) {
		nb_free(text);
		return;
	}
	nb_free(a->text);
	a->text = text;
	a->src = (struct nb_source){ name, text, len, 0 };
}

static int copy_view(const struct nb_view *v, struct nb_tensor *out,
		     struct nb_diag *d)
{
	size_t n;

	if (nb_tensor_alloc(out, &v->shape))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	nb_shape_size(&v->shape, &n);
	memcpy(out->data, v->x, n * sizeof *out->data);
	return 0;
}

/* An error at the first variable of vp that vp does not bind itself
 * (a value may name no input), or 0. */
static int uses_input(const struct nb_program *vp, struct nb_diag *d)
{
	struct nb_span s;
	size_t k = 0;

	while (k < vp->nvars && vp->bound[k])
		k++;
	if (k == vp->nvars)
		return 0;
	s = nb_tape_name(&vp->tape, vp->vars[k]);
	return nb_error(d, NB_EUSAGE, s.start, s.len,
			"'%.*s' is not bound here: a value is a constant "
			"expression (numbers, pi, e and the functions of "
			"them)", (int)(s.len > 40 ? 40 : s.len),
			vp->src.text + s.start);
}

/* The domain warnings of vp, a value just run, handed to a->warn: as
 * for constants in a program ("log(-1) is nan in a constant").
 * Returns 0, or an exit status with d filled. */
static int value_warnings(const struct nb_argvalue *a, struct nb_program *vp,
			  struct nb_diag *d)
{
	if (!a->warn)
		return 0;
	if (nb_domain_note_constant(vp, &vp->tape, 0, vp->tape.n))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	for (size_t i = 0; i < vp->nconstwarn; i++)
		a->warn(a->ctx, &vp->src, &vp->constwarn[i]);
	return 0;
}

/* VALUE as a program of its own, run; its output is the value. */
static int expression(struct nb_argvalue *a, const char *what,
		      const char *value, struct nb_tensor *out,
		      struct nb_diag *d)
{
	struct nb_program vp = { 0 };
	int r = nb_program_compile(&vp, a->name, value, strlen(value), d);

	if (r == 0)
		r = uses_input(&vp, d);
	/* Not even its first token reads: no expression was meant. */
	if (r != 0 && (numberish(value) || (d->located && d->start == 0))) {
		nb_program_free(&vp);
		return not_a_number(what, value, d);
	}
	if (r == 0) {
		vp.seed = nb_rng_stream(a->seed, ++a->streams);
		r = nb_program_run(&vp, NULL, d);
	}
	if (r == 0) {
		struct nb_view v = nb_node_value(&vp.tape, vp.output);
		if ((r = value_warnings(a, &vp, d)) == 0)
			r = copy_view(&v, out, d);
	}
	if (r != 0) {
		keep_source(a, a->name, (char *)vp.src.text, vp.src.len, d);
		vp.src.text = NULL;
	}
	nb_program_free(&vp);
	return r;
}

static int file(struct nb_argvalue *a, const char *what, const char *path,
		struct nb_tensor *out, struct nb_diag *d)
{
	struct nb_valuefile vf;
	int r;

	if (!*path)
		return nb_error_plain(d, NB_EUSAGE, "%s: no file name after "
				      "'@'", what);
	r = nb_valuefile_read(&vf, path, d);
	if (r == 0) {
		*out = vf.value;
		vf.value.data = NULL;
	} else {
		keep_source(a, path, vf.text, vf.len, d);
		vf.text = NULL;
	}
	nb_valuefile_free(&vf);
	return r;
}

int nb_argvalue_read(struct nb_argvalue *a, const char *what,
		     const char *srcname, size_t srclen, const char *value,
		     struct nb_tensor *out, struct nb_diag *d)
{
	double v;
	int r;

	out->data = NULL;
	if (value[0] == '@')
		return file(a, what, value + 1, out, d);
	if ((r = number(what, value, &v, d)) > 0)
		return r;
	if (r == 0) {
		struct nb_shape s = nb_shape_scalar();
		if (nb_tensor_alloc(out, &s))
			return nb_error_plain(d, NB_EFAIL, "out of memory");
		out->data[0] = v;
		return 0;
	}
	snprintf(a->name, sizeof a->name, "<%.*s>",
		 (int)(srclen > sizeof a->name - 3 ? sizeof a->name - 3
						   : srclen), srcname);
	return expression(a, what, value, out, d);
}

const struct nb_source *nb_argvalue_source(const struct nb_argvalue *a,
					   const struct nb_source *fallback)
{
	return a->text ? &a->src : fallback;
}

void nb_argvalue_free(struct nb_argvalue *a)
{
	nb_free(a->text);
	a->text = NULL;
}
