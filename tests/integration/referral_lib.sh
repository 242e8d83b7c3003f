# Helpers of the referral tests (tests/integration/test_referral_*.sh,
# tests/security/test_referral_*.sh): a hub over mutual TLS with the test's
# national CA, organisations of each role, and inbound-spoke's referral
# commands run as one of them with its own state folder and outbox.
# Source it after lib.sh.

# The organisations of the tests: two receiving hospitals, a coordinator
# and a partner (a hospital abroad).
HOSP_A=1310000001
HOSP_B=1310000002
COORD=2000000001
PARTNER=3000000001
DICOM=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm

# ref_setup: a fresh database, the CA, the hub on tls+tcp:// and the four
# organisations issued and enrolled.
ref_setup() {
	db_create
	identity "$HOSP_A" hospital >/dev/null 2>&1
	identity "$HOSP_B" hospital >/dev/null 2>&1
	identity "$COORD" coordinator >/dev/null 2>&1
	identity "$PARTNER" partner >/dev/null 2>&1
	hub_start_tls "$@"
}

# spoke CODE COMMAND [args]: inbound-spoke COMMAND as organisation CODE,
# with its state folder and outbox under $WORK/CODE.
spoke() {
	local code=$1 cmd=$2
	shift 2
	"$SPOKE_BIN" "$cmd" "$@" --hub "$NNG_URL" --ca "$PKI/ca.pem" \
		--crl "$PKI/crl.pem" --cert "$PKI/issued/$code.pem" \
		--key "$PKI/issued/$code.key" --state "$WORK/$code/state" \
		--outbox "$WORK/$code/outbox" --timeout "${REF_TIMEOUT:-10000}" \
		--attempts "${REF_ATTEMPTS:-2}"
}

# make_package DIR MARKER [MIB]: a case folder: a summary with MARKER, the
# pydicom test CT (a real DICOM file) and MIB MiB (default 3) of random
# imaging, so the package takes several 1 MiB chunks.
make_package() {
	local dir=$1 marker=$2 mib=${3:-3}
	[ -f "$DICOM" ] || fail "no DICOM test file at $DICOM (python3-pydicom, deploy/install-deps.sh)"
	mkdir -p "$dir/imaging/ct"
	printf 'Case summary\nPatient: 54 y, hepatocellular carcinoma, staging CT attached.\n%s\n' "$marker" >"$dir/summary.txt"
	cp "$DICOM" "$dir/imaging/ct/CT_small.dcm"
	head -c $((mib * 1024 * 1024 + 12345)) /dev/urandom >"$dir/imaging/series.raw"
	printf 'referral note %s\n' "$marker" >>"$dir/imaging/series.raw"
}

# sums DIR: "SHA-256  relative name" of every file, sorted.
sums() {
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# referral_id OUTPUT: the id a refer command printed.
referral_id() {
	echo "$1" | sed -n 's/^referral \([0-9a-f]\{32\}\) to .*/\1/p' | head -1
}

# wait_for WHAT COMMAND: up to 60 s until COMMAND succeeds.
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 1 1200); do
		"$@" && return 0
		sleep 0.05
	done
	fail "timed out waiting for $what"
}

# kill9 PID: SIGKILL to a background job and the spoke it runs (the job
# is the subshell of the spoke function; the spoke its child), then wait
# until they are gone (a process in the middle of an fsync dies when it
# returns).
kill9() {
	local kids k i
	kids=$(pgrep -P "$1" || true)
	# shellcheck disable=SC2086
	kill -9 $kids "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for k in $kids; do
		for i in $(seq 1 200); do
			kill -0 "$k" 2>/dev/null || break
			sleep 0.05
		done
	done
}

# partial_chunks: the chunks at the hub of the coordinator's referrals
# still receiving; hub_has N: at least N of them.
partial_chunks() { sql "SELECT coalesce(sum(chunks_stored), 0) FROM referrals WHERE referrer = '$COORD' AND state = 'receiving'"; }
hub_has() { [ "$(partial_chunks)" -ge "$1" ]; }
