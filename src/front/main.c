/* main.c - the nabla program: everything else lives in libnabla. */
#include <signal.h>

#include "front/cli.h"

int main(int argc, char **argv)
{
	/* | head ends nabla quietly even under a parent that ignores
	 * SIGPIPE (trap '' PIPE), which would turn it into EPIPE errors. */
#ifdef SIGPIPE
	signal(SIGPIPE, SIG_DFL);
#endif
	return nb_cli_main(argc, argv);
}
