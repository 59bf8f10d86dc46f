#!/bin/sh
# valgrind.sh - make check-valgrind: unit tests and a daemon round trip under memcheck
#
# Usage: valgrind.sh LOGDIR UNIT-TEST... -- DAEMON-TEST...
# The unit tests run under valgrind themselves (CK_FORK=no, so one
# process each); the daemon tests run as they are, with every gpgpackd
# they start under valgrind (GPGPACKD points to a wrapper).  Every
# process that ends under valgrind must report 0 errors; definite leaks
# count as errors.  The gpg that GPGME starts is not traced.
set -u
logdir=$1
shift
: "${GPGPACKD:?GPGPACKD must name the built gpgpackd}"
: "${LIBTOOL:=libtool}"
vg="valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite"

rm -rf "$logdir" && mkdir -p "$logdir" || exit 1
cat > "$logdir/gpgpackd" <<WRAPPER
#!/bin/sh
exec $vg --log-file=$logdir/gpgpackd.%p.log "$GPGPACKD" "\$@"
WRAPPER
chmod +x "$logdir/gpgpackd"

failed=0
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  echo "check-valgrind: $1"
  CK_FORK=no $LIBTOOL --mode=execute $vg --log-file="$logdir/$1.%p.log" \
    "./$1" || failed=1
  shift
done
[ $# -gt 0 ] && shift
for t in "$@"; do
  echo "check-valgrind: $t (gpgpackd under valgrind)"
  GPGPACKD="$logdir/gpgpackd" "./$t" || failed=1
done

# A fork that exec'd gpg leaves a log without a summary: not counted.
ended=$(grep -l "ERROR SUMMARY" "$logdir"/*.log)
daemons=$(grep -l "ERROR SUMMARY" "$logdir"/gpgpackd.*.log 2>/dev/null | wc -l)
bad=$(grep -L "ERROR SUMMARY: 0 errors" $ended)
for f in $bad; do
  echo "check-valgrind: errors in $f:"
  cat "$f"
  failed=1
done
if [ "$daemons" -eq 0 ]; then
  echo "check-valgrind: no gpgpackd ended under valgrind"
  failed=1
fi
echo "check-valgrind: $(echo "$ended" | wc -l) processes ended under" \
     "valgrind ($daemons of them gpgpackd), $(echo "$bad" | grep -c .) with errors"
exit $failed
