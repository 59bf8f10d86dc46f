# bench-lib.sh - what the benchmark scripts share (sourced, not run)
#
# Sets gpg, gca, gpgconf, daemon (from $GPG, $GPG_CONNECT_AGENT,
# $GPGCONF, $GPGPACKD or their defaults) and home, a new GnuPG home
# removed on exit with its daemon and gpg-agent; bench_start_daemon
# starts gpgpackd there and sets sock; best_of_three times a command.
set -e
gpg=${GPG:-gpg}
gca=${GPG_CONNECT_AGENT:-gpg-connect-agent}
gpgconf=${GPGCONF:-gpgconf}
daemon=${GPGPACKD:-../assuan-protocol/gpgpackd}
home=$(mktemp -d /tmp/gpk.XXXXXX)
sock=
trap '"$gca" --no-autostart -S "$sock" KILLDAEMON /bye >/dev/null 2>&1 || :;
      "$gpgconf" --homedir "$home" --kill all; rm -rf "$home"' EXIT

# Start gpgpackd in $home; set sock to its socket.
bench_start_daemon () {
  "$daemon" --homedir "$home" --daemon
  sock=$("$gpgconf" --homedir "$home" --list-dirs socketdir)/S.gpgpackd
}

# Print the gpg --gen-key parameters of N signing keys with mail
# kI@DOMAIN: ed25519, or rsa3072 with ALGO rsa3072; with ENCRYPT an
# encryption subkey each (cv25519 / rsa3072); protected by PASSPHRASE
# if one is given, else unprotected.
bench_key_params () {
  i=0
  while [ $i -lt "$1" ]; do
    if [ "${4:-ed25519}" = rsa3072 ]; then
      printf 'Key-Type: rsa\nKey-Length: 3072\nKey-Usage: sign\n'
      if [ -n "$3" ]; then
        printf 'Subkey-Type: rsa\nSubkey-Length: 3072\n'
        printf 'Subkey-Usage: encrypt\n'
      fi
    else
      printf 'Key-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\n'
      if [ -n "$3" ]; then
        printf 'Subkey-Type: ecdh\nSubkey-Curve: cv25519\n'
        printf 'Subkey-Usage: encrypt\n'
      fi
    fi
    printf 'Name-Email: k%d@%s\nExpire-Date: 0\n' $i "$2"
    if [ -n "$5" ]; then printf 'Passphrase: %s\n' "$5"
    else printf '%%no-protection\n'; fi
    printf '%%commit\n'
    i=$((i + 1))
  done
}

# The 1-minute load average now (the box may be shared: kept with
# every figure).
bench_load () {
  cut -d' ' -f1 /proc/loadavg
}

# Best of three runs of the command "$@", in seconds.  A run that
# fails, or that gpg-connect-agent answers with ERR, ends the script.
best_of_three () {
  best=
  for run in 1 2 3; do
    t0=$(date +%s.%N)
    "$@" >"$home/bench.out" 2>&1 || { cat "$home/bench.out" >&2; exit 1; }
    t1=$(date +%s.%N)
    if grep -a '^ERR ' "$home/bench.out" >&2; then exit 1; fi
    best=$(echo "$t0 $t1 $best" | awk '{ d = $2 - $1;
           if ($3 == "" || d < $3) print d; else print $3 }')
  done
  echo "$best"
}
