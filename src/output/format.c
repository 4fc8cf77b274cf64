/* format.c - the table of formats.def, and lists of its names. */
#include "output/format.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned fronts;
	int human, graph;
} formats[] = {
#define NB_FORMAT(id, name, fronts, human, graph, sink) \
	[NB_FMT_##id] = { name, fronts, human, graph },
#include "output/formats.def"
#undef NB_FORMAT
};

int nb_format_parse(const char *name)
{
	for (size_t i = 0; i < NB_NFORMATS; i++)
		if (strcmp(name, formats[i].name) == 0)
			return (int)i;
	return -1;
}

const char *nb_format_name(enum nb_format f)
{
	return formats[f].name;
}

int nb_format_takes(enum nb_format f, enum nb_front front)
{
	return (formats[f].fronts & front) != 0;
}

int nb_format_human(enum nb_format f)
{
	return formats[f].human;
}

int nb_format_graph(enum nb_format f)
{
	return formats[f].graph;
}

unsigned nb_format_mask(enum nb_front front)
{
	unsigned mask = 0;

	for (size_t i = 0; i < NB_NFORMATS; i++)
		if (formats[i].fronts & front)
			mask |= 1u << i;
	return mask;
}

void nb_format_list(char *buf, unsigned mask)
{
	size_t n = 0, left = 0;

	for (size_t i = 0; i < NB_NFORMATS; i++)
		left += mask >> i & 1;
	buf[0] = '\0';
	for (size_t i = 0; i < NB_NFORMATS; i++) {
		if (!(mask >> i & 1))
			continue;
		left--;
		if (n)
			n += (size_t)sprintf(buf + n, left ? ", " : " or ");
		n += (size_t)sprintf(buf + n, "%s", formats[i].name);
	}
}
