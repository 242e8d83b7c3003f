#!/usr/bin/env bash
# The hub's pages' API (issue 17): paging that is the same everywhere
# (total, limit, offset on /submissions, /completeness and /statistics,
# pages disjoint and adding up to the whole); a hospital's own
# submissions in its words (patients reported) and the submissions the
# hub refused, with the reason; completeness narrowed to the late and the
# missing, with their listings' contacts; the ministry's drill-down from a
# prefecture to the hospitals behind its figure (the released hospital
# figures, filtered by the listings' prefecture; coordinators refused);
# saved searches per account: saved, listed, run, deleted, and one
# coordinator can neither see nor delete another's.
. "$(dirname "$0")/lib.sh"
command -v oathtool >/dev/null || fail "oathtool is missing (deploy/install-deps.sh)"
db_create
Y=$(($(date -u +%Y) - 1))
K=39101100  # Kochi hospitals: $K01..${K}04; one in Tokyo
codes=()
for i in 01 02 03 04; do
	codes+=("$K$i")
	identity "$K$i" >/dev/null
done
T=1310110001
identity $T >/dev/null
C1=9010000001
C2=9010000002
identity $C1 coordinator >/dev/null
identity $C2 coordinator >/dev/null
hub_start
for code in "${codes[@]}"; do
	edit_json "$EXAMPLE" "$WORK/l$code.json" ".organisation_code = \"$code\" | .name.ja = \"病院$code\""
	publish "$WORK/l$code.json" >/dev/null || fail "listing $code"
done
edit_json "$EXAMPLE" "$WORK/l$T.json" ".organisation_code = \"$T\" | .name.ja = \"東京病院\" | .prefecture = \"13\"
	| .address = \"東京都千代田区\" | .postal_code = \"1000001\" | .location = {lat: 35.68, lon: 139.76}
	| del(.international_contact) | .synthetic -= [\"international_contact\"]"
publish "$WORK/l$T.json" >/dev/null || fail "listing $T"
# Listed since January of last year, so that each counts as expected for
# its months (completeness counts the hospitals listed during a month).
sql "UPDATE listing_versions SET valid_from = '$Y-01-01'" >/dev/null

cell() { # nationality purpose patients
	jq -n --arg n "$1" --arg p "$2" --argjson pa "$3" \
		'{nationality: $n, purpose: $p, icd10: "2", age_band: "50-59", sex: "male", referral_channel: "direct",
		  referral_org: "", remote_second_opinion_first: "no", medical_stay_visa: "yes", patients: $pa,
		  episodes: $pa, inpatient_episodes: 0, outpatient_visits: $pa, inpatient_days: 0, charge_jpy: ($pa * 1000000)}'
}
submit() { # CODE PERIOD FILE [expected status]
	forge "$WORK/s.env" "$1" --stats "$3" --seq $(($(date +%s%N) / 1000))
	assert_contains "$(send "$WORK/s.env")" "status=${4:-accepted}" "statistics $1 $2 ${4:-accepted}" >/dev/null
}
# Kochi's hospitals report March and April; ${K}04 reports nothing for April
# (missing); Tokyo reports March.
for code in "${codes[@]}"; do
	for p in "$Y-03" "$Y-04"; do
		[ "$code$p" != "${K}04$Y-04" ] || continue
		{ cell CN treatment 40; cell VN health_checkup 30; } |
			jq -s --arg c "$code" --arg p "$p" '{organisation_code: $c, period: $p, cells: .}' >"$WORK/s.json"
		submit "$code" "$p" "$WORK/s.json"
	done
done
{ cell CN treatment 60; } | jq -s --arg c $T --arg p "$Y-03" '{organisation_code: $c, period: $p, cells: .}' >"$WORK/s.json"
submit $T "$Y-03" "$WORK/s.json"
# A refused submission: an unknown nationality.
{ cell XX treatment 5; } | jq -s --arg c "${codes[0]}" --arg p "$Y-05" '{organisation_code: $c, period: $p, cells: .}' >"$WORK/bad.json"
submit "${codes[0]}" "$Y-05" "$WORK/bad.json" invalid
"$CTL_BIN" release --db "$DSN" --until "$Y-04" >/dev/null || fail "release"
coord=$(token coordinator)
hosp=$(token hospital --org "${codes[0]}")

