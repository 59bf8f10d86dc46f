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
# The runs are interleaved: for each N, set, kind and op, each of
# $BENCH_RUNS rounds (default 3) runs every variant once, in turn, so
# that a change of load on a shared machine hits all of them alike;
# then the median of each variant is kept (imports each into a fresh
# home, with its gpg-agent started before the run; every import run is
# checked to have brought all N keys).  Wall-clock time and CPU time
# (user + system), each with its ratio to bare gpg's and to the
# gpg+sym pipeline's.  The CPU is the whole work of the operation: the
# client and everything it started (bench-run is their child
# subreaper), gpg-agent's, and gpgpackd's with the gpg processes it
# starts (it runs under "bench-run --reaper", which reaps them).  Peak
# RSS is the client's (with the children it waited for: gpg itself for
# the baselines) from wait4, and gpgpackd's VmHWM, reset before each
# run (/proc/PID/clear_refs).  A table goes to stdout, the figures to
# $BENCH_RESULTS (default bench-results.json) as JSON, with the median
# load average of each.  Never fails on speed; fails if a step fails
# or a key is missing.
#
# Keys are generated from scratch, however slow (rsa3072).  Deriving
# more from cached ones with gpg's batch "Key-Grip:" and several
# "Creation-Date:" values gives distinct fingerprints that all import,
# but keys sharing a keygrip share one gpg-agent key file: importing
# 10 such secret keys stores 1 file ("secret keys unchanged: 9"), so a
# secret import of them does a fraction of the real work.
#
# BENCH_KINDS (default "public secret") limits the kinds measured.
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
wanted_kinds=${BENCH_KINDS:-public secret}
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

# Start gpgpackd on home $1 under a "bench-run --reaper", which reaps
# the gpg processes it starts (their CPU is then counted); sets pid and
# sock.
start_daemon () {
  "$run" --reaper "$daemon" --homedir "$1" --daemon
  sock=$("$gpgconf" --homedir "$1" --list-dirs socketdir)/S.gpgpackd
  pid=$("$gca" --no-autostart -S "$sock" 'GETINFO pid' /bye \
        | awk '/^D / { print $2 }')
}

# Start gpg-agent of home $1 unless it runs; sets agent to its pid.
start_agent () {
  agent=$("$gca" --homedir "$1" 'GETINFO pid' /bye 2>/dev/null \
          | awk '/^D / { print $2 }')
  if [ -z "$agent" ]; then
    echo "bench-keys: gpg-agent of $1 did not start" >&2
    exit 1
  fi
}

# One run of the shell command CMD (third argument; it sees $src, $dst,
# $file and $work) as variant VIA (second) of OP (first) under
# bench-run, with the CPU of gpg-agent ($agent) and of gpgpackd ($pid,
# if set); before it call PREP (fourth), after it CHECK (fifth).
# Appends "SECONDS RSS CPU GPGPACKD_RSS LOAD" to $work/OP.VIA; gpgpackd's
# RSS is its VmHWM (null without a daemon).  An Assuan ERR line is a
# failure.
run_once () {
  $4
  flags="-p $agent"
  if [ -n "$pid" ]; then
    flags="$flags -d $pid"
    echo 5 > "/proc/$pid/clear_refs"
  fi
  if ! "$run" $flags "$work/ru" sh -c "$3" > "$work/out" 2> "$work/err" \
     || grep -q '^ERR' "$work/out"; then
    echo "bench-keys: failed: $3" >&2
    cat "$work/out" "$work/err" >&2
    exit 1
  fi
  d=null
  if [ -n "$pid" ]; then d=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"); fi
  echo "$(cat "$work/ru") $d $(bench_load)" >> "$work/$1.$2"
  $5
}

# The median of column $1 of standard input.
median () {
  cut -d' ' -f"$1" | sort -n | awk '{ t[NR] = $1 } END {
    print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# The largest of column $1 of standard input, or null if that is null.
largest () {
  cut -d' ' -f"$1" | sort -n | tail -1
}

# Ratio of $2 to the figure in variable $1, or null without one.
ratio_to () {
  eval "echo $2 \${$1:-}" \
    | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else printf "null" }'
}

