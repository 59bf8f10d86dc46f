#!/bin/sh
# bench-keys.sh - export and import of N keys through gpgpackd, beside gpg
#
# Usage: bench-keys.sh [N...]      (default: $BENCH_SIZES or 100 1000 10000)
#
# For each N: N ed25519 keys (generated once, kept in $BENCH_CACHE/N)
# are exported and imported, public keys for every N and secret keys for
# N <= $BENCH_SECRET_MAX (default 1000), each way:
#   gpg      bare gpg --import, gpg --export[-secret-keys] (the baseline)
#   assuan   PACK_EXPORT through gpg-connect-agent, straight to gpgpackd
#   cli      gpgpack export / gpgpack import (CLI -> gpgpackd -> gpg)
# Exports are run $BENCH_RUNS times (default 3) and the median time
# kept; imports, which need a fresh home each, once.  Time is
# wall-clock, with its ratio to gpg's; peak RSS is the client's (with
# the children it waited for: gpg for the baseline) from wait4, and
# gpgpackd's VmHWM, reset before each run (/proc/PID/clear_refs).  Every
# import is checked to have brought all N keys.  A table goes to stdout,
# the figures to $BENCH_RESULTS (default bench-results.json) as JSON.
# Never fails on speed; fails if a step fails or a key is missing.
#
# Environment: GPG, GPGCONF, GPG_CONNECT_AGENT, GPGPACKD, GPGPACK and
# GPGPACK_PLUGIN_DIR as in make check; BENCH_RUN (tests/bench-run).
set -e
gpg=${GPG:-gpg}
gca=${GPG_CONNECT_AGENT:-gpg-connect-agent}
gpgconf=${GPGCONF:-gpgconf}
daemon=${GPGPACKD:-../assuan-protocol/gpgpackd}
cli=${GPGPACK:-../tools/gpgpack}
run=${BENCH_RUN:-./bench-run}
cache=${BENCH_CACHE:-/tmp/gpgpack-bench-keys}
secret_max=${BENCH_SECRET_MAX:-1000}
runs=${BENCH_RUNS:-3}
results=${BENCH_RESULTS:-bench-results.json}
sizes=${*:-${BENCH_SIZES:-100 1000 10000}}

work=$(mktemp -d /tmp/gpk.XXXXXX)
homes=
trap 'for h in $homes; do stop_home "$h"; done; rm -rf "$work"' EXIT
: > "$work/records"

# Stop the daemon and gpg-agent of home $1 and remove it.
stop_home () {
  [ -d "$1" ] || return 0
  s=$("$gpgconf" --homedir "$1" --list-dirs socketdir)/S.gpgpackd
  "$gca" --no-autostart -S "$s" KILLDAEMON /bye >/dev/null 2>&1 ||:
  "$gpgconf" --homedir "$1" --kill all 2>/dev/null ||:
  rm -rf "$1"
}

# Make a fresh GnuPG home; sets h.
new_home () {
  h=$(mktemp -d /tmp/gpk.XXXXXX)
  homes="$homes $h"
  chmod 700 "$h"
}

# Generate N keys into $cache/N/{pub,sec}.pgp unless they are there.
# One gpg --gen-key run for all of them (ed25519, no passphrase): about
# 20 ms a key, against several times that for --quick-gen-key calls.
ensure_keys () {
  dir=$cache/$1
  if [ -s "$dir/pub.pgp" ] && [ -s "$dir/sec.pgp" ]; then return 0; fi
  echo "generating $1 ed25519 keys into $dir (cached for later runs)"
  new_home; g=$h
  i=0
  while [ $i -lt "$1" ]; do
    printf 'Key-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\n'
    printf 'Name-Email: k%d@bench.example\nExpire-Date: 0\n' $i
    printf '%%no-protection\n%%commit\n'
    i=$((i + 1))
  done > "$g/params"
  "$gpg" --homedir "$g" --batch --gen-key "$g/params" 2>/dev/null
  mkdir -p "$dir"
  "$gpg" --homedir "$g" --batch --export > "$dir/pub.tmp"
  "$gpg" --homedir "$g" --batch --export-secret-keys > "$dir/sec.tmp"
  mv "$dir/pub.tmp" "$dir/pub.pgp"
  mv "$dir/sec.tmp" "$dir/sec.pgp"
  stop_home "$g"
}

# Start gpgpackd on home $1; sets pid and sock.
start_daemon () {
  "$daemon" --homedir "$1" --daemon
  sock=$("$gpgconf" --homedir "$1" --list-dirs socketdir)/S.gpgpackd
  pid=$("$gca" --no-autostart -S "$sock" 'GETINFO pid' /bye \
        | awk '/^D / { print $2 }')
}

