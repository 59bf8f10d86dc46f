#!/bin/sh
# pinentry-test.sh - a pinentry for the tests: no questions, a fixed answer
#
# Speaks the pinentry Assuan protocol to gpg-agent.  GETPIN returns
# "pinentry pass 3" (with S PIN_REPEATED after SETREPEAT), or cancels
# when the script is called by a name containing "cancel".
pin="pinentry pass 3"
repeat=
echo "OK Pleased to meet you"
while IFS= read -r line; do
  case "$line" in
    BYE*)
      echo "OK closing connection"
      exit 0 ;;
    "GETINFO pid")
      echo "D $$"
      echo "OK" ;;
    SETREPEAT*)
      repeat=yes
      echo "OK" ;;
    GETPIN*)
      case "$0" in
        *cancel*)
          echo "ERR 83886179 Operation cancelled" ;;
        *)
          [ -n "$repeat" ] && echo "S PIN_REPEATED"
          echo "D $pin"
          echo "OK" ;;
      esac ;;
    *)
      echo "OK" ;;
  esac
done
