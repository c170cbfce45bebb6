#!/bin/sh
# make-corpus.sh: writes the fuzzers' seed corpora, tests/fuzz/corpus/<target>/: small inputs,
# good and bad, from which `make fuzz` starts (fuzz.h). The files are committed; run this script
# (`sh tests/fuzz/make-corpus.sh`) only to remake them: it writes the same bytes each time.
#   idx         the defective IDX files of tests/corpus/idx/, each paired with a good partner
#   model_file  small model files of both versions, float and double; their CRC is left 0: the
#               target fixes it
#   pgm         tiny pictures of every variant (P5, P2, 16 bits, comments, every kind of
#               whitespace) and defects
#   png         the PNG pictures of tests/fixtures/png/ (make-pngs.py), every kind and defect
#   flags       command lines, one argument per NUL-separated piece
set -eu

cd "$(dirname "$0")"
. ../support/bytes.sh # bytes, le32
rm -rf corpus
mkdir -p corpus/idx corpus/model_file corpus/pgm corpus/png corpus/flags

# Prints the arguments separated by NUL bytes: one command line.
command_line() {
    printf '%s' "$1"
    shift
    for arg in "$@"; do printf '\0%s' "$arg"; done
}

# ---- idx: an images file followed by a labels file (fuzz_idx.c) ----
for f in ../corpus/idx/*.idx3; do
    cat "$f" ../corpus/idx/good.idx1 >"corpus/idx/$(basename "$f" .idx3)+good-labels"
done
for f in ../corpus/idx/*.idx1; do
    [ "$f" = ../corpus/idx/good.idx1 ] && continue # good+good-labels above
    cat ../corpus/idx/good.idx3 "$f" >"corpus/idx/good-images+$(basename "$f" .idx1)"
done

# ---- model_file: header, layers, parameters, CRC (lib/model_file.h) ----
one_float() { bytes 0 0 128 63; }           # 1.0f
one_double() { bytes 0 0 0 0 0 0 240 63; } # 1.0
# $2 numbers, each 1.0 as $1 prints it.
params() {
    i=0
    while [ "$i" -lt "$2" ]; do "$1"; i=$((i + 1)); done
}
# Version 1, sizes 3, 2, 2: W1 (2×3), b1 (2), W2 (2×2), b2 (2): 14 numbers.
{ printf 'NNMODEL\0'; le32 1 4 3 3 2 2; params one_float 14; le32 0; } >corpus/model_file/float-3-2-2
{ printf 'NNMODEL\0'; le32 1 8 3 3 2 2; params one_double 14; le32 0; } >corpus/model_file/double-3-2-2
{ printf 'NNMODEL\0'; le32 1 4 2 1 1; one_float; one_float; le32 0; } >corpus/model_file/float-1-1
# Version 2, the 17 bytes of layers "9,conv2k2,pool2,3": two 2×2 filters on a 3×3 image, W1 (2×4),
# b1 (2), pooled to 2 units, then W2 (3×2), b2 (3): 19 numbers.
{ printf 'NNMODEL\0'; le32 2 4 17; printf '9,conv2k2,pool2,3'; params one_float 19; le32 0; } \
    >corpus/model_file/float-conv
{ printf 'NNMODEL\0'; le32 2 8 17; printf '9,conv2k2,pool2,3'; params one_double 19; le32 0; } \
    >corpus/model_file/double-conv
{ printf 'NNMODEL\0'; le32 2 4 9; printf '9,conv0k2'; le32 0; } >corpus/model_file/conv-0-filters
{ printf 'NNMODEL\0'; le32 2 4 4000; printf '9,co'; } >corpus/model_file/text-past-the-end
{ printf 'NNMODEL\0'; le32 3 4 2 1 1; one_float; one_float; le32 0; } >corpus/model_file/version-3
{ printf 'NNMODEL\0'; le32 1 4 17; } >corpus/model_file/17-sizes
{ printf 'NNMODEL\0'; le32 1 4 3 3 0 2; } >corpus/model_file/size-0
printf 'NNMODEL\0' >corpus/model_file/magic-only

# ---- pgm (lib/pgm.h) ----
{ printf 'P5\n# a comment\n3 2\n255\n'; bytes 0 128 255 16 32 48; } >corpus/pgm/p5
{ printf 'P5 2 1 65535 '; bytes 1 0 255 255; } >corpus/pgm/p5-16-bits
printf 'P2\n2 2 # width and height\n15\n0 15\n 7 # seven\n3\n' >corpus/pgm/p2
{ printf 'P5 6 6 255\n'; for row in 1 2 3 4 5 6; do bytes 255 255 0 0 255 255; done; } >corpus/pgm/p5-bar
printf 'P2 4 4 1\n1 1 1 1\n1 0 0 1\n1 0 0 1\n1 1 1 1\n' >corpus/pgm/p2-ring
printf 'P5 2 2 255\n' >corpus/pgm/no-pixels
printf 'P2 2 1 15 3 16' >corpus/pgm/above-maxval
printf 'P5 99999999999 1 255 ' >corpus/pgm/huge-width
printf 'P6\n1 1\n255\n\001' >corpus/pgm/p6
{ printf 'P5 2 1 255# made by GIMP\n'; bytes 0 255; } >corpus/pgm/comment-after-maxval
printf 'P2\r# old Mac\r2 1\v15\f3 -4\r' >corpus/pgm/p2-negative

# ---- png (lib/picture.h) ----
cp ../fixtures/png/*.png corpus/png/

# ---- flags: chapters 07 and 08's command line (fuzz_flags.c) ----
command_line --lr 0.01 --layers 784,32,10 >corpus/flags/lr-and-layers
command_line --optimizer=momentum --schedule constant --dropout 0.5 >corpus/flags/choices
command_line --batch 64 --epochs 3 --seed 7 --patience 2 --print-every 1 >corpus/flags/sizes
command_line --weight-decay 1e-4 --init uniform --curve never --save m.nn >corpus/flags/rest
command_line --log build/logs/x.tsv --data data/sample >corpus/flags/paths
command_line --lr nan --batch -1 >corpus/flags/bad-numbers
command_line --layers 784,,10 >corpus/flags/bad-layers
command_line --speed 3 >corpus/flags/unknown
command_line --lr >corpus/flags/missing-value
