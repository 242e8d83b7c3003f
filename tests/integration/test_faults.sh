#!/usr/bin/env bash
# Fault injection (tests/faults/run.sh): spokes publishing through two hubs
# while a hub, a spoke or PostgreSQL is killed with SIGKILL each round;
# then the checker: lost 0, duplicated 0, statistics equal to the last
# accepted submission; and the checker is shown to catch tampering.
# IBX_FAULT_ROUNDS (default 20) and IBX_FAULT_SEED choose the run; the
# long run is tests/faults/run.sh --rounds 200 (docs/faults.md).
set -euo pipefail
: "${IBX_BUILD:?run through ctest}" "${IBX_SOURCE:?}"
exec "$IBX_SOURCE/tests/faults/run.sh" --build "$IBX_BUILD" --tamper \
	--rounds "${IBX_FAULT_ROUNDS:-20}" ${IBX_FAULT_SEED:+--seed "$IBX_FAULT_SEED"}
