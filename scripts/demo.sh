#!/bin/sh
# demo.sh BIN: run the bundled example scenario and show where the plan went.
set -eu
bin=${1:-./stationplan}
out=demo/plan.gpkg
mkdir -p demo
echo "stationplan demo: fixtures/demo/scenario.ini -> $out"
rc=0
"$bin" run fixtures/demo/scenario.ini -o "$out" --overwrite || rc=$?
case $rc in
0) echo "demo: plan proven, written to $out (open it in QGIS: every layer is styled)" ;;
3) echo "demo: plan written to $out, but incomplete (see the message above)" ;;
*) echo "demo: failed with exit status $rc" >&2; exit $rc ;;
esac

# The same district walked along a street grid with a river and one bridge
# (fixtures/roads, issue 17): links follow the streets, distances are walks.
out=demo/plan_streets.gpkg
echo "stationplan demo: fixtures/roads/scenario.ini -> $out (walking along the streets)"
rc=0
"$bin" run fixtures/roads/scenario.ini -o "$out" --overwrite || rc=$?
case $rc in
0 | 3) echo "demo: plan along the streets written to $out" ;;
*) echo "demo: failed with exit status $rc" >&2; exit $rc ;;
esac

# The same streets carrying the upper levels too (fixtures/roads/levels.ini):
# a transfer station per street, three sorting centres, flows along the walk.
out=demo/plan_streets_levels.gpkg
echo "stationplan demo: fixtures/roads/levels.ini -> $out (levels along the streets)"
rc=0
"$bin" run fixtures/roads/levels.ini -o "$out" --overwrite || rc=$?
case $rc in
0 | 3) echo "demo: plan with its upper levels along the streets written to $out" ;;
*) echo "demo: failed with exit status $rc" >&2; exit $rc ;;
esac
