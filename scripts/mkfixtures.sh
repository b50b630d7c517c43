#!/bin/sh
# mkfixtures.sh BUILD: regenerate fixtures/demo/ from the real city data with
# the generator built in BUILD (BUILD/tools/mkcity). Deterministic: running it
# again writes the same bytes. The demo is Yinchuan's 兴庆区 (640104): 148
# units, a dense core of 105 communities, towns and villages around it, and
# its street network (roads.gpkg: streets, a river with bridges, an expressway).
# The city data is found beside the checkout (../shared/data/cities) unless
# SP_CITIES names another folder.
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${SP_CITIES:-$root/../shared/data/cities}
tool=$build/tools/mkcity
out=$root/fixtures/demo
seed=1
district=640104

[ -x "$tool" ] || { echo "mkfixtures: '$tool' not built (make tools)" >&2; exit 1; }
[ -f "$data/yinchuan_units.csv" ] || { echo "mkfixtures: '$data': no city data" >&2; exit 1; }
mkdir -p "$out"
"$tool" -q --districts "$data/yinchuan_districts.geojson" --units "$data/yinchuan_units.csv" \
	--seed $seed --district $district \
	-o "$out/units.gpkg" --csv "$out/households.csv" --readme "$out/README.md" \
	--roads "$out/roads.gpkg" \
	--scenario "$out/scenario.ini" --scenario-join "$out/scenario_join.ini"
echo "mkfixtures: wrote $out (seed $seed, district $district)"
