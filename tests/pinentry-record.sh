#!/bin/sh
# pinentry-record.sh - a scripted pinentry recording where it would ask
#
# For the tests of pinentry on the client's terminal (check_pinentry).
# Called through a symlink DIR/pinentry (gpg-agent.conf's
# pinentry-program), it appends to DIR/pinentry.log its arguments
# ("START ..."), the environment it got ("ENV NAME=VALUE" for DISPLAY,
# GPG_TTY, WAYLAND_DISPLAY, XAUTHORITY, PINENTRY_USER_DATA, TERM), the
# OPTION, SETDESC, SETERROR and SETREPEAT lines gpg-agent sends and a
# line "GETPIN" per question.  The N-th GETPIN recorded in the log is
# answered with line N of DIR/pinentry.pass (its last line if it has
# fewer), or cancelled while DIR/pinentry.cancel exists.
dir=$(dirname "$0")
log="$dir/pinentry.log"
repeat=
echo "START $*" >> "$log"
for var in DISPLAY GPG_TTY WAYLAND_DISPLAY XAUTHORITY PINENTRY_USER_DATA TERM
do
  eval "val=\${$var-}"
  [ -n "$val" ] && echo "ENV $var=$val" >> "$log"
done
echo "OK Pleased to meet you"
while IFS= read -r line; do
  case "$line" in
    BYE*)
      echo "OK closing connection"
      exit 0 ;;
    "GETINFO pid")
      echo "D $$"
      echo "OK" ;;
    OPTION*|SETDESC*|SETERROR*)
      echo "$line" >> "$log"
      echo "OK" ;;
    SETREPEAT*)
      echo "$line" >> "$log"
      repeat=yes
      echo "OK" ;;
    GETPIN*)
      echo "GETPIN" >> "$log"
      if [ -f "$dir/pinentry.cancel" ]; then
        echo "ERR 83886179 Operation cancelled"
        continue
      fi
      n=$(grep -c '^GETPIN$' "$log")
      pin=$(sed -n "${n}p" "$dir/pinentry.pass")
      [ -n "$pin" ] || pin=$(tail -n 1 "$dir/pinentry.pass")
      [ -n "$repeat" ] && echo "S PIN_REPEATED"
      echo "D $pin"
      echo "OK" ;;
    *)
      echo "OK" ;;
  esac
done
