/* modes.c - the table of modes.def, and what the modes share. */
#include "modes/modes.h"

#include "core/alloc.h"

#define OPS(x) &nb_##x##_mode
#define NOOPS NULL

const struct nb_modeinfo nb_modes[] = {
#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) \
	[NB_MODE_##id] = { name, "--" name, arg, argname, help, usage, min, \
			   max, cmdhelp, writes, takes, ops },
#include "modes/modes.def"
#undef NB_MODE
};

const char *nb_mode_name(enum nb_mode mode)
{
	return nb_modes[mode].option;
}

int nb_mode_writes(enum nb_mode mode, enum nb_format format,
		   enum nb_front front)
{
	unsigned w = nb_modes[mode].writes;

	if (!nb_format_takes(format, front))
		return 0;
	if (w & NB_WRITES_TEXT)
		return format == NB_FMT_TABLE ||
		       (format == NB_FMT_JSON && (w & NB_WRITES_JSON));
	return nb_format_graph(format) ? (w & NB_WRITES_GRAPH) != 0
				       : (w & NB_WRITES_RECORDS) != 0;
}

unsigned nb_mode_formats(enum nb_mode mode, enum nb_front front)
{
	unsigned mask = 0;

	for (int f = 0; f < NB_NFORMATS; f++)
		if (nb_mode_writes(mode, (enum nb_format)f, front))
			mask |= 1u << f;
	return mask;
}

int nb_mode_takes(enum nb_mode mode, unsigned what)
{
	return (nb_modes[mode].takes & what) == what;
}

int nb_mode_run(const struct nb_mode_call *c)
{
	return nb_modes[c->mode].ops->run(c);
}

int nb_mode_batch_alloc(struct nb_mode_batch *m, size_t n)
{
	m->n = n;
	m->col = nb_malloc((n ? n : 1) * sizeof *m->col);
	m->cell = nb_malloc((n ? n : 1) * sizeof *m->cell);
	if (!m->col || !m->cell)
		return -1;
	for (size_t k = 0; k < n; k++)
		m->cell[k] = (struct nb_cell){ "", 0, 1, 1, 0 };
	return 0;
}

void nb_mode_batch_free(struct nb_mode_batch *m)
{
	nb_free(m->col);
	nb_free(m->cell);
	nb_check_free(&m->chk);
	nb_dual_free(&m->dual);
	nb_tdual_free(&m->tdual);
	nb_free(m->gx);
	nb_free(m->tan);
	nb_free(m->text);
	m->tan = NULL;
	m->text = NULL;
	m->gx = NULL;
	m->col = NULL;
	m->cell = NULL;
}
