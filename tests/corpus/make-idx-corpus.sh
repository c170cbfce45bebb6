#!/bin/sh
# make-idx-corpus.sh: writes tests/corpus/idx/, tiny IDX files each with one defect, named for it.
#
# tests/check_02_mnist.c loads each and checks that the reader rejects it with its own message;
# they will also seed a fuzzer. The two good files are the partners of the bad ones: 2 images
# of 3 rows × 2 columns, and their labels 3 and 9. The files are committed; run this script
# (`sh tests/corpus/make-idx-corpus.sh`) only to remake them: it writes the same bytes each time.
set -u

cd "$(dirname "$0")" || exit 1
. ../support/bytes.sh # bytes, be32
mkdir -p idx
cd idx || exit 1

IMAGES=2051 # magic 0x00000803
LABELS=2049 # magic 0x00000801

# The pixels of the two good images, row by row.
pixels() {
    bytes 0 51 102 153 204 255
    bytes 255 128 1 0 17 34
}

{ be32 $IMAGES 2 3 2; pixels; } >good.idx3
{ be32 $LABELS 2; bytes 3 9; } >good.idx1

: >empty.idx3
{ be32 305419896 2 3 2; pixels; } >wrong-magic.idx3 # 0x12345678
{ bytes 31 139 8 0 0 0 0 0 0 3; pixels; } >gzipped.idx3
{ be32 $IMAGES; bytes 0 0 0; } >truncated-header.idx3
{ be32 $IMAGES 2 3 2; bytes 0 51 102 153 204 255 255; } >truncated-data.idx3
{ be32 $IMAGES 2 3 2; pixels; bytes 7 7 7; } >trailing-bytes.idx3
be32 $IMAGES 4294967295 4294967295 4294967295 >overflow.idx3
{ be32 $IMAGES 2 0 2; pixels; } >zero-rows.idx3
{ be32 $IMAGES 0 3 2; } >zero-count.idx3
{ be32 $IMAGES 1 100000 1; bytes 0 0 0 0; } >huge-side.idx3

{ be32 $LABELS 3; bytes 3 9 0; } >three-labels.idx1
{ be32 $LABELS 2; bytes 3 10; } >label-ten.idx1
{ be32 $LABELS 2; bytes 255 3; } >label-255.idx1
{ be32 $LABELS 2; bytes 3; } >truncated-labels.idx1
{ be32 $LABELS; bytes 0 0; } >truncated-header.idx1
