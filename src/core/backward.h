/* backward.h - a hand-written backward pass, as nabla --verify reads it.
 *
 * A student's file is a forward program followed by the lines of its
 * backward pass, written the way the CS231n notes write them:
 *     dnum = invden
 *     dx += ((1 - sigx) * sigx) * dsigx
 * nb_parse_backward (parser.h) puts both on one tape: the forward
 * program first, then each line's right side as more nodes, which read
 * a forward name as its node and a gradient name as the node of the
 * line that last assigned it; "+=" adds an add node.  One forward sweep
 * over the whole tape then computes what every line computed. */
#ifndef NABLA_BACKWARD_H
#define NABLA_BACKWARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"

/* One line TARGET = EXPR or TARGET += EXPR. */
struct nb_gradline {
	uint32_t of;            /* the forward node whose gradient it is */
	struct nb_span target;  /* "dx" or "grad_x" */
	struct nb_span stmt;    /* the whole line, for the caret */
	uint32_t first;         /* the right side's nodes, first..rhs */
	uint32_t rhs;
	uint32_t node;          /* the target's node after the line */
	int add;                /* += */
};

struct nb_backward {
	int started;            /* a gradient line has been read */
	uint32_t fwd_end;       /* nodes of the forward program */
	struct nb_gradline *line;
	size_t n, cap;
};

void nb_backward_free(struct nb_backward *b);

/* The node of the first `limit` nodes of p whose gradient the len
 * bytes at s name (dNAME or grad_NAME), or -1. */
int64_t nb_gradient_of(const struct nb_program *p, size_t limit,
		       const char *s, size_t len);

#endif
