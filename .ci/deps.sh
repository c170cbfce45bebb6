#!/bin/sh
# deps.sh: installs what the build needs beyond a C compiler and make (`make deps`).
#
# Check (the test framework) with pkg-config to find it, and gnuplot for the
# plots. Installs with apt-get when it can: as root, or with sudo that needs no
# password. Otherwise prints the exact command to run, and fails.
set -u

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if ! pkg-config --exists check 2>/dev/null; then missing="$missing check"; fi
command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot-nox"
[ -z "$missing" ] && exit 0

echo "make deps: missing:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "make deps: no apt-get here; install$missing with your package manager (Check is" >&2
    echo "           https://libcheck.github.io/check/), then run make again." >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "make deps: installing needs root. Run this, then make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $sudo may be empty and $missing is a list of words
if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends $missing; }; then
    echo "make deps: apt-get could not install$missing (see its message above)." >&2
    exit 1
fi
