/* lineedit.c - Readline or getline behind one small interface.
 *
 * Readline runs through its callback interface: we wait for input with
 * pselect while SIGINT is blocked everywhere else, so a Ctrl-C is seen
 * exactly while waiting, never in the middle of Readline's own code, and
 * the input can be discarded cleanly (rl_free_line_state and
 * rl_callback_sigcleanup) without longjmp.  The handler also writes a
 * byte to a pipe that pselect watches: where pselect is not atomic
 * (valgrind runs it as sigprocmask, then select), a Ctrl-C that was
 * pending is handled before select starts, and the pipe still wakes it.
 *
 * Mutable file-scope state, and why it cannot live in struct
 * nb_lineedit: a signal handler can only talk through a volatile
 * sig_atomic_t (got_sigint) and a descriptor (wake_fd), and Readline's callbacks (the line handler,
 * the completion functions) take no context pointer (rl_state). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "front/lineedit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "core/alloc.h"
#include "core/escape.h"
#include "core/ops.h"
#include "modes/modes.h"
#include "output/format.h"

/* History entries kept (man page: FILES). */
#define HISTORY_MAX 1000

static volatile sig_atomic_t got_sigint;
/* The self-pipe: wake[1] is written by the handler, wake[0] watched. */
static int wake[2] = { -1, -1 };

static void on_sigint(int sig)
{
	int err = errno;

	(void)sig;
	got_sigint = 1;
	if (wake[1] >= 0)
		(void)!write(wake[1], "", 1); /* full: a wakeup is pending */
	errno = err;
}

/* The self-pipe, non-blocking at both ends; without it (no descriptors
 * left) pselect alone still sees a Ctrl-C wherever it is atomic. */
static void wake_open(void)
{
	if (pipe(wake) != 0) {
		wake[0] = wake[1] = -1;
		return;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(wake[i], F_SETFL, fcntl(wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(wake[i], F_SETFD, FD_CLOEXEC);
	}
}

static void wake_drain(void)
{
	char buf[64];

	while (wake[0] >= 0 && read(wake[0], buf, sizeof buf) > 0)
		continue;
}

static void wake_close(void)
{
	for (int i = 0; i < 2; i++) {
		if (wake[i] >= 0)
			close(wake[i]);
		wake[i] = -1;
	}
}

/* Adds SIGINT to the blocked signals; old (if not NULL) gets the mask
 * as it was. */
static void block_sigint(sigset_t *old)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, old);
}

/* Catches SIGINT without SA_RESTART, so a blocked read returns EINTR,
 * and blocks it except while waiting for input: a Ctrl-C during a
 * computation then waits for the next prompt (which it discards) and
 * never interrupts a write. */
static void catch_sigint(struct nb_lineedit *le)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	wake_open();
	if (sigaction(SIGINT, &sa, &le->old_int) != 0) {
		wake_close();
		return;
	}
	le->handler = 1;
	block_sigint(&le->old_mask);
	le->wait_mask = le->old_mask;
	sigdelset(&le->wait_mask, SIGINT);
}

static enum nb_le_status failed(struct nb_lineedit *le, int err)
{
	le->err = err;
	return NB_LE_ERROR;
}

static enum nb_le_status plain_read(struct nb_lineedit *le,
				    const char *prompt, const char **line,
				    size_t *len)
{
	ssize_t n;

	if (le->mode == NB_LE_PLAIN) {
		fputs(prompt, le->prompt_out);
		fflush(le->prompt_out);
		got_sigint = 0;
		sigprocmask(SIG_SETMASK, &le->wait_mask, NULL);
	}
	errno = 0;
	/* A Ctrl-C pending from before is delivered by the unblocking. */
	n = got_sigint ? -1 : getline(&le->buf, &le->cap, le->in);
	if (le->mode == NB_LE_PLAIN)
		block_sigint(NULL);
	if (n < 0) {
		if (le->mode == NB_LE_PLAIN && got_sigint) {
			clearerr(le->in);
			fputc('\n', le->prompt_out);
			return NB_LE_INTR;
		}
		if (le->mode == NB_LE_PLAIN)
			fputc('\n', le->prompt_out);
		/* getline says -1 at the end and on a failure alike. */
		if (ferror(le->in) || (errno && !feof(le->in)))
			return failed(le, errno ? errno : EIO);
		return NB_LE_EOF;
	}
	if (n > 0 && le->buf[n - 1] == '\n')
		n--;
	if (n > 0 && le->buf[n - 1] == '\r')
		n--;
	le->buf[n] = '\0';
	*line = le->buf;
	*len = (size_t)n;
	return NB_LE_LINE;
}

