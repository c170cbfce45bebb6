# worst.gp: the test digits the network got most wrong (the lowest probability
# on their true digit), as <outdir>/worst.png, each titled with the true digit,
# the network's guess and the probability it gave that guess.
# Reads <base>.worst.tsv (rank, index, label, guess, p_guess, p_label) and
# <base>.worst-images.tsv (one 28×28 block of pixels per digit).
if (ARGC >= 2) { outdir = ARG1; log = ARG2 }  # gnuplot -c plots/worst.gp OUTDIR LOG
load "plots/common.gp"
worst = base . ".worst.tsv"
images = base . ".worst-images.tsv"

stats worst using 1 skip 1 nooutput
shown = STATS_records
across = 6
down = ceil(shown / real(across))
# Each digit's title, read from the table before the axes change (stats only
# counts points inside the current ranges).
array titles[shown]
do for [k = 0:shown - 1] {
    stats worst every ::k::k using (label = $3, guess = $4, p = $5) skip 1 nooutput
    titles[k + 1] = sprintf("true %d, guess %d (%.0f%%)", label, guess, 100 * p)
}

set terminal pngcairo size 1020, 50 + 160 * down font "sans,10"
set output outdir . "/worst.png"
set multiplot layout down, across \
    title sprintf("The %d test digits the network got most wrong\n{/*0.8 %s}", shown, run)
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
unset xtics
unset ytics
unset colorbox
set palette gray negative
set cbrange [0:255]
set datafile separator whitespace
do for [k = 0:shown - 1] {
    set title titles[k + 1]
    plot images index k matrix with image notitle
}
unset multiplot
