# Shared set-up of the disclosure attacker suite (issue 13).  Source it
# after tests/integration/lib.sh: it gives the test the demo's data (every
# real hospital listed, a year of generated case statistics sent through
# real spokes), the release step, and the attacker's and the scorer's
# Python (Debian's python3 with python3-numpy and python3-scipy).
#
# The attacker (attack.py) sees only the API, with the tokens it is given.
# The scorer (score.py) reads the truth that disclosure_truth dumps from
# the database with a direct SQL connection the attacker does not have.

PY=/usr/bin/python3
DISC=$IBX_SOURCE/tests/disclosure
$PY -c 'import numpy, scipy.optimize' 2>/dev/null ||
	fail "python3-numpy and python3-scipy are needed (deploy/install-deps.sh)"

# The year attacked: the last complete calendar year.
Y=$(($(date -u +%Y) - 1))

# disclosure_data [HOSPITALS]: list every hospital of the demo (or the
# first HOSPITALS of them), issue and enrol their identities, publish the
# listings, generate a year of case records and send them month by month
# (nil reports for empty months).  Sets LISTINGS and CASES.
disclosure_data() {
	local limit=${1:-0} t0=$SECONDS
	LISTINGS=$WORK/listings CASES=$WORK/cases
	"$DATAGEN_BIN" listings --data "$IBX_SOURCE/deploy/data" --out "$LISTINGS" --seed 42 2>/dev/null
	if [ "$limit" -gt 0 ]; then
		ls "$LISTINGS" | grep '\.json$' | sort | tail -n +$((limit + 1)) |
			while read -r f; do rm -f "$LISTINGS/$f"; done
	fi
	"$IBX_SOURCE/deploy/spokes.sh" issue --pki "$PKI" --listings "$LISTINGS"
	"$CTL_BIN" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert-dir "$PKI/issued" >/dev/null
	"$IBX_SOURCE/deploy/spokes.sh" publish --pki "$PKI" --listings "$LISTINGS" \
		--bin "$IBX_BUILD/spoke" --jobs 4 -- --hub "$NNG_URL" --insecure-tcp >/dev/null ||
		fail "listings not published"
	"$DATAGEN_BIN" cases --data "$IBX_SOURCE/deploy/data" --listings "$LISTINGS" --out "$CASES" \
		--year $Y --seed 42 2>/dev/null
	ls "$LISTINGS" | sed 's/\.json$//' | xargs -P 4 -I{} "$SPOKE_BIN" stats \
		--cases "$CASES/synthetic_cases_{}_$Y.csv" --period $Y-01 --until $Y-12 --nil-if-empty \
		--hub "$NNG_URL" --insecure-tcp --cert "$PKI/issued/{}.pem" --key "$PKI/issued/{}.key" \
		>"$WORK/stats.log" 2>&1 || fail "statistics not accepted: $(grep -v accepted "$WORK/stats.log" | head -3)"
	pass "$(ls "$LISTINGS" | wc -l) hospitals, $(sql "SELECT count(*) FROM statistics_cells WHERE current") cells of $Y stored in $((SECONDS - t0)) s"
}

# disclosure_release: the monthly release step of the mechanism
# (inboundctl release, issue 13), for every closed month up to December of
# the attacked year.  A build without the command gets a printed note and
# the API answers from the raw cells as before.
disclosure_release() {
	local out rc=0
	# The usage names every command; before issue 13 it has no release.
	if ! "$CTL_BIN" release --help 2>&1 | grep -q 'inboundctl release'; then
		[ -n "${RELEASE_NOTED:-}" ] ||
			echo "note: inboundctl has no \"release\" command in this build: the API answers from the raw cells (today's mechanism)"
		RELEASE_NOTED=1
		return 0
	fi
	out=$("$CTL_BIN" release --db "$DSN" --until "$Y-12" 2>&1) || rc=$?
	# The first release must work; a later one (after a resubmission,
	# every month already released) may have nothing to do.
	if [ "$rc" -ne 0 ] && [ -n "${RELEASE_NOTED:-}" ]; then
		echo "note: inboundctl release --until $Y-12 again: $out" | head -3
		return 0
	fi
	[ "$rc" -eq 0 ] || fail "inboundctl release --until $Y-12: $out"
	[ -n "${RELEASE_NOTED:-}" ] || echo "release: $out" | head -5
	RELEASE_NOTED=1
}

# disclosure_truth DIR [ORG...]: the truth the scorer needs, from the raw
# cells (sums of patients): per hospital-month, nationality-month,
# nationality-purpose-month, and per nationality-month of each ORG.
disclosure_truth() {
	local dir=$1 orgs
	shift
	mkdir -p "$dir"
	sql "SELECT org_code, to_char(period, 'YYYY-MM'), sum(patients) FROM statistics_cells
	     WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY 1, 2" >"$dir/hm.txt"
	sql "SELECT nationality, to_char(period, 'YYYY-MM'), sum(patients) FROM statistics_cells
	     WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY 1, 2" >"$dir/nm.txt"
	sql "SELECT nationality, purpose, to_char(period, 'YYYY-MM'), sum(patients) FROM statistics_cells
	     WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY 1, 2, 3" >"$dir/npm.txt"
	orgs=$(printf "'%s'," "$@")
	sql "SELECT org_code, nationality, to_char(period, 'YYYY-MM'), sum(patients) FROM statistics_cells
	     WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' AND org_code IN (${orgs%,})
	     GROUP BY 1, 2, 3" >"$dir/own_nm.txt"
}
