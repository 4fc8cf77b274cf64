/* format.h - the output formats of formats.def: names, the front ends
 * that take each, and the lists messages print.  Nothing may depend on
 * the order of enum nb_format: ask the table. */
#ifndef NABLA_FORMAT_H
#define NABLA_FORMAT_H

#include <stddef.h>

/* The front ends, as formats.def's fronts column names them. */
enum nb_front { NB_ONESHOT = 1, NB_REPL = 2, NB_BATCH = 4 };

enum nb_format {
#define NB_FORMAT(id, name, fronts, human, graph, sink) NB_FMT_##id,
#include "output/formats.def"
#undef NB_FORMAT
};

enum {
	NB_NFORMATS = 0
#define NB_FORMAT(id, name, fronts, human, graph, sink) + 1
#include "output/formats.def"
#undef NB_FORMAT
};

/* The format called name (any front end's), or -1. */
int nb_format_parse(const char *name);
const char *nb_format_name(enum nb_format f);
/* Whether front end front (one enum nb_front) takes format f. */
int nb_format_takes(enum nb_format f, enum nb_front front);
/* Whether f rounds numbers for people (and may colour them). */
int nb_format_human(enum nb_format f);
/* Whether f draws the graph rather than writing records. */
int nb_format_graph(enum nb_format f);

/* Room for any list nb_format_list writes, NUL included. */
#define NB_FORMAT_LIST 128
/* The names of the formats in mask (bit f for format f), in the table's
 * order, as "table, csv, tsv or json", into buf (NB_FORMAT_LIST bytes). */
void nb_format_list(char *buf, unsigned mask);
/* The mask of the formats front takes. */
unsigned nb_format_mask(enum nb_front front);

#endif
