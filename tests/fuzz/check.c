/* tests/fuzz/check.c - the fuzz targets' invariants (check.h). */
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "check.h"

/* How deep JSON may nest before the checker calls it hostile. */
#define MAX_NEST 64

void fuzz_check_clean(const char *s, size_t len, int tab)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0, k; i < len; i += k) {
		k = nb_utf8_len(u + i, len - i);
		if (k == 0 || nb_utf8_is_c1(u + i, k) ||
		    (k == 1 && ((u[i] < 0x20 && u[i] != '\n' &&
				 !(tab && u[i] == '\t')) || u[i] == 0x7f)))
			abort();
	}
}

void fuzz_check_record_end(const char *s, size_t len)
{
	if (len > 0 && s[len - 1] != '\n')
		abort();
}

/* --- a strict JSON checker: each returns the end of what it read, or
 * NULL where the text stops being JSON ------------------------------ */

static const char *value(const char *p, const char *e, int nest);

static const char *ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *digits(const char *p, const char *e)
{
	const char *q = p;

	while (q < e && *q >= '0' && *q <= '9')
		q++;
	return q > p ? q : NULL;
}

static const char *number(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (!(p = digits(p, e)))
		return NULL;
	if (p < e && *p == '.' && !(p = digits(p + 1, e)))
		return NULL;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (!(p = digits(p, e)))
			return NULL;
	}
	return p;
}

static const char *string(const char *p, const char *e)
{
	const unsigned char *u;

	if (p >= e || *p++ != '"')
		return NULL;
	while (p < e && *p != '"') {
		u = (const unsigned char *)p;
		if (*u < 0x20)
			return NULL;
		if (*p == '\\') {
			if (++p >= e || !*p || !strchr("\"\\/bfnrtu", *p))
				return NULL;
			if (*p == 'u')
				for (int k = 0; k < 4; k++)
					if (++p >= e || !*p ||
					    !strchr("0123456789abcdefABCDEF", *p))
						return NULL;
			p++;
			continue;
		}
		size_t k = nb_utf8_len(u, (size_t)(e - p));
		if (k == 0)
			return NULL;
		p += k;
	}
	return p < e ? p + 1 : NULL;
}

/* An object ('{', keys) or an array ('[', no keys) of values nesting at
 * most nest deeper. */
static const char *members(const char *p, const char *e, char close,
			   int nest)
{
	p = ws(p + 1, e);
	if (p < e && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (!(p = string(p, e)))
				return NULL;
			p = ws(p, e);
			if (p >= e || *p++ != ':')
				return NULL;
		}
		if (!(p = value(ws(p, e), e, nest)))
			return NULL;
		p = ws(p, e);
		if (p < e && *p == ',') {
			p = ws(p + 1, e);
			continue;
		}
		return p < e && *p == close ? p + 1 : NULL;
	}
}

static const char *value(const char *p, const char *e, int nest)
{
	static const char *const lit[] = { "true", "false", "null" };

	if (p < e && *p == '"')
		return string(p, e);
	if (p < e && (*p == '{' || *p == '['))
		return nest > 0 ? members(p, e, *p == '{' ? '}' : ']',
					  nest - 1) : NULL;
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(lit[i]);
		if ((size_t)(e - p) >= n && memcmp(p, lit[i], n) == 0)
			return p + n;
	}
	return number(p, e);
}

void fuzz_check_json(const char *s, size_t len)
{
	const char *e = s + len, *p = value(ws(s, e), e, MAX_NEST);

	if (!p || ws(p, e) != e)
		abort();
}

void fuzz_check_jsonl(const char *s, size_t len)
{
	const char *e = s + len, *end;

	for (const char *p = s, *nl; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		p = ws(p, nl);
		if (p >= nl || *p != '{' ||
		    !(end = members(p, nl, '}', MAX_NEST)) ||
		    ws(end, nl) != nl)
			abort();
	}
}

/* --- records of fields ---------------------------------------------- */

/* The end of the field at p: past its closing quote when CSV quotes it;
 * NULL if the quoting is broken. */
static const char *field(const char *p, const char *e, char sep)
{
	if (sep == ',' && p < e && *p == '"') {
		for (p++; p < e; p++)
			if (*p == '"' && (++p >= e || *p != '"'))
				return p;
		return NULL;
	}
	while (p < e && *p != sep && *p != '\n') {
		if (*p == '"' && sep == ',')
			return NULL;
		p++;
	}
	return p;
}

void fuzz_check_fields(const char *s, size_t len, char sep)
{
	const char *e = s + len, *p = s;
	size_t want = 0, n = 1;

	while (p < e) {
		if (!(p = field(p, e, sep)) || p >= e ||
		    (*p != sep && *p != '\n'))
			abort();
		if (*p++ == sep) {
			n++;
			continue;
		}
		if (want && n != want)
			abort();
		want = n;
		n = 1;
	}
}
