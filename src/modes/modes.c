/* modes.c - what the derivative modes share: names and formats. */
#include "modes/modes.h"

const char *nb_mode_name(enum nb_mode mode)
{
	static const char *const names[] = { "--grad", "--forward", "--jvp",
					     "--hessian", "--hvp", "--check",
					     "--explain", "--symbolic",
					     "--emit" };

	return names[mode];
}

/* Whether mode writes only text, whatever the format. */
static int text_only(enum nb_mode mode)
{
	return mode == NB_MODE_EXPLAIN || mode == NB_MODE_SYMBOLIC ||
	       mode == NB_MODE_EMIT;
}

int nb_mode_writes(enum nb_mode mode, enum nb_format format,
		   enum nb_front front)
{
	if (!nb_format_takes(format, front))
		return 0;
	if (text_only(mode))
		return format == NB_FMT_TABLE;
	return mode == NB_MODE_GRAD || !nb_format_graph(format);
}

unsigned nb_mode_formats(enum nb_mode mode, enum nb_front front)
{
	unsigned mask = 0;

	for (int f = 0; f < NB_NFORMATS; f++)
		if (nb_mode_writes(mode, (enum nb_format)f, front))
			mask |= 1u << f;
	return mask;
}
