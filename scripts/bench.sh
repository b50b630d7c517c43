#!/bin/sh
# bench.sh BIN BUILD: time stationplan on the three generated cities against
# the textbook baseline (`make bench`).
#
# For each city of BUILD/cities (made by scripts/mkcities.sh when missing):
#   1. `BIN run` under /usr/bin/time -v: units, stations, bound, gap, the
#      seconds of every stage and the peak resident memory;
#   2. BUILD/tools/reachstat, when built: sites, pairs, seconds, peak memory;
#   3. the baseline: BUILD/tools/baseline writes the compact textbook model of
#      the same instance as MPS and glpsol solves it with the scenario's own
#      time limit (SP_BENCH_TMLIM overrides it); its stations are the integer
#      part of its objective plus the villages, which it leaves out.
# Prints one aligned table, then the machine. "speed-up" is the baseline's
# seconds over ours when it reached our station count, else ">" the ratio
# at its time limit.
set -eu
bin=${1:-./stationplan}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$build/bench
mkdir -p "$work"

[ -x "$bin" ] || { echo "bench: '$bin' not built" >&2; exit 1; }
[ -x "$build/tools/baseline" ] || { echo "bench: '$build/tools/baseline' not built (make tools)" >&2; exit 1; }
command -v glpsol >/dev/null || { echo "bench: glpsol not found (apt-get install glpk-utils)" >&2; exit 1; }
# (re)generate the cities: mkcities.sh skips a city whose files are newer
# than the generator and the source data
"$root/scripts/mkcities.sh" "$build" >&2

# field after a label on the line that contains it: val FILE PATTERN FIELD#
val() { grep -m1 -- "$2" "$1" | awk -v f="$3" '{ print $f }'; }

rows=$work/rows.txt
: > "$rows"
for scen in "$build"/cities/*/scenario.ini; do
	city=$(basename "$(dirname "$scen")")
	out=$work/$city.gpkg
	log=$work/$city.run.txt
	tm=$work/$city.time.txt
	rc=0
	/usr/bin/time -v -o "$tm" "$bin" run "$scen" -o "$out" --overwrite > "$log" 2>&1 || rc=$?
	units=$(val "$log" "  units " 2)
	stations=$(val "$log" "  stations " 2)
	urban=$(grep -m1 "  stations " "$log" | sed 's/.*(\([0-9]*\) urban.*/\1/')
	under=$(grep -m1 "  stations " "$log" | sed 's/.*, \([0-9]*\) underfilled.*/\1/')
	bound=$(grep -m1 "  solver " "$log" | sed 's/.*bound \([^,]*\),.*/\1/')
	objective=$(grep -m1 "  solver " "$log" | sed 's/.*objective \([^,]*\),.*/\1/')
	gap=$(grep -m1 "  solver " "$log" | sed 's/.*gap \([^%]*\)%.*/\1/')
	status=$(grep -m1 "  solver " "$log" | awk '{ print $2 }' | tr -d ,)
	stages=$(grep -m1 "  seconds " "$log" | sed 's/^ *seconds *//; s/, total.*//; s/ \([0-9][0-9.]*\)/=\1/g; s/ /,/g')
	total=$(grep -m1 "  seconds " "$log" | sed 's/.*total //')
	rss=$(awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$tm")
	[ -n "$units" ] || { echo "bench: $city: run failed (exit $rc):" >&2; cat "$log" >&2; exit 1; }

	reachline=-
	if [ -x "$build/tools/reachstat" ]; then
		reachline=$("$build/tools/reachstat" "$scen" 2>/dev/null || echo -)
	fi

	tlim=${SP_BENCH_TMLIM:-$(sed -n 's/^ *time_limit_s *= *\([0-9.]*\).*/\1/p' "$scen" | head -1)}
	tlim=${tlim:-60}
	mps=$work/$city.mps
	bl=$("$build/tools/baseline" "$scen" -o "$mps")
	villages=$(echo "$bl" | awk '{ for (i = 1; i < NF; i++) if ($i == "villages") print $(i + 1) }')
	bsec=$(echo "$bl" | awk '{ for (i = 1; i < NF; i++) if ($i == "seconds") print $(i + 1) }')
	glog=$work/$city.glpsol.txt
	gsol=$work/$city.glpsol.sol
	gtm=$work/$city.glpsol.time.txt
	/usr/bin/time -v -o "$gtm" glpsol --freemps "$mps" --tmlim "${tlim%.*}" -o "$gsol" > "$glog" 2>&1 || true
	gsec=$(awk '/Time used:/ { print $3 }' "$glog" | tail -1)
	grss=$(awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$gtm")
	gstat=$(awk '/^Status:/ { print $2 "_" $3; exit }' "$gsol" 2>/dev/null || echo -)
	gobj=$(grep '^+' "$glog" | tail -1 | sed 's/.*mip = *\([^ ]*\) .*/\1/' )
	gbnd=$(grep '^+' "$glog" | tail -1 | sed 's/.*>= *\([^ ]*\) .*/\1/')
	case $gbnd in
	*[0-9]*) gbnd=$(awk -v b="$gbnd" -v v="$villages" 'BEGIN { printf "%.2f", b + v }') ;;
	*) gbnd=- ;;
	esac
	case $gobj in
	not*|"") bst=-; gobj=- ;;
	*) bst=$(awk -v o="$gobj" -v v="$villages" 'BEGIN { printf "%d", int(o + 1e-6) + v }') ;;
	esac
	ours_urban_total=$stations
	if [ "$bst" != - ] && [ "$bst" -le "$ours_urban_total" ]; then
		speed=$(awk -v a="$gsec" -v b="$total" 'BEGIN { printf "<=%.0fx", a / b }')
	else
		speed=$(awk -v a="$gsec" -v b="$total" 'BEGIN { printf ">%.0fx", a / b }')
	fi
	printf '%s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$city" "$units" "$stations" \
		"$urban" "$under" "$objective/$bound" "$gap" "$status" "$total" "$rss" "$stages" "$bst" "$gbnd" \
		"$gsec" "$grss" "$gstat" "$speed" >> "$rows"
	[ "$reachline" = - ] || echo "$city $reachline" >> "$work/reach.txt"
done

printf '%-12s %6s %8s %6s %6s %18s %7s %-9s %7s %7s  %-9s %10s %7s %7s %-18s %8s\n' \
	city units stations urban under objective/bound gap% status seconds peakMB \
	baseline bl_bound bl_sec bl_MB bl_status speed-up
awk '{ printf "%-12s %6s %8s %6s %6s %18s %7s %-9s %7s %7s  %-9s %10s %7s %7s %-18s %8s\n",
	$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $13, $14, $15, $16, $17 }' "$rows"
echo
echo "stage seconds (ours):"
awk '{ printf "  %-12s %s\n", $1, $11 }' "$rows"
if [ -f "$work/reach.txt" ]; then
	echo "reachstat (sites + reach stages alone):"
	sed 's/^/  /' "$work/reach.txt"
	rm -f "$work/reach.txt"
fi
echo
echo "baseline = compact textbook model (tools/baseline) solved by glpsol with the same time limit;"
echo "its stations = integer part of its objective + villages (one each, not in the model), bl_bound likewise;"
echo "our objective = stations + walking term (< 1) + a penalty of (parts + existing + 1) per avoidably"
echo "underfilled station (minimised first); bound = proven lower bound on it"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
