/* outfile.h - flushing and closing stdout without losing why a write failed. */
#ifndef NABLA_OUTFILE_H
#define NABLA_OUTFILE_H

#include <stdio.h>

/* Flushes out after a writer wrote to it (and went on past any failed
 * write, which stdio makes harmless): 0, or -1 with errno set if any
 * write failed, which is kept for nb_close_stdout when out is stdout. */
int nb_flush_out(FILE *out);
/* Writes n bytes at buf to out, after what stdio holds for it, all or
 * nothing short of a failure: straight to its file descriptor, where a
 * signal that interrupts a write is not a failure (the bytes that went
 * are not written twice).  0, or -1 with errno set. */
int nb_write_whole(FILE *out, const char *buf, size_t n);
/* fflush(stdout), keeping why the first failed write failed: a session
 * flushes after every statement, and by the time stdout is closed errno
 * no longer says. */
void nb_flush_stdout(void);
/* Flushes and closes stdout.  After a failed write says why ("nabla:
 * write error: No space left on device") and returns status, or 1 if
 * status is 0; else returns status. */
int nb_close_stdout(int status);

#endif
