#!/bin/sh
# demo.sh - the main job end to end (filled in as the daemon lands)
echo "demo: nothing to demonstrate yet"
