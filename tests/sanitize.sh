#!/usr/bin/env bash
# Run the whole test suite under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer: build everything with
# -DIBX_SANITIZER=address,undefined into build-asan/ and run ctest there.
# The integration tests start real hub, spoke and tool processes from that
# tree, so they run sanitized too.  Those processes often run in the
# background with their stderr in a test's own log, so every sanitizer
# report is also written to build-asan/sanitizer-logs/ (log_path) and any
# report there fails the run even when the test that caused it passed.
# Prints ctest's summary, then the reports.
#
#   ./tests/sanitize.sh                 gcc (the usual compiler)
#   IBX_SANITIZE_CC=clang ./tests/sanitize.sh
#   ./tests/sanitize.sh -R it_          ctest arguments pass through
#
# IBX_SANITIZE_BUILD overrides the build directory.  Exit status: ctest's,
# or 1 when a sanitizer reported anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

./deploy/install-deps.sh
build=${IBX_SANITIZE_BUILD:-build-asan}
cc=${IBX_SANITIZE_CC:-gcc}

# One run per build directory: two would share the PostgreSQL fixture and
# the logs, and stop each other's cluster.
lock=$build/.sanitize.lock
mkdir -p "$build"
if ! mkdir "$lock" 2>/dev/null; then
	holder=$(cat "$lock/pid" 2>/dev/null || true)
	if [ -n "$holder" ] && kill -0 "$holder" 2>/dev/null; then
		echo "sanitize.sh: $build is in use by process $holder (IBX_SANITIZE_BUILD names another directory)" >&2
		exit 1
	fi
	rm -rf "$lock"
	mkdir "$lock"
fi
echo $$ >"$lock/pid"
trap 'rm -rf "$lock"' EXIT
cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DIBX_SANITIZER=address,undefined -DIBX_TEST_HOOKS=ON ${IBX_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
build=$(cd "$build" && pwd)

reports=$build/sanitizer-logs
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error: the first report ends the process (UBSan would go on);
# log_path: each process writes its reports to its own file, PREFIX.PID.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:log_path=$reports/asan
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan
export LSAN_OPTIONS=log_path=$reports/lsan

status=0
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@" \
	>"$build/sanitize-ctest.log" 2>&1 || status=$?
# ctest's summary: the pass rate, each failed test, the total time.
sed -n '/tests passed/,$p' "$build/sanitize-ctest.log"

mapfile -t found < <(find "$reports" -type f -size +0 | sort)
if [ ${#found[@]} -gt 0 ]; then
	echo "sanitize.sh: ${#found[@]} sanitizer reports:"
	for f in "${found[@]}"; do
		echo "== $f"
		grep -E 'ERROR: |runtime error|SUMMARY:|^    #[0-9] ' "$f" | head -20
	done
	[ "$status" -ne 0 ] || status=1
else
	echo "sanitize.sh: no sanitizer reports"
fi
echo "sanitize.sh: ctest log in $build/sanitize-ctest.log"
exit "$status"
