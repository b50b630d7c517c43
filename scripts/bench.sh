#!/bin/sh
# bench.sh BIN BUILD: time stationplan on the benchmark cities against the
# textbook baseline, and check its bounds (`make bench`).
#
# Cities (scripts/mkcities.sh makes them in BUILD/cities when missing or
# stale): the three real cities (default layout), the same at city-centre
# density (<city>-dense), synthetic dense cores of 1,000 and 2,000
# communities (core1000, core2000)
# and, with SP_BENCH_SET=full, a 20,000-community metropolis (metro20000).
# SP_BENCH_ONLY=REGEX keeps the cities whose name matches (grep -E).
#
# For each city and each objective (min_stations, min_distance):
#   1. `BIN run` under /usr/bin/time -v: stations, status, seconds, peak
#      memory; from the plan's `run` layer urban_stations, urban_bound,
#      urban_gap and, for min_distance, urban_walk_gap (`n/a` when the
#      solver does not write the field);
#   2. with SP_BENCH_LONG=SECONDS, the same run with that time limit: its
#      plan is another plan the bound must not beat (when it has no more
#      underfilled stations: the bound covers those plans only).
# For each city once:
#   3. the baseline: BUILD/tools/baseline writes the compact textbook model
#      (stations, then walking as a tie-break) as MPS, and glpsol solves it
#      with the scenario's time limit (SP_BENCH_TMLIM overrides); its urban
#      stations are the integer part of its objective;
#   4. the compact model's LP bound: the same MPS with the walking terms
#      removed (stations alone), solved by glpsol --nomip --interior (the
#      simplex does not finish the 2,000-community core in minutes) with
#      SP_BENCH_LPLIM seconds (default 300);
#   5. when the city has streets (BUILD/cities/<city>/roads.gpkg, made by
#      mkcity --roads), a min_stations run walking along them
#      (input.roads, roads_noded = true, walkable field), the row
#      "min_st+roads"; a binary without input.roads says so in a note.
# Then per row: `valid` says no plan of any method with no more underfilled
# stations than the row's run (the plans its bound covers) has fewer urban
# stations than urban_bound (min_stations rows) or less walking than
# urban_walk_bound (min_distance rows): the run's own plan, the other
# objective's run's, the baseline's and the long run's; ok(N) counts them;
# `strong` says urban_bound >= ceil(LP bound of the compact model).
# BUILD/tools/reachstat, when built, adds the sites and reach stages alone.
# Prints one aligned table, then the machine.
set -eu
bin=${1:-./stationplan}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
timer=${SP_TIME:-/usr/bin/time}
set_=${SP_BENCH_SET:-quick}
work=$build/bench

# What a fresh machine may lack, said before any work.
[ -x "$timer" ] || {
	echo "bench: '$timer' not found: make bench needs GNU time (Debian package 'time'; make deps installs it)" >&2
	exit 1
}
case $set_ in quick|full) ;; *) echo "bench: SP_BENCH_SET='$set_': expected quick or full" >&2; exit 1 ;; esac
[ -x "$bin" ] || { echo "bench: '$bin' not built" >&2; exit 1; }
[ -x "$build/tools/baseline" ] || { echo "bench: '$build/tools/baseline' not built (make tools)" >&2; exit 1; }
command -v glpsol >/dev/null || { echo "bench: glpsol not found (apt-get install glpk-utils)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 not found (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p "$work"
"$root/scripts/mkcities.sh" "$build" "$set_" >&2

# field after a label on the line that contains it: val FILE PATTERN FIELD#
val() { grep -m1 -- "$2" "$1" | awk -v f="$3" '{ print $f }'; }
# runfield PLAN FIELD: the field of the plan's run row, or n/a
# pct X: a fraction as a percentage with two decimals, n/a and - as they are
pct() {
	case "$1" in
	n/a | - | "") echo "${1:-n/a}" ;;
	*) awk -v v="$1" 'BEGIN { printf "%.2f", 100 * v }' ;;
	esac
}
runfield() {
	if sqlite3 "$1" "SELECT name FROM pragma_table_info('run')" 2>/dev/null | grep -qx "$2"; then
		v=$(sqlite3 "$1" "SELECT $2 FROM run LIMIT 1" 2>/dev/null)
		echo "${v:-n/a}"
	else
		echo n/a
	fi
}
# num X: X when it is a number, else empty
num() { case $1 in *[0-9]*) echo "$1" ;; *) echo "" ;; esac }

