/* naming.c - the user's names in generated programs and code. */
#include "codegen/naming.h"

#include <string.h>

static const char *const c_words[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "fabs", "main", NULL
};

static const char *const python_words[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await",
	"break", "class", "continue", "def", "del", "elif", "else", "except",
	"finally", "for", "from", "global", "if", "import", "in", "is",
	"lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
	"while", "with", "yield", "math", NULL
};

static int starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

static int listed(const char *const *words, const char *s, size_t len)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(*words, s, len) == 0)
			return 1;
	return 0;
}

/* t followed by digits only: the made-up names of unnamed nodes. */
static int temp_form(const char *s, size_t len)
{
	if (len < 2 || s[0] != 't')
		return 0;
	for (size_t i = 1; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Whether the user's name (len bytes at s) is written u_<NAME>. */
static int renamed(enum nb_lang lang, const char *s, size_t len)
{
	if (temp_form(s, len) || starts(s, len, "grad_") ||
	    starts(s, len, "df_d") || starts(s, len, "nb_") ||
	    starts(s, len, "u_"))
		return 1;
	switch (lang) {
	case NB_LANG_C:
		/* C reserves _X... and __...; C11 keywords are among them */
		return listed(c_words, s, len) ||
		       (len > 1 && s[0] == '_' &&
			(s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')));
	case NB_LANG_PYTHON:
		return listed(python_words, s, len);
	default:
		return 0;
	}
}

void nb_name_write(FILE *out, enum nb_lang lang, const char *s, size_t len)
{
	if (renamed(lang, s, len))
		fputs("u_", out);
	fwrite(s, 1, len, out);
}
