#!/usr/bin/env bash
# inbound-spoke publish --batch (issue 18, the main job): many
# organisations' listings from one process, each as its own publish would
# send it: its own key, its own mutual-TLS connection with its own
# certificate.  The proof that each line makes its own connection: in one
# batch a revoked certificate and one of another CA get no TLS session
# (exit 3 for them), while the lines before and after them are accepted
# over their own; a malformed line is skipped and said; the status is the
# first failure's.
. "$(dirname "$0")/lib.sh"
db_create
A=3910118201 B=3910118202 C=3910118203 R=3910118204 X=3910118205
for code in $A $B $C $R $X; do
	identity $code
	edit_json "$EXAMPLE" "$WORK/$code.json" ".organisation_code = \"$code\" | .name.ja = \"病院$code\""
done >/dev/null
"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/issued/$R.pem" >/dev/null
"$IBX_SOURCE/deploy/pki/ca-init.sh" "$WORK/rogue" >/dev/null
"$IBX_SOURCE/deploy/pki/issue.sh" "$WORK/rogue" $X hospital >/dev/null
hub_start_tls

i=$PKI/issued
cat >"$WORK/batch" <<LINES
# listing certificate key
$WORK/$A.json $i/$A.pem $i/$A.key
$WORK/$R.json $i/$R.pem $i/$R.key
$WORK/$B.json $i/$B.pem $i/$B.key

$WORK/$X.json $WORK/rogue/issued/$X.pem $WORK/rogue/issued/$X.key
only-one-path
$WORK/$C.json $i/$C.pem $i/$C.key
LINES
set +e
out=$("$SPOKE_BIN" publish --batch "$WORK/batch" --hub "$NNG_URL" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
	--timeout 1500 --attempts 1 2>&1)
rc=$?
set -e
echo "$out"
assert_eq "$rc" 3 "the status is the first failure's: the revoked certificate's no answer"
for code in $A $B $C; do
	assert_contains "$out" "$WORK/$code.json: listing $code accepted as version 1" "$code accepted over its own connection"
done
assert_eq "$(grep -c 'no answer from the hub' <<<"$out")" 2 "the revoked certificate and the other CA's get no TLS session"
assert_contains "$out" "line 7: want \"LISTING CERT KEY\"" "a malformed line is named"
assert_eq "$(sql "SELECT string_agg(org_code, ' ' ORDER BY org_code) FROM hospital_listings")" "$A $B $C" \
	"the three listings are stored, none of the refused"
assert_eq "$(sql "SELECT string_agg(DISTINCT sender_id, ' ' ORDER BY sender_id) FROM message_log")" "$A $B $C" \
	"each signed by its own organisation"

# the same lines from standard input, all good: status 0, duplicates
grep -E "$A|$B|$C" "$WORK/batch" | "$SPOKE_BIN" publish --batch - --hub "$NNG_URL" --ca "$PKI/ca.pem" \
	--crl "$PKI/crl.pem" --timeout 1500 --attempts 1 >"$WORK/again" 2>&1 || fail "batch from standard input: $(cat "$WORK/again")"
assert_eq "$(grep -c ' accepted as version ' "$WORK/again")" 3 "three listings again from standard input"

# --batch takes no identity of its own
set +e
out=$("$SPOKE_BIN" publish --batch "$WORK/batch" --cert "$i/$A.pem" --hub "$NNG_URL" 2>&1)
rc=$?
set -e
assert_eq "$rc" 2 "--batch with --cert is a usage error"
assert_contains "$out" "each line names its own" "and says why"
pass "publish --batch"
