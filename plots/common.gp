# common.gp: what every picture of a training run shares. Each script takes
# its two paths as arguments and loads this first (gnuplot runs from the top
# folder: `make plots` does that):
#     gnuplot -c plots/loss.gp OUTDIR LOG
#   outdir  where the PNGs go (ARG1; default build/plots)
#   log     the run's epoch log (ARG2; default build/logs/ch05.tsv); the run's
#           other files are next to it: <base>.steps.tsv, <base>.weights.tsv,
#           ... where <base> is the log's path without its ".tsv"
#   run     what was trained and how: the log's first line, "# run: ...",
#           for the titles.
# Paths come in as arguments, that is as data: never pasted into gnuplot's
# code (`-e "log='$path'"`), where a quote in a path would end the string and
# the rest of the path would run as gnuplot commands, system() included.
if (!exists("outdir")) outdir = "build/plots"
if (!exists("log")) log = "build/logs/ch05.tsv"

# gnuplot reads a file name starting with "<" as a shell command to run, and
# writes to one starting with "|" through a command; "-", "+" and "" are
# special too. A relative path gets "./" in front, so it only ever names a file.
as_file(path) = path[1:1] eq "/" ? path : "./" . path
outdir = as_file(outdir)
log = as_file(log)
base = strlen(log) > 4 && log[strlen(log) - 3:] eq ".tsv" ? log[1:strlen(log) - 4] : log

set datafile separator "\t"
set datafile commentschars ""
stats log every ::0::0 using (run = strcol(1)[8:], 0) nooutput
set datafile commentschars "#"

set terminal pngcairo size 900,560 font "sans,11"
