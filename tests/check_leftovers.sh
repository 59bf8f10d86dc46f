#!/bin/sh
# check_leftovers.sh - fail if the test run left a process or a sanitizer report
#
# The last entry of TESTS.  Every process the tests start (gpgpackd,
# gpg, gpg-agent, also in other mount namespaces) inherits
# GPGPACK_TEST_RUN from TESTS_ENVIRONMENT; any that is still alive here
# is reported and killed, and the check fails.  With --enable-sanitizers
# the reports of every process go to $GPGPACK_SANITIZER_LOG.PID (the
# daemons have no stderr); any such file fails the check too.
set -u
: "${GPGPACK_TEST_RUN:?run this through make check}"
status=0

# The PIDs of processes started with our GPGPACK_TEST_RUN, but not this
# shell or its children (they inherit it too).
leftovers () {
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}; pid=${pid%/environ}
    [ "$pid" = $$ ] && continue
    ppid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ "$ppid" = $$ ] && continue
    tr '\0' '\n' 2>/dev/null < "$env" \
      | grep -qxF "GPGPACK_TEST_RUN=$GPGPACK_TEST_RUN" && echo "$pid"
  done
}

for pid in $(leftovers); do
  echo "FAIL: left running by the tests: pid $pid:" \
       "$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline")"
  kill -9 "$pid" 2>/dev/null
  status=1
done

if [ -n "${GPGPACK_SANITIZER_LOG:-}" ]; then
  for report in "$GPGPACK_SANITIZER_LOG".*; do
    [ -e "$report" ] || continue
    echo "FAIL: sanitizer report $report:"
    cat "$report"
    status=1
  done
fi
exit $status
