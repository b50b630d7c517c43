#!/bin/sh
# bench_phases.sh BIN BUILD: the Dalian-style two-phase plan on the densest
# city the generator makes here (every Lianyungang unit placed in the 海州区
# polygon with mkcity --host), and a max_stations budget on it. Prints, per
# run, the seconds, and per phase the stations, households, share, the
# bound for that budget alone and the gap (from summary_phase). Timings are
# wall-clock on a shared machine: read them with the load average printed.
set -eu
bin=${1:-./stationplan}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${SP_CITIES:-$root/../shared/data/cities}
out=$build/bench-phases
mkdir -p "$out/dense"
python3 - "$data/lianyungang_districts.geojson" "$out/dense_districts.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["features"] = [f for f in d["features"] if f["properties"]["name"] == "海州区"]
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
hosts=""
for d in 连云区 赣榆区 东海县 灌云县 灌南县 连云港经济技术开发区; do
	hosts="$hosts --host $d=海州区"
done
# shellcheck disable=SC2086
"$build/tools/mkcity" -q --districts "$out/dense_districts.geojson" \
	--units "$data/lianyungang_units.csv" --seed 1 -o "$out/dense/units.gpkg" \
	--scenario "$out/dense/scenario.ini" $hosts
ini=$out/dense/scenario.ini
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" run "$ini" -o "$out/full.gpkg" --overwrite -q || true
full=$(ogrinfo -q -sql "SELECT count(*) AS n FROM stations" "$out/full.gpkg" |
	sed -n 's/.*n (Integer) = //p')
first=$((full * 488 / 1298))
echo "full plan: $full stations; phases 2025 = $first, 2030 = $full"
start=$(date +%s.%N)
"$bin" run "$ini" -o "$out/phases.gpkg" --overwrite -q \
	--set phases.2025=$first --set phases.2030=$full || true
end=$(date +%s.%N)
echo "two phases: $(echo "$end - $start" | bc) s"
ogrinfo -q -sql "SELECT phase, stations, households, round(share, 4) AS share, bound,
	round(gap, 4) AS gap, full, status FROM summary_phase" "$out/phases.gpkg" |
	sed -n 's/^  \([a-z]*\) ([A-Za-z()]*) = /\1 = /p' | paste -d' ' - - - - - - - -
start=$(date +%s.%N)
"$bin" run "$ini" -o "$out/budget.gpkg" --overwrite -q --set rules.max_stations=600 || true
end=$(date +%s.%N)
echo "max_stations = 600: $(echo "$end - $start" | bc) s"
ogrinfo -q -sql "SELECT objective, bound, gap, status FROM run" "$out/budget.gpkg" |
	sed -n 's/^  \([a-z]*\) ([A-Za-z()]*) = /\1 = /p' | paste -d' ' - - - -
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
