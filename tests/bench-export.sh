#!/bin/sh
# bench-export.sh - PACK_EXPORT --secret of N ed25519 keys vs gpg
#
# Usage: bench-export.sh [N]   (default 1000; run from tests/, uses
# ../assuan-protocol/gpgpackd and $GPGPACK_PLUGIN_DIR).  Prints the best
# of three wall-clock times of `gpg --export-secret-keys` and of
# PACK_EXPORT --secret --output-dir, and their ratio.
n=${1:-1000}
. "$(dirname "$0")/bench-lib.sh"

bench_key_params "$n" bench.example > "$home/params"
"$gpg" --homedir "$home" --batch --gen-key "$home/params" 2>/dev/null
mkdir "$home/out"
bench_start_daemon

t_gpg=$(best_of_three "$gpg" --homedir "$home" --batch --export-secret-keys)
t_pack=$(best_of_three "$gca" --no-autostart -S "$sock" \
  "PACK_EXPORT --secret --force --output-dir=$home/out --name=b -- @bench.example" /bye)
echo "$n ed25519 keys: gpg --export-secret-keys ${t_gpg}s," \
     "PACK_EXPORT --secret ${t_pack}s," \
     "ratio $(echo "$t_pack $t_gpg" | awk '{ printf "%.2f", $1 / $2 }')"
