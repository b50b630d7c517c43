#!/bin/sh
# demo.sh BIN: run the bundled example scenarios and show where the plans went.
set -eu
bin=${1:-./stationplan}
mkdir -p demo

# demo SCENARIO OUT WHAT OK-MESSAGE [STRICT]: plan SCENARIO into OUT. With
# STRICT, exit 3 (written but not proven) is reported as incomplete;
# without, it counts as written (the street runs are not asked to prove).
demo() {
	echo "stationplan demo: $1 -> $2$3"
	rc=0
	"$bin" run "$1" -o "$2" --overwrite || rc=$?
	case $rc in
	0) echo "demo: $4" ;;
	3) if [ -n "${5:-}" ]; then
		echo "demo: plan written to $2, but incomplete (see the message above)"
	   else
		echo "demo: $4"
	   fi ;;
	*) echo "demo: failed with exit status $rc" >&2; exit $rc ;;
	esac
}

demo fixtures/demo/scenario.ini demo/plan.gpkg "" \
	"plan proven, written to demo/plan.gpkg (open it in QGIS: every layer is styled)" strict

# The same district walked along a street grid with a river and one bridge
# (fixtures/roads, issue 17): links follow the streets, distances are walks.
demo fixtures/roads/scenario.ini demo/plan_streets.gpkg " (walking along the streets)" \
	"plan along the streets written to demo/plan_streets.gpkg"

# The same streets carrying the upper levels too (fixtures/roads/levels.ini):
# a transfer station per street, three sorting centres, flows along the walk.
demo fixtures/roads/levels.ini demo/plan_streets_levels.gpkg " (levels along the streets)" \
	"plan with its upper levels along the streets written to demo/plan_streets_levels.gpkg"
