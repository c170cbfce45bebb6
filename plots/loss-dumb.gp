# loss-dumb.gp: the loss curve in ASCII characters, on the terminal: training
# and validation loss per epoch of the log `log`. The training programs run it
# at the end (lib/curve.c), so a user over SSH sees the curve too.
#     gnuplot -c plots/loss-dumb.gp LOG    (or: gnuplot -e "log='LOG'" ..., with
#                                           every ' in LOG doubled, as curve.c does)
if (ARGC >= 1) log = ARG1
if (!exists("log")) log = "build/logs/ch05.tsv"
# gnuplot reads a file name starting with "<" as a shell command to run (and
# "-", "+" and "" as special files): a relative path gets "./" in front, so it
# only ever names a file.
if (log[1:1] ne "/") log = "./" . log

set terminal dumb size 78,22
set title "loss per epoch"
set xlabel "epoch"
set key top right
set datafile separator "\t"
plot log using 1:2 skip 2 with linespoints pt "*" title "training", \
     log using 1:4 skip 2 with linespoints pt "o" title "validation"
