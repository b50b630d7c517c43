#!/bin/sh
# bench_levels.sh BIN BUILD: the time the upper levels add on each bench
# city (BUILD/cities/<name>/scenario.ini, made by `make cities`) and their
# proven gaps (issue 12, Measure). Each city is planned with two levels on
# top of its stations:
#   transfer   count = 2 per street, at = stations (two transfer points
#              chosen among each street's stations)
#   sorting    per = district, at = below (one sorting centre per district,
#              chosen among its transfer points)
# and output.timings = true, so run.stages holds the seconds of each stage.
# Prints per city: the stations, the seconds of the run, of the station
# solve and of the levels stage, every stage (run.stages), then per level its facilities, objective, bound, gap and
# status (from run_levels); the run's messages go to BENCH/<city>.log (a
# street with one station cannot hold two transfer points: a warning and an
# `unplaced` row, exit 3). SP_BENCH_CITIES="a b" limits the cities. With
# SP_BENCH_ROADS=1 a city with streets (BUILD/cities/<city>/roads.gpkg, made
# by mkcity --roads) is planned a second time walking along them (input.roads,
# roads_noded = true, walkable field, 2 threads): the row "<city>+roads",
# whose levels stage holds the street searches of the levels (issue 17).
# Timings are wall-clock on a shared machine: read them with the load average.
set -eu
bin=${1:-./stationplan}
build=${2:-build}
out=$build/bench-levels
mkdir -p "$out"
cities=${SP_BENCH_CITIES:-$(for d in "$build"/cities/*/; do [ -f "$d/scenario.ini" ] && basename "$d"; done)}
[ -n "$cities" ] || { echo "bench_levels: no city in $build/cities (make cities)" >&2; exit 1; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
runs=
for c in $cities; do
	runs="$runs $c"
	roads=$build/cities/$c/roads.gpkg
	[ "${SP_BENCH_ROADS:-0}" = 1 ] && [ -f "$roads" ] && runs="$runs $c+roads"
done
for c in $runs; do
	city=${c%+roads}
	ini=$build/cities/$city/scenario.ini
	[ -f "$ini" ] || { echo "$c: no $ini" >&2; continue; }
	gpkg=$out/$c.gpkg
	rc=0
	rm -f "$gpkg"
	set -- --set solver.threads=2
	[ "$c" = "$city" ] || set -- "$@" \
		--set input.roads="$(cd "$build/cities/$city" && pwd)/roads.gpkg" \
		--set input.roads_layer=roads --set input.roads_walkable_field=walkable \
		--set input.roads_noded=true
	"$bin" run "$ini" -o "$gpkg" --overwrite -q --set output.timings=true \
		--set level.transfer.per=street --set level.transfer.count=2 \
		--set level.transfer.at=stations \
		--set level.sorting.per=district --set level.sorting.at=below \
		"$@" 2>"$out/$c.log" || rc=$?
	if [ ! -f "$gpkg" ]; then
		echo "$c: no plan written (exit $rc)"
		continue
	fi
	stages=$(ogrinfo -q -sql "SELECT stages FROM run" "$gpkg" | sed -n 's/.*stages (String) = //p')
	stations=$(ogrinfo -q -sql "SELECT count(*) AS n FROM stations" "$gpkg" |
		sed -n 's/.*n (Integer) = //p')
	solve=$(echo "$stages" | tr ';' '\n' | sed -n 's/^solve=//p')
	levels=$(echo "$stages" | tr ';' '\n' | sed -n 's/^levels=//p')
	total=$(ogrinfo -q -sql "SELECT round(seconds, 3) AS s FROM run" "$gpkg" |
		sed -n 's/.*s (Real) = //p')
	warn=$(grep -c 'warning' "$out/$c.log" || true)
	echo "$c: exit $rc, $stations stations, run ${total:-?} s, solve ${solve:-?} s," \
		"levels ${levels:-?} s, $warn warning line(s) in $out/$c.log"
	echo "  stages: $stages"
	ogrinfo -q -sql "SELECT level, facilities, round(objective) AS objective,
		round(bound) AS bound, round(gap, 5) AS gap, status FROM run_levels" "$gpkg" |
		sed -n 's/^  \([a-z]*\) ([A-Za-z()]*) = /\1 = /p' | paste -d' ' - - - - - - |
		sed 's/^/  /'
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
