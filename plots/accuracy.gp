# accuracy.gp: training, validation and test accuracy after each epoch, as
# <outdir>/accuracy.png.
if (ARGC >= 2) { outdir = ARG1; log = ARG2 }  # gnuplot -c plots/accuracy.gp OUTDIR LOG
load "plots/common.gp"
set output outdir . "/accuracy.png"
set title "Accuracy after each epoch\n{/*0.8 " . run . "}"
set xlabel "epoch"
set ylabel "accuracy (%)"
set grid
set key bottom right
plot log using 1:($3 * 100) skip 2 with linespoints lw 2 pt 7 title "training", \
     log using 1:($5 * 100) skip 2 with linespoints lw 2 pt 5 title "validation", \
     log using 1:($7 * 100) skip 2 with linespoints lw 2 pt 9 title "test"
