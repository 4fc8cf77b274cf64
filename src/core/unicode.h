/* unicode.h - the non-ASCII characters a program may hold by mistake.
 *
 * nabla's language is ASCII.  Text pasted from a paper or a slide brings
 * ×, −, ·, ² or a no-break space, which look like what nabla reads but
 * are not: a diagnostic names such a character and says what to type. */
#ifndef NABLA_UNICODE_H
#define NABLA_UNICODE_H

#include <stddef.h>

/* The length (2 to 4) of the UTF-8 encoded character the len bytes at s
 * start with, with its code point in *cp; 0 if they start with none. */
size_t nb_utf8_char(const char *s, size_t len, unsigned long *cp);

/* Describes code point cp for a diagnostic into buf (size bytes):
 * "U+00D7 MULTIPLICATION SIGN: type * instead", or "U+00E9" for a
 * character nabla has nothing to say about.  Returns 1 in the first case,
 * 0 in the second. */
int nb_unicode_describe(unsigned long cp, char *buf, size_t size);

#endif
