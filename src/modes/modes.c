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

int nb_mode_writes(enum nb_mode mode, enum nb_format format)
{
	if (mode >= NB_MODE_EXPLAIN)
		return format == NB_FMT_TABLE;
	return format != NB_FMT_JSONL &&
	       (mode == NB_MODE_GRAD || format != NB_FMT_DOT);
}
