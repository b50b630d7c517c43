#!/bin/sh
# Run each libFuzzer harness for a while: scripts/fuzz.sh BUILD SECONDS OPTS TARGET...
#
# The corpus of each target lives in BUILD/fuzz-corpus/TARGET, seeded from
# fixtures/ (scenario: every .ini; units: GeoJSON and CSV fixtures, each
# prefixed with the mode byte of tests/fuzz/fuzz_units.c; plan: a small plan
# GeoPackage) and from fixtures/fuzz/TARGET (kept reproducers). A crash,
# leak, timeout or sanitizer report stops that target with libFuzzer's
# non-zero status, its input saved as BUILD/fuzz-crash/TARGET-crash-*; the
# script then exits 1 after running the others. Copy a reproducer into
# fixtures/fuzz/TARGET/ and tests/cu_fuzz.c replays it in `make check`.
set -u
build=$1 seconds=$2 opts=$3
shift 3
mkdir -p "$build/fuzz-crash"
failed=""
for t in "$@"; do
	corpus="$build/fuzz-corpus/$t"
	mkdir -p "$corpus"
	case $t in
	scenario)
		for f in fixtures/*/*.ini fixtures/*/*/*.ini; do
			[ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"
		done ;;
	units)
		for f in fixtures/bad/*.geojson fixtures/e2e/*.geojson; do
			[ -f "$f" ] && { printf '\000'; cat "$f"; } > "$corpus/seed-$(echo "$f" | tr '/' '_')"
		done
		printf '\001WKT,code,name,households,kind,district,street\n"POLYGON((106 38,106.01 38,106.01 38.01,106 38))",c1,甲社区,3000,community,d,s\n' \
			> "$corpus/seed-units.csv"
		for f in fixtures/bad/households*.csv; do
			[ -f "$f" ] && { printf '\002'; cat "$f"; } > "$corpus/seed-$(echo "$f" | tr '/' '_')"
		done ;;
	plan)
		cp fixtures/fuzz/seed-plan.gpkg "$corpus/seed-plan.gpkg" ;;
	esac
	[ -d "fixtures/fuzz/$t" ] && cp fixtures/fuzz/"$t"/* "$corpus/" 2>/dev/null
	echo "fuzz $t: $seconds s"
	# leaks are checked; GDAL's one-time driver set-up is not a leak
	# per input, which is what libFuzzer's -detect_leaks reports
	if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/fuzz-$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz-crash/$t-" \
		$opts "$corpus" 2> "$build/fuzz-$t.log"; then
		failed="$failed $t"
		tail -40 "$build/fuzz-$t.log"
	fi
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' \
		"$build/fuzz-$t.log" | tr '\n' ' '
	echo
done
if [ -n "$failed" ]; then
	echo "fuzz: crash or sanitizer report in:$failed (see $build/fuzz-crash/)" >&2
	exit 1
fi
