#!/bin/sh
# draw.sh: checks a training run's files, then draws its pictures with gnuplot.
#
#   plots/draw.sh OUTDIR LOG             the run logged at LOG (its epoch log,
#                                        <base>.tsv): loss, accuracy, weights,
#                                        confusion and worst, as OUTDIR/*.png,
#                                        and maps when the run wrote them (a
#                                        network of convolutions, chapter 10)
#   plots/draw.sh --compare OUTDIR LOG...  several runs on one chart, compare.png
#
# Each file a picture reads is checked first (there, its header, every line
# holding the right count of numbers), so a missing, cut-short or foreign file
# gets one clear line naming it instead of a screen of gnuplot errors. A
# picture whose files are missing or bad is skipped and the exit status is 1.
# Run from the top folder (`make plots` does).
#
# Paths reach gnuplot as data only: `gnuplot -c SCRIPT ARG...`, which the
# scripts read as ARG1, ARG2, ... Pasted into gnuplot's code (`-e "log='...'"`)
# a quote in a path would end the string, and the rest of the path would run
# as gnuplot commands, system("...") and `...` included.
set -eu

fail() { printf 'plots: %s\n' "$*" >&2; }

# check FILE FIELDS HEADER...: FILE is a readable regular file, begins with the
# HEADER lines (a HEADER ending in * matches any line starting with the rest),
# and every later non-blank line holds FIELDS tab-separated numbers; at least
# one does. FIELDS "*" takes any count, the same on every line of a block
# (lines between blank ones): tiles and maps of any size. awk reads FILE on
# its standard input and gets its name from the environment: as an operand a
# name holding "=" would be taken for an assignment, and -v would expand the
# backslashes in it.
check() {
    file=$1 fields=$2
    shift 2
    if [ ! -e "$file" ] && [ ! -L "$file" ]; then
        fail "$file: missing (each training run writes it; train again: make run)"
        return 1
    fi
    if [ ! -f "$file" ]; then
        fail "$file: not a regular file (a folder, a pipe or a broken link?): remove it and train again (make run)"
        return 1
    fi
    if [ ! -r "$file" ]; then
        fail "$file: not readable (check its permissions: chmod u+r)"
        return 1
    fi
    DRAW_FILE=$file awk -F '\t' -v fields="$fields" -v headers="$(printf '%s\n' "$@")" '
        BEGIN { n = split(headers, header, "\n"); file = ENVIRON["DRAW_FILE"] }
        function bad(why) { printf "plots: %s: line %d: %s (train again to rewrite it: make run)\n", file, NR, why > "/dev/stderr"; failed = 1; exit 1 }
        NR <= n {
            want = header[NR]
            if (want ~ /\*$/) { want = substr(want, 1, length(want) - 1); $0 = substr($0, 1, length(want)) }
            if ($0 != want) bad("expected a header line \"" header[NR] "\"")
            next
        }
        /^$/ { width = ""; next }
        {
            if (fields == "*" && width == "") width = NF
            want = fields == "*" ? width : fields
            if (NF != want) bad("expected " want " tab-separated numbers" (fields == "*" ? " as the lines before it in its block" : "") ", found " NF " fields")
            for (i = 1; i <= NF; i++)
                if ($i !~ /^-?([0-9]+\.?[0-9]*([eE][-+]?[0-9]+)?|nan|inf)$/)
                    bad("field " i ", \"" $i "\", is not a number")
            lines++
        }
        END {
            if (failed) exit 1
            if (NR < n) { printf "plots: %s: empty or cut short: no header (train again: make run)\n", file > "/dev/stderr"; exit 1 }
            if (lines == 0) { printf "plots: %s: no data yet: the run stopped before its first epoch ended\n", file > "/dev/stderr"; exit 1 }
        }' <"$file"
}

EPOCHS_HEADER="epoch	train_loss	train_accuracy	val_loss	val_accuracy	test_loss	test_accuracy	seconds"

MAPS_HEADER="# stage	layer	maps	height	width	kernel	pool"

