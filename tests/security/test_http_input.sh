#!/usr/bin/env bash
# Issue 14, finding 5 (HTTP) and 6 (CSP): input the API cannot pass on
# faithfully is refused with its own status and audited, never a 503, a
# dropped connection or a silently cut value; a connection flood from one
# address is capped without a log line per connection; every answer
# carries a Content-Security-Policy with frame-ancestors 'none'.
# The attacks, as reproduced against the demo before the fix:
#   invalid UTF-8 in a query      -> 503 and no audit entry
#   a NUL in a value              -> the value cut at the NUL
#   "Bearer <token>\0junk"        -> accepted as the token
#   a request with a body         -> the connection dropped
. "$(dirname "$0")/../integration/lib.sh"
db_create
hub_start
audit_last() { sql "SELECT status || ' ' || coalesce(role, '-') || ' ' || coalesce(client, '-') || ' ' || params
	FROM audit_log ORDER BY id DESC LIMIT 1"; }
entries() { sql "SELECT count(*) FROM audit_log"; }

# 1. Invalid UTF-8 in a query: 400, audited with the byte escaped.
get "/api/v1/hospitals?prefecture=%ff%fe"
assert_eq "$STATUS" 400 "invalid UTF-8 in a query value"
assert_contains "$BODY" "not UTF-8" "the answer says why"
assert_eq "$(audit_last)" '400 - 127.0.0.1 prefecture=\xff\xfe' "audited, escaped, with the client address"
get "/api/v1/hospitals?%c0%af=1"
assert_eq "$STATUS" 400 "an overlong UTF-8 form in a parameter name"

# 2. A NUL in a value: 400, not a value cut at the NUL.
n=$(entries)
get "/api/v1/hospitals?prefecture=39%00junk"
assert_eq "$STATUS" 400 "a NUL in a query value"
assert_eq "$(entries)" $((n + 1)) "audited"
assert_contains "$(audit_last)" 'prefecture=39' "the audit keeps what was sent up to the cap"

# 3. A token with "\0junk" appended: refused, never accepted as the token.
raw_get() { # PATH AUTH-VALUE (printf format: \0 for a NUL): the status line
	exec {fd}<>"/dev/tcp/127.0.0.1/$HTTP_PORT"
	# shellcheck disable=SC2059
	printf "GET $1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: $2\r\nConnection: close\r\n\r\n" >&$fd
	timeout 5 head -n 1 <&$fd | tr -d '\r'
	exec {fd}>&-
}
assert_contains "$(raw_get /api/v1/me "Bearer $TOKEN")" " 200" "the token itself is accepted (raw request)"
line=$(raw_get /api/v1/me "Bearer $TOKEN\\0junk")
case "$line" in
*" 200"*) fail "a token with \\0junk appended was accepted: $line" ;;
*" 400"*) pass "a token with \\0junk appended: $line" ;;
*) fail "a token with \\0junk appended: unexpected answer '$line'" ;;
esac
assert_contains "$(sql "SELECT status || ' ' || coalesce(role, '-') FROM audit_log ORDER BY id DESC LIMIT 1")" \
	"400 -" "audited as a refusal with no principal"

# 4. A body: 405, audited, and an answer rather than a dropped connection.
n=$(entries)
out=$(curl -sS -o /dev/null -w '%{http_code}' -X GET --data 'prefecture=39' \
	-H "Authorization: Bearer $TOKEN" "$API/api/v1/hospitals" 2>&1) || true
assert_eq "$out" 405 "GET with a body"
out=$(curl -sS -o /dev/null -w '%{http_code}' -X POST --data-binary @"$EXAMPLE" \
	-H "Authorization: Bearer $TOKEN" "$API/api/v1/hospitals" 2>&1) || true
assert_eq "$out" 405 "POST with a body"
out=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$API/api/v1/hospitals" 2>&1) || true
assert_eq "$out" 405 "DELETE"
assert_eq "$(entries)" $((n + 3)) "each audited"
assert_eq "$(sql "SELECT string_agg(method || ' ' || status, ',' ORDER BY id) FROM (SELECT * FROM audit_log ORDER BY id DESC LIMIT 3) x")" \
	"GET 405,POST 405,DELETE 405" "with method and status"
hub_alive || fail "hub died"

# 5. CSP as a header (frame-ancestors cannot be a meta tag).
headers=$(curl -sS -D - -o /dev/null "$API/")
assert_contains "$headers" "Content-Security-Policy: default-src 'self'" "CSP header on the pages"
assert_contains "$headers" "frame-ancestors 'none'" "with frame-ancestors 'none'"
assert_contains "$(curl -sS -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "$API/api/v1/me")" \
	"frame-ancestors 'none'" "and on the API"

# 6. Connections per address: 40 idle connections from one address, the
# limit is 32; the hub stays up and answers once they close, and does not
# log a line per refused connection.
lines_before=$(wc -l <"$WORK/hub.log")
fds=()
for i in $(seq 1 40); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$HTTP_PORT" || break
	fds+=("$fd")
done
sleep 0.5
if curl -sS -m 3 -o /dev/null "$API/healthz" 2>/dev/null; then
	fail "a 41st connection from the same address was served past the per-address limit"
fi
pass "past 32 connections from one address, the next is refused"
for fd in "${fds[@]}"; do exec {fd}>&-; done
ok=0
for i in $(seq 1 50); do
	curl -fsS -m 2 -o /dev/null "$API/healthz" 2>/dev/null && { ok=1; break; }
	sleep 0.1
done
assert_eq "$ok" 1 "served again once they closed"
logged=$(($(wc -l <"$WORK/hub.log") - lines_before))
[ "$logged" -le 2 ] || fail "the hub logged $logged lines for one connection flood"
pass "the flood left $logged log line(s)"
