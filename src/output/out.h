/* out.h - the bytes every record writer writes, a block at a time.
 *
 * Writers append to a 64 KiB block that goes to the stream when full:
 * batch mode writes millions of short fields, and one write per block
 * costs less than a locked stdio call per field.  A failed write is
 * kept (its errno) and later writes are dropped, so writers check once,
 * at nb_out_close.  A block of whole lines (batch mode's) goes out only
 * at the end of a line, growing past 64 KiB to hold the line that
 * crosses its end, so that output cut short (a signal, a full disk)
 * ends with a whole record: a torn "-4." would read as a number. */
#ifndef NABLA_OUT_H
#define NABLA_OUT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define NB_OUT_BLOCK ((size_t)1 << 16)

struct nb_out {
	FILE *f;
	char *buf;
	size_t n, cap;
	int err;                /* errno of the first failed write, or 0 */
	int owned;              /* buf is nb_out_open's */
	int lines;              /* goes out only at a line's end */
	int hold;               /* lines kept until the owner takes them
				 * (batch rows written on another thread) */
};

/* A block of NB_OUT_BLOCK bytes.  Returns 0, or -1 when out of memory. */
int nb_out_open(struct nb_out *o, FILE *f);
/* The caller's block of cap bytes (at least NB_OUT_SMALL): a report
 * that must not fail for want of memory. */
#define NB_OUT_SMALL 1024
void nb_out_init(struct nb_out *o, FILE *f, char *buf, size_t cap);
/* Hands the block to the stream and flushes it; frees an owned block.
 * Returns 0, or -1 with errno set if any write failed (for stdout, kept
 * for nb_close_stdout). */
int nb_out_close(struct nb_out *o);

/* Writes the block to the stream's descriptor, after what the stream
 * itself holds. */
void nb_out_drain(struct nb_out *o);
/* Room for len more bytes: the block drained, or for whole lines grown
 * (on failure the block is dropped and ENOMEM kept). */
void nb_out_make_room(struct nb_out *o, size_t len);
void nb_out_put(struct nb_out *o, const char *s, size_t len);
void nb_out_spaces(struct nb_out *o, size_t n);
void nb_out_printf(struct nb_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void nb_out_putc(struct nb_out *o, char c)
{
	if (o->n == o->cap)
		nb_out_make_room(o, 1);
	if (o->n < o->cap)
		o->buf[o->n++] = c;
}

/* A line ended: a block of whole lines that is full goes out. */
static inline void nb_out_line_end(struct nb_out *o)
{
	if (o->lines && !o->hold && o->n >= NB_OUT_BLOCK)
		nb_out_drain(o);
}

static inline void nb_out_puts(struct nb_out *o, const char *s)
{
	nb_out_put(o, s, strlen(s));
}

/* Room for len more bytes at o->buf + o->n (len <= NB_OUT_SMALL). */
static inline char *nb_out_room(struct nb_out *o, size_t len)
{
	if (o->n + len > o->cap)
		nb_out_make_room(o, len);
	return o->buf + o->n;
}

#endif
