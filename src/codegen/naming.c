/* naming.c - the user's names in generated programs and code. */
#include "codegen/naming.h"

#include <string.h>

/* C: the keywords (C11's, and C23's and GNU C's, which -std=gnu11 and
 * newer compilers reserve), and what <math.h> may declare or define in
 * C11, POSIX and glibc's default (-std=gnu11) features: a user's erf,
 * y0, NAN or M_PI would clash with it.  A function's variants (erff,
 * erfl, erff64, lgamma_r) are found from its name (math_name). */
static const char *const c_words[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "main",
	"alignas", "alignof", "bool", "constexpr", "false", "nullptr",
	"static_assert", "thread_local", "true", "typeof", "typeof_unqual",
	"asm", "fortran",
	"float_t", "double_t", "math_errhandling", "signgam", "DOMAIN", "SING",
	"OVERFLOW", "UNDERFLOW", "TLOSS", "PLOSS", "HUGE", "X_TLOSS",
	"INFINITY", "NAN", "SNAN", "SNANF", "SNANL", "HUGE_VAL", "HUGE_VALF",
	"HUGE_VALL", "exception", NULL
};

/* <math.h>'s functions and function-like macros, without the suffixes
 * of their float, long double and _FloatN variants. */
static const char *const math_functions[] = {
	"acos", "acosh", "acospi", "asin", "asinh", "asinpi", "atan", "atan2",
	"atan2pi", "atanh", "atanpi", "canonicalize", "cbrt", "ceil",
	"compoundn", "copysign", "cos", "cosh", "cospi", "dadd", "ddiv",
	"dfma", "dmul", "drem", "dsqrt", "dsub", "erf", "erfc", "exp", "exp10",
	"exp10m1", "exp2", "exp2m1", "expm1", "fabs", "fadd", "fdim", "fdiv",
	"ffma", "finite", "floor", "fma", "fmax", "fmaximum", "fmaximum_mag",
	"fmaximum_mag_num", "fmaximum_num", "fmaxmag", "fmin", "fminimum",
	"fminimum_mag", "fminimum_mag_num", "fminimum_num", "fminmag", "fmod",
	"fmul", "fpclassify", "frexp", "fromfp", "fromfpx", "fsqrt", "fsub",
	"gamma", "getpayload", "hypot", "ilogb", "iscanonical", "iseqsig",
	"isfinite", "isgreater", "isgreaterequal", "isinf", "isless",
	"islessequal", "islessgreater", "isnan", "isnormal", "issignaling",
	"issubnormal", "isunordered", "iszero", "j0", "j1", "jn", "ldexp",
	"lgamma", "llogb", "llrint", "llround", "log", "log10", "log10p1",
	"log1p", "log2", "log2p1", "logb", "logp1", "lrint", "lround",
	"matherr", "modf", "nan", "nearbyint", "nextafter", "nextdown",
	"nexttoward", "nextup", "pow", "pow10", "pown", "powr", "remainder",
	"remquo", "rint", "rootn", "round", "roundeven", "rsqrt", "scalb",
	"scalbln", "scalbn", "setpayload", "setpayloadsig", "signbit",
	"significand", "sin", "sincos", "sinh", "sinpi", "sqrt", "tan", "tanh",
	"tanpi", "tgamma", "totalorder", "totalordermag", "trunc", "ufromfp",
	"ufromfpx", "y0", "y1", "yn", NULL
};

/* The suffixes of those variants: sinf, sinl, sinf64x, lgamma_r. */
static const char *const math_suffixes[] = {
	"f", "l", "f16", "f32", "f64", "f128", "f32x", "f64x", "f128x", "_r",
	"f_r", "l_r", NULL
};

/* Python: the keywords, the builtins (a user's float would shadow the
 * float() the helpers call), and the module the code imports.  Names
 * starting with two underscores (__debug__ cannot be assigned) are
 * renamed by rule. */
static const char *const python_words[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await",
	"break", "class", "continue", "def", "del", "elif", "else", "except",
	"finally", "for", "from", "global", "if", "import", "in", "is",
	"lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
	"while", "with", "yield", "math", "np",
	"abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool",
	"breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod",
	"compile", "complex", "copyright", "credits", "delattr", "dict", "dir",
	"divmod", "enumerate", "eval", "exec", "exit", "filter", "float",
	"format", "frozenset", "getattr", "globals", "hasattr", "hash", "help",
	"hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len",
	"license", "list", "locals", "map", "max", "memoryview", "min", "next",
	"object", "oct", "open", "ord", "pow", "print", "property", "quit",
	"range", "repr", "reversed", "round", "set", "setattr", "slice",
	"sorted", "staticmethod", "str", "sum", "super", "tuple", "type",
	"vars", "zip", "ArithmeticError", "Ellipsis", "Exception",
	"FloatingPointError", "NotImplemented", "OverflowError",
	"ZeroDivisionError", "ValueError", "TypeError", NULL
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

/* Whether the name is one of <math.h>'s functions or one of their
 * variants (a suffix of math_suffixes after it). */
static int math_name(const char *s, size_t len)
{
	if (listed(math_functions, s, len))
		return 1;
	for (const char *const *x = math_suffixes; *x; x++) {
		size_t n = strlen(*x);
		if (len > n && memcmp(s + len - n, *x, n) == 0 &&
		    listed(math_functions, s, len - n))
			return 1;
	}
	return 0;
}

/* Whether the user's name (len bytes at s) is written u_<NAME>. */
static int renamed(enum nb_lang lang, const char *s, size_t len)
{
	if (temp_form(s, len) || starts(s, len, "grad_") ||
	    starts(s, len, "df_d") || starts(s, len, "nb_") ||
	    starts(s, len, "u_"))
		return 1;
	switch (lang) {
	case NB_LANG_CBLAS:
		if (starts(s, len, "cblas_") || starts(s, len, "Cblas") ||
		    starts(s, len, "CBLAS"))
			return 1;
		/* fall through */
	case NB_LANG_C:
		/* C reserves _X... and __...; C11 keywords are among them.
		 * <math.h> owns the macro prefixes FP_, M_ and MATH_. */
		return listed(c_words, s, len) || math_name(s, len) ||
		       starts(s, len, "FP_") || starts(s, len, "M_") ||
		       starts(s, len, "MATH_") ||
		       (len > 1 && s[0] == '_' &&
			(s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')));
	case NB_LANG_PYTHON: case NB_LANG_NUMPY:
		return listed(python_words, s, len) || starts(s, len, "__");
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
