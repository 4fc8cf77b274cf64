/* termwidth.h - how wide a terminal the output goes to. */
#ifndef NABLA_TERMWIDTH_H
#define NABLA_TERMWIDTH_H

#include <stddef.h>

/* The columns of the terminal on fd: $COLUMNS when it is a number from
 * 1 to 100000 (the user's word, as for ls), else what the terminal says
 * (TIOCGWINSZ).  0 when fd is not a terminal, or its width is unknown:
 * piped output is never fitted, so scripts see the same bytes
 * whatever window they ran in. */
size_t nb_term_columns(int fd);

#endif
