#!/usr/bin/env bash
# The hub remembers a spoke's verified certificate (proto/crypto/certcache.c), yet
# a revocation still takes effect at the next message: at the hub
# (inboundctl revoke) at once, and in the national CA's CRL once the hub
# reloads it on SIGHUP.  Nothing is stored for the refused messages.
. "$(dirname "$0")/lib.sh"
db_create
A=3910118128 B=3910110438
identity $A
identity $B
hub_start

listing_for() { edit_json "$EXAMPLE" "$WORK/$1.$2.json" ".organisation_code = \"$1\" | .beds = $2"; echo "$WORK/$1.$2.json"; }
stored() { sql "SELECT count(*) FROM listing_versions WHERE org_code = '$1'"; }

# Twice each: the second is verified through the cache.
for n in 1 2; do
	forge "$WORK/a.env" $A --listing "$(listing_for $A $n)" --seq $n
	assert_contains "$(send "$WORK/a.env")" "status=accepted version=$n" "$A update $n accepted"
	forge "$WORK/b.env" $B --listing "$(listing_for $B $n)" --seq $n
	assert_contains "$(send "$WORK/b.env")" "status=accepted version=$n" "$B update $n accepted"
done

# Revoked at the hub: refused at once, though its certificate is cached.
"$CTL_BIN" revoke --db "$DSN" --cert "$PKI/issued/$B.pem" >/dev/null
forge "$WORK/b.env" $B --listing "$(listing_for $B 3)" --seq 3
assert_contains "$(send "$WORK/b.env")" "status=certificate revoked" "revoked at the hub: refused"
assert_eq "$(stored $B)" 2 "nothing stored after the hub's revocation"

# Revoked by the CA: accepted until the hub reloads the CRL, refused after.
"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/issued/$A.pem"
kill -HUP "$HUB_PID"
# the hub logs the reload once it is done
for _ in $(seq 1 100); do
	grep -q "reloading the CA and CRL" "$WORK/hub.log" && break
	sleep 0.1
done
forge "$WORK/a.env" $A --listing "$(listing_for $A 3)" --seq 3
assert_contains "$(send "$WORK/a.env")" "status=certificate revoked" "revoked in the reloaded CRL: refused"
assert_eq "$(stored $A)" 2 "nothing stored after the CRL's revocation"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE status <> 1")" 2 "both refusals logged"
hub_alive || fail "the hub stopped"
pass "cert cache: revocation at the hub and by CRL reload take effect"
