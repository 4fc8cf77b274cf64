/* naming.h - how generated programs and code spell names.
 *
 * --symbolic and --emit keep the user's names (x, s3, L), and make up
 * names of their own: t<N> for unnamed nodes and temporaries, grad_<X>
 * for gradients, df_d<X> for the partials of the output, nb_<...> for
 * helpers.  A user's name that has one of those forms (t7, grad_x,
 * df_dy, nb_x), or starts with u_, or is a keyword or a name the
 * generated code itself uses in the target language (C: double, if,
 * fabs, ...; Python: lambda, math, ...), is written u_<NAME> instead;
 * u_ names are never made up, so no two names can clash. */
#ifndef NABLA_NAMING_H
#define NABLA_NAMING_H

#include <stddef.h>
#include <stdio.h>

/* NB_LANG_NUMPY: Python on NumPy arrays (--emit python of a program
 * with vectors or matrices); its names are Python's.  NB_LANG_CBLAS: C
 * that calls CBLAS for matrix products (--emit cblas); C's names and
 * CBLAS's. */
enum nb_lang { NB_LANG_NABLA, NB_LANG_C, NB_LANG_PYTHON, NB_LANG_NUMPY,
	       NB_LANG_CBLAS };

/* Writes the user's name as lang's code spells it. */
void nb_name_write(FILE *out, enum nb_lang lang, const char *s, size_t len);

#endif
