# scaling.gp: chapter 11's scaling model drawn, as OUT (a PNG): the predicted
# epoch time against the number of processes N (left) and the efficiency
# T(1)/(N·T(N)) (right), log scale in N, one line per network, the dense
# network solid and LeNet dashed. It reads the table ch11-scaling computes
# (chapters/11-many-machines/scaling.c: the α-β formulas live there, once,
# tested, with this machine's α and β as its flags), one block per model and
# network, dense first, four networks each:
#     gnuplot -c plots/scaling.gp TABLE OUT     (make bench-mpi does)
# Paths come in as arguments, that is as data (plots/common.gp says why).
table = ARGC >= 1 ? ARG1 : "build/scaling.tsv"
out = ARGC >= 2 ? ARG2 : "build/scaling.png"
as_file(path) = path[1:1] eq "/" ? path : "./" . path
table = as_file(table)
out = as_file(out)

set terminal pngcairo size 1200,560 font "sans,10"
set output out
set datafile separator "\t"
set key autotitle columnheader
set logscale x 2
set xrange [1:1024]
set format x "%g"
set grid
set xlabel "processes N"
networks = 4
colour(j) = word("#333333 #d62728 #1f77b4 #2ca02c", j + 1)
set multiplot layout 1,2 title "Data-parallel training, predicted by the α-β model (ring all-reduce every step, compute / N at a fixed global batch)"

set title "Epoch time"
set ylabel "seconds per epoch"
set logscale y
set format y "%g"
set key bottom right font ",8"
plot for [i=0:2*networks-1] table index i using 1:2 with lines \
     lc rgb colour(i % networks) dt 1 + i / networks lw 2

set title "Efficiency, T(1) / (N · T(N))"
set ylabel "efficiency"
unset logscale y
set yrange [0:1.05]
set key top right font ",8"
plot for [i=0:2*networks-1] table index i using 1:3 with lines \
     lc rgb colour(i % networks) dt 1 + i / networks lw 2
unset multiplot
