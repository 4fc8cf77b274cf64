/* main.c - the nabla program: everything else lives in libnabla. */
#include "cli.h"

int main(int argc, char **argv)
{
	return nb_cli_main(argc, argv);
}
