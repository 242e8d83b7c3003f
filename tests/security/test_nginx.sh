#!/usr/bin/env bash
# Issue 14, finding 6: the API faces the internet only through nginx
# (deploy/nginx): TLS 1.2+ with HSTS, per-address rate and connection
# limits (429 past them), the hub's own headers (CSP frame-ancestors)
# passed through, and the client's address taken from nginx's X-Real-IP,
# never from the client's.  nginx runs on loopback with the rendered
# configuration (deploy/nginx/render.sh --standalone).
. "$(dirname "$0")/../integration/lib.sh"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
	"$IBX_SOURCE/deploy/install-deps.sh" >/dev/null 2>&1 || true
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
if [ ! -x "$NGINX" ]; then
	echo "SKIP: nginx is not installed and could not be (deploy/install-deps.sh)"
	exit 0
fi
db_create
hub_start --http-proxy 127.0.0.1
ngx=$WORK/nginx
mkdir -p "$ngx"
chmod 755 "$WORK" "$ngx"
# A self-signed certificate for 127.0.0.1, as the demo uses (production:
# the national CA's server certificate).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
	-keyout "$ngx/tls.key" -out "$ngx/tls.pem" 2>/dev/null
for attempt in 1 2 3 4 5; do
	TLS_PORT=$(ibx_free_port)
	"$IBX_SOURCE/deploy/nginx/render.sh" "$ngx/nginx.conf" --listen "127.0.0.1:$TLS_PORT" \
		--upstream "127.0.0.1:$HTTP_PORT" --cert "$ngx/tls.pem" --key "$ngx/tls.key" \
		--standalone "$ngx"
	"$NGINX" -t -q -p "$ngx" -c "$ngx/nginx.conf" || fail "nginx refuses the rendered configuration"
	"$NGINX" -p "$ngx" -c "$ngx/nginx.conf" -g 'daemon off;' 2>>"$ngx/logs/stderr.log" &
	NGINX_PID=$!
	HUB_PIDS+=("$NGINX_PID")
	for i in $(seq 1 50); do
		curl -fsS --cacert "$ngx/tls.pem" "https://127.0.0.1:$TLS_PORT/healthz" >/dev/null 2>&1 && break 2
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill "$NGINX_PID" 2>/dev/null || true
	wait "$NGINX_PID" 2>/dev/null || true
	[ "$attempt" -lt 5 ] || { cat "$ngx/logs/"* >&2; fail "nginx did not start"; }
done
TLS=https://127.0.0.1:$TLS_PORT
pass "nginx serves the hub over TLS on $TLS"

# 1. TLS: the certificate verifies, TLS 1.3 is spoken, TLS 1.1 is refused.
headers=$(curl -sS --cacert "$ngx/tls.pem" -D - -o /dev/null -H "Authorization: Bearer $TOKEN" "$TLS/api/v1/me")
assert_contains "$headers" "HTTP/2 200" "an API call through nginx (HTTP/2 over TLS)"
assert_contains "$(echo | openssl s_client -connect "127.0.0.1:$TLS_PORT" -tls1_3 2>/dev/null)" "TLSv1.3" "TLS 1.3 negotiated"
if curl -sS --cacert "$ngx/tls.pem" --tlsv1.1 --tls-max 1.1 -o /dev/null "$TLS/healthz" 2>/dev/null; then
	fail "TLS 1.1 was accepted"
fi
pass "TLS 1.1 refused"

# 2. HSTS from nginx, CSP from the hub.
assert_contains "$headers" "strict-transport-security: max-age=63072000; includeSubDomains" "HSTS header"
assert_contains "$headers" "frame-ancestors 'none'" "the hub's CSP passes through"

# 3. The client's address: nginx's, never the one the client claims.
curl -sS --cacert "$ngx/tls.pem" -o /dev/null -H "X-Real-IP: 203.0.113.9" "$TLS/api/v1/me"
assert_eq "$(sql "SELECT client FROM audit_log ORDER BY id DESC LIMIT 1")" "127.0.0.1 via 127.0.0.1" \
	"the audit records nginx's view of the client, not a forged X-Real-IP"

# 4. A bounded burst from one address: 100 requests, 20 at a time.  The
# limit is 10 a second with bursts of 20: some pass, the rest get 429.
codes=$(seq 1 100 | xargs -P 20 -I{} curl -s --cacert "$ngx/tls.pem" -o /dev/null -w '%{http_code}\n' \
	-m 10 "$TLS/healthz" | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
echo "burst of 100 from one address: $codes"
assert_contains "$codes" "200:" "some requests of the burst pass"
assert_contains "$codes" "429:" "the rest are limited with 429"
sleep 2.2
assert_eq "$(curl -s --cacert "$ngx/tls.pem" -o /dev/null -w '%{http_code}' "$TLS/healthz")" 200 "served again after the burst"
hub_alive || fail "hub died"