check_epoch_log() { check "$1" 8 "# run: *" "$EPOCHS_HEADER"; }

# stage: a fresh folder inside OUTDIR, where gnuplot draws before each
# picture is moved into place, and where --compare's links go; removed on
# every exit.
stage=""
trap '[ -z "$stage" ] || rm -rf -- "$stage"' EXIT
trap 'exit 130' INT
trap 'exit 143' HUP TERM

# make_stage OUTDIR
make_stage() {
    mkdir -p -- "$1" || return 1
    stage=$(mktemp -d "$1/.draw.XXXXXX") || {
        fail "$1: cannot make a folder in it (is it writable?)"
        return 1
    }
}

# draw SCRIPT OUTDIR ARG...: runs plots/SCRIPT.gp (its ARG1 a stage folder,
# then the ARGs), then moves the picture to OUTDIR/SCRIPT.png in one rename:
# the picture there is the earlier one or the new one, whole, and a link or
# a file planted at that name is replaced, never written through. Says what
# it drew.
draw() {
    script=$1 outdir=$2
    shift 2
    png=$outdir/$script.png
    if [ -d "$png" ]; then
        fail "$png: a folder is in the way of the picture: remove it"
        return 1
    fi
    if gnuplot -c "plots/$script.gp" "$stage" "$@" && mv -f -- "$stage/$script.png" "$png"; then
        printf 'drew %s\n' "$png"
    else
        fail "plots/$script.gp failed (a bug in the script: please report it)"
        return 1
    fi
}

draw_run() {
    outdir=$1 log=$2 base=${2%.tsv} status=0
    check_epoch_log "$log" || return 1
    if check "$base.steps.tsv" 3 "step	epoch	loss"; then draw loss "$outdir" "$log" || status=1; else status=1; fi
    draw accuracy "$outdir" "$log" || status=1
    if check "$base.weights.tsv" '*' "# first-layer weights*"; then
        draw weights "$outdir" "$log" || status=1
    else status=1; fi
    if check "$base.confusion.tsv" 3 "label	guess	count"; then
        draw confusion "$outdir" "$log" || status=1
    else status=1; fi
    if check "$base.worst.tsv" 6 "rank	index	label	guess	p_guess	p_label" &&
        check "$base.worst-images.tsv" 28; then
        draw worst "$outdir" "$log" || status=1
    else status=1; fi
    if [ -e "$base.maps.tsv" ] || [ -L "$base.maps.tsv" ]; then # a network of convolutions
        if check "$base.maps.tsv" '*' "# feature maps: *" "$MAPS_HEADER"; then
            draw maps "$outdir" "$log" || status=1
        else status=1; fi
    fi
    return $status
}

# Runs whose logs are missing or empty (a run that diverged at once) are left
# out of the chart, with a line saying why. gnuplot -c takes nine arguments at
# most, so the logs reach compare.gp as links 1.tsv, 2.tsv, ... in the stage.
draw_compare() {
    outdir=$1 count=0
    shift
    runs=$stage/runs
    mkdir -- "$runs" || return 1
    for log in "$@"; do
        check_epoch_log "$log" || continue
        case $log in /*) ;; *) log=$PWD/$log ;; esac
        count=$((count + 1))
        ln -s "$log" "$runs/$count.tsv" || return 1
    done
    [ "$count" -gt 0 ] || { fail "no run to compare"; return 1; }
    draw compare "$outdir" "$runs" "$count"
}

case "${1:-}" in
--compare)
    [ $# -ge 3 ] || { fail "usage: plots/draw.sh --compare OUTDIR LOG..."; exit 2; }
    shift
    outdir=$1
    shift
    make_stage "$outdir" && draw_compare "$outdir" "$@"
    ;;
-* | "")
    fail "usage: plots/draw.sh OUTDIR LOG, or plots/draw.sh --compare OUTDIR LOG..."
    exit 2
    ;;
*)
    [ $# -eq 2 ] || { fail "usage: plots/draw.sh OUTDIR LOG"; exit 2; }
    make_stage "$1" && draw_run "$1" "$2"
    ;;
esac