# Record and print the medians of the runs of N SET KIND OP VIA; the
# figures of a gpg run are kept as the base of the ratios of OP, those
# of a gpg+sym run as the base of the pipe ratios.
record () {
  f=$work/$4.$5
  secs=$(median 1 < "$f") rss=$(largest 2 < "$f") cpu=$(median 3 < "$f")
  drss=$(largest 4 < "$f") load=$(median 5 < "$f")
  if [ "$5" = gpg ]; then eval "base_$4=\$secs cbase_$4=\$cpu"; fi
  if [ "$5" = gpg+sym ]; then eval "pipe_$4=\$secs cpipe_$4=\$cpu"; fi
  ratio=$(ratio_to "base_$4" "$secs") pratio=$(ratio_to "pipe_$4" "$secs")
  cratio=$(ratio_to "cbase_$4" "$cpu") cpratio=$(ratio_to "cpipe_$4" "$cpu")
  printf '%6d %-10s %-6s %-6s %-7s %8.2f %6s %6s %8.2f %6s %6s %8s %8s %5s\n' \
    "$1" "$2" "$3" "$4" "$5" "$secs" "$ratio" "$pratio" "$cpu" "$cratio" \
    "$cpratio" "$rss" "$drss" "$load"
  printf '    {"keys": %d, "set": "%s", "kind": "%s", "op": "%s",' \
    "$1" "$2" "$3" "$4" >> "$work/records"
  printf ' "via": "%s", "seconds": %s, "ratio_to_gpg": %s,' \
    "$5" "$secs" "$ratio" >> "$work/records"
  printf ' "ratio_to_gpg_sym": %s, "cpu_seconds": %s,' \
    "$pratio" "$cpu" >> "$work/records"
  printf ' "cpu_ratio_to_gpg": %s, "cpu_ratio_to_gpg_sym": %s,' \
    "$cratio" "$cpratio" >> "$work/records"
  printf ' "client_rss_kib": %s, "gpgpackd_rss_kib": %s,' \
    "$rss" "$drss" >> "$work/records"
  printf ' "runs": %d, "load": %s},\n' "$runs" "$load" >> "$work/records"
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

# A fresh import destination: the last one stopped, a new home in dst
# with its gpg-agent running.
fresh_dst () {
  stop_home "$dst"
  new_home; dst=$h; pid=
  start_agent "$dst"
}

# The same with gpgpackd running there.
fresh_dst_daemon () {
  fresh_dst
  start_daemon "$dst"
}

# The variants of OP ($1) for $kind, in the order of a round.
variants () {
  v=gpg
  if [ "$kind" = secret ]; then v="$v gpg+sym"; fi
  if [ "$1" = export ]; then v="$v assuan"; fi
  echo "$v cli"
}

# One export run of variant $1 from the home $src (its daemon: $dpid);
# the CLI's pack is left in $out/cli.gpgpack, the gpg+sym message in
# $work/sym.
export_once () {
  case $1 in
    gpg) pid=
      c="$gpg --homedir \$src --batch $gopt $gexp > \$work/x.pgp" ;;
    gpg+sym) pid=
      c="$gpg --homedir \$src --batch $gopt $gexp \
        | $gpg --homedir \$src --batch --pinentry-mode loopback \
          --passphrase-file \$work/pw --symmetric --cipher-algo AES256 \
          -o - > \$work/sym" ;;
    assuan) pid=$dpid
      c="$gca --no-autostart -S $sock $copt \
        \"PACK_EXPORT $sflag --force --output-dir=\$out --name=assuan \
        -- @bench.example\" /bye" ;;
    cli) pid=$dpid
      c="$cli --homedir \$src --batch --yes --no-autostart \
        $clopt export $sflag --force -o \$out --name cli @bench.example" ;;
  esac
  run_once export "$1" "$c" : :
}

# One import run of variant $1 of what export_once wrote, into a fresh
# home.
import_once () {
  case $1 in
    gpg) run_once import gpg "$gpg --homedir \$dst --batch --import \$file" \
      fresh_dst count_keys ;;
    gpg+sym) run_once import gpg+sym "$gpg --homedir \$dst --batch \
      --pinentry-mode loopback --passphrase-file \$work/pw --decrypt \
      \$work/sym | $gpg --homedir \$dst --batch --import" \
      fresh_dst count_keys ;;
    cli) run_once import cli "$cli --homedir \$dst --batch --no-autostart \
      import \$out/cli.gpgpack" fresh_dst_daemon count_keys ;;
  esac
}

# $runs rounds of OP ($1): each runs every variant once, in turn, so
# that a change of the machine's load hits all of them; then the
# medians of each are recorded.
rounds () {
  r=0
  while [ $r -lt "$runs" ]; do
    for via in $(variants "$1"); do "${1}_once" "$via"; done
    r=$((r + 1))
  done
  for via in $(variants "$1"); do record "$n" "$set" "$kind" "$1" "$via"; done
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
  rm -f "$work"/export.* "$work"/import.*
  export src dst file work out
  unset base_import base_export pipe_import pipe_export
  unset cbase_import cbase_export cpipe_import cpipe_export

  new_home; src=$h; dst=$h
  "$gpg" --homedir "$src" --batch --import "$file" 2>/dev/null
  count_keys
  start_agent "$src"
  start_daemon "$src"; dpid=$pid
  rounds export
  stop_home "$src"
  dst=
  rounds import
  stop_home "$dst"; dst= pid=
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
  kinds=$(for k in $kinds; do
             case " $wanted_kinds " in *" $k "*) echo "$k" ;; esac
           done)
}

echo "     N set        kind   op     via      seconds  ratio  /pipe" \
     "     cpu  ratio  /pipe  rss KiB gpgpackd  load"
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
