/* tests/testmain.h -- main() for the Check unit-test programs.
 *
 * Each tests/check_NAME.c defines `static Suite *NAME_suite(void)` and ends
 * with `NB_CHECK_MAIN(NAME_suite);` (semicolon required).  The generated
 * main():
 *
 *   - writes TAP, one line per test (loop-test iterations count
 *     separately), on stdout for automake's tap-driver.sh; Check's own
 *     text report is silenced (CK_SILENT), so stdout is pure TAP;
 *   - keeps Check's default fork mode: a test that crashes becomes
 *     `not ok N - file:tcase:test: Received signal 11 ...` and the run
 *     goes on.  CK_FORK=no in the environment disables forking (for gdb);
 *   - line-buffers stdout, so a forked test process never inherits (and
 *     re-prints at exit) a half-written buffer;
 *   - exits non-zero when any test failed.
 *
 * Check >= 0.9.13 is needed for srunner_set_tap(sr, "-") to mean stdout;
 * configure checks for it.  A test's own diagnostics belong on stderr
 * (they end up in the .log file); anything a test writes to stdout that is
 * not TAP is reported by the driver as noise, never as a pass.
 */
#ifndef NABLA_TESTS_TESTMAIN_H
#define NABLA_TESTS_TESTMAIN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define NB_CHECK_MAIN(suite_fn)                                         \
    int main(void)                                                      \
    {                                                                   \
        SRunner *nb_sr_;                                                \
        int nb_failed_;                                                 \
                                                                        \
        setvbuf(stdout, NULL, _IOLBF, 0);                               \
        nb_sr_ = srunner_create(suite_fn());                            \
        srunner_set_tap(nb_sr_, "-");                                   \
        srunner_run_all(nb_sr_, CK_SILENT);                             \
        nb_failed_ = srunner_ntests_failed(nb_sr_);                     \
        srunner_free(nb_sr_);                                           \
        fflush(stdout);                                                 \
        return nb_failed_ == 0 ? EXIT_SUCCESS : EXIT_FAILURE;           \
    }                                                                   \
    /* require a semicolon after the macro */                           \
    extern int nb_check_main_dummy_

#endif /* NABLA_TESTS_TESTMAIN_H */