# --- Paging: the same three numbers everywhere; pages add up to the whole.
get "/api/v1/submissions"
assert_eq "$(echo "$BODY" | jq -c '[.total, .limit, .offset, (.submissions | length)]')" "[8,50,0,8]" \
	"submissions: total 8, default limit 50, offset 0"
all=$(echo "$BODY" | jq -c '[.submissions[] | [.organisation_code, .period]]')
pages=()
for off in 0 3 6; do
	get "/api/v1/submissions?limit=3&offset=$off"
	assert_eq "$(echo "$BODY" | jq -c '[.total, .limit, .offset]')" "[8,3,$off]" "submissions page at $off: total, limit, offset" >/dev/null
	pages+=("$(echo "$BODY" | jq -c '[.submissions[] | [.organisation_code, .period]]')")
done
assert_eq "$(printf '%s\n' "${pages[@]}" | jq -sc 'add')" "$all" "submissions: three pages of 3 are the whole, in order, none twice"
get "/api/v1/submissions?offset=100"
assert_eq "$(echo "$BODY" | jq -c '[.total, (.submissions | length)]')" "[8,0]" "submissions past the end: empty, total kept"
for q in limit=0 limit=201 offset=-1 offset=x "limit=2&limit=3" colour=red; do
	get "/api/v1/submissions?$q"
	assert_eq "$STATUS" 400 "submissions ?$q refused"
done
get "/api/v1/submissions?limit=0"
assert_contains "$BODY" 'parameter \"limit\"' "the refusal names the parameter"

# A hospital's own, in its words: patients reported; refusals with reasons.
get "/api/v1/submissions" "$hosp"
assert_eq "$(echo "$BODY" | jq -c '[.total, [.submissions[].patients]]')" "[2,[70,70]]" "a hospital sees the patients each submission reported"
assert_eq "$(echo "$BODY" | jq -r '.refused | length')" 1 "and the submission the hub refused"
assert_contains "$(echo "$BODY" | jq -r '.refused[0].reason')" "nationality" "with the reason naming the field"
get "/api/v1/submissions?hospital=${codes[0]}"
assert_eq "$(echo "$BODY" | jq -c '[has("refused"), ([.submissions[] | has("patients")] | any)]')" "[false,false]" \
	"the ministry sees neither patients nor refusals"

# Completeness: the late and missing with their contacts (public listing
# data); whether a hospital reported, never what.
get "/api/v1/completeness?period=$Y-04"
assert_eq "$(echo "$BODY" | jq -c '[.listed, .reported, .on_time, .late, .missing, .total, .limit, .offset]')" "[5,3,0,3,2,5,50,0]" \
	"completeness: 5 listed, 3 reported late (sent today, after the deadline), 2 missing (K04 and Tokyo)"
get "/api/v1/completeness?period=$Y-04&status=missing"
assert_eq "$(echo "$BODY" | jq -c '[.status, .total, [.hospitals[].organisation_code]]')" "[\"missing\",2,[\"$T\",\"${K}04\"]]" \
	"status=missing: only the two that did not report"
assert_eq "$(echo "$BODY" | jq -c '[.hospitals[].contact]')" '[null,{"email":"international@example.jp","phone":"+81-88-837-3000"}]' \
	"each with its listing's international contact (null when it gives none)"
assert_eq "$(echo "$BODY" | jq '[.hospitals[] | keys[] | select(test("cell|nil|patient"))] | length')" 0 \
	"no cell, nil-report or patient count"
get "/api/v1/completeness?period=$Y-04&status=late_or_missing&limit=1&offset=1"
assert_eq "$(echo "$BODY" | jq -c '[.total, .limit, .offset, [.hospitals[].organisation_code]]')" "[5,1,1,[\"${codes[0]}\"]]" "late or missing, paged"
for q in "period=$Y-04&status=lost" "period=$Y-04&limit=1001" "status=late" "period=$Y-04&x=1"; do
	get "/api/v1/completeness?$q"
	assert_eq "$STATUS" 400 "completeness ?$q refused"
done