#ifdef HAVE_READLINE

/* Copies n bytes of s into le->buf; -1 when out of memory. */
static int keep(struct nb_lineedit *le, const char *s, size_t n)
{
	if (nb_grow((void **)&le->buf, &le->cap, n + 1, 1))
		return -1;
	memcpy(le->buf, s, n);
	le->buf[n] = '\0';
	return 0;
}

static struct {
	char *line;                     /* what the line handler got */
	int ready;                      /* the handler was called */
	const struct nb_completion *words; /* what completes, besides files */
	char **cand;                    /* completions of the current word */
	size_t ncand, next, cap;
} rl_state;

/* Word breaks: an expression breaks at operators, a command line only
 * at blanks (file names hold '-' and '/'). */
static char expr_breaks[] = " \t\n()+-*/^,;=#";
static char cmd_breaks[] = " \t\n";

static void on_line(char *line)
{
	rl_state.line = line;
	rl_state.ready = 1;
	rl_callback_handler_remove();
}

static void clear_candidates(void)
{
	for (size_t i = 0; i < rl_state.ncand; i++)
		nb_free(rl_state.cand[i]);
	rl_state.ncand = rl_state.next = 0;
}

/* Adds prefix+name+suffix if it extends text. */
static void candidate(const char *text, const char *prefix, const char *name,
		      const char *suffix)
{
	size_t lp = strlen(prefix), ln = strlen(name), ls = strlen(suffix);
	char *c;

	if (nb_grow((void **)&rl_state.cand, &rl_state.cap, rl_state.ncand + 1,
		    sizeof *rl_state.cand) ||
	    !(c = nb_malloc(lp + ln + ls + 1)))
		return;
	memcpy(c, prefix, lp);
	memcpy(c + lp, name, ln);
	memcpy(c + lp + ln, suffix, ls + 1);
	if (strncmp(c, text, strlen(text)) != 0) {
		nb_free(c);
		return;
	}
	rl_state.cand[rl_state.ncand++] = c;
}

static void names(const char *text)
{
	const struct nb_session *s = rl_state.words->names;

	for (size_t i = 0; s && i < s->n; i++)
		candidate(text, "", s->e[i].name, "");
}

static void functions(const char *text, const char *suffix)
{
	for (int i = 0; i < NB_OP_COUNT; i++)
		if (nb_ops[i].fn && nb_op_function(nb_ops[i].fn,
						   strlen(nb_ops[i].fn)) == i)
			candidate(text, "", nb_ops[i].fn, suffix);
}

static void commands(const char *text, const char *prefix)
{
	const char *name;

	for (size_t i = 0; (name = rl_state.words->command(i)); i++)
		candidate(text, prefix, name, "");
}

/* Whether the command spelt cmd (len bytes) takes a file name: :load,
 * :save, and the modes whose argument is FILE (modes.def). */
static int takes_file(const char *cmd, size_t len)
{
	if ((len == 4 && memcmp(cmd, "load", 4) == 0) ||
	    (len == 4 && memcmp(cmd, "save", 4) == 0))
		return 1;
	for (int m = 0; m < NB_NMODES; m++)
		if (nb_modes[m].arg == NB_ARG_FILE &&
		    strlen(nb_modes[m].name) == len &&
		    memcmp(cmd, nb_modes[m].name, len) == 0)
			return 1;
	return 0;
}

/* Candidates for an argument of the command spelt cmd (len bytes);
 * returns 0 to let Readline complete a file name instead. */
static int command_args(const char *text, const char *cmd, size_t len)
{
	if (takes_file(cmd, len))
		return 0;
	if (len == 6 && memcmp(cmd, "format", 6) == 0)
		for (int f = 0; f < NB_NFORMATS; f++) {
			if (nb_format_takes((enum nb_format)f, NB_REPL))
				candidate(text, "", nb_format_name(
						  (enum nb_format)f), "");
		}
	else if (len == 4 && memcmp(cmd, "help", 4) == 0) {
		commands(text, "");
		functions(text, "");
	} else
		names(text);
	return 1;
}

static char *generate(const char *text, int state)
{
	(void)text;
	if (state == 0)
		rl_state.next = 0;
	if (rl_state.next >= rl_state.ncand)
		return NULL;
	/* Readline frees what we return; hand over our copy. */
	char *c = rl_state.cand[rl_state.next];
	rl_state.cand[rl_state.next++] = NULL;
	return c;
}

/* Commands at the start of a line, their arguments after; functions
 * (completed with their '('), constants and session names elsewhere. */
