/* datahint.c - what the data has, against what the program needs. */
#include "front/datahint.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SHOWN 8                 /* columns named before "..." */
#define NAME_MAX_SHOWN 40       /* bytes of a name shown */

static const struct {
	const char *ext;
	enum nb_rowfmt fmt;
} exts[] = {
	{ ".csv", NB_IN_CSV },
	{ ".tsv", NB_IN_TSV },
	{ ".jsonl", NB_IN_JSONL },
	{ ".ndjson", NB_IN_JSONL },
};

enum nb_rowfmt nb_rowfmt_of_path(const char *path, enum nb_rowfmt dflt)
{
	size_t n = strlen(path);

	for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++) {
		size_t e = strlen(exts[k].ext);
		if (n > e && strcmp(path + n - e, exts[k].ext) == 0)
			return exts[k].fmt;
	}
	return dflt;
}

/* ASCII, whatever the locale. */
static int name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

const char *nb_first_line_hint(const struct nb_rowreader *r)
{
	const char *s = r->raw;
	size_t n = r->rawlen;

	if (r->fmt != NB_IN_JSONL && n && s[0] == '{')
		return "; the first line looks like JSON Lines: --input=jsonl";
	/* a header starts with a name; JSON with a bracket or quote */
	if (r->fmt == NB_IN_JSONL)
		return !n || !name_start(s[0]) ? ""
		       : memchr(s, '\t', n) ? "; the first line looks like "
					      "TSV: --input=tsv"
		       : "; the first line looks like CSV: --input=csv";
	if (r->nf > 1)
		return "";
	if (r->fmt == NB_IN_CSV && memchr(s, '\t', n))
		return "; the first line looks like TSV: --input=tsv";
	if (r->fmt == NB_IN_TSV && memchr(s, ',', n))
		return "; the first line looks like CSV: --input=csv";
	if (memchr(s, ';', n))
		return "; the first line looks ';'-separated: nabla reads "
		       "commas (CSV) or tabs (TSV)";
	return "";
}

/* A message being written: msg of size bytes, len used. */
struct out {
	char *msg;
	size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 >= o->size)
		return;
	if (n > o->size - 1 - o->len)
		n = o->size - 1 - o->len;
	memcpy(o->msg + o->len, s, n);
	o->len += n;
	o->msg[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A name as read from the data, escaped: it may hold any byte. */
static void put_name(struct out *o, const char *s, size_t n)
{
	char hex[5];

	for (size_t i = 0; i < n && i < NAME_MAX_SHOWN; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\'' && ch != '\\') {
			put(o, s + i, 1);
		} else {
			snprintf(hex, sizeof hex, "\\x%02x", ch);
			put_str(o, hex);
		}
	}
	if (n > NAME_MAX_SHOWN)
		put_str(o, "...");
}

static void put_var(struct out *o, const struct nb_program *p, size_t i)
{
	struct nb_span s = nb_tape_name(&p->tape, p->vars[i]);

	put(o, p->src.text + s.start,
	    s.len > NAME_MAX_SHOWN ? NAME_MAX_SHOWN : s.len);
}

/* Column c's name. */
static const char *column(const struct nb_rowreader *r, size_t c,
			  size_t *len)
{
	const struct nb_field *f = &r->f[c];

	*len = r->fmt == NB_IN_JSONL ? f->keylen : f->len;
	return r->data + (r->fmt == NB_IN_JSONL ? f->key : f->off);
}

static int blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Column c names an unbound input but for blanks around it: which. */
static const char *blanks(const struct nb_rowreader *r,
			  const struct nb_program *p, size_t c)
{
	size_t n, a = 0, z;
	const char *s = column(r, c, &n);
	long var;

	for (z = n; a < z && blank(s[a]); a++)
		;
	while (z > a && blank(s[z - 1]))
		z--;
	if ((a == 0 && z == n) || a == z ||
	    (var = nb_program_var(p, s + a, z - a)) < 0 || p->bound[var])
		return NULL;
	return a && z < n ? "blanks around it" : a ? "a leading blank"
							: "a trailing blank";
}

size_t nb_header_mismatch(char *msg, size_t size,
			  const struct nb_rowreader *r,
			  const struct nb_program *p, const long *colvar)
{
	struct out o = { msg, size, 0 };
	size_t n, shown = 0, bad = r->nf;
	const char *s, *why = NULL;

	msg[0] = '\0';
	put_str(&o, r->fmt == NB_IN_JSONL ? "the first line has keys "
					  : "the header has columns ");
	for (size_t c = 0; c < r->nf && c < SHOWN; c++) {
		s = column(r, c, &n);
		put_str(&o, c ? ", '" : "'");
		put_name(&o, s, n);
		put_str(&o, "'");
	}
	if (r->nf > SHOWN)
		put_str(&o, ", ...");
	put_str(&o, "; the program needs ");
	for (size_t c = 0; c < r->nf; c++)
		if (colvar[c] >= 0) {
			put_str(&o, shown++ ? ", " : "");
			put_var(&o, p, (size_t)colvar[c]);
		}
	for (size_t i = 0; i < p->nvars; i++)
		if (!p->bound[i]) {
			put_str(&o, shown++ ? ", " : "");
			put_var(&o, p, i);
		}
	for (size_t c = 0; c < r->nf && !why; c++)
		if (colvar[c] < 0 && (why = blanks(r, p, c)) != NULL)
			bad = c;
	if (why) {
		s = column(r, bad, &n);
		put_str(&o, " ('");
		put_name(&o, s, n);
		put_str(&o, "' has ");
		put_str(&o, why);
		put_str(&o, ")");
	}
	put_str(&o, nb_first_line_hint(r));
	return why ? r->f[bad].at : 0;
}
