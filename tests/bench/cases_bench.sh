#!/usr/bin/env bash
# The case-record anonymiser against libcsv alone: generate a synthetic
# 1,000,000-row export for one hospital (every row in one month, so every
# row is aggregated), then time bench_cases on it (median of 5 runs each).
#
#   tests/bench/cases_bench.sh [--build DIR] [--rows N] [--runs N] [--keep]
#
# DIR is a configured and built build directory (default build/); the file
# goes to a temporary directory, removed afterwards unless --keep.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
rows=1000000
runs=5
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--rows) rows=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h | --help) sed -n '2,9p' "$0"; exit 0 ;;
	*) echo "cases_bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

datagen=$build/tools/datagen/inbound-datagen
bench=$build/tests/bench/bench_cases
for p in "$datagen" "$bench"; do
	[ -x "$p" ] || { echo "cases_bench.sh: $p is not built" >&2; exit 1; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/ibx-bench.XXXXXX")
[ "$keep" -eq 1 ] || trap 'rm -rf "$dir"' EXIT
"$datagen" cases --hospital 3910118128 --year 2024 --month 3 \
	--rows "$rows" --seed 42 --data "$root/deploy/data" --out "$dir"
file=$dir/synthetic_cases_3910118128_2024-03.csv
echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$bench" "$file" 2024-03 "$runs"
[ "$keep" -eq 0 ] || echo "kept $file"
