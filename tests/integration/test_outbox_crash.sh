#!/usr/bin/env bash
# A spoke that dies in the middle of its outbox delivers exactly once on
# restart.  IBX_SPOKE_CRASH_AT (docs/spoke-agent.md, "Crash points")
# makes it _exit(137), as SIGKILL would, at two points:
#   after-rename  the envelope renamed into pending/, its directory not
#                 yet fsynced, nothing sent: run --once sends it;
#   after-ack     the hub's Ack read, the envelope not yet unlinked:
#                 run --once sends it again, the hub answers "duplicate"
#                 and stores nothing, and the envelope leaves pending/.
# Each for publish --outbox and for the agent (run --once); and an
# envelope left in tmp/ (its write cut short) is removed, never sent.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
# The crash points exist only in a build with -DIBX_TEST_HOOKS=ON (as
# tests/run.sh builds); a spoke without them would never crash here.
case "$("$SPOKE_BIN" --version)" in
*"test hooks"*) ;;
*) fail "$SPOKE_BIN has no test hooks: configure with -DIBX_TEST_HOOKS=ON" ;;
esac
identity $H >/dev/null
hub_start
NET=(--hub "$NNG_URL" --insecure-tcp --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 3000 --attempts 2)

# crash POINT ARGS: run inbound-spoke ARGS crashing at POINT; sets OUT, RC.
crash() {
	local point=$1
	shift
	set +e
	OUT=$(IBX_SPOKE_CRASH_AT=$point "$SPOKE_BIN" "$@" 2>&1)
	RC=$?
	set -e
}
# spoke ARGS: run inbound-spoke ARGS; sets OUT and RC.
spoke() {
	set +e
	OUT=$("$SPOKE_BIN" "$@" 2>&1)
	RC=$?
	set -e
}
only_pending() { # DIR: the sequence of the one pending envelope
	local files
	mapfile -t files < <(find "$1/pending" -name '*.env' -printf '%f\n')
	[ "${#files[@]}" -eq 1 ] || fail "expected one pending envelope in $1, found ${#files[@]}"
	echo $((10#${files[0]%.env}))
}
rows() { # SEQ OUTCOME: message_log rows of ours with that outcome
	sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND sequence = $1 AND outcome = '$2'"
}
empty_outbox() { # DIR WHAT
	assert_eq "$(find "$1/pending" "$1/tmp" -type f | wc -l)" 0 "$2: pending/ and tmp/ empty"
}
n=0
listing() { # LISTING: a new listing file, unlike every one before
	n=$((n + 1))
	LISTING=$WORK/l$n.json
	edit_json "$EXAMPLE" "$LISTING" ".name.en = \"Kochi Health Sciences Center $n\""
}

for via in publish agent; do
	for point in after-rename after-ack; do
		OB=$WORK/outbox-$via-$point
		what="$via, $point"
		listing
		if [ $via = publish ]; then
			crash $point publish --listing "$LISTING" --outbox "$OB" "${NET[@]}"
		else
			crash $point run --once --outbox "$OB" --listing "$LISTING" "${NET[@]}"
		fi
		assert_eq "$RC" 137 "$what: the spoke crashed"
		assert_contains "$OUT" "IBX_SPOKE_CRASH_AT=$point" "$what: at the crash point"
		seq=$(only_pending "$OB")
		if [ $point = after-rename ]; then
			assert_eq "$(rows "$seq" accepted)" 0 "$what: nothing sent before the crash"
		else
			assert_eq "$(rows "$seq" accepted)" 1 "$what: accepted before the crash"
		fi

		spoke run --once --outbox "$OB" "${NET[@]}"
		assert_eq "$RC" 0 "$what: the restart delivers and exits 0"
		assert_eq "$(rows "$seq" accepted)" 1 "$what: stored exactly once"
		if [ $point = after-ack ]; then
			assert_eq "$(rows "$seq" duplicate)" 1 "$what: the replay was answered as a duplicate"
			assert_eq "$(jq -r .last_ack.status "$OB/status.json")" duplicate "$what: status.json shows the duplicate Ack"
		fi
		empty_outbox "$OB" "$what"
		assert_eq "$(find "$OB/rejected" -type f | wc -l)" 0 "$what: nothing rejected"
	done
done

# The agent's own restart after a crash after the Ack: the listing is not
# sealed again (its fingerprint was stored before the send).
OB=$WORK/outbox-agent-after-ack
before=$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H'")
spoke run --once --outbox "$OB" --listing "$LISTING" "${NET[@]}"
assert_eq "$RC" 0 "agent restart with its listing: exit 0"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H'")" "$before" "agent restart: the listing is not sent again"

# An envelope whose write was cut short (still in tmp/) is never sent.
OB=$WORK/outbox-torn
mkdir -p "$OB/tmp"
listing
spoke seal --listing "$LISTING" --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --out "$OB/tmp/00000000000000000001.env"
assert_eq "$RC" 0 "an envelope sealed into tmp/"
before=$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H'")
spoke run --once --outbox "$OB" "${NET[@]}"
assert_eq "$RC" 0 "run --once over a torn outbox: exit 0"
assert_contains "$OUT" "removed 1 unfinished file (never sent)" "the leftover is reported"
empty_outbox "$OB" "torn write"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H'")" "$before" "the leftover was not sent"
