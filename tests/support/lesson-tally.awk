# lesson-tally.awk: the last line of `make test`: how the lessons' output blocks were checked.
#
#   awk -f tests/support/lesson-tally.awk build/tests/lesson-blocks.tsv
#
# Reads one row per block (lesson, line, verdict, why), as tests/support/lesson.c adds them:
# verdict "exact" (every number compared but timings), "masked" (every number masked) or
# "skipped", each with why; prints the count of each verdict and, for each, its reasons.
BEGIN { FS = "\t" }
{
    count[$3]++
    if ($4 != "" && !(($3, $4) in reason)) order[$3] = order[$3] (order[$3] == "" ? "" : SUBSEP) $4
    reason[$3, $4]++
}
function why(verdict,    n, list, i, text) {
    if (order[verdict] == "") return ""
    n = split(order[verdict], list, SUBSEP)
    if (n == 1) return " (" list[1] ")"
    for (i = 1; i <= n; i++) text = text (i > 1 ? "; " : "") reason[verdict, list[i]] ": " list[i]
    return " (" text ")"
}
END {
    printf "lessons: %d output blocks checked exactly, %d with every number masked%s, %d skipped%s\n",
        count["exact"], count["masked"], why("masked"), count["skipped"], why("skipped")
}
