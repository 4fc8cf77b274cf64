/* lineedit.h - where the REPL's lines come from: a thin shim over GNU
 * Readline (line editing, history, completion) or plain getline.
 *
 * Three modes: a script (plain reading, no prompts, Ctrl-C as usual), a
 * plain interactive session (prompts on stderr, Ctrl-C discards the
 * input), and Readline (when built with it and interactive). */
#ifndef NABLA_LINEEDIT_H
#define NABLA_LINEEDIT_H

#include <signal.h>
#include <stdio.h>

#include "front/session.h"

enum nb_le_mode { NB_LE_SCRIPT, NB_LE_PLAIN, NB_LE_READLINE };
enum nb_le_status { NB_LE_LINE, NB_LE_EOF, NB_LE_INTR, NB_LE_ERROR };

struct nb_lineedit {
	enum nb_le_mode mode;
	FILE *in;
	FILE *prompt_out;       /* stderr unless stdout is the terminal */
	char *buf;              /* the last line read, NUL-terminated */
	size_t cap;
	char *history;          /* history file, or NULL: not saved */
	int handler;            /* our SIGINT handler is installed */
	struct sigaction old_int;
	sigset_t old_mask;      /* the mask before SIGINT was blocked */
	sigset_t wait_mask;     /* the mask while waiting for input */
	int err;                /* errno of NB_LE_ERROR */
};

/* What tab completion offers besides functions and file names: the
 * session's names, and the REPL's commands (command(i) is the i-th
 * command's name, NULL past the last), which the REPL passes in so that
 * the line editor does not depend on it. */
struct nb_completion {
	const struct nb_session *names;
	const char *(*command)(size_t i);
};

/* Sets up reading from in: interactive says whether prompts and Ctrl-C
 * handling are wanted; words (used only when interactive) are offered by
 * tab completion. */
void nb_lineedit_open(struct nb_lineedit *le, FILE *in, int interactive,
		      const struct nb_completion *words);

/* Reads a line (without its newline) into *line (valid until the next
 * call) of *len bytes, showing prompt if interactive.  NB_LE_INTR: Ctrl-C
 * discarded the input.  NB_LE_EOF: end of input.  NB_LE_ERROR: a read
 * error or out of memory, with its errno in le->err. */
enum nb_le_status nb_lineedit_read(struct nb_lineedit *le,
				   const char *prompt, const char **line,
				   size_t *len);

/* Records a whole (possibly joined) input in the history, if any. */
void nb_lineedit_history(struct nb_lineedit *le, const char *text);

void nb_lineedit_close(struct nb_lineedit *le);

#endif
