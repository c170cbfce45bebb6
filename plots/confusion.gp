# confusion.gp: which digits the network takes for which, on the test set, as
# <outdir>/confusion.png. Row: the true digit; column: the network's guess;
# each cell holds how many test images. The diagonal is what it got right.
# Reads <base>.confusion.tsv (label, guess, count).
if (ARGC >= 2) { outdir = ARG1; log = ARG2 }  # gnuplot -c plots/confusion.gp OUTDIR LOG
load "plots/common.gp"
confusion = base . ".confusion.tsv"

stats confusion using ($1 == $2 ? $3 : 0) skip 1 nooutput
right = STATS_sum
stats confusion using 3 skip 1 nooutput
total = STATS_sum

set terminal pngcairo size 720,640 font "sans,11"
set output outdir . "/confusion.png"
set title sprintf("Confusion matrix on the test set: %d of %d right (%.2f%%)\n{/*0.8 %s}", \
                  right, total, 100.0 * right / total, run)
set xlabel "the network's guess"
set ylabel "the true digit"
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics 0, 1, 9 scale 0
set ytics 0, 1, 9 scale 0
set size ratio -1
# Colour by the logarithm of the count, so a handful of mistakes still shows
# next to a diagonal of about a thousand.
set palette defined (0 "white", 1 "#fde0c5", 2 "#f59e72", 3 "#c0392b", 4 "#67000d")
set cbrange [0:log10(2000)]
set cbtics ("0" 0, "1" log10(2), "10" log10(11), "100" log10(101), "1000" log10(1001))
set cblabel "test images"
plot confusion using 2:1:(log10($3 + 1)) skip 1 with image notitle, \
     confusion using 2:1:($3 > 0 ? sprintf("%d", $3) : ""):($3 > 150 ? 0xffffff : 0x000000) skip 1 \
         with labels tc rgb variable font "sans,10" notitle
