# loss.gp: the training loss of the latest chapter 05 run, per step (faint) and
# per epoch (training and validation), as build/plots/loss.png.
# Run by `make plots`, which sets `outdir` and `log` (the epoch log; the step
# log is next to it, <log>.steps.tsv).
if (!exists("outdir")) outdir = "build/plots"
if (!exists("log")) log = "build/logs/ch05.tsv"
steps = log[1:strlen(log) - 4] . ".steps.tsv"

set terminal pngcairo size 900,560 font "sans,11"
set output outdir . "/loss.png"
set title "Chapter 05: cross-entropy loss while training (" . log . ")"
set xlabel "epoch"
set ylabel "loss (mean cross-entropy)"
set logscale y
set grid
set key top right
set datafile separator "\t"
# The step log numbers steps 1, 2, ...: scale them so that the last step falls on the last epoch.
stats steps using 1 skip 1 nooutput
total_steps = STATS_max
stats log using 1 skip 1 nooutput
epochs = STATS_max
plot steps using ($1 * epochs / total_steps):3 skip 1 \
         with lines lc rgb "#c0c8e0" title "training loss, each mini-batch", \
     log using 1:2 skip 1 with linespoints lw 2 pt 7 lc rgb "#1f4e9c" title "training loss, epoch mean", \
     log using 1:4 skip 1 with linespoints lw 2 pt 5 lc rgb "#d95f02" title "validation loss"