rows=$work/rows.txt
: > "$rows"
: > "$work/reach.txt"
: > "$work/notes.txt"
for scen in "$build"/cities/*/scenario.ini; do
	city=$(basename "$(dirname "$scen")")
	case $city in metro*) [ "$set_" = full ] || continue ;; esac
	if [ -n "${SP_BENCH_ONLY:-}" ] && ! echo "$city" | grep -Eq -- "$SP_BENCH_ONLY"; then
		continue
	fi
	tlim=${SP_BENCH_TMLIM:-$(sed -n 's/^ *time_limit_s *= *\([0-9.]*\).*/\1/p' "$scen" | head -1)}
	tlim=${tlim:-60}

	# the baseline and the LP bound of the compact model, once per city
	mps=$work/$city.mps
	bl=$("$build/tools/baseline" "$scen" -o "$mps")
	glog=$work/$city.glpsol.txt
	gsol=$work/$city.glpsol.sol
	gtm=$work/$city.glpsol.time.txt
	"$timer" -v -o "$gtm" glpsol --freemps "$mps" --tmlim "${tlim%.*}" -o "$gsol" > "$glog" 2>&1 || true
	gsec=$(awk '/Time used:/ { print $3 }' "$glog" | tail -1)
	grss=$(awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$gtm")
	gobj=$(grep '^+' "$glog" | tail -1 | sed 's/.*mip = *\([^ ]*\) .*/\1/')
	case $gobj in
	not*|"") bst=- ;;
	*) bst=$(awk -v o="$gobj" 'BEGIN { printf "%d", int(o + 1e-6) }') ;;
	esac
	# stations alone: drop the objective entries of the binary (pair) columns
	lpmps=$work/$city.lp.mps
	awk 'NR == FNR { if ($1 == "UP" && $4 == 1) pair[$3] = 1; next }
	     /^ROWS/ { rows = 1 } rows && $1 == "N" && !obj { obj = $2 }
	     /^COLUMNS/ { cols = 1 } /^RHS/ { cols = 0 }
	     cols && ($1 in pair) && $2 == obj { if (NF > 3) print " " $1, $4, $5; next }
	     { print }' "$mps" "$mps" > "$lpmps"
	llog=$work/$city.lp.txt
	glpsol --freemps "$lpmps" --nomip --interior --tmlim "${SP_BENCH_LPLIM:-300}" > "$llog" 2>&1 || true
	lp=$(awk '/^ *[0-9]+: obj =/ { v = $0 } END { print v }' "$llog" | sed 's/.*obj = *\([^;]*\);.*/\1/')
	grep -q "^OPTIMAL SOLUTION FOUND" "$llog" || lp=-
	lpb=-
	[ "$lp" = - ] || lpb=$(awk -v l="$lp" 'BEGIN { c = int(l - 1e-4); if (c < l - 1e-4) c++; print c }')

	if [ -x "$build/tools/reachstat" ]; then
		echo "$city $("$build/tools/reachstat" "$scen" 2>/dev/null || echo -)" >> "$work/reach.txt"
	fi

	roads=$(dirname "$scen")/roads.gpkg
	objs="min_stations min_distance"
	[ -f "$roads" ] && objs="$objs min_st+roads"
	for obj in $objs; do
		tag=$city.$obj
		out=$work/$tag.gpkg
		log=$work/$tag.run.txt
		tm=$work/$tag.time.txt
		rc=0
		if [ "$obj" = min_st+roads ]; then
			"$timer" -v -o "$tm" "$bin" run "$scen" -o "$out" --overwrite \
				--set rules.objective=min_stations --set input.roads="$(cd "$(dirname "$roads")" && pwd)/roads.gpkg" \
				--set input.roads_layer=roads --set input.roads_walkable_field=walkable \
				--set input.roads_noded=true > "$log" 2>&1 || rc=$?
			if [ -z "$(val "$log" "  stations " 2)" ]; then
				why=$(grep -m1 -i "roads" "$log" || grep -m1 . "$log")
				echo "$city: no run along the streets (exit $rc): $why" >> "$work/notes.txt"
				continue
			fi
		else
			"$timer" -v -o "$tm" "$bin" run "$scen" -o "$out" --overwrite \
				--set rules.objective=$obj > "$log" 2>&1 || rc=$?
		fi
		stations=$(val "$log" "  stations " 2)
		[ -n "$stations" ] || { echo "bench: $tag: run failed (exit $rc):" >&2; cat "$log" >&2; exit 1; }
		pairs=$(grep -m1 "  candidates " "$log" | sed 's/.*, \([0-9]*\) unit-site pairs.*/\1/')
		status=$(grep -m1 "  solver " "$log" | awk '{ print $2 }' | tr -d ,)
		total=$(grep -m1 "  seconds " "$log" | sed 's/.*total //')
		stages=$(grep -m1 "  seconds " "$log" | sed 's/^ *seconds *//; s/, total.*//; s/ \([0-9][0-9.]*\)/=\1/g; s/ /,/g')
		rss=$(awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$tm")
		ust=$(runfield "$out" urban_stations)
		# before the solver writes the field: the summary's urban count, marked
		[ "$ust" != n/a ] || ust=$(grep -m1 "  stations " "$log" | sed -n 's/.*(\([0-9]*\) urban.*/\1*/p')
		ust=${ust:-n/a}
		ubd=$(runfield "$out" urban_bound)
		ugap=$(pct "$(runfield "$out" urban_gap)")
		wgap=n/a
		wbd=n/a
		if [ $obj = min_distance ]; then
			wgap=$(pct "$(runfield "$out" urban_walk_gap)")
			wbd=$(runfield "$out" urban_walk_bound)
		fi

		# valid: no plan of any method beats the bound (decided per city once
		# every objective has run: the other objective's plan is one more)
		under=$(grep -m1 "  stations " "$log" | sed -n 's/.*, \([0-9]*\) underfilled.*/\1/p')
		uwalk=$(runfield "$out" urban_walk)
		longst=n/a
		longwalk=n/a
		lunder=
		if [ -n "${SP_BENCH_LONG:-}" ] && [ "$obj" != min_st+roads ]; then
			lout=$work/$tag.long.gpkg
			"$bin" run "$scen" -o "$lout" --overwrite --set rules.objective=$obj \
				--set solver.time_limit_s="$SP_BENCH_LONG" > "$work/$tag.long.txt" 2>&1 || true
			longst=$(runfield "$lout" urban_stations)
			longwalk=$(runfield "$lout" urban_walk)
			lunder=$(grep -m1 "  stations " "$work/$tag.long.txt" | sed -n 's/.*, \([0-9]*\) underfilled.*/\1/p')
		fi
		# plans: method stations walk underfilled (n/a when unknown)
		plans=$work/$tag.plans.txt
		# plan METHOD STATIONS WALK UNDERFILLED: one line, - for what is unknown
		plan() { echo "$1 ${2:--} ${3:--} ${4:--}"; }
		{
			plan own "$(num "$ust" | tr -d '*')" "$(num "$uwalk")" "$under"
			[ "$obj" = min_st+roads ] || plan baseline "$(num "$bst")"
			plan long "$(num "$longst")" "$(num "$longwalk")" "$lunder"
		} > "$plans"
		bnum=$(num "$ubd")
		wnum=$(num "$wbd")
		echo "$obj ${bnum:--} ${wnum:--} ${under:--}" > "$work/$tag.bound.txt"
		valid=VALID
		# strong: at least the compact model's LP bound (stations)
		strong=$(awk -v obj=$obj -v b="$(num "$ubd")" -v l="$lpb" 'BEGIN {
			if (obj == "min_st+roads") { print "-"; exit }
			if (b == "" || l == "-") print "-"
			else if (b + 1e-6 >= l) print "ok"
			else print "NO(lp=" l ")" }')
		printf '%s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$city" "$obj" \
			"$stations" "$ust" "$ubd" "$ugap" "$wgap" "$status" "$total" "$rss" "$bst" \
			"${gsec:--}" "${grss:--}" "$lpb" "$valid" "$strong" "$stages" "$longst" "${pairs:--}" >> "$rows"
	done
	# valid, per row of this city: every plan any method wrote for it (this
	# run's, the baseline's, the longer run's, the other objective's run)
	# that has no more underfilled stations than this run (the bound covers
	# those plans only) must not beat the bound: stations for min_stations
	# rows, walking for min_distance rows; ok(N) = N plans checked
	for obj in min_stations min_distance min_st+roads; do
		bf=$work/$city.$obj.bound.txt
		[ -f "$bf" ] || continue
		others=$work/$city.$obj.plans.txt
		for o in min_stations min_distance; do
			if [ "$o" != "$obj" ] && [ "$obj" != min_st+roads ] && [ -f "$work/$city.$o.plans.txt" ]; then
				others="$others $work/$city.$o.plans.txt"
			fi
		done
		v=$(awk -v obj="$obj" 'NR == 1 { b = $2; wb = $3; u = $4; next }
		     FNR == 1 { f++ }
		     f > 1 && $1 == "baseline" { next }
		     { m = (f == 1 ? "" : "other_") $1 }
		     $2 == "-" && $3 == "-" { next }
		     $4 != "-" && u != "-" && $4 + 0 > u + 0 { next }
		     obj != "min_distance" && b != "-" && $2 != "-" {
		         n++; if ($2 + 0 < b - 1e-6) bad = bad m "=" $2 " " }
		     obj == "min_distance" && wb != "-" && $3 != "-" {
		         n++; if ($3 + 0 < wb - 1e-6 * (1 + wb)) bad = bad m "_walk=" $3 " " }
		     END { if (bad != "") { sub(/ $/, "", bad); print "NO(" bad ")" }
		           else if (n > 0) print "ok(" n ")"; else print "-" }' \
			"$bf" $others)
		awk -v c="$city" -v o="$obj" -v v="$v" '$1 == c && $2 == o && $15 == "VALID" { $15 = v } { print }' \
			"$rows" > "$rows.tmp" && mv "$rows.tmp" "$rows"
		rm -f "$bf"
	done
	rm -f "$work/$city".*.plans.txt
done

fmt='%-17s %-12s %8s %6s %8s %8s %8s %-11s %7s %7s  %7s %7s %6s %6s %-10s %-8s\n'
printf "$fmt" city objective stations urban u_bound u_gap% walkgap% status seconds peakMB \
	bl_urb bl_sec bl_MB lp_bnd valid strong
awk -v f="$fmt" '{ printf f, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 }' "$rows"
echo
echo "stage seconds (ours), unit-site pairs in reach:"
awk '{ printf "  %-17s %-12s %s pairs=%s\n", $1, $2, $17, $19 }' "$rows"
if [ -s "$work/notes.txt" ]; then
	echo "notes:"
	sed 's/^/  /' "$work/notes.txt"
fi
if [ -s "$work/reach.txt" ]; then
	echo "reachstat (sites + reach stages alone):"
	sed 's/^/  /' "$work/reach.txt"
fi
rm -f "$work/reach.txt"
echo
echo "urban = run.urban_stations (with * the summary line's urban count: the field is not written by"
echo "this solver), u_bound = run.urban_bound, u_gap% = run.urban_gap (n/a: not written by this"
echo "solver); walkgap% = run.urban_walk_gap (min_distance). bl_urb = urban stations of the"
echo "compact textbook model (tools/baseline) solved by glpsol with the same time limit (- when it"
echo "found no integer plan); lp_bnd = ceil(its LP bound on stations alone, glpsol --nomip --interior)."
echo "min_st+roads: min_stations walking along the generated streets (input.roads, roads_noded)."
echo "valid = no plan with no more underfilled stations beats the bound: this run's, the other"
echo "objective's run's, the baseline's (min_stations) and, with SP_BENCH_LONG, a longer run's; count"
echo "checked); strong = u_bound >= lp_bnd. SP_BENCH_SET=$set_ (full adds metro20000)."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