# Statistics: a table's published rows paged.
get "/api/v1/statistics?measure=patients&by=hospital&period=year&year=$Y"
total=$(echo "$BODY" | jq .total)
assert_eq "$(echo "$BODY" | jq -c '[.limit, .offset, (.cells | length) == .total]')" "[10000,0,true]" "statistics: every row on the first page by default"
rows=$(echo "$BODY" | jq -c '[.cells[].hospital]')
get "/api/v1/statistics?measure=patients&by=hospital&period=year&year=$Y&limit=2"
p1=$(echo "$BODY" | jq -c '[.cells[].hospital]')
assert_eq "$(echo "$BODY" | jq -c '[.total, .limit, (.cells | length)]')" "[$total,2,$([ "$total" -ge 2 ] && echo 2 || echo "$total")]" "statistics: a page of 2, total kept"
get "/api/v1/statistics?measure=patients&by=hospital&period=year&year=$Y&limit=2&offset=2"
assert_eq "$(jq -nc --argjson a "$p1" --argjson b "$(echo "$BODY" | jq -c '[.cells[].hospital]')" '$a + $b')" "$(echo "$rows" | jq -c '.[:4]')" \
	"statistics: consecutive pages are the table's rows in order"
get "/api/v1/statistics/growth?from=$((Y - 1))&to=$Y&limit=5"
assert_eq "$STATUS" 400 "growth (a row a year) is not paged: limit refused, not ignored"
get "/api/v1/statistics?by=purpose&format=csv&limit=1"
assert_eq "$(printf '%s' "$BODY" | head -c 3 | od -An -tx1 | tr -d ' ')" "efbbbf" "the CSV starts with a UTF-8 BOM"
assert_eq "$(printf '%s\n' "$BODY" | grep -c ',')" 2 "and holds the header and one row (limit=1)"

