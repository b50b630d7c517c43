#!/bin/sh
# mkcities.sh BUILD [quick|full]: generate the benchmark cities with
# BUILD/tools/mkcity (seed 1) into BUILD/cities/<name>/{units.gpkg,
# households.csv,scenario.ini,scenario_join.ini,README.md[,roads.gpkg]}:
#   liaocheng, lianyungang, yinchuan   the three real cities, default layout
#   <city>-dense                       the same cities at city-centre density
#                                      (--density dense), with streets
#   core1000, core2000                 synthetic dense cores of 1,000 and 2,000
#                                      communities (--synthetic N), streets
#                                      (the targets of issues 11 and 17 are
#                                      stated for 1,000 communities)
#   metro20000                         (full only) a synthetic metropolis of
#                                      20,000 communities; streets only with
#                                      SP_BENCH_METRO_ROADS=1 (1 million lines,
#                                      minutes and over 1 GiB to make)
# The set is the second argument, else SP_BENCH_SET, else quick. A city
# whose outputs are newer than the tool and its inputs is skipped. Prints one
# line per city with its counts, the generation seconds and peak memory. The
# real data is found beside the checkout (../shared/data/cities) unless
# SP_CITIES names another folder.
set -eu
build=${1:-build}
set_=${2:-${SP_BENCH_SET:-quick}}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${SP_CITIES:-$root/../shared/data/cities}
tool=$build/tools/mkcity
timer=${SP_TIME:-/usr/bin/time}
seed=1

[ -x "$tool" ] || { echo "mkcities: '$tool' not built (make tools)" >&2; exit 1; }
case $set_ in quick|full) ;; *) echo "mkcities: set '$set_': expected quick or full" >&2; exit 1 ;; esac

# make NAME SOURCES -- MKCITY-OPTIONS: generate BUILD/cities/NAME unless fresh
make_city() {
	name=$1
	srcs=$2
	shift 2
	out=$build/cities/$name
	files="units.gpkg households.csv scenario.ini scenario_join.ini README.md"
	case " $* " in *" --roads "*) files="$files roads.gpkg" ;; esac
	fresh=1
	for f in $files; do
		for src in "$tool" $srcs; do
			[ -f "$out/$f" ] && [ "$out/$f" -nt "$src" ] || fresh=0
		done
	done
	if [ $fresh = 1 ]; then
		echo "mkcities: $name: up to date in $out"
		return 0
	fi
	mkdir -p "$out"
	rm -f "$out/roads.gpkg"
	args=""
	for a in "$@"; do
		case $a in roads.gpkg) a=$out/roads.gpkg ;; esac
		args="$args $a"
	done
	tm=$out/.time.txt
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	if [ -x "$timer" ]; then
		"$timer" -v -o "$tm" "$tool" -q $args --seed $seed \
			-o "$out/units.gpkg" --csv "$out/households.csv" --readme "$out/README.md" \
			--scenario "$out/scenario.ini" --scenario-join "$out/scenario_join.ini"
	else
		: > "$tm"
		"$tool" -q $args --seed $seed \
			-o "$out/units.gpkg" --csv "$out/households.csv" --readme "$out/README.md" \
			--scenario "$out/scenario.ini" --scenario-join "$out/scenario_join.ini"
	fi
	end=$(date +%s.%N)
	mb=$(awk -F: '/Maximum resident/ { printf "%.0f MB", $2 / 1024 }' "$tm")
	roads=-
	[ -f "$out/roads.gpkg" ] && roads=$(sed -n 's/^\([0-9]*\) lines, \([0-9]*\) of them bridges.*/\1 street lines, \2 bridges/p' "$out/README.md")
	# The README's last table row is the city total.
	sed -n 's/^| all | | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) |.*/\1 \2 \3 \4/p' \
		"$out/README.md" | {
		read -r n c v h
		awk -v c="$name" -v n="$n" -v k="$c" -v v="$v" -v h="$h" -v s="$start" -v e="$end" \
			-v m="${mb:-n/a}" -v r="$roads" \
			'BEGIN { printf "mkcities: %s: %s units (%s communities, %s villages), %s households, %s, %.2f s, peak %s\n", c, n, k, v, h, r, e - s, m }'
	}
}

for city in liaocheng lianyungang yinchuan; do
	districts=$data/${city}_districts.geojson
	units=$data/${city}_units.csv
	[ -f "$districts" ] && [ -f "$units" ] ||
		{ echo "mkcities: '$data': no data for $city" >&2; exit 1; }
	make_city "$city" "$districts $units" --districts "$districts" --units "$units"
	make_city "$city-dense" "$districts $units" --districts "$districts" --units "$units" \
		--density dense --roads roads.gpkg
done
make_city core1000 "" --synthetic 1000 --roads roads.gpkg
make_city core2000 "" --synthetic 2000 --roads roads.gpkg
if [ "$set_" = full ]; then
	if [ "${SP_BENCH_METRO_ROADS:-0}" = 1 ]; then
		make_city metro20000 "" --synthetic 20000 --roads roads.gpkg
	else
		make_city metro20000 "" --synthetic 20000
	fi
fi
