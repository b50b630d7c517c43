#!/bin/sh
# bench_roads.sh BIN BUILD: network reach on a dense synthetic city (issue 17).
#
# Makes BUILD/dense_roads with scripts/mkdense_roads.py (1,024 communities,
# a street grid GEOS nodes into about 51,000 segments, a river with three
# bridges), then runs BIN on it with and without the streets and prints the
# reach stage, the street line of -v (junctions, edges, pairs gained and
# lost, build and search seconds), the stations, and the peak memory (GNU
# time). Wall-clock figures depend on the machine's load: it is printed.
set -eu
bin=${1:-./stationplan}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/dense_roads
[ -f "$dir/roads.gpkg" ] && [ "$dir/roads.gpkg" -nt "$root/scripts/mkdense_roads.py" ] ||
	"$root/scripts/mkdense_roads.py" "$dir"
echo "bench_roads: load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) core(s)"
for mode in straight network; do
	set -- --set solver.threads=2
	[ $mode = straight ] && set -- "$@" --set input.roads=
	/usr/bin/time -f "  peak memory %M KB, wall %e s" \
		"$bin" run "$dir/scenario.ini" -o "$dir/$mode.gpkg" --overwrite -v "$@" 2>&1 |
		grep -E "^streets:|^reach:|^  stations|^  walking|^  seconds|peak memory" |
		sed "s/^/$mode: /"
done
