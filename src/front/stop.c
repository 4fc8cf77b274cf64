/* stop.c - deferring SIGINT, SIGTERM and SIGHUP to a record boundary. */
#include "front/stop.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIG_CAUGHT (sizeof signals / sizeof signals[0])

static volatile sig_atomic_t pending;
static struct sigaction saved[NSIG_CAUGHT];

static void on_signal(int sig)
{
	pending = sig;
}

void nb_stop_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSIG_CAUGHT; i++) {
		sigaction(signals[i], NULL, &saved[i]);
		/* A signal ignored by whoever started us (nohup) stays so. */
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(signals[i], &sa, NULL);
	}
}

int nb_stop_pending(void)
{
	return pending;
}

void nb_stop_release(void)
{
	int sig = pending;

	for (size_t i = 0; i < NSIG_CAUGHT; i++)
		sigaction(signals[i], &saved[i], NULL);
	if (!sig)
		return;
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
}
