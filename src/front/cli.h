/* cli.h - the nabla command line. */
#ifndef NABLA_CLI_H
#define NABLA_CLI_H

/* Runs nabla with the given arguments; returns the exit status. */
int nb_cli_main(int argc, char **argv);

#endif
