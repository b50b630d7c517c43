#!/bin/sh
# bench_national.sh: the simulated nation planned as shards with GNU parallel
# (make bench-national; not part of make check).
#
#   scripts/bench_national.sh BIN BUILD [SCALE] [SHARDS] [JOBS]
#
# 1. tools/mknation writes BUILD/nation-SCALE/units.gpkg (SCALE 1 = 115,000
#    communities and 2.5 million villages over 300 districts; reused when
#    newer than the tool) and its scenario;
# 2. the cut is made once (`stationplan shards ... -o cut`, the whole input
#    read and built once, JOBS threads), then the nation is planned as
#    SHARDS shards (default 2) with --cut, JOBS at a time (default 2) by GNU
#    parallel, each reading and building only its own units, each under
#    /usr/bin/time, with stage times and peak memory after each stage
#    (stationplan -v notes); SP_NO_CUT=1 plans the shards without the cut
#    (each reads and builds the whole input);
# 3. the shards are merged; then, unless SP_NO_SINGLE=1, one unsharded run
#    (threads = JOBS) for comparison.
# Prints a table per shard (seconds and peak MiB after read, sites, reach,
# solve, write; wall seconds and max RSS of the process) and the totals.
# Environment: SP_BENCH_LIMIT_S (default 3600) caps every run with timeout(1).
set -eu
bin=${1:?usage: bench_national.sh BIN BUILD [SCALE] [SHARDS] [JOBS]}
build=${2:?usage}
scale=${3:-1}
shards=${4:-2}
jobs=${5:-2}
limit=${SP_BENCH_LIMIT_S:-3600}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/nation-$scale
mkdir -p "$dir"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

if [ ! -f "$dir/units.gpkg" ] || [ "$build/tools/mknation" -nt "$dir/units.gpkg" ]; then
	/usr/bin/time -f "%e %M" -o "$dir/gen.time" \
		"$build/tools/mknation" -q --scale "$scale" -o "$dir/units.gpkg" --scenario "$dir/scenario.ini"
	read -r s m <"$dir/gen.time"
	echo "bench-national: generated $(ogrinfo -q "$dir/units.gpkg" -sql 'SELECT COUNT(*) FROM units' | sed -n 's/.*= //p') units in $s s, peak $((m / 1024)) MiB"
fi

# one run: stage notes to LOG.err, process time/RSS to LOG.time
run_one() { # name, extra args...
	name=$1
	shift
	set +e
	/usr/bin/time -f "%e %M" -o "$dir/$name.time" timeout "$limit" \
		"$bin" -v run "$dir/scenario.ini" -o "$dir/$name.gpkg" --overwrite "$@" \
		>"$dir/$name.out" 2>"$dir/$name.err"
	echo $? >"$dir/$name.rc"
	set -e
}

row() { # name
	name=$1
	rc=$(cat "$dir/$name.rc" 2>/dev/null || echo -)
	t=$(cat "$dir/$name.time" 2>/dev/null | tail -1)
	awk -v n="$name" -v rc="$rc" -v t="$t" '
		/^(stationplan: )?(read|sites|reach|cut|solve|write): [0-9.]+ s, peak memory/ {
			sub(/^stationplan: /, ""); st = $1; sub(/:$/, "", st)
			s[st] = $2; m[st] = $6 }
		END {
			split(t, tt, " ")
			printf "%-10s %3s", n, rc
			k = split("read sites reach cut solve write", names, " ")
			for (i = 1; i <= k; i++)
				printf " %7s %6s", (names[i] in s) ? s[names[i]] : "-", (names[i] in m) ? m[names[i]] : "-"
			printf " %8s %7d\n", tt[1], tt[2] / 1024 }' "$dir/$name.err"
}

header() {
	printf "%-10s %3s" run rc
	for s in read sites reach cut solve write; do printf " %7s %6s" "$s/s" MiB; done
	printf " %8s %7s\n" wall/s maxMiB
}

echo "bench-national: $shards shards, $jobs at a time (machine shared: timings are noisy)"
start=$(date +%s.%N)
cutarg=
if [ "${SP_NO_CUT:-0}" != 1 ]; then
	set +e
	/usr/bin/time -f "%e %M" -o "$dir/cut.time" timeout "$limit" "$bin" -v shards \
		"$dir/scenario.ini" "$shards" -o "$dir/cut" --threads "$jobs" \
		>"$dir/cut.out" 2>"$dir/cut.err"
	echo $? >"$dir/cut.rc"
	set -e
	cutarg="--cut $dir/cut"
fi
cend=$(date +%s.%N)
export bin dir limit
seq 1 "$shards" | parallel -j "$jobs" --joblog "$dir/joblog" \
	"/usr/bin/time -f '%e %M' -o $dir/shard-{}.time timeout $limit $bin -v run $dir/scenario.ini \
	--shard {}/$shards $cutarg -o $dir/shard-{}.gpkg --overwrite --threads 1 >$dir/shard-{}.out \
	2>$dir/shard-{}.err; echo \$? >$dir/shard-{}.rc" || true
end=$(date +%s.%N)
files=
for k in $(seq 1 "$shards"); do files="$files $dir/shard-$k.gpkg"; done
mstart=$(date +%s.%N)
# shellcheck disable=SC2086
/usr/bin/time -f "%e %M" -o "$dir/merge.time" "$bin" -q merge "$dir/merged.gpkg" $files --overwrite ||
	echo "bench-national: merge failed" >&2
mend=$(date +%s.%N)
header
[ -n "$cutarg" ] && row cut
for k in $(seq 1 "$shards"); do row "shard-$k"; done
awk -v a="$start" -v e="$cend" -v b="$end" -v c="$mstart" -v d="$mend" -v m="$(cut -d' ' -f2 "$dir/merge.time" 2>/dev/null || echo 0)" \
	'BEGIN { printf "cut %.1f s; shards wall %.1f s; merge %.1f s, %d MiB; total %.1f s\n", e - a, b - e, d - c, m / 1024, d - a }'

if [ "${SP_NO_SINGLE:-0}" != 1 ]; then
	run_one single --threads "$jobs"
	row single
fi
