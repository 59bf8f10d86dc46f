#!/bin/sh
# bench-keys.sh - export and import of N keys through gpgpackd, beside gpg
#
# Usage: bench-keys.sh [N...]      (default: $BENCH_SIZES or 100 1000 10000)
#
# For each N and key set (ed25519, rsa3072 up to $BENCH_RSA_MAX keys,
# and both again protected by a passphrase up to $BENCH_PW_MAX keys;
# generated once, kept in $BENCH_CACHE/SET/N) the keys are exported and
# imported, public keys for every N and secret keys for N <=
# $BENCH_SECRET_MAX (default 1000), each way:
#   gpg      bare gpg --import, gpg --export[-secret-keys] (the baseline)
#   gpg+sym  gpg --export-secret-keys | gpg --symmetric --cipher-algo
#            AES256, and gpg --decrypt | gpg --import of that (the
#            baseline of an encrypted export, secret keys only)
#   assuan   PACK_EXPORT through gpg-connect-agent, straight to gpgpackd
#   cli      gpgpack export / gpgpack import (CLI -> gpgpackd -> gpg)
# Every step is run $BENCH_RUNS times (default 3; imports each into a
# fresh home) and the median kept.  Time is wall-clock, with its ratio
# to bare gpg's and to the gpg+sym pipeline's; peak RSS is the
# client's (with the children it waited for: gpg itself for the
# baselines) from wait4, and gpgpackd's VmHWM, reset before each run
# (/proc/PID/clear_refs).  Every import run is checked to have brought
# all N keys.  A table goes to stdout, the figures to $BENCH_RESULTS
# (default bench-results.json) as JSON, with the load average of each.
# Never fails on speed; fails if a step fails or a key is missing.
#
# Environment: GPG, GPGCONF, GPG_CONNECT_AGENT, GPGPACKD, GPGPACK and
# GPGPACK_PLUGIN_DIR as in make check; BENCH_RUN (tests/bench-run).
. "$(dirname "$0")/bench-lib.sh"
cli=${GPGPACK:-../tools/gpgpack}
run=${BENCH_RUN:-./bench-run}
cache=${BENCH_CACHE:-/tmp/gpgpack-bench-keys}
secret_max=${BENCH_SECRET_MAX:-1000}
rsa_max=${BENCH_RSA_MAX:-100}
pw_max=${BENCH_PW_MAX:-100}
runs=${BENCH_RUNS:-3}
results=${BENCH_RESULTS:-bench-results.json}
sizes=${*:-${BENCH_SIZES:-100 1000 10000}}
sets=${BENCH_SETS:-ed25519 rsa3072 ed25519-pw rsa3072-pw}
# The passphrase of the -pw sets and of the gpg+sym baseline.
pw=bench

work=$(mktemp -d /tmp/gpk.XXXXXX)
homes=$home
trap 'for h in $homes; do stop_home "$h"; done; rm -rf "$work"' EXIT
: > "$work/records"
printf '%s' "$pw" > "$work/pw"   # No newline: /definqfile sends it all.

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

# Generate N keys of SET into $cache/SET/N/{pub,sec}.pgp unless they
# are there: one gpg --gen-key run for all of them.
ensure_keys () {
  dir=$cache/$2/$1
  if [ -s "$dir/pub.pgp" ] && [ -s "$dir/sec.pgp" ]; then return 0; fi
  echo "generating $1 $2 keys into $dir (cached for later runs)"
  new_home; g=$h
  case $2 in *-pw) p=$pw ;; *) p= ;; esac
  bench_key_params "$1" bench.example "" "${2%-pw}" "$p" > "$g/params"
  "$gpg" --homedir "$g" --batch --pinentry-mode loopback --gen-key \
    "$g/params" 2>/dev/null
  mkdir -p "$dir"
  "$gpg" --homedir "$g" --batch --export > "$dir/pub.tmp"
  "$gpg" --homedir "$g" --batch --pinentry-mode loopback --passphrase "$pw" \
    --export-secret-keys > "$dir/sec.tmp"
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