# Run "$@" R times (first argument) under bench-run; sets secs (the
# median) and rss (the largest, KiB).  gpgpackd's peak is reset first
# when $pid is set.  An Assuan ERR line is a failure.
measure () {
  r=$1; shift
  if [ -n "$pid" ]; then echo 5 > "/proc/$pid/clear_refs"; fi
  : > "$work/times"; rss=0
  while [ "$r" -gt 0 ]; do
    if ! "$run" "$work/ru" "$@" > "$work/out" 2> "$work/err" \
       || grep -q '^ERR' "$work/out"; then
      echo "bench-keys: failed: $*" >&2
      cat "$work/out" "$work/err" >&2
      exit 1
    fi
    read -r t m < "$work/ru"
    echo "$t" >> "$work/times"
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
    r=$((r - 1))
  done
  secs=$(sort -n "$work/times" | awk '{ t[NR] = $1 }
         END { print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
}

# Peak RSS of gpgpackd since the last measure, KiB ("null" without one).
daemon_rss () {
  if [ -n "$pid" ]; then awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"
  else echo null; fi
}

# Record and print the run just measured: N KIND OP VIA; the time of a
# gpg run is kept as the base of the ratios of OP.
record () {
  drss=$(daemon_rss)
  if [ "$4" = gpg ]; then eval "base_$3=\$secs"; fi
  ratio=$(eval "echo \$secs \$base_$3" | awk '{ printf "%.2f", $1 / $2 }')
  printf '%6d %-6s %-6s %-6s %8.2f s %5s %8s %8s\n' "$1" "$2" "$3" "$4" \
    "$secs" "$ratio" "$rss" "$drss"
  printf '    {"keys": %d, "kind": "%s", "op": "%s", "via": "%s",' \
    "$1" "$2" "$3" "$4" >> "$work/records"
  printf ' "seconds": %s, "ratio_to_gpg": %s, "client_rss_kib": %s,' \
    "$secs" "$ratio" "$rss" >> "$work/records"
  printf ' "gpgpackd_rss_kib": %s},\n' "$drss" >> "$work/records"
}

# Fail unless home $1 holds $2 keys of kind $3 (public/secret).
count_keys () {
  if [ "$3" = secret ]; then list=--list-secret-keys; tag=sec
  else list=--list-keys; tag=pub; fi
  got=$("$gpg" --homedir "$1" --batch --with-colons $list 2>/dev/null \
        | grep -c "^$tag:" ||:)
  if [ "$got" != "$2" ]; then
    echo "bench-keys: $2 $3 keys expected in $1, found $got" >&2
    exit 1
  fi
}

# The runs for N keys of KIND (public/secret).
bench_kind () {
  n=$1 kind=$2
  if [ "$kind" = secret ]; then file=$cache/$n/sec.pgp sflag=--secret
       gexp=--export-secret-keys
  else file=$cache/$n/pub.pgp sflag= gexp=--export; fi
  out=$work/out.d; rm -rf "$out"; mkdir "$out"

  new_home; src=$h; pid=
  measure 1 "$gpg" --homedir "$src" --batch --import "$file"
  record "$n" "$kind" import gpg
  count_keys "$src" "$n" "$kind"
  pid=
  measure "$runs" "$gpg" --homedir "$src" --batch $gexp
  record "$n" "$kind" export gpg

  start_daemon "$src"
  measure "$runs" "$gca" --no-autostart -S "$sock" \
    "PACK_EXPORT $sflag --force --output-dir=$out --name=assuan -- @bench.example" /bye
  record "$n" "$kind" export assuan
  measure "$runs" "$cli" --homedir "$src" --batch --yes --no-autostart export $sflag \
    --force -o "$out" --name cli @bench.example
  record "$n" "$kind" export cli
  stop_home "$src"

  new_home; dst=$h
  start_daemon "$dst"
  measure 1 "$cli" --homedir "$dst" --batch --no-autostart import \
    "$out/cli.gpgpack"
  record "$n" "$kind" import cli
  count_keys "$dst" "$n" "$kind"
  stop_home "$dst"
  pid=
}

echo "     N kind   op     via     seconds  ratio  rss KiB  gpgpackd KiB"
for n in $sizes; do
  ensure_keys "$n"
  bench_kind "$n" public
  if [ "$n" -le "$secret_max" ]; then bench_kind "$n" secret; fi
done

{
  printf '{\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '  "machine": "%s, %s CPUs, %s",\n' "$(uname -m)" "$(nproc)" \
    "$("$gpg" --version | head -1)"
  printf '  "export_runs": %d,\n' "$runs"
  printf '  "runs": [\n'
  sed '$ s/},$/}/' "$work/records"
  printf '  ]\n}\n'
} > "$results.tmp"
mv "$results.tmp" "$results"
echo "figures written to $results"
