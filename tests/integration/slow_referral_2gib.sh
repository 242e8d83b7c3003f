#!/usr/bin/env bash
# Issue 15: a 2 GiB package crosses (coordinator -> hub -> hospital) with
# the peak RSS of the hub and of each spoke process under 64 MB, and
# arrives byte-identical.  It runs by default (about 6 GiB of disk at the
# peak; minutes): IBX_SKIP_SLOW=1 (or IBX_SLOW=0) skips it, and so does a
# $TMPDIR with less than IBX_2GIB_DISK_GIB (default 8) GiB free, each with
# status 77 and the reason.  ctest keeps it apart from the sanitizer suite
# and the 2 GiB package unit test (RESOURCE_LOCK big_disk,
# tests/CMakeLists.txt).  The spokes' peaks are their own VmHWM, read
# while they run; the hub's after the transfer.
#
# The cost is kept down (docs/referrals.md has the figures): the 2 GiB
# are AES-CTR keystream from openssl (several times /dev/urandom's speed
# here), hashed while written rather than read again; the original is
# deleted once sent, so the original, the hub's copy and the receiver's
# chunks and files are never all on disk at once.
if [ "${IBX_SKIP_SLOW:-0}" = 1 ] || [ "${IBX_SLOW:-1}" = 0 ]; then
	echo "skipped: IBX_SKIP_SLOW=1 (or IBX_SLOW=0) leaves out the 2 GiB transfer"
	exit 77
fi
free_gib=$(($(df -Pk "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $4}') / 1024 / 1024))
if [ "$free_gib" -lt "${IBX_2GIB_DISK_GIB:-8}" ]; then
	echo "skipped: ${TMPDIR:-/tmp} has $free_gib GiB free, the 2 GiB transfer needs ${IBX_2GIB_DISK_GIB:-8}"
	exit 77
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
LIMIT_KB=$((64 * 1024))
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "keys rotate"
mkdir -p "$WORK/pkg"
printf 'Case summary: a whole-body study, 2 GiB.\n' >"$WORK/pkg/summary.txt"
cp "$DICOM" "$WORK/pkg/CT_small.dcm"
T0=$(date +%s)
# 2 GiB of AES-128-CTR keystream under a random key: incompressible, and
# hashed on the way to the disk.
{ openssl enc -aes-128-ctr -nosalt -K "$(openssl rand -hex 16)" -iv 00000000000000000000000000000000 \
	</dev/zero 2>/dev/null || true; } | head -c $((2048 * 1024 * 1024)) |
	tee >(sha256sum | cut -d' ' -f1 >"$WORK/study.sha256") >"$WORK/pkg/study.raw"
for i in $(seq 1 100); do [ -s "$WORK/study.sha256" ] && break; sleep 0.1; done
[ "$(stat -c %s "$WORK/pkg/study.raw")" = $((2048 * 1024 * 1024)) ] || fail "the 2 GiB file was not written"
T1=$(date +%s)

# run_peak LOG CMD...: run CMD in the background, sample its VmHWM every
# 0.2 s, print the peak in kB.
run_peak() {
	local log=$1 pid peak=0 p
	shift
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		p=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		[ "${p:-0}" -gt "$peak" ] && peak=$p
		sleep 0.2
	done
	wait "$pid" || { cat "$log" >&2; fail "$* failed"; }
	echo "$peak"
}
refer_kb=$(run_peak "$WORK/refer.log" "$SPOKE_BIN" refer --to "$HOSP_A" --package "$WORK/pkg" --purpose treatment \
	--nationality CN --age-band 40-49 --hub "$NNG_URL" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
	--cert "$PKI/issued/$COORD.pem" --key "$PKI/issued/$COORD.key" --state "$WORK/$COORD/state" \
	--outbox "$WORK/$COORD/outbox" --timeout 60000 --attempts 3)
ID=$(referral_id "$(cat "$WORK/refer.log")")
assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" sent "2 GiB referral sent"
T2=$(date +%s)
# The original has crossed: keep its hash, free its 2 GiB.
(cd "$WORK/pkg" && sha256sum summary.txt CT_small.dcm) >"$WORK/small.sha256"
rm -f "$WORK/pkg/study.raw"
fetch_kb=$(run_peak "$WORK/fetch.log" "$SPOKE_BIN" inbox --fetch "$ID" --out "$WORK/recv" --hub "$NNG_URL" \
	--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --cert "$PKI/issued/$HOSP_A.pem" --key "$PKI/issued/$HOSP_A.key" \
	--state "$WORK/$HOSP_A/state" --outbox "$WORK/$HOSP_A/outbox" --timeout 60000 --attempts 3)
hub_kb=$(awk '/VmHWM/ {print $2}' "/proc/$HUB_PID/status")
T3=$(date +%s)
echo "peak RSS: refer $((refer_kb / 1024)) MB, inbox --fetch $((fetch_kb / 1024)) MB, hub $((hub_kb / 1024)) MB"
[ "$refer_kb" -lt "$LIMIT_KB" ] || fail "the sending spoke peaked at $refer_kb kB"
[ "$fetch_kb" -lt "$LIMIT_KB" ] || fail "the receiving spoke peaked at $fetch_kb kB"
[ "$hub_kb" -lt "$LIMIT_KB" ] || fail "the hub peaked at $hub_kb kB"
pass "hub and spokes each under 64 MB"
assert_eq "$(sha256sum <"$WORK/recv/study.raw" | cut -d' ' -f1)" "$(cat "$WORK/study.sha256")" "the 2 GiB file arrives byte-identical"
assert_eq "$(cd "$WORK/recv" && sha256sum -c "$WORK/small.sha256" 2>&1 | grep -c ': OK$')" 2 "the summary and the DICOM file arrive byte-identical"
assert_eq "$(cd "$WORK/recv" && find . -type f | wc -l)" 3 "the package's three files, no more"
T4=$(date +%s)
echo "wall time: generate $((T1 - T0)) s, refer (seal, queue, send) $((T2 - T1)) s, fetch (pull, decrypt, verify, write) $((T3 - T2)) s, check $((T4 - T3)) s"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks")" 0 "no ciphertext left at the hub"