static char **complete(const char *text, int start, int end)
{
	const char *line = rl_line_buffer;
	int b = 0;
	char **m;

	(void)end;
	clear_candidates();
	while (line[b] == ' ' || line[b] == '\t')
		b++;
	rl_attempted_completion_over = 1;
	if (line[b] == ':' && start <= b) {
		commands(text, ":");
	} else if (line[b] == ':') {
		size_t len = strcspn(line + b + 1, " \t");
		if (!command_args(text, line + b + 1, len)) {
			rl_attempted_completion_over = 0;
			return NULL;
		}
	} else {
		if (start == b) {
			candidate(text, "", "help", "");
			candidate(text, "", "quit", "");
			candidate(text, "", "exit", "");
		}
		functions(text, "(");
		candidate(text, "", "pi", "");
		candidate(text, "", "e", "");
		names(text);
	}
	if (rl_state.ncand == 1) {
		const char *c = rl_state.cand[0];
		if (c[strlen(c) - 1] == '(')
			rl_completion_append_character = '\0';
	}
	m = rl_completion_matches(text, generate);
	clear_candidates();
	return m;
}

static char *word_breaks(void)
{
	const char *line = rl_line_buffer;

	line += strspn(line, " \t");
	return *line == ':' ? cmd_breaks : expr_breaks;
}

/* $NABLA_HISTORY, else $XDG_STATE_HOME/nabla/history, else
 * ~/.local/state/nabla/history; NULL when empty NABLA_HISTORY says not
 * to save or there is no home. */
static char *history_path(void)
{
	const char *env = getenv("NABLA_HISTORY");
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct nb_text t = { 0 };
	int err;

	if (env)
		return *env && !nb_text_add(&t, env, strlen(env)) ? t.s : NULL;
	if (xdg && *xdg == '/')
		err = nb_text_add(&t, xdg, strlen(xdg));
	else if (home && *home)
		err = nb_text_add(&t, home, strlen(home)) ||
		      nb_text_add(&t, "/.local/state", 13);
	else
		return NULL;
	if (err || nb_text_add(&t, "/nabla/history", 14)) {
		nb_free(t.s);
		return NULL;
	}
	return t.s;
}

/* mkdir -p of the directory holding path (0700: history is private). */
static void make_parent(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0700);
		*s = '/';
	}
}

/* Why path cannot be the history, or NULL: only a regular file is (or
 * none yet).  A symbolic link would have its target trimmed and made
 * private, a FIFO would hang the start, a device (/dev/full) would lose
 * every line without a word. */
static const char *refusal(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return NULL;
	if (S_ISLNK(st.st_mode))
		return "a symbolic link";
	return S_ISREG(st.st_mode) ? NULL : "not a regular file";
}

/* Gives up saving the history, saying why once. */
static void history_lost(struct nb_lineedit *le, const char *why)
{
	struct nb_quote q;

	fprintf(stderr, "nabla: warning: history not saved: %s: %s\n",
		nb_quote_path(&q, le->history), why);
	nb_free(le->history);
	le->history = NULL;
}

/* Opens the history: creates the file (mode 0600) and reads it; only
 * for a terminal. */
static void history_open(struct nb_lineedit *le)
{
	const char *why;
	struct stat st;
	int fd;

	using_history();
	stifle_history(HISTORY_MAX);
	/* Lines piped into nabla -i were not typed: keep them out. */
	if (!isatty(fileno(le->in)) || !(le->history = history_path()))
		return;
	make_parent(le->history);
	if ((why = refusal(le->history)) != NULL) {
		history_lost(le, why);
		return;
	}
	/* O_NOFOLLOW and O_NONBLOCK: a link or FIFO put there since the
	 * check fails here instead. */
	fd = open(le->history, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
		  O_NONBLOCK, 0600);
	if (fd < 0) {
		history_lost(le, strerror(errno));
		return;
	}
	why = fstat(fd, &st) != 0 ? strerror(errno)
	    : !S_ISREG(st.st_mode) ? "not a regular file"
	    : fchmod(fd, 0600) != 0 ? strerror(errno) : NULL;
	close(fd);
	if (why)
		history_lost(le, why);
	else
		read_history(le->history);
}

static void rl_open(struct nb_lineedit *le, const struct nb_completion *words)
{
	rl_readline_name = "nabla";
	rl_instream = le->in;
	rl_outstream = le->prompt_out;
	/* We catch SIGINT ourselves (see the file's header). */
	rl_catch_signals = 0;
	rl_attempted_completion_function = complete;
	rl_completion_word_break_hook = word_breaks;
	rl_basic_word_break_characters = expr_breaks;
	rl_state.words = words;
	history_open(le);
}

