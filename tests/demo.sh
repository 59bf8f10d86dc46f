#!/bin/sh
# demo.sh - move two secret keys from one GnuPG home to another with gpgpack
#
# Run by "make demo" (GPGPACKD, GPGPACK, GPG, GPGCONF, GPG_CONNECT_AGENT
# and GPGPACK_PLUGIN_DIR come from tests/Makefile.am).  Everything happens
# in throwaway homes below /tmp/gpk.XXXXXX, removed at the end.  Exits
# non-zero if anything fails or the keys on both sides differ.
#
# Steps: make keys in home A with gpg; start gpgpackd for A and B; export
# the keys (secret parts too) from A into a pack and a key file; import
# both into B; compare fingerprints and secret-key presence.  The export
# and import use the gpgpack CLI if $GPGPACK is built, otherwise raw
# Assuan commands through gpg-connect-agent (DEMO_VIA=gca forces that).

set -u
: "${GPGPACKD:?GPGPACKD must name the gpgpackd binary}"
GPG=${GPG:-gpg}
GPGCONF=${GPGCONF:-gpgconf}
GPG_CONNECT_AGENT=${GPG_CONNECT_AGENT:-gpg-connect-agent}
GPGPACK=${GPGPACK:-}
DEMO_VIA=${DEMO_VIA:-auto}

root=$(mktemp -d /tmp/gpk.XXXXXX) || exit 1
home_a=$root/a
home_b=$root/b
out=$root/out

say () { printf 'demo: %s\n' "$*"; }
die () { printf 'demo: FAILED: %s\n' "$*" >&2; exit 1; }

# The daemon socket of home $1, as gpgconf computes the socket dir.
socket_of () {
  printf '%s/S.gpgpackd' "$("$GPGCONF" --homedir "$1" --list-dirs socketdir)"
}

# Stop daemons and agents of both homes and remove everything.
cleanup () {
  for h in "$home_a" "$home_b"; do
    [ -d "$h" ] || continue
    "$GPG_CONNECT_AGENT" -S "$(socket_of "$h")" KILLDAEMON /bye \
        >/dev/null 2>&1
    "$GPGCONF" --homedir "$h" --kill all >/dev/null 2>&1
    "$GPGCONF" --homedir "$h" --remove-socketdir >/dev/null 2>&1
  done
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# A GnuPG home with an agent that allows loopback pinentry.
make_home () {
  mkdir -m 700 "$1" || die "mkdir $1"
  echo allow-loopback-pinentry > "$1/gpg-agent.conf"
}

# Start gpgpackd for home $1 and wait (bounded: 10 s) until it answers.
start_daemon () {
  sock=$(socket_of "$1")
  "$GPGPACKD" --daemon --homedir "$1" >/dev/null || die "gpgpackd --daemon"
  i=0
  until "$GPG_CONNECT_AGENT" -S "$sock" NOP /bye >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -le 100 ] || die "gpgpackd for $1 did not come up"
    sleep 0.1
  done
}

# Sorted fingerprints of the primary keys in home $1 (secret ones if $2).
fprs () {
  if [ -n "${2:-}" ]; then what=--list-secret-keys; else what=--list-keys; fi
  "$GPG" --homedir "$1" --batch --with-colons $what 2>/dev/null \
    | awk -F: '$1 == "pub" || $1 == "sec" { want = 1; next }
               $1 == "fpr" && want { print $10; want = 0 }' | sort
}

# Run gpg-connect-agent on home $1's daemon; fail on an ERR line.
gca () {
  h=$1; shift
  reply=$("$GPG_CONNECT_AGENT" -S "$(socket_of "$h")" "$@" /bye) \
    || die "gpg-connect-agent: $reply"
  printf '%s\n' "$reply"
  case $reply in *"ERR "*) die "daemon said: $reply" ;; esac
}

make_home "$home_a"
make_home "$home_b"
mkdir -m 700 "$out" || die "mkdir $out"

say "generating two keys in home A ($home_a)"
for uid in "Alice <alice@example.org>" "Bob <bob@example.org>"; do
  "$GPG" --homedir "$home_a" --batch --pinentry-mode loopback \
    --passphrase '' --quick-gen-key "$uid" future-default default never \
    2>/dev/null || die "gpg --quick-gen-key $uid"
done
keys=$(fprs "$home_a" secret)
[ "$(echo "$keys" | wc -l)" -eq 2 ] || die "expected 2 keys in home A"
patterns=$(echo $keys)

say "starting gpgpackd for home A and home B"
start_daemon "$home_a"
start_daemon "$home_b"

if [ "$DEMO_VIA" != gca ] && [ -n "$GPGPACK" ] && [ -x "$GPGPACK" ]; then
  say "exporting with $GPGPACK export --secret"
  "$GPGPACK" --homedir "$home_a" --batch --yes export --secret \
      --output-dir "$out" --name demo $patterns || die "gpgpack export"
  say "importing into home B with $GPGPACK import"
  "$GPGPACK" --homedir "$home_b" --batch import \
      --key-file "$out/demo.key" "$out/demo.gpgpack" || die "gpgpack import"
else
  say "exporting with gpg-connect-agent: PACK_EXPORT --secret"
  r=$(gca "$home_a" "PACK_EXPORT --secret --output-dir=$out --name=demo \
-- $patterns") || exit 1
  printf '%s\n' "$r" | sed 's/^/  A> /'
  say "importing into home B with gpg-connect-agent: PACK_IMPORT"
  r=$(gca "$home_b" \
        "PACK_IMPORT --key-file=$out/demo.key $out/demo.gpgpack") || exit 1
  printf '%s\n' "$r" | sed 's/^/  B> /'
fi
[ -s "$out/demo.gpgpack" ] && [ -s "$out/demo.key" ] \
  || die "pack or key file missing"

say "comparing keyrings"
pub_a=$(fprs "$home_a");        pub_b=$(fprs "$home_b")
sec_a=$(fprs "$home_a" secret); sec_b=$(fprs "$home_b" secret)
printf '  %-42s %-8s %s\n' fingerprint "home A" "home B"
for f in $pub_a; do
  a=public; b=missing
  echo "$sec_a" | grep -qx "$f" && a=secret
  echo "$pub_b" | grep -qx "$f" && b=public
  echo "$sec_b" | grep -qx "$f" && b=secret
  printf '  %-42s %-8s %s\n' "$f" "$a" "$b"
done
[ "$pub_a" = "$pub_b" ] || die "public keys differ between A and B"
[ "$sec_a" = "$sec_b" ] || die "secret keys differ between A and B"
say "OK: $(echo "$pub_b" | wc -l) keys with secret parts moved from A to B" \
    "($(wc -c < "$out/demo.gpgpack") byte pack," \
    "$(wc -c < "$out/demo.key") byte key file)"
exit 0
