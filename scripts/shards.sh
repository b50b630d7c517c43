#!/bin/sh
# shards.sh: plan a scenario as N shards with GNU parallel, then merge them.
#
#   scripts/shards.sh [-j JOBS] [-b district|component] [-c] [-k] SCENARIO.ini N OUT.gpkg \
#                     [-- RUN-ARGS...]
#
# -c: cut once first (`stationplan shards SCENARIO N -o DIR/cut`, reading and
# building the whole input once), then every shard runs with --cut DIR/cut
# and reads and builds only its own units.
# Runs `stationplan run SCENARIO --shard K/N --shard-by BY -o DIR/shard-K.gpkg`
# for K = 1..N, JOBS at a time (default: 2), with GNU parallel (Debian
# package `parallel`), then `stationplan merge OUT.gpkg DIR/shard-*.gpkg`.
# DIR is OUT's folder + /OUT-shards; removed after a merge unless -k.
# RUN-ARGS go to every run (e.g. --set solver.time_limit_s=600 --threads 1).
# Each shard's stderr goes to DIR/shard-K.log; parallel's job log (start,
# run time, exit status per shard) to DIR/joblog. A shard exiting 3 (plan
# written, incomplete) is still merged; any other failure stops the merge.
# Environment: SP_BIN (default ./stationplan).
set -eu
jobs=2
by=district
keep=0
cut=0
while getopts j:b:ck o; do
	case $o in
	j) jobs=$OPTARG ;;
	b) by=$OPTARG ;;
	c) cut=1 ;;
	k) keep=1 ;;
	*) echo "usage: $0 [-j JOBS] [-b district|component] [-c] [-k] SCENARIO N OUT.gpkg [-- ARGS]" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || { echo "usage: $0 [-j JOBS] [-b BY] [-k] SCENARIO N OUT.gpkg [-- ARGS]" >&2; exit 1; }
scenario=$1 n=$2 out=$3
shift 3
[ "${1:-}" = "--" ] && shift
bin=${SP_BIN:-./stationplan}
command -v parallel >/dev/null || { echo "shards: GNU parallel is not installed" >&2; exit 1; }
dir=$(dirname "$out")/$(basename "$out" .gpkg)-shards
rm -rf "$dir"
mkdir -p "$dir"
cutargs=
if [ $cut = 1 ]; then
	# the same --set values as the runs; their other options do not matter here
	sets=
	prev=
	for a in "$@"; do
		[ "$prev" = --set ] && sets="$sets --set $a"
		prev=$a
	done
	# shellcheck disable=SC2086
	"$bin" -q shards "$scenario" "$n" --shard-by "$by" -o "$dir/cut" $sets ||
		{ echo "shards: the cut failed" >&2; exit 2; }
	cutargs="--cut $dir/cut"
fi
# exit 3 is a written plan (incomplete): --halt only on other failures
set +e
seq 1 "$n" | parallel -j "$jobs" --joblog "$dir/joblog" \
	"$bin" -q run "$scenario" --shard {}/"$n" --shard-by "$by" $cutargs -o "$dir/shard-{}.gpkg" "$@" \
	'2>' "$dir/shard-{}.log" '; rc=$?; [ $rc = 0 ] || [ $rc = 3 ]'
rc=$?
set -e
if [ $rc != 0 ]; then
	echo "shards: $rc shard(s) failed; see $dir/shard-K.log and $dir/joblog" >&2
	exit 2
fi
files=$(seq 1 "$n" | sed "s|.*|$dir/shard-&.gpkg|")
# shellcheck disable=SC2086
"$bin" -q merge "$out" $files --overwrite
[ $keep = 1 ] || rm -rf "$dir"
