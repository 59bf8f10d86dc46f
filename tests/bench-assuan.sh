#!/bin/sh
# bench-assuan.sh - Assuan NOP round trips and sessions/s: gpgpackd beside gpg-agent
#
# Usage: bench-assuan.sh [ROUNDS [SESSIONS]]   (default 20000, 2000)
# Starts gpgpackd and gpg-agent in one fresh home and measures both
# with the same libassuan client (bench-nop, $BENCH_NOP): ROUNDS NOPs
# on one connection and SESSIONS connect + NOP + BYE sessions, three
# times each, keeping the median; prints the figures and gpgpackd's
# ratio to gpg-agent's, and writes them as JSON to $BENCH_PARTS/assuan.json
# when BENCH_PARTS is set.
rounds=${1:-20000}
sessions=${2:-2000}
nopprog=${BENCH_NOP:-./bench-nop}
. "$(dirname "$0")/bench-lib.sh"

bench_start_daemon
"$gca" --homedir "$home" /bye >/dev/null 2>&1   # Starts gpg-agent.
agent=$("$gpgconf" --homedir "$home" --list-dirs agent-socket)

# Median of three bench-nop runs on socket $1: sets nops and conns.
median_nop () {
  for _ in 1 2 3; do "$nopprog" "$1" "$rounds" "$sessions"; done \
    > "$home/nop.out"
  nops=$(sort -n -k1,1 "$home/nop.out" | awk 'NR == 2 { print $1 }')
  conns=$(sort -n -k2,2 "$home/nop.out" | awk 'NR == 2 { print $2 }')
}

median_nop "$sock"; d_nops=$nops d_conns=$conns
median_nop "$agent"; a_nops=$nops a_conns=$conns
load=$(bench_load)
echo "Assuan, $rounds NOPs and $sessions connect+NOP+BYE sessions" \
     "(median of 3; load $load):"
printf '  gpgpackd   %8d NOP/s %8d sessions/s\n' "$d_nops" "$d_conns"
printf '  gpg-agent  %8d NOP/s %8d sessions/s\n' "$a_nops" "$a_conns"
echo "$d_nops $a_nops $d_conns $a_conns" | awk '{
  printf "  gpgpackd/gpg-agent  %.2f NOP, %.2f sessions\n", $1 / $2, $3 / $4 }'
if [ -n "$BENCH_PARTS" ]; then
  printf '{"nop_rounds": %d, "sessions": %d, "load": %s,' \
    "$rounds" "$sessions" "$load"
  printf ' "gpgpackd": {"nop_per_s": %d, "sessions_per_s": %d},' \
    "$d_nops" "$d_conns"
  printf ' "gpg_agent": {"nop_per_s": %d, "sessions_per_s": %d}}\n' \
    "$a_nops" "$a_conns"
fi > "${BENCH_PARTS:-$home}/assuan.json"
