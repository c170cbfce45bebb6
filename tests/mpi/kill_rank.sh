#!/bin/sh
# kill_rank.sh: chapter 11's test of a process that dies (tests/check_11_parallel.c). Runs
# COMMAND (an mpirun) in the background, waits until FILE exists (the run has started and saved
# a model), kills the process of MPI rank RANK whose command line names FILE with SIGKILL, and
# waits for the job: its exit status is this script's, and no wait lasts more than 120 s.
# Usage: kill_rank.sh RANK FILE COMMAND...
rank=$1 file=$2
shift 2
timeout 120 "$@" &
job=$!
waited=0
while [ ! -s "$file" ] && [ $waited -lt 1200 ] && kill -0 $job 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
done
# The process of MPI rank $rank: OpenMPI tells each its rank in OMPI_COMM_WORLD_RANK.
victim=
for p in /proc/[0-9]*; do
    { tr '\0' ' ' <"$p/cmdline" | grep -qF -- "$file"; } 2>/dev/null || continue
    { tr '\0' '\n' <"$p/environ" | grep -qx "OMPI_COMM_WORLD_RANK=$rank"; } 2>/dev/null &&
        victim=${p#/proc/}
done
if [ -z "$victim" ]; then
    echo "kill_rank.sh: no process of rank $rank running with $file" >&2
else
    echo "kill_rank.sh: killing rank $rank, process $victim"
    kill -KILL "$victim"
fi
wait $job
