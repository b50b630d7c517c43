#!/bin/sh
# slurm_shards.sh: plan a scenario as N shards on a Slurm cluster (one array
# task per shard), then merge them in a dependent job.
#
#   scripts/slurm_shards.sh [-b district|component] [-p PARTITION] [-m MEM] \
#                           [-t TIME] [-c] [-n] SCENARIO.ini N OUT.gpkg [-- RUN-ARGS...]
#
# -c: first a job making the cut once (`stationplan shards SCENARIO N -o
# DIR/cut` with the RUN-ARGS' --set values, 2 CPUs), the array depending on
# it (afterok) with --cut DIR/cut: each task reads and builds only its own
# units.
#
# Submits
#   sbatch --parsable --array=1-N ... --wrap 'stationplan -q run SCENARIO
#          --shard $SLURM_ARRAY_TASK_ID/N --shard-by BY -o DIR/shard-$SLURM_ARRAY_TASK_ID.gpkg
#          RUN-ARGS; rc=$?; [ $rc = 0 ] || [ $rc = 3 ]'
#   sbatch --parsable --dependency=afterok:JOB ... --wrap 'stationplan -q merge
#          OUT.gpkg DIR/shard-1.gpkg ... DIR/shard-N.gpkg --overwrite'
# and prints the two job ids. Every path is made absolute (the jobs may run
# in another folder on another node: SCENARIO, OUT and the binary must be on
# a shared file system). DIR = OUT's folder + /OUT-shards. Logs go to
# DIR/slurm-%A_%a.out and DIR/merge-%j.out. Exit 3 of a shard (a plan
# written with uncovered demand) counts as success for the merge.
#
# -n prints the sbatch command lines instead of submitting (no Slurm needed);
# the tests check them. Environment: SP_BIN (default ./stationplan),
# SBATCH (default sbatch).
set -eu
by=district part= mem=8G time=00:30:00 dry=0 cut=0
while getopts b:p:m:t:cn o; do
	case $o in
	c) cut=1 ;;
	b) by=$OPTARG ;;
	p) part=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) time=$OPTARG ;;
	n) dry=1 ;;
	*) echo "usage: $0 [-b BY] [-p PARTITION] [-m MEM] [-t TIME] [-c] [-n] SCENARIO N OUT.gpkg [-- ARGS]" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || { echo "usage: $0 [-b BY] [-p PARTITION] [-m MEM] [-t TIME] [-n] SCENARIO N OUT.gpkg [-- ARGS]" >&2; exit 1; }
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/${1#./}" ;; esac; }
scenario=$(abs "$1") n=$2 out=$(abs "$3")
shift 3
[ "${1:-}" = "--" ] && shift
case $n in '' | *[!0-9]* | 0) echo "slurm_shards: N must be a positive number, not '$n'" >&2; exit 1 ;; esac
bin=$(abs "${SP_BIN:-./stationplan}")
sbatch=${SBATCH:-sbatch}
dir=$(dirname "$out")/$(basename "$out" .gpkg)-shards
args=
for a in "$@"; do args="$args '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"; done
common="--mem=$mem --time=$time --cpus-per-task=1"
[ -n "$part" ] && common="$common --partition=$part"
sets=
prev=
for a in "$@"; do
	[ "$prev" = --set ] && sets="$sets --set '$(printf %s "$a" | sed "s/'/'\\''/g")'"
	prev=$a
done
cutjob="'$bin' -q shards '$scenario' $n --shard-by $by -o '$dir'/cut$sets"
cutarg=
[ $cut = 1 ] && cutarg=" --cut '$dir'/cut"
run="'$bin' -q run '$scenario' --shard \$SLURM_ARRAY_TASK_ID/$n --shard-by $by$cutarg -o '$dir'/shard-\$SLURM_ARRAY_TASK_ID.gpkg --overwrite$args; rc=\$?; [ \$rc = 0 ] || [ \$rc = 3 ]"
files=
i=1
while [ $i -le "$n" ]; do files="$files '$dir'/shard-$i.gpkg"; i=$((i + 1)); done
merge="'$bin' -q merge '$out'$files --overwrite"
if [ $dry = 1 ]; then
	# shell-quoted, so each line can be pasted into a shell as it is
	q() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }
	after=
	if [ $cut = 1 ]; then
		echo "$sbatch --parsable --job-name=stationplan-cut --mem=$mem --time=$time --cpus-per-task=2${part:+ --partition=$part} --output=$(q "$dir/cut-%j.out") --wrap=$(q "$cutjob")"
		after=" --dependency=afterok:CUTJOB"
	fi
	echo "$sbatch --parsable --job-name=stationplan-shards --array=1-$n$after $common --output=$(q "$dir/slurm-%A_%a.out") --wrap=$(q "$run")"
	echo "$sbatch --parsable --job-name=stationplan-merge --dependency=afterok:JOB $common --output=$(q "$dir/merge-%j.out") --wrap=$(q "$merge")"
	exit 0
fi
mkdir -p "$dir"
after=
if [ $cut = 1 ]; then
	# shellcheck disable=SC2086
	cjob=$($sbatch --parsable --job-name=stationplan-cut --mem="$mem" --time="$time" \
		--cpus-per-task=2 ${part:+--partition=$part} --output="$dir/cut-%j.out" --wrap="$cutjob")
	after="--dependency=afterok:${cjob%%;*}"
fi
# shellcheck disable=SC2086
job=$($sbatch --parsable --job-name=stationplan-shards --array=1-"$n" $after $common \
	--output="$dir/slurm-%A_%a.out" --wrap="$run")
job=${job%%;*}
# shellcheck disable=SC2086
mjob=$($sbatch --parsable --job-name=stationplan-merge --dependency=afterok:"$job" $common \
	--output="$dir/merge-%j.out" --wrap="$merge")
echo "shards job $job (array 1-$n), merge job ${mjob%%;*}"
