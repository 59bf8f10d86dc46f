#!/bin/sh
# bench-openpgp.sh - gpgpackd's peak memory exporting and importing N
# secret keys in the openpgp format
#
# Usage: bench-openpgp.sh [N...]   (default: $BENCH_OPENPGP_SIZES or
# 100 2000; ascending; run from tests/, uses ../assuan-protocol/gpgpackd
# and $GPGPACK_PLUGIN_DIR).  The home grows to each N in turn (ed25519
# keys, unprotected); for each N, PACK_EXPORT --secret --format=openpgp
# and PACK_IMPORT of that pack with its setup code (the keys are there
# already: unchanged, but opened and fed to gpg all the same) are run
# once, and gpgpackd's VmHWM is read after each, reset before it
# (/proc/PID/clear_refs).  Prints a table; never fails on the figures.
sizes=${*:-${BENCH_OPENPGP_SIZES:-100 2000}}
. "$(dirname "$0")/bench-lib.sh"

mkdir "$home/out"
bench_start_daemon
pid=$("$gca" --no-autostart -S "$sock" 'GETINFO pid' /bye \
      | awk '/^D / { print $2 }')

# Run the Assuan command $1; print seconds and gpgpackd's peak KiB.
peak_of () {
  echo 5 > "/proc/$pid/clear_refs"
  t0=$(date +%s.%N)
  "$gca" --no-autostart -S "$sock" "$1" /bye > "$home/bench.out" 2>&1
  t1=$(date +%s.%N)
  if grep -a '^ERR ' "$home/bench.out" >&2; then exit 1; fi
  echo "$t0 $t1 $(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")" \
    | awk '{ printf "%7.2f s %9d", $2 - $1, $3 }'
}

echo "     N  pack KiB   export   peak KiB   import   peak KiB" \
     " (gpgpackd idle: $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status") KiB)"
have=0
for n in $sizes; do
  bench_key_params $((n - have)) "n$n.bench.example" > "$home/params"
  "$gpg" --homedir "$home" --batch --gen-key "$home/params" 2>/dev/null
  have=$n
  exp=$(peak_of "PACK_EXPORT --secret --format=openpgp --force\
 --output-dir=$home/out --name=b$n -- bench.example")
  imp=$(peak_of "PACK_IMPORT --key-file=$home/out/b$n.key $home/out/b$n.asc")
  grep -q "IMPORT_RES $n " "$home/bench.out" \
    || { echo "bench-openpgp: not $n keys in the pack" >&2; exit 1; }
  printf '%6d %9d %s %s\n' "$n" \
    $(($(wc -c < "$home/out/b$n.asc") / 1024)) "$exp" "$imp"
done
