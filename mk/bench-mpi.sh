#!/bin/sh
# bench-mpi.sh: chapter 11's measurements (make bench-mpi runs it; mk/mpi.mk). On a quiet
# machine only: the timings are worth nothing on a loaded one.
#   (a) MPI between 2 processes over shared memory: a ping-pong and an all-reduce from 8 bytes
#       to 16 MB, α and β of T(n) = α + n/β fitted (tests/mpi/bench_allreduce.c);
#   (b) chapter 11's program, 1 epoch on 1, 2 and 4 processes (4 oversubscribed on 2 cores),
#       the dense network and chapter 10's LeNet, with and without --overlap: epoch time,
#       all-reduce time, bytes per step, test accuracy, into build/bench-mpi.tsv;
#   (c) the α-β model to 1,024 processes with the α, β and per-step compute measured here
#       (chapters/11-many-machines/scaling.c), drawn by plots/scaling.gp as build/scaling.png.
# Usage: mk/bench-mpi.sh BUILD DATA IMAGES OUT   (IMAGES: the training split's size, 50000 for
# MNIST: the steps per epoch, for the model; OUT: where the files go, build for make bench-mpi)
set -eu
build=$1 data=$2 images=$3 dir=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
mpirun="mpirun --oversubscribe -x OMP_NUM_THREADS"
mkdir -p "$dir/logs/bench"

echo "(a) MPI between 2 processes, shared memory, 8 B to 16 MB ($dir/bench-mpi-sweep.tsv):"
$mpirun -np 2 "$build/bench-allreduce" "$dir/bench-mpi-sweep.tsv" | tee "$dir/bench-mpi-fit.txt"
alpha=$(sed -n 's/^ping-pong.*alpha \([^ ]*\) s,.*/\1/p' "$dir/bench-mpi-fit.txt")
beta=$(sed -n 's/^ping-pong.*beta \([^ ]*\) bytes.*/\1/p' "$dir/bench-mpi-fit.txt")

echo "(b) chapter 11's program, 1 epoch ($dir/bench-mpi.tsv):"
out=$dir/bench-mpi.tsv
printf '# MPI over shared memory, 2 processes: alpha %s s, beta %s bytes/s\n' "$alpha" "$beta" >"$out"
printf 'model\tprocesses\toverlap\tepoch s\tall-reduce s\tbytes per step\ttest accuracy\n' >>"$out"
for model in dense lenet; do
    case $model in
    dense) layers=784,256,128,10 ;;
    lenet) layers=784,conv20k5,pool2,conv50k5,pool2,500,10 ;;
    esac
    for n in 1 2 4; do
        for overlap in on off; do
            log=$dir/logs/bench/mpi-$model-$n-$overlap.tsv
            said=$($mpirun -np $n "$build/ch11-many-machines" --data "$data" --layers "$layers" \
                --epochs 1 --curve never --overlap $overlap --log "$log" \
                --save "$dir/bench-mpi-$model.nn")
            # the epoch's seconds and test accuracy from the log (epoch 1, its last two
            # columns), the all-reduce's seconds and the parameters from what rank 0 said
            reduce=$(echo "$said" | sed -n 's/^all-reduce: .*, \([0-9.]*\) s$/\1/p')
            parameters=$(echo "$said" | sed -n 's/^saved: .*, \([0-9]*\) parameters, .*/\1/p')
            awk -F '\t' -v m=$model -v n=$n -v o=$overlap -v r="$reduce" -v p="$parameters" \
                '$1 == 1 { printf "%s\t%d\t%s\t%s\t%s\t%d\t%s\n", m, n, o, $8, r, 4 * p, $7 }' \
                "$log" | tee -a "$out"
        done
    done
done

echo "(c) the model to 1,024 processes ($dir/scaling.tsv, $dir/scaling.png):"
steps=$(awk -v i="$images" 'BEGIN { printf "%d", (i + 63) / 64 }')
step_of() { awk -F "\t" -v m="$1" -v s="$steps" '$1 == m && $2 == 1 && $3 == "on" { print $4 / s }' "$out"; }
"$build/ch11-scaling" --alpha "$alpha" --beta "$beta" --dense-step "$(step_of dense)" \
    --conv-step "$(step_of lenet)" --images "$images" --out "$dir/scaling.tsv"
gnuplot -c plots/scaling.gp "$dir/scaling.tsv" "$dir/scaling.png" && echo "drew $dir/scaling.png"
