#!/usr/bin/env bash
# The referral channel in the demo (issue 15, docs/referrals.md): two
# coordinators and a partner hospital abroad send cases to four hospitals,
# each a summary with a marker string, a real DICOM file (pydicom's test
# CT) and generated imaging; the hospitals' spokes fetch, decrypt, verify
# and answer (quotes, a decline, second opinions returned encrypted, a
# visit scheduled).  Prints the referrals by status, the median response
# time, and where the marker is: nowhere at the hub, in every hospital's
# decrypted folder.  Called by deploy/demo.sh with its variables:
#   deploy/referrals-demo.sh VAR PKI DSN HUB_URL API MINISTRY_TOKEN
set -euo pipefail
var=$1 pki=$2 dsn=$3 hub_url=$4 api=$5 ministry=$6
bin=./build/spoke/inbound-spoke
ctl=./build/hub/inboundctl
work=$var/referrals
dicom=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
rm -rf "$work"
mkdir -p "$work"
marker="IBX-DEMO-MARKER-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"

spoke() { # CODE COMMAND ARGS...
	local code=$1 cmd=$2
	shift 2
	"$bin" "$cmd" "$@" --hub "$hub_url" --ca "$pki/ca.pem" --crl "$pki/crl.pem" \
		--cert "$pki/issued/$code.pem" --key "$pki/issued/$code.key" \
		--state "$work/$code/state" --outbox "$work/$code/outbox"
}
refer() { # FROM TO PURPOSE NATIONALITY AGE LANGUAGES: prints the id
	local dir=$work/case-$RANDOM$RANDOM
	mkdir -p "$dir/imaging"
	printf 'Case summary (%s, %s, %s)\nReferred for %s.\n%s\n' "$4" "$5" "$6" "$3" "$marker" >"$dir/summary.txt"
	cp "$dicom" "$dir/imaging/CT_small.dcm"
	head -c $((2 * 1024 * 1024)) /dev/urandom >"$dir/imaging/series-generated.raw"
	spoke "$1" refer --to "$2" --package "$dir" --purpose "$3" --nationality "$4" \
		--age-band "$5" --languages "$6" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; return 1; }
	sed -n 's/^referral \([0-9a-f]\{32\}\) to .*/\1/p' "$dir.log" | head -1
	echo "$dir" >"$work/$(sed -n 's/^referral \([0-9a-f]\{32\}\) to .*/\1/p' "$dir.log" | head -1).case"
}
receive() { # HOSPITAL ID: fetch, decrypt, verify, compare
	local out=$work/$1/received/$2
	mkdir -p "$work/$1/received"
	spoke "$1" inbox --fetch "$2" --out "$out" >/dev/null
	diff <(cd "$(cat "$work/$2.case")" && find . -type f -print0 | sort -z | xargs -0 sha256sum) \
		<(cd "$out" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >/dev/null
}
answer() { local code=$1 id=$2; shift 2; spoke "$code" answer "$id" "$@" >/dev/null; }

[ -f "$dicom" ] || { echo "referrals-demo: no DICOM test file ($dicom; python3-pydicom)" >&2; exit 1; }
c1=$(basename "$(ls "$var"/coordinators/*.json | sed -n 1p)" .json)
c2=$(basename "$(ls "$var"/coordinators/*.json | sed -n 2p)" .json)
partner=9900000001
[ -f "$pki/issued/$partner.pem" ] || ./deploy/pki/issue.sh "$pki" "$partner" partner >/dev/null
"$ctl" enrol --db "$dsn" --ca "$pki/ca.pem" --cert "$pki/issued/$partner.pem" >/dev/null
"$ctl" partner set --db "$dsn" --org "$partner" --name "Vladivostok Regional Clinical Hospital (demo)" \
	--country RU --languages ru,en >/dev/null
mapfile -t hospitals < <(jq -r 'select(.prefecture == "13" and .receives_foreign_patients != false) | .organisation_code' \
	"$var"/listings/*.json | sort | head -4)
for code in "${hospitals[@]}" "$c1" "$c2" "$partner"; do
	spoke "$code" keys rotate >/dev/null
done
echo "  keys announced: ${#hospitals[@]} hospitals (Tokyo), coordinators $c1 $c2, partner $partner (RU)"

h1=${hospitals[0]} h2=${hospitals[1]} h3=${hospitals[2]} h4=${hospitals[3]}
r1=$(refer "$c1" "$h1" second_opinion CN 50-59 zh,en)
r2=$(refer "$c1" "$h2" treatment VN 30-39 vi)
r3=$(refer "$c2" "$h3" treatment CN 60-69 zh)
r4=$(refer "$c2" "$h1" health_checkup TW 40-49 zh,ja)
r5=$(refer "$partner" "$h2" second_opinion RU 60-69 ru)
r6=$(refer "$partner" "$h4" second_opinion RU 40-49 ru,en)
echo "  6 referrals sent (each: summary, DICOM CT, 2 MiB of generated imaging; sealed to the hospital's key)"
for pair in "$h1 $r1" "$h2 $r2" "$h3 $r3" "$h1 $r4" "$h2 $r5" "$h4 $r6"; do
	# shellcheck disable=SC2086
	receive $pair
done
echo "  6 packages fetched, decrypted and verified (every file's SHA-256 equal to the original)"
for pair in "$h1 $r1" "$h2 $r2" "$h3 $r3" "$h1 $r4" "$h2 $r5" "$h4 $r6"; do
	# shellcheck disable=SC2086
	answer $pair --status acknowledged
done
answer "$h1" "$r1" --status quote --price-min 1500000 --price-max 2500000 --earliest "$(date -u -d '+30 days' +%F)"
answer "$h2" "$r2" --status declined --reason no_capacity
answer "$h3" "$r3" --status quote --price-min 3000000 --price-max 4500000 --earliest "$(date -u -d '+21 days' +%F)"
answer "$h1" "$r4" --status visit_scheduled --visit-date "$(date -u -d '+14 days' +%F)"
printf 'Second opinion for %s: surgery advised.\n' "$r5" >"$work/opinion-$r5.txt"
answer "$h2" "$r5" --status opinion_returned --report "$work/opinion-$r5.txt"
printf 'Second opinion for %s: proton therapy is an option.\n' "$r6" >"$work/opinion-$r6.txt"
answer "$h4" "$r6" --status opinion_returned --report "$work/opinion-$r6.txt"
echo "  answers: 2 quotes, 1 decline, 1 visit scheduled, 2 second opinions returned (encrypted to the partner)"

# The ministry is refused referral by referral (an exact count is not
# protected; its figures are the portfolio's, once the month is released):
# the summary adds up what each receiving hospital sees of its own.
echo "  referrals by status (GET /api/v1/referrals as each receiving hospital; the ministry gets 403):"
for code in $(printf '%s\n' "${hospitals[@]}" | sort -u); do
	tok=$("$ctl" token create --db "$dsn" --role hospital --org "$code" --label demo-referrals --expires 1d 2>/dev/null)
	curl -fsS -H "Authorization: Bearer $tok" "$api/api/v1/referrals" | jq -r '.referrals[].state'
done | sort | uniq -c | awk '{ printf "    %s  %s\n", $2, $1 }'
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ministry" "$api/api/v1/referrals")" = 403 ] ||
	{ echo "referrals-demo: the ministry was not refused GET /api/v1/referrals" >&2; exit 1; }
coord=$("$ctl" token create --db "$dsn" --role coordinator --org "$c1" --label demo-referrals --expires 1d 2>/dev/null)
echo "  median hours from sent to first answer, per hospital (coordinator $c1):"
curl -fsS -H "Authorization: Bearer $coord" "$api/api/v1/referrals" |
	jq -r '.response_times[] | "    \(.hospital)  \(.median_hours) h (\(.answered) answered)"'
n=0
for d in "$work"/*/received/*; do grep -rqa "$marker" "$d" && n=$((n + 1)); done
pg_dump "$dsn" >"$work/hub.dump"
[ -s "$work/hub.dump" ] || { echo "referrals-demo: pg_dump wrote nothing" >&2; exit 1; }
dump=$(grep -ac "$marker" "$work/hub.dump" || true)
rm -f "$work/hub.dump"
logs=$(grep -ac "$marker" "$var/hub.log" || true)
echo "  marker $marker: in $n decrypted folders; in the hub's pg_dump ${dump:-0} times, in its log ${logs:-0} times"
[ "${dump:-0}" = 0 ] && [ "${logs:-0}" = 0 ] && [ "$n" -ge 6 ]