# Drill-down: the hospitals behind a prefecture's figure, from the
# released hospital figures and the public listings.
get "/api/v1/statistics?measure=patients&by=hospital&prefecture=39&period=year&year=$Y"
assert_eq "$STATUS" 200 "by=hospital&prefecture=39: answered"
assert_eq "$(echo "$BODY" | jq -c "[(.cells | length > 0), ([.cells[].hospital | startswith(\"$K\")] | all)]")" "[true,true]" "Kochi's hospitals, and only they"
get "/api/v1/statistics?measure=patients&by=hospital&prefecture=13&period=year&year=$Y"
assert_eq "$(echo "$BODY" | jq -c "[.cells[].hospital] - [\"$T\"]")" "[]" "prefecture 13: only Tokyo's hospital"
assert_eq "$(echo "$BODY" | jq -r '.disclosure_control.applied')" \
	"release: each closed month measured once with discrete Gaussian noise under zCDP, post-processed; values under k and zeros omitted" \
	"the drill-down is the protected release, under the NDB rule"
get "/api/v1/statistics?measure=patients&by=hospital&prefecture=39" "$coord"
assert_eq "$STATUS" 403 "coordinators: no per-hospital figures"
get "/api/v1/statistics?measure=patients&by=nationality&prefecture=39"
assert_eq "$STATUS" 400 "no drill-down the release does not hold (nationality within a prefecture)"
get "/api/v1/statistics?measure=patients&by=hospital,prefecture&prefecture=39"
assert_eq "$STATUS" 400 "grouping by prefecture still needs the prefecture marginal"

# --- Saved searches: per account, and only one's own.
PW='saved searches password'
post() { # METHOD PATH SID CSRF [JSON]: sets STATUS and BODY
	local args=(-H "Cookie: ibx_session=$3")
	[ -z "$4" ] || args+=(-H "X-CSRF-Token: $4")
	[ -z "${5:-}" ] || args+=(-H 'Content-Type: application/json' --data-binary "$5")
	STATUS=$(curl -sS -o "$WORK/b" -w '%{http_code}' -X "$1" "${args[@]}" "$API$2")
	BODY=$(cat "$WORK/b")
	openapi_log "$1" "$2" "$STATUS" application/json "$BODY"
}
signin() { # LOGIN ORG: sets SID and CSRF
	local code key
	code=$(printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" --login "$1" --role coordinator --org "$2" 2>/dev/null)
	key=$(curl -sS -X POST -H 'Content-Type: application/json' \
		--data-binary "$(jq -cn --arg l "$1" --arg p "$PW" --arg e "$code" '{login: $l, password: $p, enrolment_code: $e}')" \
		"$API/api/v1/session" | jq -r .secret)
	curl -sS -D "$WORK/h" -o "$WORK/b" -X POST -H 'Content-Type: application/json' \
		--data-binary "$(jq -cn --arg l "$1" --arg p "$PW" --arg t "$(oathtool --totp -b "$key")" '{login: $l, password: $p, totp: $t}')" \
		"$API/api/v1/session"
	SID=$(tr -d '\r' <"$WORK/h" | sed -n 's/^Set-Cookie: ibx_session=\([^;]*\).*/\1/p')
	CSRF=$(jq -r .csrf_token "$WORK/b")
	[ -n "$SID" ] || fail "sign-in of $1"
}
signin coord.one $C1
S1=$SID X1=$CSRF
signin coord.two $C2
S2=$SID X2=$CSRF
q='prefecture=39&treatment=pet_ct&sort=price&offset=20'
post POST /api/v1/searches "$S1" "$X1" "$(jq -cn --arg q "$q" '{name: "高知のPET（価格順）", page: "search", query: $q}')"
assert_eq "$STATUS" 201 "coordinator one saves a search"
id1=$(echo "$BODY" | jq -r '.searches[0].id')
assert_eq "$(echo "$BODY" | jq -c '[.total, .searches[0].name, .searches[0].query]')" "[1,\"高知のPET（価格順）\",\"$q\"]" \
	"kept as given: the name and the page's query (filters, sort, page)"
post POST /api/v1/searches "$S1" "$X1" '{"name": "Tokyo", "page": "search", "query": "prefecture=13"}'
assert_eq "$(echo "$BODY" | jq -c '[.total, [.searches[].name]]')" '[2,["Tokyo","高知のPET（価格順）"]]' "newest first"
id2=$(echo "$BODY" | jq -r '.searches[0].id')
post GET /api/v1/searches "$S2" ""
assert_eq "$(echo "$BODY" | jq -c '[.total, .searches]')" "[0,[]]" "coordinator two sees none of one's searches"
post DELETE "/api/v1/searches/$id1" "$S2" "$X2"
assert_eq "$STATUS" 404 "coordinator two cannot delete one's search (as if it did not exist)"
post POST /api/v1/searches "$S2" "$X2" '{"name": "Tokyo", "page": "coordinators", "query": "language=zh"}'
assert_eq "$STATUS" 201 "the same name is another person's to use"
post GET /api/v1/searches "$S1" ""
assert_eq "$(echo "$BODY" | jq -c '[.searches[].id]')" "[$id2,$id1]" "coordinator one's searches are untouched"
# Running one: its query is a search's own parameters, answered by the API.
get "/api/v1/hospitals?$(echo "$BODY" | jq -r '.searches[1].query' | sed 's/&offset=20//')" "$coord"
assert_eq "$STATUS" 200 "a saved query runs as a search"
# Refusals.
post POST /api/v1/searches "$S1" "$X1" '{"name": "Tokyo", "page": "search", "query": "x=1"}'
assert_eq "$STATUS" 409 "a name already used: 409"
post POST /api/v1/searches "$S1" "" '{"name": "n", "page": "search", "query": ""}'
assert_eq "$STATUS" 403 "no CSRF token: 403"
for body in '{"name": "", "page": "search", "query": ""}' '{"name": "n", "page": "dashboard", "query": ""}' \
	'{"name": "n", "page": "search", "query": "q=<script>"}' '{"name": "n", "page": "search"}' \
	'{"name": "n", "page": "search", "query": "", "owner": 1}' "{\"name\": \"$(printf 'x%.0s' $(seq 101))\", \"page\": \"search\", \"query\": \"\"}"; do
	post POST /api/v1/searches "$S1" "$X1" "$body"
	assert_eq "$STATUS" 400 "refused: ${body:0:60}"
done
assert_eq "$(sql "SELECT count(*) FROM saved_searches")" 3 "nothing refused was stored"
get /api/v1/searches "$coord"
assert_eq "$STATUS" 403 "a bearer token has no saved searches"
post DELETE "/api/v1/searches/$id1" "$S1" "$X1"
assert_eq "$(echo "$BODY" | jq -c '[.total, [.searches[].id]]')" "[1,[$id2]]" "coordinator one deletes their own"
post DELETE "/api/v1/searches/$id1" "$S1" "$X1"
assert_eq "$STATUS" 404 "deleted once only"
for i in $(seq 2 50); do
	sql "INSERT INTO saved_searches (account_id, name, page, query) SELECT id, 's$i', 'search', '' FROM accounts WHERE login = 'coord.one'" >/dev/null
done
post POST /api/v1/searches "$S1" "$X1" '{"name": "one too many", "page": "search", "query": ""}'
assert_eq "$STATUS" 409 "at most 50 each"
assert_contains "$BODY" "at most 50" "the refusal says so"
echo "ok: $0 done"
