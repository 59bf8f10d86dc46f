#!/bin/sh
# bench-export.sh - PACK_EXPORT --secret of N ed25519 keys vs gpg
#
# Usage: bench-export.sh [N]   (default 1000; run from tests/, uses
# ../assuan-protocol/gpgpackd and $GPGPACK_PLUGIN_DIR).  Prints the best
# of three wall-clock times of `gpg --export-secret-keys` and of
# PACK_EXPORT --secret --output-dir, and their ratio.
set -e
n=${1:-1000}
gpg=${GPG:-gpg}
gca=${GPG_CONNECT_AGENT:-gpg-connect-agent}
gpgconf=${GPGCONF:-gpgconf}
daemon=${GPGPACKD:-../assuan-protocol/gpgpackd}
home=$(mktemp -d /tmp/gpk.XXXXXX)
sock=
trap '"$gca" --no-autostart -S "$sock" KILLDAEMON /bye >/dev/null 2>&1 || :;
      "$gpgconf" --homedir "$home" --kill all; rm -rf "$home"' EXIT

i=0
while [ $i -lt "$n" ]; do
  printf 'Key-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\n'
  printf 'Name-Email: k%d@bench.example\nExpire-Date: 0\n' $i
  printf '%%no-protection\n%%commit\n'
  i=$((i + 1))
done > "$home/params"
"$gpg" --homedir "$home" --batch --gen-key "$home/params" 2>/dev/null
mkdir "$home/out"
"$daemon" --homedir "$home" --daemon
sock=$("$gpgconf" --homedir "$home" --list-dirs socketdir)/S.gpgpackd

# Best of three runs of the command "$@", in seconds.
best_of_three () {
  best=
  for run in 1 2 3; do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(echo "$t0 $t1 $best" | awk '{ d = $2 - $1;
           if ($3 == "" || d < $3) print d; else print $3 }')
  done
  echo "$best"
}

t_gpg=$(best_of_three "$gpg" --homedir "$home" --batch --export-secret-keys)
t_pack=$(best_of_three "$gca" --no-autostart -S "$sock" \
  "PACK_EXPORT --secret --force --output-dir=$home/out --name=b -- @bench.example" /bye)
echo "$n ed25519 keys: gpg --export-secret-keys ${t_gpg}s," \
     "PACK_EXPORT --secret ${t_pack}s," \
     "ratio $(echo "$t_pack $t_gpg" | awk '{ printf "%.2f", $1 / $2 }')"