/* Ctrl-C: forget the line and any half-typed key sequence. */
/* Ctrl-C: the discarded line stays on screen as typed, followed by ^C,
 * and the next prompt starts a clean line.  The cursor goes to the end
 * of the line first and ^C goes out before the terminal is restored,
 * which returns to column 0 ("nabla> abc" would read "^Cbla> abc"). */
static enum nb_le_status interrupted(void)
{
	got_sigint = 0;
	rl_point = rl_end;
	rl_redisplay();
	fputs("^C\n", rl_outstream);
	fflush(rl_outstream);
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_callback_handler_remove();
	return NB_LE_INTR;
}

static enum nb_le_status rl_read(struct nb_lineedit *le, const char *prompt,
				 const char **line, size_t *len)
{
	int fd = fileno(le->in);
	fd_set fds;

	rl_state.ready = 0;
	rl_state.line = NULL;
	got_sigint = 0;
	wake_drain();
	rl_callback_handler_install(prompt, on_line);
	while (!rl_state.ready) {
		int n = fd > wake[0] ? fd : wake[0];

		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		if (wake[0] >= 0)
			FD_SET(wake[0], &fds);
		n = pselect(n + 1, &fds, NULL, NULL, NULL, &le->wait_mask);
		if (n < 0 && errno != EINTR) {
			rl_callback_handler_remove();
			return failed(le, errno);
		}
		if (got_sigint)
			return interrupted();
		if (n > 0 && FD_ISSET(fd, &fds))
			rl_callback_read_char();
	}
	if (!rl_state.line) {
		fputc('\n', rl_outstream);
		return NB_LE_EOF;
	}
	int r = keep(le, rl_state.line, strlen(rl_state.line));
	free(rl_state.line);    /* Readline's own malloc */
	if (r)
		return failed(le, ENOMEM);
	*line = le->buf;
	*len = strlen(le->buf);
	return NB_LE_LINE;
}

void nb_lineedit_history(struct nb_lineedit *le, const char *text)
{
	HIST_ENTRY *last;
	int err;

	if (le->mode != NB_LE_READLINE || text[strspn(text, " \t")] == '\0')
		return;
	last = history_get(history_base + history_length - 1);
	if (last && strcmp(last->line, text) == 0)
		return;
	add_history(text);
	/* A failed write (a full disk) is said once, then not tried. */
	if (le->history && (err = append_history(1, le->history)) != 0)
		history_lost(le, strerror(err));
}

static void rl_close(struct nb_lineedit *le)
{
	if (le->history && !refusal(le->history))
		history_truncate_file(le->history, HISTORY_MAX);
	clear_candidates();
	nb_free(rl_state.cand);
	rl_state.cand = NULL;
	rl_state.cap = 0;
	clear_history();
}

#else /* !HAVE_READLINE */

void nb_lineedit_history(struct nb_lineedit *le, const char *text)
{
	(void)le;
	(void)text;
}

#endif

void nb_lineedit_open(struct nb_lineedit *le, FILE *in, int interactive,
		      const struct nb_completion *words)
{
	memset(le, 0, sizeof *le);
	le->in = in;
	le->mode = interactive ? NB_LE_PLAIN : NB_LE_SCRIPT;
	le->prompt_out = isatty(STDOUT_FILENO) ? stdout : stderr;
	if (!interactive)
		return;
	catch_sigint(le);
#ifdef HAVE_READLINE
	le->mode = NB_LE_READLINE;
	rl_open(le, words);
#else
	(void)words;
	/* Without Readline the prompts always go to stderr. */
	le->prompt_out = stderr;
#endif
}

enum nb_le_status nb_lineedit_read(struct nb_lineedit *le,
				   const char *prompt, const char **line,
				   size_t *len)
{
#ifdef HAVE_READLINE
	if (le->mode == NB_LE_READLINE)
		return rl_read(le, prompt, line, len);
#endif
	return plain_read(le, prompt, line, len);
}

void nb_lineedit_close(struct nb_lineedit *le)
{
#ifdef HAVE_READLINE
	if (le->mode == NB_LE_READLINE)
		rl_close(le);
#endif
	if (le->handler) {
		sigprocmask(SIG_SETMASK, &le->old_mask, NULL);
		sigaction(SIGINT, &le->old_int, NULL);
		wake_close();
	}
	nb_free(le->history);
	nb_free(le->buf);
	memset(le, 0, sizeof *le);
}
