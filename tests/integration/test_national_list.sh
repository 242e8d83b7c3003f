#!/usr/bin/env bash
# The national hospital list (issue 16, part A). The generator runs on the
# whole institution-code register and its coverage report is checked (at
# least 7,500 hospitals, every prefecture but Okinawa, Tokyo over 500, our
# geocoder within 1 km of Kochi's official points at the median); the
# register is imported into the hub; a few hundred of the generated
# listings (all of Kochi, Sapporo's, some of Tokyo) and one listing whose
# code is not in the register are published through their own spokes,
# certificates from deploy/pki/issue-bulk.sh; then q=Sapporo (romaji) finds
# exactly Sapporo's hospitals, and registered=false exactly the stray one.
. "$(dirname "$0")/lib.sh"
db_create
hub_start

# 1. The generator on the full register: its report on stderr.
"$DATAGEN_BIN" listings --data "$IBX_SOURCE/deploy/data" --out "$WORK/all" \
	--set national --seed 42 2>"$WORK/datagen.log" || { cat "$WORK/datagen.log" >&2; fail "datagen failed"; }
total=$(sed -n 's/.*national list: \([0-9]*\) hospitals.*/\1/p' "$WORK/datagen.log")
[ -n "$total" ] && [ "$total" -ge 7500 ] || fail "national list of $total hospitals, want >= 7500"
pass "the national list holds $total hospitals (>= 7500)"
assert_eq "$(find "$WORK/all" -name '*.json' | wc -l)" "$total" "one listing file per hospital"
# Coverage by prefecture, from the report and again from the files.
cov() { tr ' ' '\n' <"$WORK/datagen.log" | sed -n "s/^$1:\([0-9]*\)$/\1/p"; }
for p in $(seq -w 1 46); do
	[ "$(cov "$p")" -gt 0 ] || fail "prefecture $p has no hospital"
done
pass "every prefecture 01-46 has hospitals"
assert_eq "$(cov 47)" 0 "Okinawa (47) is not in the register"
[ "$(cov 13)" -gt 500 ] || fail "Tokyo has $(cov 13) hospitals, want > 500"
pass "Tokyo has $(cov 13) hospitals (> 500)"
jq -s 'map(.prefecture) | group_by(.) | map({key: .[0], value: length}) | from_entries' \
	"$WORK"/all/*.json >"$WORK/by_pref.json"
assert_eq "$(jq '."13"' "$WORK/by_pref.json")" "$(cov 13)" "the report's Tokyo count is the files' count"
# Duplicate register rows merged: every organisation code once.
assert_eq "$(jq -r .organisation_code "$WORK"/all/*.json | sort | uniq -d | wc -l)" 0 "no organisation code listed twice"
grep -q '310 repeated rows merged' "$WORK/datagen.log" || fail "the register's 310 repeated hospital rows were not merged: $(grep register: "$WORK/datagen.log")"
pass "the register's 310 repeated hospital rows are merged"
# Geocoding: the levels reached, and Kochi's median distance to official.
levels=$(grep 'geocode levels:' "$WORK/datagen.log")
echo "$levels"
town=$(echo "$levels" | sed -n 's/.* town \([0-9]*\).*/\1/p')
[ "$town" -gt $((total * 8 / 10)) ] || fail "only $town of $total geocoded to the town"
assert_eq "$(jq -r 'select(.location == null) | .organisation_code' "$WORK"/all/*.json | wc -l)" \
	"$(echo "$levels" | sed -n 's/.* none \([0-9]*\).*/\1/p')" "listings without a location = level none"
assert_eq "$(jq -r 'select(.location != null and .geocode_level == null) | .organisation_code' "$WORK"/all/*.json | wc -l)" 0 \
	"every located listing records its geocode_level"
