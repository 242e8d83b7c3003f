#!/usr/bin/env bash
# Issue 14, finding 5 (the nng port): nng allocates a frame's whole
# announced length (up to 4 MiB) when its header arrives, so any peer with
# a certificate, revoked ones included while the CRL is old, could park a
# partial 4 MiB frame per connection.  The hub's port now lets at most
# --max-busy connections have a request in flight; the rest are not read
# until a slot frees.  Twenty peers each parking 3 MB of a 4 MiB frame
# cost the hub about 60 MB without the bound (--max-busy 100) and a
# fraction of it with --max-busy 2.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
identity $H >/dev/null
hub_cert
# The hub and its guard processes (proto/transport/guard.c) together.
rss() { for p in $HUB_PID $(pgrep -P "$HUB_PID"); do awk '/VmRSS/ {print $2}' "/proc/$p/status"; done | awk '{ s += $1 } END { print s }'; }
# slowloris PORT: mutual TLS, nng's SP header, a 4 MiB frame header, 3 MB
# of the frame, then silence.
slowloris() {
	( printf '\x00SP\x00\x00\x30\x00\x00'; sleep 0.5
	  printf '\x00\x00\x00\x00\x00\x40\x00\x00'; sleep 0.5
	  head -c 3000000 /dev/zero; sleep 15 ) |
		openssl s_client -connect "127.0.0.1:$1" -cert "$PKI/issued/$H.pem" \
			-key "$PKI/issued/$H.key" -CAfile "$PKI/ca.pem" -quiet >/dev/null 2>&1
}
grow() {
	local before after pids=() i
	before=$(rss)
	for i in $(seq 1 20); do slowloris "$NNG_PORT" & pids+=($!); done
	sleep 10
	after=$(rss)
	for i in "${pids[@]}"; do kill "$i" 2>/dev/null || true; done
	wait "${pids[@]}" 2>/dev/null || true
	echo $((after - before))
}
hub_start_tls --max-busy 100
unbounded=$(grow)
hub_start_tls --max-busy 2
bounded=$(grow)
echo "20 peers each parking 3 MB of a 4 MiB frame: hub RSS +$unbounded kB with --max-busy 100, +$bounded kB with --max-busy 2"
[ "$unbounded" -gt 40000 ] || fail "the attack did not work without the bound (+$unbounded kB): the test cannot tell"
pass "without the bound the partial frames cost +$unbounded kB"
[ "$bounded" -lt 25000 ] || fail "with --max-busy 2 the partial frames cost +$bounded kB"
pass "with --max-busy 2 they cost +$bounded kB"
