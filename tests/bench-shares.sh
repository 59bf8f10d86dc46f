#!/bin/sh
# bench-shares.sh - PACK_EXPORT --secret with N shares vs with a key file
#
# Usage: bench-shares.sh [NKEYS [NSHARES]]   (default 1000 keys, 255
# shares; run from tests/, uses ../assuan-protocol/gpgpackd and
# $GPGPACK_PLUGIN_DIR).  NSHARES custodian keys (ed25519 + cv25519)
# are made beside the NKEYS keys; prints the best of three wall-clock
# times of the export with a key file and of the same export with
# --shares=NSHARES --threshold=NSHARES/2+1 (wrap keys by INQUIRE
# WRAP_KEYS), and what each share cost on top; with BENCH_PARTS set
# also as JSON to $BENCH_PARTS/shares.json (make bench).
n=${1:-1000}
nshares=${2:-255}
. "$(dirname "$0")/bench-lib.sh"

{
  bench_key_params "$n" bench.example
  bench_key_params "$nshares" custodian.example encrypt
} > "$home/params"
"$gpg" --homedir "$home" --batch --gen-key "$home/params" 2>/dev/null
"$gpg" --homedir "$home" --with-colons --list-keys @custodian.example \
  | awk -F: '/^pub/ { want = 1 } /^fpr/ && want { print $10; want = 0 }' \
  > "$home/wrapkeys"
mkdir "$home/out"
bench_start_daemon

export_cmd="PACK_EXPORT --secret --force --output-dir=$home/out --name=b"
t_key=$(best_of_three "$gca" --no-autostart -S "$sock" \
  "$export_cmd -- @bench.example" /bye)
t_shares=$(best_of_three "$gca" --no-autostart -S "$sock" \
  "/definqfile WRAP_KEYS $home/wrapkeys" \
  "$export_cmd --shares=$nshares --threshold=$((nshares / 2 + 1))\
 --inquire-wrap-keys -- @bench.example" /bye)
test "$(ls "$home/out" | grep -c '\.share-')" -eq "$nshares"
echo "$n ed25519 keys: PACK_EXPORT --secret with a key file ${t_key}s," \
     "with $nshares shares ${t_shares}s" \
     "($(nproc) CPUs; $(echo "$t_shares $t_key $nshares" \
         | awk '{ printf "%.1f", ($1 - $2) * 1000 / $3 }') ms more per share)"
if [ -n "$BENCH_PARTS" ]; then
  printf '{"keys": %d, "shares": %d, "keyfile_seconds": %s,' \
    "$n" "$nshares" "$t_key"
  printf ' "shares_seconds": %s, "load": %s}\n' "$t_shares" "$(bench_load)"
fi > "${BENCH_PARTS:-$home}/shares.json"
