#!/bin/sh
# mkseeds.sh - write the seed corpora of the fuzz targets into DIR/TARGET
#
# Run from the tests build directory ("make fuzz-seeds"): the replay
# drivers write the seeds made from their fixtures; the OpenPGP packet
# reader gets real exports of gpg in a throwaway home, the openpgp
# reader also what gpg --symmetric makes of one (each compression, the
# lowest S2K count; control byte 0).
set -e
dir=$1
for t in native-pack native-keyfile share gfe1 gfe2 gfe3 cmdargs openpgp; do
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
for algo in none zip zlib bzip2; do
  printf '\000' > "$dir/openpgp/gpg-$algo"
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase fuzz \
      --s2k-count 1024 --cipher-algo AES256 --compress-algo "$algo" \
      --symmetric \
      --output - "$dir/pgppacket/ed25519-secret" >> "$dir/openpgp/gpg-$algo"
done
printf '\000' > "$dir/openpgp/gpg-armor"
gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase fuzz \
    --s2k-count 1024 --armor --symmetric --output - \
    "$dir/pgppacket/ed25519-public" >> "$dir/openpgp/gpg-armor"
