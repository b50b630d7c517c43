#!/bin/sh
# mkcities.sh BUILD: generate the three full cities (every district, seed 1)
# into BUILD/cities/<city>/{units.gpkg,households.csv,scenario.ini,
# scenario_join.ini,README.md} with BUILD/tools/mkcity. A city whose outputs
# are newer than the tool and its inputs is skipped. Prints one line per city
# with its counts and the generation time. The city data is found beside the
# checkout (../shared/data/cities) unless SP_CITIES names another folder.
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${SP_CITIES:-$root/../shared/data/cities}
tool=$build/tools/mkcity
seed=1

[ -x "$tool" ] || { echo "mkcities: '$tool' not built (make tools)" >&2; exit 1; }
for city in liaocheng lianyungang yinchuan; do
	districts=$data/${city}_districts.geojson
	units=$data/${city}_units.csv
	out=$build/cities/$city
	[ -f "$districts" ] && [ -f "$units" ] ||
		{ echo "mkcities: '$data': no data for $city" >&2; exit 1; }
	fresh=1
	for f in units.gpkg households.csv scenario.ini scenario_join.ini README.md; do
		for src in "$tool" "$districts" "$units"; do
			[ -f "$out/$f" ] && [ "$out/$f" -nt "$src" ] || fresh=0
		done
	done
	if [ $fresh = 1 ]; then
		echo "mkcities: $city: up to date in $out"
		continue
	fi
	mkdir -p "$out"
	start=$(date +%s.%N)
	"$tool" -q --districts "$districts" --units "$units" --seed $seed \
		-o "$out/units.gpkg" --csv "$out/households.csv" --readme "$out/README.md" \
		--scenario "$out/scenario.ini" --scenario-join "$out/scenario_join.ini"
	end=$(date +%s.%N)
	# The README's last table row is the city total.
	sed -n 's/^| all | | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) | \([0-9]*\) |.*/\1 \2 \3 \4/p' \
		"$out/README.md" | {
		read -r n c v h
		awk -v c="$city" -v n="$n" -v k="$c" -v v="$v" -v h="$h" -v s="$start" -v e="$end" \
			'BEGIN { printf "mkcities: %s: %s units (%s communities, %s villages), %s households, %.2f s\n", c, n, k, v, h, e - s }'
	}
done
