/* literal.h - a value written as the language's literal, exactly. */
#ifndef NABLA_LITERAL_H
#define NABLA_LITERAL_H

#include "core/view.h"
#include "front/session.h"

/* Appends v to t as nabla reads it back to the same doubles: a number,
 * or nested array literals ("[[1, -2.5], [nan, -inf]]"), each number the
 * shortest that reads back exactly.  Returns 0, or -1 when out of
 * memory. */
int nb_literal_text(struct nb_text *t, struct nb_view v);

#endif
