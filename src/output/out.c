/* out.c - the block every record writer fills. */
#include "output/out.h"

#include <errno.h>
#include <stdarg.h>

#include "core/alloc.h"
#include "output/outfile.h"

int nb_out_open(struct nb_out *o, FILE *f)
{
	*o = (struct nb_out){ f, nb_malloc(NB_OUT_BLOCK), 0, NB_OUT_BLOCK, 0,
			      1 };
	return o->buf ? 0 : -1;
}

void nb_out_init(struct nb_out *o, FILE *f, char *buf, size_t cap)
{
	*o = (struct nb_out){ f, buf, 0, cap, 0, 0 };
}

void nb_out_drain(struct nb_out *o)
{
	errno = 0;
	if (o->n && !o->err && fwrite(o->buf, 1, o->n, o->f) != o->n)
		o->err = errno ? errno : EIO;
	o->n = 0;
}

int nb_out_close(struct nb_out *o)
{
	nb_out_drain(o);
	if (o->owned)
		nb_free(o->buf);
	o->buf = NULL;
	/* The stream's error flag is set: nb_flush_out keeps this errno. */
	if (o->err)
		errno = o->err;
	return nb_flush_out(o->f);
}

void nb_out_put(struct nb_out *o, const char *s, size_t len)
{
	if (o->n + len > o->cap)
		nb_out_drain(o);
	if (len > o->cap) {
		errno = 0;
		if (!o->err && fwrite(s, 1, len, o->f) != len)
			o->err = errno ? errno : EIO;
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
