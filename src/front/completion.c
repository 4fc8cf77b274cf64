/* completion.c - the bash completion script of the option table.
 *
 * The script is data, not logic: the options in one list, and a case per
 * option that takes an argument.  bash splits --opt=value at '=' (it is
 * in COMP_WORDBREAKS), so the script puts the word back together: an
 * option is then matched as "--opt=", which is the only way an optional
 * argument (--color[=WHEN]) can be given. */
#include "front/completion.h"

#include <getopt.h>

const char *const nb_comp_files[] = { NULL };

static const char head[] =
	"# bash completion for nabla: written by `nabla --completion bash'\n"
	"# from nabla's option table; do not edit.\n"
	"\n"
	"_nabla_files()\n"
	"{\n"
	"\tlocal IFS=$'\\n'\n"
	"\tCOMPREPLY=($(compgen -f -P \"$1\" -- \"$2\"))\n"
	"}\n"
	"\n"
	"_nabla()\n"
	"{\n"
	"\tlocal i=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev= eq= pre= w=\n"
	"\t((i > 0)) && prev=${COMP_WORDS[i-1]}\n"
	"\tif [[ $cur == = && $prev == -* ]]; then\n"
	"\t\teq==; cur=\n"
	"\telif [[ $prev == = ]] && ((i > 1)); then\n"
	"\t\teq==; prev=${COMP_WORDS[i-2]}\n"
	"\telif [[ $cur == --*=* ]]; then\n"
	"\t\teq==; prev=${cur%%=*}; pre=$prev=; cur=${cur#*=}\n"
	"\tfi\n"
	"\tcase $prev$eq in\n";

static const char tail[] =
	"\t*)\n"
	"\t\tif [[ $cur != -* ]]; then\n"
	"\t\t\t_nabla_files \"\" \"$cur\"\n"
	"\t\t\treturn\n"
	"\t\tfi\n"
	"\t\tw=$_nabla_options ;;\n"
	"\tesac\n"
	"\tCOMPREPLY=($(compgen -P \"$pre\" -W \"$w\" -- \"$cur\"))\n"
	"}\n"
	"complete -o filenames -F _nabla nabla\n";

/* The case pattern of o's argument: -X|--name|--name=, or only
 * --name= for an optional argument. */
static void pattern(FILE *out, const struct nb_compopt *o)
{
	fputc('\t', out);
	if (o->arg == required_argument) {
		if (o->letter)
			fprintf(out, "-%c|", o->letter);
		fprintf(out, "--%s|", o->name);
	}
	fprintf(out, "--%s=)", o->name);
}

static void words(FILE *out, const char *const *w)
{
	for (size_t i = 0; w[i]; i++)
		fprintf(out, "%s%s", i ? " " : "", w[i]);
}

void nb_completion_bash(FILE *out, const struct nb_compopt *opt, size_t n)
{
	fputs(head, out);
	for (size_t i = 0; i < n; i++) {
		const struct nb_compopt *o = &opt[i];

		if (o->arg == no_argument)
			continue;
		pattern(out, o);
		if (o->values == nb_comp_files)
			fputs(" _nabla_files \"$pre\" \"$cur\"; return ;;\n", out);
		else if (o->values) {
			fputs(" w='", out);
			words(out, o->values);
			fputs("' ;;\n", out);
		} else
			fputs(" return ;;\n", out);
	}
	fputs(tail, out);
	fputs("_nabla_options='", out);
	for (size_t i = 0; i < n; i++) {
		if (opt[i].letter)
			fprintf(out, "-%c ", opt[i].letter);
		fprintf(out, "--%s%s", opt[i].name, i + 1 < n ? " " : "");
	}
	fputs("'\n", out);
}