kochi=$(grep 'kochi: ours vs official' "$WORK/datagen.log")
echo "$kochi"
median=$(echo "$kochi" | sed -n 's/.*median \([0-9.]*\) km.*/\1/p')
awk -v m="$median" 'BEGIN { exit !(m < 1.0) }' || fail "Kochi median distance $median km, want < 1 km"
pass "Kochi: median distance ours vs official $median km (< 1 km)"
# Foreign patients: about 1,700 receive them, 60-80 accredited.
foreign=$(jq -r 'select(.receives_foreign_patients == true) | 1' "$WORK"/all/*.json | wc -l)
accredited=$(jq -r 'select((.accreditations | length) > 0) | 1' "$WORK"/all/*.json | wc -l)
[ "$foreign" -ge 1400 ] && [ "$foreign" -le 2000 ] || fail "$foreign hospitals receive foreign patients, want about 1,700"
[ "$accredited" -ge 50 ] && [ "$accredited" -le 100 ] || fail "$accredited accredited hospitals, want about 60 to 80"
pass "$foreign hospitals receive foreign patients, $accredited accredited (generated)"
# Readings: every listing has its romaji name; English names made from it
# are marked as transliterations.
assert_eq "$(jq -r 'select(.name["ja-Latn"] == null) | 1' "$WORK"/all/*.json | wc -l)" 0 "every name has a ja-Latn reading"
assert_eq "$(jq -r 'select(.name.en != null and .name_en_source == null) | 1' "$WORK"/all/*.json | wc -l)" 0 \
	"every English name says where it came from"

# 2. The register in the hub.
"$CTL_BIN" register import --db "$DSN" \
	--file "$IBX_SOURCE/deploy/data/jp_medical_institution_codes_2025-08_pref01-13.csv" \
	--file "$IBX_SOURCE/deploy/data/jp_medical_institution_codes_2025-08_pref14-27.csv" \
	--file "$IBX_SOURCE/deploy/data/jp_medical_institution_codes_2025-08_pref28-47.csv" >"$WORK/register.log"
cat "$WORK/register.log"
assert_eq "$(sql 'SELECT count(*) FROM institution_register WHERE strpos(name_ja, $$病院$$) > 0')" 7737 \
	"the register holds the 7,737 distinct hospitals"
assert_eq "$(sql 'SELECT count(*) FROM institution_register WHERE rows > 1 AND strpos(name_ja, $$病院$$) > 0')" 310 \
	"310 hospitals' repeated rows merged"

# A bad register file is refused whole, naming the file, line and column,
# and the register stays as it was.
printf '%s\n' '医療機関コード(9桁),医療機関コード(7桁),医療機関名称,郵便番号,住所' \
	'390110001,0110001,テスト病院,7800000,高知市' '39011000X,011000X,壊れた病院,7800000,高知市' >"$WORK/bad.csv"
if "$CTL_BIN" register import --db "$DSN" --file "$WORK/bad.csv" 2>"$WORK/bad.err"; then
	fail "a register file with a bad code was imported"
fi
assert_contains "$(cat "$WORK/bad.err")" 'bad.csv: line 3, column "医療機関コード(9桁)": "39011000X" is not a prefecture code and the 7-digit code' \
	"the refusal names the file, line and column"
printf '%s\n' '医療機関コード(9桁),医療機関名称,郵便番号,住所' '390110001,テスト病院,7800000,高知市' >"$WORK/nocol.csv"
"$CTL_BIN" register import --db "$DSN" --file "$WORK/nocol.csv" 2>"$WORK/nocol.err" && fail "a register file without a column was imported"
assert_contains "$(cat "$WORK/nocol.err")" 'the header lacks a column "医療機関コード(7桁)"' "a missing column is named"
assert_eq "$(sql 'SELECT count(*) FROM institution_register WHERE strpos(name_ja, $$病院$$) > 0')" 7737 \
	"nothing of the refused files was stored"

# 3. A few hundred listings through their own spokes.
mkdir -p "$WORK/pub"
for f in $(jq -r 'select(.prefecture == "39") | input_filename' "$WORK"/all/*.json) \
	$(jq -r 'select(.address // "" | startswith("札幌市")) | input_filename' "$WORK"/all/*.json) \
	$(jq -r 'select(.prefecture == "13") | input_filename' "$WORK"/all/*.json | sed -n 1,60p); do
	cp "$f" "$WORK/pub/"
done
# A stray: a Kochi listing under a code the register does not hold.
stray=3919999990
[ "$(sql "SELECT count(*) FROM institution_register WHERE org_code = '$stray'")" = 0 ] || fail "$stray is in the register"
kochi_files=("$WORK"/pub/39*.json)
first=${kochi_files[0]}
jq --arg c "$stray" '.organisation_code = $c' "$first" >"$WORK/pub/$stray.json"
n=$(ls "$WORK/pub" | wc -l)
# The bulk CA tool (the other tests use issue-bulk.sh's openssl path).
ls "$WORK/pub" | sed 's/\.json$//' |
	IBX_CA_BULK=$IBX_BUILD/tools/pki/ibx-ca-bulk "$IBX_SOURCE/deploy/pki/issue-bulk.sh" "$PKI" hospital
for f in $(ls "$PKI"/issued/*.pem | sed -n 1,50p); do
	openssl verify -CAfile "$PKI/ca.pem" "$f" >/dev/null || fail "$f does not verify against the CA"
done
pass "ibx-ca-bulk certificates verify against the national CA (50 checked)"
assert_eq "$(grep -c "OU=hospital/CN=" "$PKI/index.txt")" "$n" "the CA index records each certificate"
"$CTL_BIN" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert-dir "$PKI/issued" >/dev/null
"$IBX_SOURCE/deploy/spokes.sh" publish --pki "$PKI" --listings "$WORK/pub" \
	--bin "$IBX_BUILD/spoke" --jobs 4 -- --hub "$NNG_URL" --insecure-tcp \
	--timeout 10000 --attempts 3 >"$WORK/publish.log" ||
	fail "some listings were refused: $(grep -v accepted "$WORK/publish.log" | head -5)"
get "/api/v1/hospitals?limit=1"
assert_eq "$(echo "$BODY" | jq .total)" "$n" "every published listing is listed"

# 4. Romaji search: q=Sapporo is exactly the Sapporo hospitals published.
want=$(jq -r 'select(.address // "" | startswith("札幌市")) | .organisation_code' "$WORK"/pub/*.json | sort)
[ "$(echo "$want" | wc -l)" -ge 20 ] || fail "too few Sapporo hospitals in the sample"
got=$(for off in 0 200; do get "/api/v1/hospitals?q=Sapporo&limit=200&offset=$off"; echo "$BODY" | jq -r '.hospitals[].organisation_code'; done | sort -u)
[ "$want" == "$got" ] || fail "q=Sapporo differs from Sapporo's hospitals: $(diff <(echo "$want") <(echo "$got") | head -5)"
pass "q=Sapporo returns exactly the $(echo "$want" | wc -l) hospitals in Sapporo"
get "/api/v1/hospitals?q=sapporoshi%20chuoku&limit=200"
[ "$(echo "$BODY" | jq '[.hospitals[] | select(.address | startswith("札幌市中央区") | not)] | length')" = 0 ] ||
	fail "q=sapporoshi chuoku returned a hospital outside Chuo-ku"
[ "$(echo "$BODY" | jq .total)" -gt 0 ] || fail "q=sapporoshi chuoku found nothing"
pass "q by the address reading (sapporoshi chuoku) finds Chuo-ku's $(echo "$BODY" | jq .total) hospitals"
get "/api/v1/hospitals?q=%E6%9C%AD%E5%B9%8C%E5%B8%82&limit=1" # 札幌市, by the address
[ "$(echo "$BODY" | jq .total)" -ge "$(echo "$want" | wc -l)" ] || fail "q=札幌市 finds fewer than Sapporo's hospitals"
pass "q=札幌市 finds Sapporo's hospitals by their address"

# 5. Registered or not.
# Unregistered: the stray, and the Hokkaido hospitals of 2015 that no
# code of 2025 matched (closed or renamed since; their code is derived and
# marked synthetic by the generator).
want=$( (echo "$stray"; jq -r 'select(.synthetic | index("organisation_code")) | .organisation_code' "$WORK"/pub/*.json) | sort)
get "/api/v1/hospitals?registered=false&limit=200"
got=$(echo "$BODY" | jq -r '.hospitals[].organisation_code' | sort)
[ "$want" == "$got" ] || fail "registered=false differs from the codes not in the register: $(diff <(echo "$want") <(echo "$got") | head -5)"
pass "registered=false is exactly the $(echo "$want" | wc -l) listings whose code is not in the register"
assert_eq "$(echo "$BODY" | jq '[.hospitals[] | select((.flags | index("unregistered")) and .registered == false)] | length')" \
	"$(echo "$want" | wc -l)" "each is flagged unregistered"
get "/api/v1/hospitals?registered=true&limit=1"
assert_eq "$(echo "$BODY" | jq .total)" "$((n - $(echo "$want" | wc -l)))" "registered=true is every other listing"
get "/api/v1/hospitals?registered=true&limit=200"
assert_eq "$(echo "$BODY" | jq '[.hospitals[] | select(.registered != true or (.flags | index("unregistered")))] | length')" 0 \
	"no registered listing is flagged"
get "/api/v1/hospitals/$stray"
assert_eq "$(echo "$BODY" | jq .registered)" false "the detail shows the stray as unregistered"
get "/api/v1/hospitals/$(basename "$first" .json)"
assert_eq "$(echo "$BODY" | jq .registered)" true "the detail shows a register hospital as registered"
assert_eq "$(echo "$BODY" | jq -r '.listing.name["ja-Latn"] | length > 0')" true "the stored listing keeps its romaji reading"
get "/api/v1/hospitals?registered=maybe"
assert_eq "$STATUS" 400 "registered=maybe is refused"
assert_contains "$BODY" 'parameter \"registered\": must be true or false' "the refusal names the parameter"
