/* out.c - the block every record writer fills. */
#include "output/out.h"

#include <errno.h>
#include <stdarg.h>

#include "core/alloc.h"
#include "output/outfile.h"

int nb_out_open(struct nb_out *o, FILE *f)
{
	*o = (struct nb_out){ f, nb_malloc(NB_OUT_BLOCK), 0, NB_OUT_BLOCK, 0,
			      1, 0, 0 };
	return o->buf ? 0 : -1;
}

void nb_out_init(struct nb_out *o, FILE *f, char *buf, size_t cap)
{
	*o = (struct nb_out){ f, buf, 0, cap, 0, 0, 0, 0 };
}

void nb_out_drain(struct nb_out *o)
{
	if (o->n && !o->err && nb_write_whole(o->f, o->buf, o->n))
		o->err = errno;
	o->n = 0;
}

void nb_out_make_room(struct nb_out *o, size_t len)
{
	if (!o->lines) {
		nb_out_drain(o);
		return;
	}
	/* An owned block: nb_out_open's, the only kind batch mode uses. */
	if (nb_grow((void **)&o->buf, &o->cap, o->n + len, 1)) {
		if (!o->err)
			o->err = ENOMEM;
		o->n = 0;
	}
}

int nb_out_close(struct nb_out *o)
{
	int flushed;

	nb_out_drain(o);
	if (o->owned)
		nb_free(o->buf);
	o->buf = NULL;
	flushed = nb_flush_out(o->f);
	if (o->err) {
		errno = o->err;
		return -1;
	}
	return flushed;
}

void nb_out_put(struct nb_out *o, const char *s, size_t len)
{
	if (len == 0)   /* memcpy must not see a NULL buffer, even empty */
		return;
	if (o->n + len > o->cap)
		nb_out_make_room(o, len);
	if (o->n + len > o->cap) {
		/* Larger than a block (or no memory to grow it). */
		if (!o->lines && !o->err && nb_write_whole(o->f, s, len))
			o->err = errno;
		return;
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

void nb_out_spaces(struct nb_out *o, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		nb_out_put(o, spaces, k);
		n -= k;
	}
}

void nb_out_printf(struct nb_out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		nb_out_put(o, buf, (size_t)n < sizeof buf ? (size_t)n
							  : sizeof buf - 1);
}
