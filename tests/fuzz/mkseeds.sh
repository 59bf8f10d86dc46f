#!/bin/sh
# mkseeds.sh - write the seed corpora of the fuzz targets into DIR/TARGET
#
# Run from the tests build directory ("make fuzz-seeds"): the replay
# drivers write the seeds made from their fixtures; the OpenPGP packet
# reader gets real exports of gpg in a throwaway home.
set -e
dir=$1
for t in native-pack native-keyfile share gfe1 gfe2 gfe3 cmdargs session; do
  rm -rf "$dir/$t" && mkdir -p "$dir/$t"
  "./replay-$t" --seeds "$dir/$t"
done

rm -rf "$dir/pgppacket" && mkdir -p "$dir/pgppacket"
home=$(mktemp -d /tmp/gpk.seeds.XXXXXX)
trap 'gpgconf --homedir "$home" --kill all; rm -rf "$home"' EXIT
for algo in ed25519 rsa1024 dsa1024; do
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
      --quick-gen-key "$algo <$algo@example.org>" "$algo" default never
  gpg --homedir "$home" --batch --export "$algo@example.org" \
      > "$dir/pgppacket/$algo-public"
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
      --export-secret-keys "$algo@example.org" > "$dir/pgppacket/$algo-secret"
done
