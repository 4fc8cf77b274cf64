/* stop.h - batch mode ends cleanly on SIGINT, SIGTERM and SIGHUP.
 *
 * A consumer of batch output must never see a torn last record ("-4."
 * reads as a number).  While batch mode runs, these signals only set a
 * flag: the run finishes the block of rows in hand, writes whole lines,
 * and then dies of the same signal (exit status 128+n to a shell).  The
 * handler is reset once it has run: a second signal kills at once. */
#ifndef NABLA_STOP_H
#define NABLA_STOP_H

/* Installs the handlers.  They do not restart interrupted calls, so a
 * read waiting for input (tail -f | nabla --batch) returns EINTR. */
void nb_stop_catch(void);

/* The signal that asked to stop, or 0. */
int nb_stop_pending(void);

/* Puts the previous handlers back; if a signal asked to stop, flushes
 * stdout and raises it again (with its default action: no return). */
void nb_stop_release(void);

#endif
