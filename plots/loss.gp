# loss.gp: the cross-entropy loss while training, as <outdir>/loss.png: each
# mini-batch's loss (faint), its moving average (the line over it), and the
# training and validation loss at the end of each epoch.
if (ARGC >= 2) { outdir = ARG1; log = ARG2 }  # gnuplot -c plots/loss.gp OUTDIR LOG
load "plots/common.gp"
steps = base . ".steps.tsv"
set output outdir . "/loss.png"
set title "Loss while training\n{/*0.8 " . run . "}"
set xlabel "epoch"
set ylabel "loss (mean cross-entropy)"
set logscale y
set format y "%g"
set grid
set key top right

# Steps are numbered 1, 2, ... across epochs: scale them so the last step falls
# on the last epoch.
stats steps using 1 skip 1 nooutput
total_steps = STATS_max
stats log using 1 skip 2 nooutput
epochs = STATS_max
at_epoch(step) = step * epochs / total_steps
set xrange [0:epochs]

# An exponential moving average of the step losses, each new loss weighing 2%:
# mean = 0.98 mean + 0.02 loss, starting from the first loss.
mean = 0
smoothed(loss) = (mean = ($0 == 0 ? loss : 0.98 * mean + 0.02 * loss))

plot steps using (at_epoch($1)):3 skip 1 with lines lc rgb "#c8d0e6" \
         title "training loss, each mini-batch", \
     steps using (at_epoch($1)):(smoothed($3)) skip 1 with lines lw 2 lc rgb "#1f4e9c" \
         title "the same, moving average", \
     log using 1:2 skip 2 with points pt 7 ps 1.2 lc rgb "#1f4e9c" \
         title "training loss, epoch mean", \
     log using 1:4 skip 2 with linespoints lw 2 pt 5 lc rgb "#d95f02" title "validation loss"
