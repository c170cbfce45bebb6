# maps.gp: what a network of convolutions makes of one digit, as
# <outdir>/maps.png: the digit, then the maps of each convolution layer after
# its pooling and ReLU, left to right, each map a small image on the stage's
# grey panel. Every pixel of every map is drawn the same size, so the maps
# shrink stage by stage as they do in the network while their number grows.
# Colours go from white (0) to dark (the stage's largest value): a map that
# stays white found nothing of its filter's pattern in this digit.
# Reads <base>.maps.tsv (lib/feature_maps.h): its first line says which test
# image it is, block 0 is a table of the stages, then one block per map.
if (ARGC >= 2) { outdir = ARG1; log = ARG2 }  # gnuplot -c plots/maps.gp OUTDIR LOG
load "plots/common.gp"
maps = base . ".maps.tsv"
set datafile commentschars ""
stats maps index 0 every ::0::0 using (about = strcol(1)[17:], 0) nooutput
set datafile commentschars "#"

# The table: stage s (from 1: the input, then each convolution) has count[s]
# maps of rows[s] × cols[s], made by layer[s] from kernel[s] × kernel[s]
# kernels and pool[s] × pool[s] pooling.
stats maps index 0 using 1 nooutput
stages = STATS_records
array layer[stages]
array count[stages]
array rows[stages]
array cols[stages]
array kernel[stages]
array pool[stages]
do for [s = 1:stages] {
    stats maps index 0 every ::s - 1::s - 1 using (layer[s] = int($2), count[s] = int($3), \
        rows[s] = int($4), cols[s] = int($5), kernel[s] = int($6), pool[s] = int($7)) nooutput
}
blocks = 0
do for [s = 1:stages] { blocks = blocks + count[s] }

# Stage s's maps as a grid of across[s] × down[s], a pixel apart, its top
# left corner at (x0[s], y0[s]); the stages `space` pixels apart, each
# centred on the tallest. A grid is about square, and full when a width
# down to half its side fills it (50 maps: 5 × 10, not 8 × 7).
space = 10
array across[stages]
array down[stages]
array x0[stages]
array y0[stages]
tallest = 0
do for [s = 1:stages] {
    side = ceil(sqrt(count[s]))
    across[s] = side
    do for [a = (side + 1) / 2:side] { if (count[s] % a == 0) { across[s] = a } }
    down[s] = ceil(count[s] / real(across[s]))
    x0[s] = s == 1 ? 0 : x0[s - 1] + across[s - 1] * (cols[s - 1] + 1) - 1 + space
    tallest = (down[s] * (rows[s] + 1) - 1 > tallest) ? down[s] * (rows[s] + 1) - 1 : tallest
}
do for [s = 1:stages] { y0[s] = floor((tallest - (down[s] * (rows[s] + 1) - 1)) / 2.0) }
wide(s) = across[s] * (cols[s] + 1) - 1
high(s) = down[s] * (rows[s] + 1) - 1

# Block b (from 1) is map k_of[b] of stage stage_of[b].
array stage_of[blocks]
array k_of[blocks]
b = 1
do for [s = 1:stages] {
    do for [k = 0:count[s] - 1] { stage_of[b] = s; k_of[b] = k; b = b + 1 }
}
map_x(b, c) = x0[stage_of[b]] + (k_of[b] % across[stage_of[b]]) * (cols[stage_of[b]] + 1) + c
map_y(b, r) = y0[stage_of[b]] + (k_of[b] / across[stage_of[b]]) * (rows[stage_of[b]] + 1) + r

# Each stage's largest value, which its darkest colour stands for.
set datafile separator whitespace
array top[stages]
first = 1
do for [s = 1:stages] {
    stats maps index first:first + count[s] - 1 matrix using 3 nooutput
    top[s] = STATS_max > 0 ? STATS_max : 1
    first = first + count[s]
}

# How many screen pixels a map pixel gets: the canvas leaves the maps about
# 950 × 500 of its 1200 × 640 (the title, the colour box and margins take the
# rest), 60 of those columns right of them and 50 rows under them for the
# stages' names.
ppu = 890.0 / (x0[stages] + wide(stages) + 3) < 450.0 / (tallest + 3) ? \
      890.0 / (x0[stages] + wide(stages) + 3) : 450.0 / (tallest + 3)

set terminal pngcairo size 1200,640 font "sans,11"
set output outdir . "/maps.png"
set title sprintf("Feature maps of %s\n{/*0.8 %s}", about, run)
set size ratio -1
set xrange [-2:x0[stages] + wide(stages) + 1 + 60 / ppu]
set yrange [tallest + 1 + 50 / ppu:-2]
unset xtics
unset ytics
unset border
set palette defined (0 "white", 0.2 "#fee391", 0.45 "#fe9929", 0.7 "#cc4c02", 1 "#3f1400")
set cbrange [0:1]
set cbtics ("0" 0, "largest" 1)
set cblabel "value after pooling and ReLU, of the stage's largest"
plural(n) = n == 1 ? "" : "s"
do for [s = 1:stages] {
    set object s rectangle from x0[s] - 1, y0[s] - 1 to x0[s] + wide(s), y0[s] + high(s) \
        behind fillcolor rgb "#d0d0d0" fillstyle solid noborder
    if (s == 1) {
        what = count[s] == 1 ? sprintf("the digit: %d×%d", rows[s], cols[s]) \
                             : sprintf("the input: %d maps of %d×%d", count[s], rows[s], cols[s])
    } else {
        filter = count[s - 1] > 1 ? sprintf("%d×%d×%d", count[s - 1], kernel[s], kernel[s]) \
                                  : sprintf("%d×%d", kernel[s], kernel[s])
        what = sprintf("layer %d: %d filter%s of %s,\n%s: %d map%s of %d×%d", layer[s], \
                       count[s], plural(count[s]), filter, \
                       pool[s] > 1 ? sprintf("max-pooled %d×%d", pool[s], pool[s]) : "no pooling", \
                       count[s], plural(count[s]), rows[s], cols[s])
        set arrow s from x0[s] - space + 2, tallest / 2.0 to x0[s] - 3, tallest / 2.0 \
            lw 2 lc rgb "#606060"
    }
    set label s what at x0[s] + wide(s) / 2.0, y0[s] + high(s) center front font "sans,10" \
        offset 0, -1.5
}
# A box for each pixel (gnuplot's images must be 2×2 at least, a map may be
# 1×1), overlapping its neighbours by a screen pixel so that no seam shows
# between them; $1 is the pixel's column, $2 its row, $3 its value.
half = 0.5 + 1 / ppu
plot for [b = 1:blocks] maps index b matrix \
     using (map_x(b, $1)):(map_y(b, $2)):(map_x(b, $1) - half):(map_x(b, $1) + half): \
           (map_y(b, $2) - half):(map_y(b, $2) + half):($3 / top[stage_of[b]]) \
     with boxxy fillstyle solid noborder fillcolor palette notitle
