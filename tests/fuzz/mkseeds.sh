#!/bin/sh
# mkseeds.sh - write the seed corpora of the fuzz targets into DIR/TARGET
#
# Run from the tests build directory ("make fuzz-seeds"): the replay
# drivers write the seeds made from their fixtures; the OpenPGP packet
# reader gets real exports of gpg in a throwaway home.
set -e
dir=$1
for t in native-pack native-keyfile share gfe1 gfe2 gfe3 cmdargs; do
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

# keyscan: secret and public keys, binary and armored, of every
# algorithm keymatch.c checks, and a protected key.
rm -rf "$dir/keyscan" && mkdir -p "$dir/keyscan"
for algo in cv25519 nistp256 elg1024; do
  base=$(echo "$algo" | sed 's/cv25519/ed25519/; s/elg1024/dsa1024/')
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
      --quick-gen-key "$algo <$algo@example.org>" "$base" default never
  fpr=$(gpg --homedir "$home" --with-colons --list-keys "$algo@example.org" \
        | awk -F: '/^fpr/ { print $10; exit }')
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
      --quick-add-key "$fpr" "$algo" encr never
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' \
      --export-secret-keys "$algo@example.org" > "$dir/keyscan/$algo-secret"
  gpg --homedir "$home" --batch --armor --pinentry-mode loopback \
      --passphrase '' --export-secret-keys "$algo@example.org" \
      > "$dir/keyscan/$algo-secret.asc"
done
gpg --homedir "$home" --batch --armor --export > "$dir/keyscan/all-public.asc"
cp "$dir/pgppacket/rsa1024-secret" "$dir/keyscan/"
gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase fuzz \
    --quick-gen-key "protected <p@example.org>" ed25519 default never
gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase fuzz \
    --export-secret-keys "p@example.org" > "$dir/keyscan/ed25519-protected"