# Run the shell command CMD (second argument; it sees $src, $dst,
# $file and $work) R times (first argument) under bench-run; before
# each run call PREP (third), after it CHECK (fourth).  Sets secs (the
# median), rss (the largest, KiB) and drss (gpgpackd's largest VmHWM,
# or null without a daemon, $pid).  An Assuan ERR line is a failure.
measure () {
  r=$1 cmd=$2 prep=$3 check=$4
  : > "$work/times"; rss=0; drss=null
  while [ "$r" -gt 0 ]; do
    $prep
    if [ -n "$pid" ]; then echo 5 > "/proc/$pid/clear_refs"; fi
    if ! "$run" "$work/ru" sh -c "$cmd" > "$work/out" 2> "$work/err" \
       || grep -q '^ERR' "$work/out"; then
      echo "bench-keys: failed: $cmd" >&2
      cat "$work/out" "$work/err" >&2
      exit 1
    fi
    read -r t m < "$work/ru"
    echo "$t" >> "$work/times"
    if [ "$m" -gt "$rss" ]; then rss=$m; fi
    if [ -n "$pid" ]; then
      d=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
      if [ "$drss" = null ] || [ "$d" -gt "$drss" ]; then drss=$d; fi
    fi
    $check
    r=$((r - 1))
  done
  secs=$(sort -n "$work/times" | awk '{ t[NR] = $1 }
         END { print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
}

# Ratio of $secs to the time in variable $1, or null without one.
ratio_to () {
  eval "echo \$secs \${$1:-}" \
    | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else printf "null" }'
}

# Record and print the run just measured: N SET KIND OP VIA; the time
# of a gpg run is kept as the base of the ratios of OP, that of a
# gpg+sym run as the base of the pipe ratios.
record () {
  if [ "$5" = gpg ]; then eval "base_$4=\$secs"; fi
  if [ "$5" = gpg+sym ]; then eval "pipe_$4=\$secs"; fi
  ratio=$(ratio_to "base_$4")
  pratio=$(ratio_to "pipe_$4")
  load=$(bench_load)
  printf '%6d %-10s %-6s %-6s %-7s %8.2f %6s %6s %8s %8s %5s\n' "$1" "$2" \
    "$3" "$4" "$5" "$secs" "$ratio" "$pratio" "$rss" "$drss" "$load"
  printf '    {"keys": %d, "set": "%s", "kind": "%s", "op": "%s",' \
    "$1" "$2" "$3" "$4" >> "$work/records"
  printf ' "via": "%s", "seconds": %s, "ratio_to_gpg": %s,' \
    "$5" "$secs" "$ratio" >> "$work/records"
  printf ' "ratio_to_gpg_sym": %s, "client_rss_kib": %s,' \
    "$pratio" "$rss" >> "$work/records"
  printf ' "gpgpackd_rss_kib": %s, "runs": %d, "load": %s},\n' \
    "$drss" "$runs" "$load" >> "$work/records"
}

# Fail unless home $dst holds $n keys of kind $kind (public/secret).
count_keys () {
  if [ "$kind" = secret ]; then list=--list-secret-keys; tag=sec
  else list=--list-keys; tag=pub; fi
  got=$("$gpg" --homedir "$dst" --batch --with-colons $list 2>/dev/null \
        | grep -c "^$tag:" ||:)
  if [ "$got" != "$n" ]; then
    echo "bench-keys: $n $kind keys expected in $dst, found $got" >&2
    exit 1
  fi
}

# A fresh import destination: the last one stopped, a new home in dst.
fresh_dst () {
  stop_home "$dst"
  new_home; dst=$h; pid=
}

# The same with gpgpackd running there.
fresh_dst_daemon () {
  fresh_dst
  start_daemon "$dst"
}

# The exports of N keys of SET and KIND from the home $src; the CLI's
# pack is left in $out/cli.gpgpack, the gpg+sym message in $work/sym.
bench_exports () {
  pid=
  measure "$runs" "$gpg --homedir \$src --batch $gopt $gexp > \$work/x.pgp" : :
  record "$n" "$set" "$kind" export gpg
  if [ "$kind" = secret ]; then
    measure "$runs" "$gpg --homedir \$src --batch $gopt $gexp \
      | $gpg --homedir \$src --batch --pinentry-mode loopback \
        --passphrase-file \$work/pw --symmetric --cipher-algo AES256 \
        -o - > \$work/sym" : :
    record "$n" "$set" "$kind" export gpg+sym
  fi
  start_daemon "$src"
  measure "$runs" "$gca --no-autostart -S $sock $copt \
    \"PACK_EXPORT $sflag --force --output-dir=\$out --name=assuan \
    -- @bench.example\" /bye" : :
  record "$n" "$set" "$kind" export assuan
  measure "$runs" "$cli --homedir \$src --batch --yes --no-autostart \
    $clopt export $sflag --force -o \$out --name cli @bench.example" : :
  record "$n" "$set" "$kind" export cli
}

# The imports of what bench_exports wrote, each run into a fresh home.
bench_imports () {
  measure "$runs" "$gpg --homedir \$dst --batch --import \$file" \
    fresh_dst count_keys
  record "$n" "$set" "$kind" import gpg
  if [ "$kind" = secret ]; then
    measure "$runs" "$gpg --homedir \$dst --batch --pinentry-mode loopback \
      --passphrase-file \$work/pw --decrypt \$work/sym \
      | $gpg --homedir \$dst --batch --import" fresh_dst count_keys
    record "$n" "$set" "$kind" import gpg+sym
  fi
  measure "$runs" "$cli --homedir \$dst --batch --no-autostart import \
    \$out/cli.gpgpack" fresh_dst_daemon count_keys
  record "$n" "$set" "$kind" import cli
  stop_home "$dst"; dst=
}

# The runs for N keys of SET and KIND (public/secret).
bench_kind () {
  n=$1 set=$2 kind=$3
  gopt='' copt='' clopt=''
  if [ "$kind" = secret ]; then
    file=$cache/$set/$n/sec.pgp sflag=--secret gexp=--export-secret-keys
    case $set in *-pw)
      gopt="--pinentry-mode loopback --passphrase-file $work/pw"
      copt="'OPTION pinentry-mode=loopback' \
        '/definqfile KEY_PASSPHRASE $work/pw'"
      clopt="--openpgp-passphrase-file $work/pw" ;;
    esac
  else file=$cache/$set/$n/pub.pgp sflag='' gexp=--export; fi
  out=$work/out.d; rm -rf "$out"; mkdir "$out"
  export src dst file work out
  unset base_import base_export pipe_import pipe_export

  new_home; src=$h; dst=$h; pid=
  "$gpg" --homedir "$src" --batch --import "$file" 2>/dev/null
  count_keys
  bench_exports
  stop_home "$src"
  dst=
  bench_imports
  pid=
}

# Whether SET is benchmarked at N keys, and which kinds.
set_kinds () {
  case $1 in
    *-pw) max=$pw_max kinds=secret ;;   # Public keys have no passphrase.
    rsa*) max=$rsa_max kinds="public secret" ;;
    *) max=$n kinds="public secret" ;;
  esac
  if [ "$n" -gt "$max" ]; then kinds=; fi
  if [ "$n" -gt "$secret_max" ]; then kinds=${kinds%secret}; fi
}

echo "     N set        kind   op     via      seconds  ratio  /pipe" \
     "rss KiB gpgpackd  load"
for n in $sizes; do
  for set in $sets; do
    set_kinds "$set"
    [ -n "$kinds" ] || continue
    ensure_keys "$n" "$set"
    for kind in $kinds; do bench_kind "$n" "$set" "$kind"; done
  done
done

{
  printf '{\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '  "machine": "%s, %s CPUs, %s",\n' "$(uname -m)" "$(nproc)" \
    "$("$gpg" --version | head -1)"
  printf '  "runs": [\n'
  sed '$ s/},$/}/' "$work/records"
  printf '  ]\n}\n'
} > "$results.tmp"
mv "$results.tmp" "$results"
echo "figures written to $results"
