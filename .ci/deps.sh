#!/bin/sh
# deps.sh: installs what the build needs beyond a C compiler and make (`make deps`).
#
# Check (the test framework) with pkg-config to find it, and gnuplot for the
# plots, with the system's package manager: apt-get (Debian, Ubuntu), dnf
# (Fedora), pacman (Arch) or brew (macOS). apt-get, dnf and pacman install as
# root, or with sudo that needs no password; brew as the user, never as root.
# When it cannot install, it prints the exact command to run, and fails.
set -u

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if ! pkg-config --exists check 2>/dev/null; then missing="$missing check"; fi
command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot"
[ -z "$missing" ] && exit 0

# The first package manager found, and the missing tools in its own package names.
manager=""
for m in apt-get dnf pacman brew; do
    if command -v "$m" >/dev/null 2>&1; then manager=$m && break; fi
done
packages=""
for tool in $missing; do
    case "$manager:$tool" in
    apt-get:gnuplot) tool=gnuplot-nox ;;
    dnf:check) tool=check-devel ;;
    dnf:pkg-config) tool=pkgconf-pkg-config ;;
    pacman:pkg-config) tool=pkgconf ;;
    esac
    packages="$packages $tool"
done

echo "make deps: missing:$missing"
update=""
case "$manager" in
apt-get)
    update="apt-get update -q"
    install="apt-get install -y -q --no-install-recommends$packages"
    ;;
dnf) install="dnf install -y$packages" ;;
pacman) install="pacman -S --needed --noconfirm$packages" ;;
brew) install="brew install$packages" ;;
*)
    echo "make deps: found none of apt-get, dnf, pacman and brew; install$missing with your" >&2
    echo "           package manager (Check is https://libcheck.github.io/check/), then run make" >&2
    echo "           again." >&2
    exit 1
    ;;
esac

# $(command_line SUDO): the whole command, as a user would type it.
command_line() {
    if [ -n "$update" ]; then echo "$1$update && $1$install"; else echo "$1$install"; fi
}

# Who installs: brew the user; the others root, or sudo when it asks no password.
if [ "$manager" = brew ] || [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo "
else
    echo "make deps: installing needs root. Run this, then make again:" >&2
    echo "    $(command_line "sudo ")" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $sudo may be empty, and the commands are meant to split into words
if ! { [ -z "$update" ] || $sudo$update; } || ! $sudo$install; then
    echo "make deps: $manager could not install$packages (see its message above); the command" >&2
    echo "           was: $(command_line "$sudo")" >&2
    exit 1
fi
