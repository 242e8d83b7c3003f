#!/usr/bin/env bash
# Run every test: install what is missing, build with warnings as errors,
# and run the unit, integration and style tests through ctest (which starts
# its own throwaway PostgreSQL cluster).  Ends with ctest's summary line.
#
#   ./tests/run.sh             everything
#   ./tests/run.sh -R REGEX    only the tests whose names match
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

./deploy/install-deps.sh
./deploy/install-web.sh --tests
./tests/openapi/install.sh
build=${IBX_TEST_BUILD:-build-tests}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIBX_WERROR=ON -DIBX_TEST_HOOKS=ON \
	${IBX_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
