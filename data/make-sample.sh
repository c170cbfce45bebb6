#!/bin/sh
# make-sample.sh: cuts the committed sample data/sample/ from the full MNIST files in data/.
#
# The sample is the first 800 training and the first 200 test images with their labels, as IDX
# files named like the full set, their headers' counts rewritten. The programs and the tests use
# it when the full set has not been downloaded. Run it (`sh data/make-sample.sh`) only to remake
# the sample; the result is the same bytes every time, listed in data/sample/SHA256SUMS.
set -u

cd "$(dirname "$0")" || exit 1

TRAIN_COUNT=800
TEST_COUNT=200
PIXELS=784 # 28 × 28 bytes per image: 49 blocks of 16

if ! sh ./fetch.sh; then
    echo "make-sample: the full set must be in data/ and verified first" >&2
    exit 1
fi

# Prints the four bytes of $1 as a big-endian 32-bit integer, as the IDX header holds it.
be32() {
    for shift in 24 16 8 0; do
        printf '%b' "\\0$(printf %o $(($1 >> shift & 255)))"
    done
}

# Lists the SHA-256 of each file named, in the format of sha256sum.
sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

# Writes sample/<prefix>-images-idx3-ubyte holding the first $2 images of the full file.
cut_images() {
    full="$1-images-idx3-ubyte"
    {
        be32 2051 # magic 0x00000803
        be32 "$2"
        dd if="$full" bs=8 skip=1 count=1 2>/dev/null            # rows and cols, as they are
        dd if="$full" bs=16 skip=1 count=$(($2 * PIXELS / 16)) 2>/dev/null
    } >"sample/$full"
}

# Writes sample/<prefix>-labels-idx1-ubyte holding the first $2 labels (a multiple of 8).
cut_labels() {
    full="$1-labels-idx1-ubyte"
    {
        be32 2049 # magic 0x00000801
        be32 "$2"
        dd if="$full" bs=8 skip=1 count=$(($2 / 8)) 2>/dev/null
    } >"sample/$full"
}

mkdir -p sample
cut_images train "$TRAIN_COUNT"
cut_labels train "$TRAIN_COUNT"
cut_images t10k "$TEST_COUNT"
cut_labels t10k "$TEST_COUNT"
(cd sample && sha256 train-images-idx3-ubyte train-labels-idx1-ubyte \
    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte >SHA256SUMS)
echo "make-sample: data/sample/ holds $TRAIN_COUNT training and $TEST_COUNT test images:"
cat sample/SHA256SUMS
