# bytes.sh: shell functions that print binary files byte by byte, for the scripts that write the
# tests' hand-made files (tests/corpus/make-idx-corpus.sh, tests/fuzz/make-corpus.sh,
# tests/fixtures/models/make-models.sh):
#   . path/to/bytes.sh

# Prints each argument, a number 0..255, as one byte.
bytes() {
    for byte in "$@"; do
        printf '%b' "\\0$(printf %o "$byte")"
    done
}

# Prints each argument as a little-endian 32-bit integer, as model files hold them.
le32() {
    for word in "$@"; do
        bytes $((word & 255)) $((word >> 8 & 255)) $((word >> 16 & 255)) $((word >> 24 & 255))
    done
}

# Prints each argument as a big-endian 32-bit integer, as IDX headers hold them.
be32() {
    for word in "$@"; do
        bytes $((word >> 24 & 255)) $((word >> 16 & 255)) $((word >> 8 & 255)) $((word & 255))
    done
}
