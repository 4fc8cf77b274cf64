/* unicode.c - the non-ASCII characters a program may hold by mistake. */
#include "core/unicode.h"

#include <stdio.h>

/* The characters that stand for something nabla spells in ASCII, with
 * their Unicode names and what to type instead.  The language stays
 * ASCII: accepting these would give operators two spellings and put
 * characters of two columns' bytes in every table and generated file. */
static const struct {
	unsigned long cp;
	const char *name, *instead;
} known[] = {
	{ 0x00A0, "NO-BREAK SPACE", "type a space instead" },
	{ 0x00B2, "SUPERSCRIPT TWO", "type ^2 instead" },
	{ 0x00B3, "SUPERSCRIPT THREE", "type ^3 instead" },
	{ 0x00B7, "MIDDLE DOT", "type * instead" },
	{ 0x00D7, "MULTIPLICATION SIGN", "type * instead" },
	{ 0x00F7, "DIVISION SIGN", "type / instead" },
	{ 0x03C0, "GREEK SMALL LETTER PI", "type pi instead" },
	{ 0x03C3, "GREEK SMALL LETTER SIGMA",
	  "type sigmoid for the function, or an ASCII name" },
	{ 0x200B, "ZERO WIDTH SPACE", "delete it" },
	{ 0x2013, "EN DASH", "type - instead" },
	{ 0x2014, "EM DASH", "type - instead" },
	{ 0x2212, "MINUS SIGN", "type - instead" },
	{ 0x2215, "DIVISION SLASH", "type / instead" },
	{ 0x2217, "ASTERISK OPERATOR", "type * instead" },
	{ 0x221A, "SQUARE ROOT", "type sqrt(...) instead" },
	{ 0x22C5, "DOT OPERATOR", "type * instead" },
	{ 0xFEFF, "ZERO WIDTH NO-BREAK SPACE", "delete it" },
};

size_t nb_utf8_char(const char *s, size_t len, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = u[0] >= 0xF0 && u[0] < 0xF5 ? 4
		 : u[0] >= 0xE0 && u[0] < 0xF0 ? 3
		 : u[0] >= 0xC2 && u[0] < 0xE0 ? 2 : 0;
	unsigned long c;

	if (n == 0 || n > len)
		return 0;
	c = u[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3F);
	}
	/* Overlong forms, UTF-16 surrogates and what is past Unicode are
	 * not characters. */
	if (c < least[n] || (c >= 0xD800 && c < 0xE000) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return n;
}

int nb_unicode_describe(unsigned long cp, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (known[i].cp == cp) {
			snprintf(buf, size, "U+%04lX %s: %s", cp,
				 known[i].name, known[i].instead);
			return 1;
		}
	snprintf(buf, size, "U+%04lX", cp);
	return 0;
}
