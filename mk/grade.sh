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
#   each formula of the gradient checks below (pass, fail, or - when not graded), build
#   warnings, seconds.
set -eu

fail() { printf 'make grade: %s\n' "$*" >&2; exit 2; }

out=${GRADE_OUT:-build/grade}
# The gradient checks, a column each: its name, the chapter whose gradient suite holds it
# (tests/check_NN_gradients.c), and the start of its "test case:test" in Check's failure lines
# (file:line:F:test case:test:...). README.md, "For instructors", says what each checks.
FORMULAS='dZ2 04 backprop formulas:dZ2_
dW2 04 backprop formulas:dW2_
db2 04 backprop formulas:db2_
dZ1 04 backprop formulas:dZ1_
dW1 04 backprop formulas:dW1_
db1 04 backprop formulas:db1_
deep_dW_db 06 every layer:every_layer_gradient_matches_numeric
deep_is_05 06 chapter 05 as a special case:
decay_dW 07 weight decay:weight_decay_rows_give_dW_plus_lambda_W
decay_db 07 weight decay:weight_decay_rows_leave_db_alone
decay_penalty 07 weight decay:weight_decay_penalty_is_half_lambda_sum_of_squares
dropout_dA 07 dropout:dropout_backward_matches_numeric_with_fixed_masks
dropout_decay 07 dropout:dropout_with_weight_decay_together'
HEADER="student,modules,chapter,built,checks,passed,failed,errors,$(printf '%s\n' "$FORMULAS" |
    cut -d' ' -f1 | paste -sd, -),warnings,seconds"

# modules_of PATH: the modules a submission replaces, one a line: its folder's NAME.c files, or
# MODULE.
modules_of() {
    if [ -d "$1" ]; then
        for file in "$1"/*.c; do [ -f "$file" ] && basename "$file" .c; done
    else
        echo "$module"
    fi
}

# chapter_of MODULES: the last chapter they come in (the tests up to it are run), 01 for none.
chapter_of() {
    chapter=01
    for m in $1; do
        c=$(make --no-print-directory -s chapter-of MODULE="$m" 2>/dev/null) || c=""
        [ -n "$c" ] && [ "$c" \> "$chapter" ] && chapter=$c
    done
    echo "$chapter"
}

# grade_one CHAPTER STUDENT PATH: builds and tests one submission; writes its report and its row.
grade_one() {
    chapter=$1 student=$2 path=$3 dir=$out/$2
    rm -rf "$dir" # built from nothing: the same grade, and every warning, at every run
    mkdir -p "$dir"
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
    summarise "$student" "$(modules_of "$path" | paste -sd+ -)" "$chapter" "$status" "$seconds" \
        "$dir/output.txt" >"$dir/row.csv"
    report "$dir" >"$dir/report.txt"
}

# report DIR: the student's row, named, then what failed and what the compiler warned about.
report() {
    printf '%s\n' "$HEADER" "$(cat "$1/row.csv")" "" "what failed, and the compiler's warnings (all of it: output.txt):"
    grep -E ':[FE]:|error: |warning: |Checks: ' "$1/output.txt" | sort -u || true
}

# verdict REPORT NN CHECK: "-" when chapter NN's gradient checks did not run, else "fail" when
# a check whose "test case:test" starts with CHECK failed or stopped, else "pass".
verdict() {
    if ! grep -q " $2 gradients" "$1"; then echo -
    elif grep -q ":[FE]:$3" "$1"; then echo fail
    else echo pass; fi
}

# summarise STUDENT MODULES CHAPTER STATUS SECONDS REPORT: the student's CSV row.
summarise() {
    report=$6
    built=yes
    grep -q 'Checks: ' "$report" || built=no
    totals=$(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$report" |
        awk '{ c += $1; f += $2; e += $3 } END { printf "%d,%d,%d,%d", c, c - f - e, f, e }')
    row="$1,$2,$3,$built,$totals,$(printf '%s\n' "$FORMULAS" | while read -r _ n check; do
        verdict "$report" "$n" "$check"; done | paste -sd, -)"
    warnings=$(grep 'warning: ' "$report" | sort -u | wc -l) # float and double builds warn alike
    printf '%s,%s,%s\n' "$row" "$warnings" "$5"
}

if [ "${1:-}" = --one ]; then # one submission, run by xargs below
    grade_one "$2" "$3" "$4"
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
        name=${name%.c} ;;
    *) [ -d "$entry" ] || continue ;;
    esac
    printf '%s\t%s\t%s\n' "$(chapter_of "$(modules_of "$entry")")" "$name" "$entry" >>"$list"
done
[ -s "$list" ] || fail "$submissions holds no submission (a folder per student, or one .c file each)"

# NN_GRADING: the tests of the grading tools themselves (04 grading) stand aside inside a grading.
# The lessons' long runs (NN_SLOW_LESSONS, minutes each) are not a student's grade: a class is
# graded with the lessons checked on the sample.
export module NN_GRADING=1
unset NN_SLOW_LESSONS
# Each submission in a shell of its own, JOBS at a time, the later chapters first: they take
# longest, and the others fill the time beside them.
sort -r "$list" | tr '\t' '\n' | xargs -d '\n' -n 3 -P "$jobs" sh mk/grade.sh --one
printf '%s\n' "$HEADER" >"$out/grades.csv"
cut -f2 "$list" | sort | while read -r student; do cat "$out/$student/row.csv"; done >>"$out/grades.csv"
rm -f "$list"
printf 'graded %d submissions: %s (reports in %s/<student>/report.txt)\n' \
    "$(($(wc -l <"$out/grades.csv") - 1))" "$out/grades.csv" "$out"
