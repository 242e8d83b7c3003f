# Helpers of the trust tests (issue 14, findings 1 and 2), on top of
# tests/integration/lib.sh: a spoke that keeps its envelope in an outbox,
# and a listener that poses as the hub (ibx-testpeer impostor).

# spoke ARGS: run inbound-spoke; sets OUT (stdout and stderr) and RC.
spoke() {
	set +e
	OUT=$("$SPOKE_BIN" "$@" 2>&1)
	RC=$?
	set -e
}
pending() { find "$1/pending" -name '*.env' 2>/dev/null | wc -l; }
journal_lines() { [ -f "$1/acknowledged.log" ] && wc -l <"$1/acknowledged.log" || echo 0; }

# impostor_start LOG ARGS: ibx-testpeer impostor on a free port, its
# output in LOG; sets IMP_URL and IMP_PID once it listens.
IMP_PIDS=()
# Ports are drawn below the ephemeral range, and a port taken meanwhile
# (tests run in parallel) is retried with another.
impostor_start() {
	local log=$1 i attempt
	shift
	for attempt in 1 2 3 4 5; do
		IMP_URL=tls+tcp://127.0.0.1:$(ibx_free_port 20000 12000)
		"$PEER_BIN" impostor --listen "$IMP_URL" --seconds 60 "$@" >"$log" 2>&1 &
		IMP_PID=$!
		IMP_PIDS+=("$IMP_PID")
		for i in $(seq 1 100); do
			grep -q listening "$log" && return 0
			kill -0 "$IMP_PID" 2>/dev/null || break
			sleep 0.1
		done
		impostor_stop
	done
	cat "$log" >&2
	fail "the impostor did not start"
}
impostor_stop() {
	kill "$IMP_PID" 2>/dev/null || true
	wait "$IMP_PID" 2>/dev/null || true
}
received() { grep -c '^received' "$1" || true; }

# Stop any impostor left running, then lib.sh's cleanup.
trap 'for p in "${IMP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; ibx_cleanup' EXIT

# hub_cert: the hub's own certificate (profile hub) in $PKI/hub.
hub_cert() {
	[ -f "$PKI/hub/hub.pem" ] && return 0
	"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" 0000000000 hub
	mkdir -p "$PKI/hub"
	mv "$PKI/issued/0000000000.pem" "$PKI/hub/hub.pem"
	mv "$PKI/issued/0000000000.key" "$PKI/hub/hub.key"
}
