/* tests/fuzz/budget.h - how much memory a fuzzed program's values may
 * take.  libFuzzer reports any allocation over its 2 GB malloc limit as a
 * crash, and `ones(444444454)` asks for more; nabla's own bound is the
 * machine's memory, so the targets set a smaller one and a program past
 * it is the clean "out of memory" error a user would see. */
#ifndef NABLA_FUZZ_BUDGET_H
#define NABLA_FUZZ_BUDGET_H

#include "core/alloc.h"

#define FUZZ_BUDGET ((size_t)256 << 20)

#endif
