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
