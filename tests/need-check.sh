#!/bin/sh
# tests/need-check.sh -- stands in for the Check unit tests when configure
# did not find Check, so that `make check` fails instead of silently
# skipping them.  Makefile.am adds it to TESTS only in that case.
echo "1..1"
echo "not ok 1 - Check unit-test framework not found: the unit tests cannot run; install it (Debian: apt-get install check) and re-run ./configure"
echo "# configure found no pkg-config module 'check >= 0.9.13'."
echo "# Install Check (Debian/Ubuntu: apt-get install check; Fedora: dnf install check-devel),"
echo "# then re-run ./configure (or ./bootstrap) and make check."
exit 1
