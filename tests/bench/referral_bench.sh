#!/usr/bin/env bash
# The referral channel's transfer (issue 15): a package of N MiB (default
# 1024: 1 GiB) sealed by a coordinator's spoke and delivered to the real
# hub over loopback mutual TLS (each chunk an envelope signed, stored in
# the durable outbox, sent, stored in PostgreSQL in one transaction and
# acknowledged with a signed Ack), against the same bytes through a bare
# nng REQ/REP TLS socket pair in the same run (bench_referral base).
# Then the other direction: the hospital's fetch of the same package
# (chunks pulled from the hub, checked, decrypted and verified into a
# folder: more work than the bare pair's, which only moves bytes).
# Prints figures, the ratios and the peak RSS of the hub and the spokes;
# asserts nothing about time (STYLE.md).  Target: ratio >= 0.5.  The
# drain keeps --window chunks in flight (default 4, the agent's; 1: one
# at a time, as before issue 15's speed-up).
#
#   tests/bench/referral_bench.sh [--build BUILD] [--mib N] [--window N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-tests
mib=1024
window=4
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$(cd "$2" && pwd); shift 2 ;;
	--mib) mib=$2; shift 2 ;;
	--window) window=$2; shift 2 ;;
	*) echo "referral_bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
export IBX_BUILD=$build IBX_SOURCE=$root
export IBX_PG_STATE=${IBX_PG_STATE:-$(mktemp -d /tmp/ibx-bench-pg.XXXXXX)}
bash "$root/tests/integration/pg_fixture.sh" start >/dev/null
trap 'bash "$root/tests/integration/pg_fixture.sh" stop >/dev/null 2>&1 || true' EXIT
. "$root/tests/integration/lib.sh"
. "$root/tests/integration/referral_lib.sh"
ref_setup

peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

spoke "$HOSP_A" keys rotate >/dev/null
mkdir -p "$WORK/pkg"
head -c $((mib * 1024 * 1024)) /dev/urandom >"$WORK/pkg/study.raw"
# The key is fetched, then the package sealed; once it is sealed the hub
# is paused, so the refer command queues everything and stops after its
# first unanswered send: the transfer is then the agent's drain alone.
t0=$(date +%s.%N)
REF_TIMEOUT=500 REF_ATTEMPTS=1 spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/pkg" \
	--purpose treatment --nationality CN --age-band 40-49 >"$WORK/refer.log" 2>&1 &
rpid=$!
until grep -q "^package " "$WORK/refer.log" || ! kill -0 "$rpid" 2>/dev/null; do sleep 0.05; done
kill -STOP "$HUB_PID"
wait "$rpid" || true
t1=$(date +%s.%N)
kill -CONT "$HUB_PID"
grep -q "queued" "$WORK/refer.log" || { cat "$WORK/refer.log" >&2; exit 1; }
"$SPOKE_BIN" run --once --outbox "$WORK/$COORD/outbox" --hub "$NNG_URL" --ca "$PKI/ca.pem" \
	--crl "$PKI/crl.pem" --cert "$PKI/issued/$COORD.pem" --key "$PKI/issued/$COORD.key" \
	--timeout 30000 --attempts 3 --window "$window" >"$WORK/drain.log" 2>&1 &
spid=$!
t2=$(date +%s.%N)
spoke_peak=0
while kill -0 "$spid" 2>/dev/null; do
	p=$(peak_kb "$spid")
	[ "${p:-0}" -gt "$spoke_peak" ] && spoke_peak=$p
	sleep 0.2
done
wait "$spid"
t3=$(date +%s.%N)
bytes=$(sql "SELECT package_bytes FROM referrals")
state=$(sql "SELECT state FROM referrals")
id=$(sql "SELECT referral_id FROM referrals")
# The other direction: the hospital fetches the chunks (a window of
# ChunkQuery in flight), checks each, decrypts and verifies the package
# into a folder, and signs 'delivered'.  The hub is the sender here.
t4=$(date +%s.%N)
REF_TIMEOUT=30000 REF_ATTEMPTS=3 spoke "$HOSP_A" inbox --fetch "$id" --out "$WORK/recv" >"$WORK/fetch.log" 2>&1 &
fpid=$!
fetch_peak=0
while kill -0 "$fpid" 2>/dev/null; do
	# spoke is a shell function: the command is the subshell's child.
	for q in $(pgrep -P "$fpid"); do
		p=$(peak_kb "$q")
		[ "${p:-0}" -gt "$fetch_peak" ] && fetch_peak=$p
	done
	sleep 0.2
done
wait "$fpid" || { cat "$WORK/fetch.log" >&2; exit 1; }
t5=$(date +%s.%N)
cmp -s "$WORK/pkg/study.raw" "$WORK/recv/study.raw" || { echo "referral_bench.sh: the fetched package differs" >&2; exit 1; }
rm -rf "$WORK/recv"
hub_peak=$(peak_kb "$HUB_PID")
"$build/tests/bench/bench_referral" base --server-cert "$PKI/hub/hub.pem" --server-key "$PKI/hub/hub.key" \
	--client-cert "$PKI/issued/$COORD.pem" --client-key "$PKI/issued/$COORD.key" --ca "$PKI/ca.pem" \
	--mib "$mib" >"$WORK/base.txt"
cat "$WORK/base.txt"
awk -v b="$bytes" -v s="$t0" -v q="$t1" -v d0="$t2" -v d1="$t3" -v st="$state" -v hp="$hub_peak" -v sp="$spoke_peak" -v w="$window" \
	-v f0="$t4" -v f1="$t5" -v fp="$fetch_peak" \
	-v base="$(sed -n 's/base_mb_per_s=//p' "$WORK/base.txt")" 'BEGIN {
	printf "package_bytes=%d\nstate=%s\nwindow=%d\nseal_and_queue_seconds=%.1f\ntransfer_seconds=%.1f\n", b, st, w, q - s, d1 - d0
	t = b / 1e6 / (d1 - d0)
	printf "transfer_mb_per_s=%.1f\nratio_vs_bare_nng_tls=%.2f\n", t, t / base
	f = b / 1e6 / (f1 - f0)
	printf "fetch_seconds=%.1f\nfetch_mb_per_s=%.1f\nfetch_ratio_vs_bare_nng_tls=%.2f\n", f1 - f0, f, f / base
	printf "hub_peak_rss_mb=%.1f\nspoke_drain_peak_rss_mb=%.1f\nspoke_fetch_peak_rss_mb=%.1f\n", hp / 1024, sp / 1024, fp / 1024 }'
