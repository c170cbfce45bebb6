# compare.gp: several training runs on one chart, as <outdir>/compare.png:
# validation loss and validation accuracy per epoch, each run labelled by its
# configuration (its log's first line). `make sweep` runs a learning-rate
# sweep and `make plots` draws it with this script, through plots/draw.sh:
#     gnuplot -c plots/compare.gp OUTDIR RUNS COUNT
#   outdir  where the PNG goes (ARG1; default build/plots)
#   RUNS    a folder holding the runs' epoch logs as 1.tsv, 2.tsv, ... (ARG2):
#           draw.sh links them there, so that any number of runs, with any
#           characters in their paths, reach gnuplot as data, never as code
#   COUNT   how many runs (ARG3)
if (ARGC >= 3) { outdir = ARG1; runs_dir = ARG2; runs = int(ARG3) }
if (!exists("outdir")) outdir = "build/plots"
# gnuplot writes to a name starting with "|" through a shell command, and reads
# one starting with "<" from one: a relative path gets "./" in front.
as_file(path) = path[1:1] eq "/" ? path : "./" . path
outdir = as_file(outdir)
runs_dir = as_file(runs_dir)
run_log(i) = sprintf("%s/%d.tsv", runs_dir, i)
array names[runs]
set datafile separator "\t"
set datafile commentschars ""
do for [i = 1:runs] {
    stats run_log(i) every ::0::0 using (names[i] = strcol(1)[8:], 0) nooutput
}
set datafile commentschars "#"

# Colours that stay apart for eight runs (ColorBrewer's Dark2).
colours = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02 #a6761d #666666"
colour(i) = word(colours, (i - 1) % 8 + 1)

set terminal pngcairo size 1000,900 font "sans,11"
set output outdir . "/compare.png"
set multiplot layout 2,1 title sprintf("%d run%s compared on the validation split", runs, runs == 1 ? "" : "s")
set xlabel "epoch"
set grid
set key top right font "sans,9"
set ylabel "validation loss (mean cross-entropy)"
set logscale y
plot for [i = 1:runs] run_log(i) using 1:4 skip 2 with linespoints lw 2 pt 7 \
    lc rgb colour(i) title names[i]
unset logscale y
set ylabel "validation accuracy (%)"
set key bottom right
plot for [i = 1:runs] run_log(i) using 1:($5 * 100) skip 2 with linespoints lw 2 pt 7 \
    lc rgb colour(i) title names[i]
unset multiplot
