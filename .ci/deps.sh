#!/bin/sh
# deps.sh: installs what the build needs beyond a C compiler and make (`make deps`).
#
# Check (the test framework) with pkg-config to find it, gnuplot for the
# plots, and OpenMPI for chapter 11 (mpicc, mpirun), with the system's package manager: apt-get (Debian, Ubuntu), dnf
# (Fedora), pacman (Arch) or brew (macOS). apt-get, dnf and pacman install as
# root, or with sudo that needs no password; brew as the user, never as root.
# When it cannot install, it prints the exact command to run, and fails.
# libpng (predict reads PNG pictures with it) is optional: installed with the
# others; when it alone is missing, deps.sh names it and its command, and the
# build goes on without it.
set -u

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if ! pkg-config --exists check 2>/dev/null; then missing="$missing check"; fi
command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot"
command -v mpicc >/dev/null 2>&1 || missing="$missing mpicc"
optional=""
if ! pkg-config --exists libpng 2>/dev/null; then optional=" libpng"; fi
[ -z "$missing$optional" ] && exit 0

# The first package manager found, and the missing tools in its own package names.
manager=""
for m in apt-get dnf pacman brew; do
    if command -v "$m" >/dev/null 2>&1; then manager=$m && break; fi
done
packages=""
for tool in $missing $optional; do
    case "$manager:$tool" in
    apt-get:gnuplot) tool=gnuplot-nox ;;
    apt-get:libpng) tool=libpng-dev ;;
    dnf:libpng) tool=libpng-devel ;;
    apt-get:mpicc) tool="openmpi-bin libopenmpi-dev" ;;
    dnf:mpicc) tool=openmpi-devel ;;
    pacman:mpicc) tool=openmpi ;;
    brew:mpicc) tool=open-mpi ;;
    dnf:check) tool=check-devel ;;
    dnf:pkg-config) tool=pkgconf-pkg-config ;;
    pacman:pkg-config) tool=pkgconf ;;
    esac
    packages="$packages $tool"
done

# libpng alone missing: named with its command, nothing installed at every make test.
optional_only() {
    echo "make deps: libpng is missing (optional: predict reads PNG pictures with it); to add it:"
    echo "    $1"
    exit 0
}
[ -n "$missing" ] && echo "make deps: missing:$missing$optional"
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
    [ -n "$missing" ] || optional_only "install libpng's development files with your package manager"
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
elif [ -z "$missing" ]; then
    optional_only "$(command_line "sudo ")"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo "
else
    echo "make deps: installing needs root. Run this, then make again:" >&2
    echo "    $(command_line "sudo ")" >&2
    exit 1
fi
[ -n "$missing" ] || optional_only "$(command_line "$sudo")"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $sudo may be empty, and the commands are meant to split into words
if ! { [ -z "$update" ] || $sudo$update; } || ! $sudo$install; then
    echo "make deps: $manager could not install$packages (see its message above); the command" >&2
    echo "           was: $(command_line "$sudo")" >&2
    exit 1
fi
# Fedora keeps OpenMPI's programs off PATH until its module is loaded.
if [ "$manager" = dnf ] && ! command -v mpicc >/dev/null 2>&1; then
    echo "make deps: OpenMPI is installed; for chapter 11, put mpicc on PATH:" \
        "module load mpi/openmpi-x86_64 (or PATH=/usr/lib64/openmpi/bin:\$PATH)"
fi
