/* escape.h - user data made safe to quote in a message.
 *
 * Whatever a user or a data file supplies (a field, a key, a path, an
 * argument) may hold terminal escapes, newlines that fake diagnostic
 * lines, or bytes that are not UTF-8.  Every message that quotes such
 * data passes it through nb_quote first. */
#ifndef NABLA_ESCAPE_H
#define NABLA_ESCAPE_H

#include <stddef.h>

/* Longest quote in bytes of data, and of a file name; longer ones are
 * cut with "...". */
#define NB_QUOTE_MAX 40
#define NB_QUOTE_PATH_MAX 100

/* Room for NB_QUOTE_PATH_MAX bytes escaped (4 characters each at worst),
 * the "..." and the terminating NUL. */
struct nb_quote {
	char s[NB_QUOTE_PATH_MAX * 4 + 4];
};

/* Writes s[0..len) into q as printable text and returns q->s: \n, \t,
 * \r and \\ as such, other control bytes, C1 codes (U+0080..U+009F) and
 * bytes that are not valid UTF-8 as \xHH; valid UTF-8 is kept. */
const char *nb_quote(struct nb_quote *q, const char *s, size_t len);

/* The same for a NUL-terminated string. */
const char *nb_quote_str(struct nb_quote *q, const char *s);

/* The same for a file name, cut only past NB_QUOTE_PATH_MAX bytes. */
const char *nb_quote_path(struct nb_quote *q, const char *path);

/* Longest escaped form of one character (a C1 code: \xc2\x9b). */
#define NB_ESCAPED_MAX 8

/* Writes the escaped form (as nb_quote's) of the character that starts
 * s[0..len) (len > 0) into out, its length into *outlen; returns the
 * bytes of s it stands for. */
size_t nb_escape_char(const char *s, size_t len, char out[NB_ESCAPED_MAX],
		      size_t *outlen);

/* Length (1 to 4) of the valid UTF-8 sequence at s[0..n), or 0 when s
 * does not start one (stray continuation byte, overlong form, surrogate,
 * beyond U+10FFFF, cut short). */
size_t nb_utf8_len(const unsigned char *s, size_t n);

/* Whether the valid sequence of length len at s is a C1 control code. */
int nb_utf8_is_c1(const unsigned char *s, size_t len);

#endif
