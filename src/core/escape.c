/* escape.c - quoting user data in messages (see escape.h). */
#include "core/escape.h"

#include <string.h>

size_t nb_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF
	 * are not UTF-8 (RFC 3629). */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int nb_utf8_is_c1(const unsigned char *s, size_t len)
{
	return len == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

static char *hex(char *o, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";

	*o++ = '\\';
	*o++ = 'x';
	*o++ = digits[c >> 4];
	*o++ = digits[c & 15];
	return o;
}

/* Writes the byte c of printable ASCII or an ASCII control. */
static char *ascii(char *o, unsigned char c)
{
	const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t"
			  : c == '\r' ? "\\r" : c == '\\' ? "\\\\" : NULL;

	if (named) {
		memcpy(o, named, 2);
		return o + 2;
	}
	if (c < 0x20 || c == 0x7f)
		return hex(o, c);
	*o++ = (char)c;
	return o;
}

/* Writes the escaped form of the character at u[0..n) to *o and moves
 * *o past it; returns the bytes of u it used. */
static size_t escape_char(char **o, const unsigned char *u, size_t n)
{
	size_t k = nb_utf8_len(u, n);

	if (k == 0 || nb_utf8_is_c1(u, k)) {
		/* A sequence cut by the limit shows as bytes too. */
		k = k ? k : 1;
		for (size_t j = 0; j < k; j++)
			*o = hex(*o, u[j]);
	} else if (k == 1) {
		*o = ascii(*o, u[0]);
	} else {
		memcpy(*o, u, k);
		*o += k;
	}
	return k;
}

static const char *quote(struct nb_quote *q, const char *s, size_t len,
			 size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = len > max ? max : len;
	char *o = q->s;

	for (size_t i = 0; i < n;)
		i += escape_char(&o, u + i, n - i);
	if (len > n)
		memcpy(o, "...", 3), o += 3;
	*o = '\0';
	return q->s;
}

size_t nb_escape_char(const char *s, size_t len, char out[NB_ESCAPED_MAX],
		      size_t *outlen)
{
	char *o = out;
	size_t k = escape_char(&o, (const unsigned char *)s, len);

	*outlen = (size_t)(o - out);
	return k;
}

const char *nb_quote(struct nb_quote *q, const char *s, size_t len)
{
	return quote(q, s, len, NB_QUOTE_MAX);
}

const char *nb_quote_str(struct nb_quote *q, const char *s)
{
	return quote(q, s, strlen(s), NB_QUOTE_MAX);
}

const char *nb_quote_path(struct nb_quote *q, const char *path)
{
	return quote(q, path, strlen(path), NB_QUOTE_PATH_MAX);
}
