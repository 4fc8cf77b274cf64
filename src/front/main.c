/* main.c - the nabla program: everything else lives in libnabla. */
#include "config.h"

#include <signal.h>
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT)
#include <malloc.h>
#endif

#include "front/cli.h"

int main(int argc, char **argv)
{
	/* | head ends nabla quietly even under a parent that ignores
	 * SIGPIPE (trap '' PIPE), which would turn it into EPIPE errors. */
#ifdef SIGPIPE
	signal(SIGPIPE, SIG_DFL);
#endif
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT) && defined(M_MMAP_THRESHOLD)
	/* Large blocks (tensors read from files, the arenas) in pages of
	 * their own, given back when freed: by default glibc raises this
	 * size after the first such block is freed and keeps later ones in
	 * a heap that does not shrink, which adds to the peak memory. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	return nb_cli_main(argc, argv);
}
