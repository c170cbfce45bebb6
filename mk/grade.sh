#!/bin/sh
# mk/grade.sh: `make grade`: grades a whole class, one submission at a time, each apart.
#
#   sh mk/grade.sh SUBMISSIONS [MODULE] [JOBS]
#
# SUBMISSIONS is a folder holding, for each student, either a folder of the lib modules they
# wrote (alice/backprop.c, alice/softmax.c: each named after the module it replaces), or one
# file, alice.c, standing for MODULE. Each submission is built in its own folder,
# build/grade/<student>/, with the tests of the chapters up to the last one its modules come in
# (make run-tests CH=NN STUDENT_<module>=...), JOBS at a time, so one broken submission cannot
# affect another. Written: build/grade/<student>/report.txt (the student's row, then every
# failed check, build error and warning), build/grade/<student>/output.txt (everything make and
# the tests said), and build/grade/grades.csv, one row per student:
#   student, modules, chapter, built (yes or no), checks, passed, failed, errors,
#   the six backprop formulas (pass, fail, or - when not graded), build warnings, seconds.
set -eu

fail() { printf 'make grade: %s\n' "$*" >&2; exit 2; }

out=${GRADE_OUT:-build/grade}
FORMULAS="dZ2 dW2 db2 dZ1 dW1 db1"

# grade_one STUDENT PATH: builds and tests one submission; writes its report and its row.
grade_one() {
    student=$1 path=$2 dir=$out/$1 modules="" chapter=01
    rm -rf "$dir" # built from nothing: the same grade, and every warning, at every run
    mkdir -p "$dir"
    if [ -d "$path" ]; then
        for file in "$path"/*.c; do [ -f "$file" ] && modules="$modules $(basename "$file" .c)"; done
    else
        modules=$module
    fi
    for m in $modules; do
        c=$(make --no-print-directory -s chapter-of MODULE="$m" 2>/dev/null) || c=""
        [ -n "$c" ] && [ "$c" \> "$chapter" ] && chapter=$c
    done
    start=$(date +%s)
    set -- BUILD="$dir/build" CH="$chapter"
    if [ -d "$path" ]; then
        for file in "$path"/*.c; do [ -f "$file" ] && set -- "$@" "STUDENT_$(basename "$file" .c)=$file"; done
    else
        set -- "$@" "STUDENT_$module=$path"
    fi
    status=0
    make --no-print-directory run-tests "$@" >"$dir/output.txt" 2>&1 || status=$?
    seconds=$(($(date +%s) - start))
    summarise "$student" "$(echo $modules | tr ' ' '+')" "$chapter" "$status" "$seconds" \
        "$dir/output.txt" >"$dir/row.csv"
    report "$dir" >"$dir/report.txt"
}

# report DIR: the student's row, named, then what failed and what the compiler warned about.
report() {
    printf '%s\n' "student,modules,chapter,built,checks,passed,failed,errors,$(echo $FORMULAS | tr ' ' ','),warnings,seconds" \
        "$(cat "$1/row.csv")" "" "what failed, and the compiler's warnings (all of it: output.txt):"
    grep -E ':[FE]:|error: |warning: |Checks: ' "$1/output.txt" | sort -u || true
}

# summarise STUDENT MODULES CHAPTER STATUS SECONDS REPORT: the student's CSV row.
summarise() {
    report=$6
    built=yes
    grep -q 'Checks: ' "$report" || built=no
    totals=$(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$report" |
        awk '{ c += $1; f += $2; e += $3 } END { printf "%d,%d,%d,%d", c, c - f - e, f, e }')
    row="$1,$2,$3,$built,$totals"
    for f in $FORMULAS; do
        if ! grep -q ' 04 gradients' "$report"; then verdict=- # the gradient checks did not run
        elif grep -q ":[FE]:backprop formulas:${f}_" "$report"; then verdict=fail
        else verdict=pass; fi
        row="$row,$verdict"
    done
    warnings=$(grep 'warning: ' "$report" | sort -u | wc -l) # float and double builds warn alike
    printf '%s,%s,%s\n' "$row" "$warnings" "$5"
}

if [ "${1:-}" = --one ]; then # one submission, run by xargs below
    grade_one "$2" "$3"
    exit 0
fi

[ $# -ge 1 ] && [ -n "$1" ] || fail "say which folder: make grade SUBMISSIONS=path/to/folder [MODULE=backprop]"
submissions=$1 module=${2:-} jobs=${3:-2}
[ -d "$submissions" ] || fail "$submissions: not a folder of submissions"
mkdir -p "$out"
list=$out/.submissions
: >"$list"
for entry in "$submissions"/*; do
    [ -e "$entry" ] || continue
    name=$(basename "$entry")
    case $name in
    *.c) [ -n "$module" ] || fail "$entry is one file: say which module it is (MODULE=backprop)"
        printf '%s\t%s\n' "${name%.c}" "$entry" >>"$list" ;;
    *) [ -d "$entry" ] && printf '%s\t%s\n' "$name" "$entry" >>"$list" ;;
    esac
done
[ -s "$list" ] || fail "$submissions holds no submission (a folder per student, or one .c file each)"

# NN_GRADING: the tests of the grading tools themselves (04 grading) stand aside inside a grading.
export module NN_GRADING=1
# Each submission in a shell of its own, JOBS at a time.
tr '\t' '\n' <"$list" | xargs -d '\n' -n 2 -P "$jobs" sh mk/grade.sh --one
printf 'student,modules,chapter,built,checks,passed,failed,errors,%s,warnings,seconds\n' \
    "$(echo $FORMULAS | tr ' ' ',')" >"$out/grades.csv"
cut -f1 "$list" | sort | while read -r student; do cat "$out/$student/row.csv"; done >>"$out/grades.csv"
rm -f "$list"
printf 'graded %d submissions: %s (reports in %s/<student>/report.txt)\n' \
    "$(($(wc -l <"$out/grades.csv") - 1))" "$out/grades.csv" "$out"
