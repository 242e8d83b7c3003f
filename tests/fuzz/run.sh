#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/), make the
# seed corpus (make-corpus.sh), replay the saved regressions, and run each
# target for a bounded time.  Prints, per target, the executions, the
# executions per second and what was found; exits 1 when any target crashed,
# leaked, timed out, broke a property or drew a sanitizer report (the input
# is saved under build-fuzz/fuzz-artifacts/TARGET/).
#
#   tests/fuzz/run.sh                     about 60 s in all, split evenly
#   tests/fuzz/run.sh --time 600          600 s in all
#   tests/fuzz/run.sh --runs 10000000 --parallel
#                                         the long run: 10 million
#                                         executions of every target, all
#                                         targets at once
#   tests/fuzz/run.sh fuzz_query ...      only the targets named
#
# IBX_FUZZ_BUILD overrides the build directory.  The corpus each target
# grows is kept in BUILD/fuzz-work/TARGET and used again by the next run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

all_targets=(fuzz_envelope fuzz_listing_payload fuzz_statistics_payload
	fuzz_listing_json fuzz_query fuzz_referral)
total_time=60
runs=
parallel=0
targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--time) total_time=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--parallel) parallel=1; shift ;;
	fuzz_*) targets+=("$1"); shift ;;
	*) echo "usage: run.sh [--time SECONDS | --runs N] [--parallel] [TARGET...]" >&2; exit 2 ;;
	esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# clang and its fuzzer runtime: in Debian 12 libclang-rt-14-dev is only
# recommended (by libclang-common-14-dev), and install-deps.sh installs
# without recommendations.
./deploy/install-deps.sh
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, long n);\nint LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>/dev/null; then
	echo "run.sh: installing libclang-rt-14-dev (the libFuzzer runtime)" >&2
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq libclang-rt-14-dev >/dev/null
fi

build=${IBX_FUZZ_BUILD:-build-fuzz}
# One run per build directory: two would share the corpus and the logs.
lock=$build/.fuzz.lock
mkdir -p "$build"
if ! mkdir "$lock" 2>/dev/null; then
	holder=$(cat "$lock/pid" 2>/dev/null || true)
	if [ -n "$holder" ] && kill -0 "$holder" 2>/dev/null; then
		echo "run.sh: $build is in use by process $holder (IBX_FUZZ_BUILD names another directory)" >&2
		exit 1
	fi
	rm -rf "$lock"
	mkdir "$lock"
fi
echo $$ >"$lock/pid"
trap 'rm -rf "$probe" "$lock"' EXIT
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DIBX_FUZZ=ON -DIBX_SANITIZER=address,undefined -DIBX_UNIT_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${all_targets[@]}" \
	ibx-fuzz-seedgen inbound-spoke inbound-datagen ibx-testpeer >/dev/null
build=$(cd "$build" && pwd)
corpus=$build/fuzz-corpus
tests/fuzz/make-corpus.sh "$build" "$corpus"

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export IBX_FUZZ_CA=$corpus/pki/ca.pem IBX_FUZZ_CRL=$corpus/pki/crl.pem
logs=$build/fuzz-logs
mkdir -p "$logs"

# OpenSSL keeps per-thread state (the error queue's buffers) from one input
# to the next, so most envelope inputs end with more mallocs than frees and
# libFuzzer then runs LeakSanitizer after each; with ASan's default 256 MB
# quarantine to scan that is 20 times slower.  A 1 MB quarantine keeps the
# leak check on every input at full speed (a use after free within one
# input is still caught).
asan_options() {
	case "$1" in
	fuzz_envelope) echo "$ASAN_OPTIONS:quarantine_size_mb=1:thread_local_quarantine_size_kb=64" ;;
	*) echo "$ASAN_OPTIONS" ;;
	esac
}

max_len() {
	case "$1" in
	fuzz_query) echo 4096 ;;
	*) echo 16384 ;;
	esac
}

# run_target NAME: fuzz one target; its log is $logs/NAME.log, its exit
# status $logs/NAME.rc.
run_target() {
	local t=$1 bin=$build/tests/fuzz/$1 art=$build/fuzz-artifacts/$1
	local args=(-print_final_stats=1 -timeout=10 -max_len="$(max_len "$t")"
		-artifact_prefix="$art/")
	local dirs=("$build/fuzz-work/$t" "$corpus/$t")
	[ -d "tests/fuzz/seeds/$t" ] && dirs+=("$root/tests/fuzz/seeds/$t")
	[ -f "tests/fuzz/dicts/$t.dict" ] && args+=(-dict="$root/tests/fuzz/dicts/$t.dict")
	if [ -n "$runs" ]; then
		args+=(-runs="$runs")
	else
		args+=(-max_total_time="$per_target")
	fi
	mkdir -p "$art" "$build/fuzz-work/$t" "$corpus/$t"
	rm -f "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*
	set +e
	ASAN_OPTIONS=$(asan_options "$t") "$bin" "${args[@]}" "${dirs[@]}" \
		>"$logs/$t.log" 2>&1
	echo $? >"$logs/$t.rc"
	set -e
}

# A saved regression is an input that once crashed a target: it must not
# crash it any more.
status=0
for t in "${targets[@]}"; do
	files=()
	[ -d "tests/fuzz/regressions/$t" ] &&
		mapfile -t files < <(find "tests/fuzz/regressions/$t" -type f | sort)
	[ ${#files[@]} -gt 0 ] || continue
	if "$build/tests/fuzz/$t" "${files[@]}" >"$logs/$t.regressions.log" 2>&1; then
		echo "run.sh: $t: ${#files[@]} saved regressions pass"
	else
		echo "run.sh: $t: a saved regression still fails; see $logs/$t.regressions.log" >&2
		grep -m3 -E 'ERROR: |runtime error|property broken' "$logs/$t.regressions.log" >&2 || true
		status=1
	fi
done

per_target=$(((total_time + ${#targets[@]} - 1) / ${#targets[@]}))
[ "$parallel" -eq 1 ] && per_target=$total_time
if [ -n "$runs" ]; then
	echo "run.sh: ${targets[*]}: $runs executions each"
else
	echo "run.sh: ${targets[*]}: ${per_target} s each"
fi
if [ "$parallel" -eq 1 ]; then
	pids=()
	for t in "${targets[@]}"; do
		run_target "$t" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid"; done
else
	for t in "${targets[@]}"; do run_target "$t"; done
fi

final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }
printf '%-24s %12s %9s %6s  %s\n' target executions exec/s new result
for t in "${targets[@]}"; do
	log=$logs/$t.log
	rc=$(cat "$logs/$t.rc")
	found=$(find "$build/fuzz-artifacts/$t" -type f \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | head -1)
	if [ "$rc" -eq 0 ] && [ -z "$found" ] &&
		! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
		result="nothing found"
	else
		result="FOUND (exit $rc) ${found:-see $log}"
		status=1
	fi
	printf '%-24s %12s %9s %6s  %s\n' "$t" "$(final_stat number_of_executed_units "$log")" \
		"$(final_stat average_exec_per_sec "$log")" "$(final_stat new_units_added "$log")" "$result"
done
if [ "$status" -ne 0 ]; then
	echo "run.sh: findings above; logs in $logs" >&2
	for t in "${targets[@]}"; do
		grep -m2 -E 'ERROR: |runtime error|property broken' "$logs/$t.log" | sed "s/^/$t: /" >&2 || true
	done
fi
exit "$status"
