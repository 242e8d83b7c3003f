#!/usr/bin/env python3
"""The referral class of the attacker suite (issue 15; docs/disclosure-
control.md section 12).

  referral_attack.py data --year Y --referrers A,B --receivers H1,H2
                          --seed N --out-sql F
      a year of referrals as SQL: a large nationality (CN) in the first
      half of the year, and twelve small nationalities with 1 to 9 referrals
      in the year, in random months (the targets: small nationality-years
      and the small months of the second half)
  referral_attack.py attack --api URL --token T --year Y --truth F
      the attacker: reads only GET /api/v1/portfolio (the ministry's
      view) and recovers small counts by differencing its windows:
        months    a suppressed month's referrals: the year by purpose (the
                  listed rows) less the listed months, spread over the
                  suppressed months
        yearly    a small nationality's year: the year's referrals (the
                  sum of the months, suppressed ones as 5) less the listed
                  nationalities, spread over the small ones
      then scores itself against the truth (the release's clipped truth,
      dumped by the test with a connection the attacker does not have):
      it fails on any certain pin (bounds that close on one value) or on
      an exact-hit rate above the prior mode's rate plus the margin.
"""
import argparse
import collections
import json
import random
import sys
import urllib.request

SMALL = ["VN", "RU", "KR", "TH", "ID", "MN", "PH", "MY", "SG", "US", "GB", "AU"]
BANDS = ["20-29", "30-39", "40-49", "50-59", "60-69", "70-79"]
PURPOSES = ["second_opinion", "treatment", "health_checkup"]


def cmd_data(a):
    rnd = random.Random(a.seed)
    refs = a.referrers.split(",")
    recv = a.receivers.split(",")
    rows = []
    n = 0
    # Small nationalities: 1 to 9 referrals in the year, in random months;
    # CN: 25 to 45 a month in the first half only, so the second half's
    # months are small too.
    when = {c: collections.Counter(rnd.randint(1, 12)
                                   for _ in range(rnd.randint(1, 9)))
            for c in SMALL}
    for m in range(1, 13):
        plan = [("CN", rnd.randint(25, 45) if m <= 6 else 0)]
        plan += [(c, when[c][m]) for c in SMALL]
        for nat, count in plan:
            for i in range(count):
                n += 1
                # Groups (referrer, nationality, age band) of at most 3
                # a month for the small ones, so the clip keeps them
                # whole and the truth is the count sent.
                ref = refs[i % len(refs)]
                band = BANDS[(i // len(refs)) % len(BANDS)]
                day = 1 + (i * 7 + m) % 27
                rows.append(
                    "('%032x','%s','%s','%s','%s','%s','%s',%d)" %
                    (n, ref, recv[i % len(recv)], nat, band,
                     rnd.choice(PURPOSES), "%d-%02d-%02d" % (a.year, m, day),
                     i))
    with open(a.out_sql, "w") as f:
        f.write("INSERT INTO referrals (referral_id, referrer, receiver,"
                " key_id, purpose, nationality, age_band, package_bytes,"
                " chunk_count, chunks_stored, state, envelope, digest,"
                " created_at, sent_at) SELECT id, rf, rc, '0000000000000000',"
                " pu, na, ab, 1000, 1, 1, 'sent', '\\x00'::bytea,"
                " sha256(id::bytea), d::timestamptz + make_interval(mins => k),"
                " d::timestamptz + make_interval(mins => k) FROM (VALUES\n")
        f.write(",\n".join(rows))
        f.write(") AS v(id, rf, rc, na, ab, pu, d, k);\n")
    print("referrals generated: %d" % len(rows))


def get(api, token, path):
    req = urllib.request.Request(api + path,
                                 headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def spread(residual, keys, lo=0, hi=9):
    """The residual split evenly over keys, each clamped to [lo, hi]."""
    if not keys:
        return {}
    each = max(lo, min(hi, round(residual / len(keys))))
    return {k: each for k in keys}


def cmd_attack(a):
    y = str(a.year)
    p = get(a.api, a.token, "/api/v1/portfolio")["referrals"]
    months = [x for x in p["by_month"] if x["period"].startswith(y + "-")]
    listed_m = {x["period"]: x["value"] for x in months
                if x["value"] is not None}
    hidden_m = [x["period"] for x in months if x["value"] is None]
    by_purpose = sum(x["value"] for x in p["by_purpose"] if x["year"] == y)
    by_nat = {x["nationality"]: x["value"] for x in p["by_nationality"]
              if x["year"] == y}
    guesses = {}
    # months: the year by purpose less the listed months.
    # One suppressed month alone: were the figures exact, the residual
    # would be it, and the attacker claims it for certain.
    for k, v in spread(by_purpose - sum(listed_m.values()),
                       hidden_m).items():
        guesses[("month", k)] = (v, v, v) if len(hidden_m) == 1 else (v, 0, 9)
    # yearly: the year (months, suppressed ones as 5) less the listed
    # nationalities, over the nationalities not listed that the attacker
    # targets (it knows which countries send patients).
    year = sum(listed_m.values()) + 5 * len(hidden_m)
    small = [c for c in SMALL if c not in by_nat]
    for k, v in spread(year - sum(by_nat.values()), small, 0, 108).items():
        guesses[("nationality", k)] = (v, v, v) if len(small) == 1 \
            else (v, 0, 108)
    truth = json.load(open(a.truth))
    classes = collections.defaultdict(lambda: [0, 0, 0, collections.Counter()])
    for key, t in truth.items():
        cls, k = key.split("|")
        if not 1 <= t <= 9:
            continue
        c = classes[cls]
        c[0] += 1
        c[3][t] += 1
        g = guesses.get((cls, k))
        if g is None:
            continue
        # A certain pin: bounds closed on the true value.
        if g[1] == g[2] == t:
            c[1] += 1
        if g[0] == t:
            c[2] += 1
    failed = False
    for cls, (n, pins, hits, prior) in sorted(classes.items()):
        if n == 0:
            print("%s: no small targets" % cls)
            continue
        bound = prior.most_common(1)[0][1] / n + a.margin
        rate = hits / n
        ok = pins == 0 and rate <= bound
        failed |= not ok
        print("%s: targets %d, certain pins %d, exact hits %.3f, bound %.3f: %s"
              % (cls, n, pins, rate, bound, "ok" if ok else "FAILED"))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("--year", type=int, required=True)
    d.add_argument("--referrers", required=True)
    d.add_argument("--receivers", required=True)
    d.add_argument("--seed", type=int, default=15)
    d.add_argument("--out-sql", required=True)
    t = sub.add_parser("attack")
    t.add_argument("--api", required=True)
    t.add_argument("--token", required=True)
    t.add_argument("--year", type=int, required=True)
    t.add_argument("--truth", required=True)
    t.add_argument("--margin", type=float, default=0.10)
    a = ap.parse_args()
    if a.cmd == "data":
        cmd_data(a)
        return 0
    return cmd_attack(a)


if __name__ == "__main__":
    sys.exit(main())
