# accuracy.gp: training, validation and test accuracy per epoch of the latest
# chapter 05 run, as build/plots/accuracy.png. Run by `make plots`.
if (!exists("outdir")) outdir = "build/plots"
if (!exists("log")) log = "build/logs/ch05.tsv"

set terminal pngcairo size 900,560 font "sans,11"
set output outdir . "/accuracy.png"
set title "Chapter 05: accuracy per epoch (" . log . ")"
set xlabel "epoch"
set ylabel "accuracy (%)"
set grid
set key bottom right
set datafile separator "\t"
plot log using 1:($3 * 100) skip 1 with linespoints lw 2 pt 7 title "training", \
     log using 1:($5 * 100) skip 1 with linespoints lw 2 pt 5 title "validation", \
     log using 1:($7 * 100) skip 1 with linespoints lw 2 pt 9 title "test"
