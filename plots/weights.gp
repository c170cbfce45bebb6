# weights.gp: what the first layer looks for, as <outdir>/weights.png. Row i of
# W1 holds hidden unit i's 784 weights, one per pixel: drawn as a 28×28 tile,
# they show the pattern of ink that excites the unit (red: ink there raises
# the unit's input, blue: lowers it; white: no effect). A convolution's W1
# (chapter 10) holds each filter's K×K weights instead: drawn as a K×K tile,
# they show the stroke the filter responds to, wherever it lies in the image.
# Reads <base>.weights.tsv: one block per unit or filter, its first line
# saying which ("... one 28×28 block per hidden unit", "... per filter").
if (ARGC >= 2) { outdir = ARG1; log = ARG2 }  # gnuplot -c plots/weights.gp OUTDIR LOG
load "plots/common.gp"
weights = base . ".weights.tsv"
set datafile commentschars ""
stats weights index 0 every ::0::0 using (header = strcol(1), 0) nooutput
set datafile commentschars "#"
filters = strstrt(header, "per filter") > 0
set datafile separator whitespace

# One tile per unit, `across` tiles per row, a pixel of gap between tiles.
stats weights using 1 nooutput
units = STATS_blocks
stats weights index 0 matrix using 3 nooutput
width = STATS_size_x
height = STATS_size_y
stats weights matrix using 3 nooutput
across = ceil(sqrt(2 * units))
# Filters go in the grid plots/maps.gp puts their maps in, filter k where
# map k is: about square, full when a width down to half its side fills it.
if (filters) {
    side = ceil(sqrt(units))
    across = side
    do for [a = (side + 1) / 2:side] { if (units % a == 0) { across = a } }
}
# The colours span three standard deviations each side of zero: a few large
# weights would otherwise wash out the rest.
limit = 3 * STATS_stddev
tile_x(unit, x) = (unit % across) * (width + 1) + x
tile_y(unit, y) = (unit / across) * (height + 1) + y

set terminal pngcairo size 1000,540 font "sans,11"
set output outdir . "/weights.png"
if (filters) {
    set title sprintf("First-layer filters, one %d×%d tile per filter (%d filters)\n{/*0.8 %s}", \
                      height, width, units, run)
} else {
    set title sprintf("First-layer weights, one %d×%d tile per hidden unit (%d units)\n{/*0.8 %s}", \
                      height, width, units, run)
}
set size ratio -1
set yrange [*:*] reverse
unset xtics
unset ytics
unset border
set palette defined (-1 "#2166ac", 0 "white", 1 "#b2182b")
set cbrange [-limit:limit]
set cblabel "weight"
# Block i (`index i`) is unit i's tile; in `matrix` data $1 is the pixel's
# column, $2 its row, $3 the weight.
plot for [i = 0:units - 1] weights index i matrix \
     using (tile_x(i, $1)):(tile_y(i, $2)):3 with image notitle
