# common.gp: what every picture of a training run shares. Each script loads it
# first (gnuplot runs from the top folder: `make plots` does that).
#   outdir  where the PNGs go (default build/plots)
#   log     the run's epoch log (default build/logs/ch05.tsv); the run's other
#           files are next to it: <base>.steps.tsv, <base>.weights.tsv, ...
#   run     what was trained and how: the log's first line, "# run: ...",
#           for the titles.
if (!exists("outdir")) outdir = "build/plots"
if (!exists("log")) log = "build/logs/ch05.tsv"
base = log[1:strlen(log) - 4]

set datafile separator "\t"
set datafile commentschars ""
stats log every ::0::0 using (run = strcol(1)[8:], 0) nooutput
set datafile commentschars "#"

set terminal pngcairo size 900,560 font "sans,11"
