#!/usr/bin/python3
"""The cap-violation class of the disclosure suite (issue 13): one patient
with many episodes across the year, and what the release's sensitivity
promises about them.

  caps.py export --year Y --out-with F --out-without F
      A hospital's export (standard columns) of background patients, some
      with several episodes, and the file again with patient X added: X
      has 8 episodes in 8 different cells across six months, and a
      nationality (Iceland, IS) nobody else has, so X's cells can be told
      apart in what the spoke sends.
  caps.py check --year Y --raw F --with J --without J
      J: the spoke's dry-run JSON for every month of the year (concatenated
      documents).  Checks, and fails on any breach:
        - the raw export puts X in 6 or more cells of the year (so without
          the caps the bound below could not hold);
        - the spoke's cells hold X in at most 2 cells of the year, 2 of a
          month, 2 episodes a cell;
        - on the neighbouring data sets (with and without X), every query of
          the monthly workload (hub/stats/release.c), computed as the
          release computes its truth (each cell's sums clipped to the
          per-patient bound x its patients), differs by at most its L2
          sensitivity, Delta = 2 x the bound, in every month; every query
          of the yearly workload (patients over the year's months) by at
          most Delta = 2.
      And prints the same differences for X's raw, uncapped cells: what a
      spoke without the caps would have let through.
  caps.py sums-export --year Y --out-with F --out-without F
      The sums class: a cell of six patients with near-zero sums (one
      visit, no stay, 10,000 JPY each; nationality Norway, NO, nobody
      else's) in May, with background patients, and the file again with
      patient Z added to that very cell: 300 visits, 200 inpatient days and
      50,000,000 JPY in one episode.
  caps.py sums-check --year Y --with J --without J
      On the two dry runs: every monthly query of the release, measured as
      the release now measures it (the spoke's per-patient clipped sums),
      differs by at most its stated Delta = 2 x the bound; and the same
      queries measured as the hub measured them before (each cell's exact
      sum clipped at bound x patients) differ by more, for visits, days and
      charge: the check would have failed on the old release (it fails
      when it does not, so that it can be seen to bite).  --as-before:
      the same check with the release measured the old way; it fails.
"""
import argparse
import collections
import csv
import json
import math
import random
import sys

HEADER = ["patient_ref", "nationality", "birth_date", "sex", "purpose", "icd10", "first_visit",
          "discharge", "outpatient_visits", "inpatient_days", "charge_jpy", "referral_channel",
          "referral_org", "remote_second_opinion_first", "medical_stay_visa"]
# The per-patient bounds of the release (hub/stats/release.c, measures[]):
# episodes, visits, inpatient days, charge in units of 10,000 JPY.
BOUND = {"patients": 1, "episodes": 2, "outpatient_visits": 16, "inpatient_days": 31, "charge": 300}
CAP = 2  # cells per patient a month and a year; episodes per patient a cell
# The monthly workload (release.c workload[]): measure and dimensions.
MONTHLY = [("patients", ())] + [("patients", (d,)) for d in (
    "nationality", "purpose", "icd10", "age_band", "sex", "referral_channel", "referral_org",
    "prefecture", "hospital")] + [
    ("patients", ("nationality", "purpose")), ("patients", ("nationality", "medical_stay_visa")),
    ("patients", ("hospital", "purpose"))] + [
    (m, d) for m in ("episodes", "outpatient_visits", "inpatient_days", "charge")
    for d in ((), ("nationality",), ("purpose",))]
YEARLY = [("patients", d) for d in ((), ("nationality",), ("purpose",), ("hospital",),
                                    ("nationality", "purpose"))]
# X: eight episodes, eight cells (purpose, ICD-10 code, chapter), six months.
X_EPISODES = [("01-10", "treatment", "C16.9"), ("02-12", "follow_up", "C16.9"),
              ("03-03", "treatment", "I21.9"), ("03-20", "second_opinion", "C34.1"),
              ("04-05", "treatment", "J18.9"), ("05-07", "follow_up", "I21.9"),
              ("06-01", "other", "K02.9"), ("06-15", "health_checkup", "Z00.00")]


def row(ref, nat, born, sex, purpose, icd, date, visits, days, charge, visa="yes"):
    return [ref, nat, born, sex, purpose, icd, date, "", str(visits), str(days), str(charge),
            "direct", "", "no", visa]


def cmd_export(a):
    rnd = random.Random(a.year)
    rows = []
    nats = ["CN", "CN", "CN", "VN", "VN", "RU", "MN", "US"]
    codes = [("treatment", "C16.9"), ("treatment", "C50.9"), ("health_checkup", "Z00.00"),
             ("follow_up", "C16.9"), ("second_opinion", "C61"), ("other", "K02.9")]
    for i in range(80):
        nat, born = rnd.choice(nats), "%d-0%d-1%d" % (rnd.randint(1940, 1990), rnd.randint(1, 9), rnd.randint(0, 9))
        sex = rnd.choice(["male", "female"])
        for _ in range(rnd.choice([1, 1, 1, 2])):  # 2 cells at most: never capped
            purpose, icd = rnd.choice(codes)
            date = "%d-%02d-%02d" % (a.year, rnd.randint(1, 12), rnd.randint(1, 28))
            rows.append(row("B-%04d" % i, nat, born, sex, purpose, icd, date, rnd.randint(1, 20), 0,
                            rnd.randint(1, 60) * 50000))
    with open(a.out_without, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    for date, purpose, icd in X_EPISODES:
        rows.append(row("X-0001", "IS", "1958-04-04", "female", purpose, icd, "%d-%s" % (a.year, date),
                        30, 0, 4000000))
    rnd.shuffle(rows)
    with open(a.out_with, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)


def docs(path):
    """The JSON documents of a dry run, one per month."""
    text, out, dec, i = open(path).read(), [], json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        d, i = dec.raw_decode(text, i)
        out.append(d)


def cells_of(path):
    """{month: [cell]} with the hub's own keys (hospital, prefecture)."""
    out = collections.defaultdict(list)
    for d in docs(path):
        for c in d.get("cells") or []:
            c = dict(c, hospital="H", prefecture="39")
            out[d["period"]].append(c)
    return out


def rnd_half_up(x):
    """PostgreSQL's round() of a non-negative numeric: halves away from 0."""
    return int(math.floor(x + 0.5))


def clipped(c, m):
    """A cell's measure as the release reads it (SQL_CELLS in release.c):
    visits, days and charge are the spoke's sums of each patient's part of
    the cell clipped at the bound (statistics.h), charges in units of
    10,000 JPY; episodes at most 2 a patient."""
    p = c["patients"]
    if m == "patients":
        return p
    if m == "episodes":
        return min(c[m], BOUND[m] * p)
    if m == "charge":
        return min(rnd_half_up(c["charge_jpy_clipped"] / 10000.0), BOUND[m] * p)
    return c[m + "_clipped"]


def hub_clipped(c, m):
    """The same as the release measured it before the clipped sums: each
    cell's exact sum clipped at bound x patients (a bound per cell, not per
    patient)."""
    p = c["patients"]
    if m == "patients":
        return p
    if m == "charge":
        return min(rnd_half_up(c["charge_jpy"] / 10000.0), BOUND[m] * p)
    return min(c[m], BOUND[m] * p)


def answers(cells, queries, measure=clipped):
    out = []
    for m, dims in queries:
        acc = collections.Counter()
        for c in cells:
            acc[tuple(c[d] for d in dims)] += measure(c, m)
        out.append(acc)
    return out


def l2(a, b):
    return math.sqrt(sum((a.get(k, 0) - b.get(k, 0)) ** 2 for k in set(a) | set(b)))


def raw_cells(path, year):
    """X's cells as a spoke without any cap would send them: per month and
    generalised keys, X counted once per cell, every episode summed."""
    out = collections.defaultdict(dict)
    for r in csv.DictReader(open(path)):
        if r["patient_ref"] != "X-0001" or not r["first_visit"].startswith(str(year)):
            continue
        month = r["first_visit"][:7]
        key = (r["purpose"], r["icd10"][:1])
        c = out[month].setdefault(key, {"nationality": "IS", "purpose": r["purpose"], "icd10": r["icd10"],
                                        "age_band": "60-69", "sex": "female", "referral_channel": "direct",
                                        "referral_org": "", "medical_stay_visa": "yes", "hospital": "H",
                                        "prefecture": "39", "patients": 1, "episodes": 0,
                                        "outpatient_visits": 0, "inpatient_days": 0, "charge_jpy": 0})
        c["episodes"] += 1
        c["outpatient_visits"] += int(r["outpatient_visits"])
        c["charge_jpy"] += int(r["charge_jpy"])
    for cs in out.values():  # X alone in each cell: X's part clipped
        for c in cs.values():
            c["outpatient_visits_clipped"] = min(c["outpatient_visits"], 16)
            c["inpatient_days_clipped"] = min(c["inpatient_days"], 31)
            c["charge_jpy_clipped"] = min(c["charge_jpy"], 3000000)
    return out


def cmd_check(a):
    fails = []
    raw = raw_cells(a.raw, a.year)
    nraw = sum(len(v) for v in raw.values())
    print("raw export: X has %d episodes in %d cells over %d months" % (
        sum(c["episodes"] for v in raw.values() for c in v.values()), nraw, len(raw)))
    if nraw < 6:
        fails.append("the export does not put X in 6 or more cells (%d)" % nraw)
    W, WO = cells_of(a.with_), cells_of(a.without)
    xs = [(m, c) for m, cs in W.items() for c in cs if c["nationality"] == "IS"]
    per_month = collections.Counter(m for m, _ in xs)
    print("sent: X in %d cells of the year (cap %d), at most %d in a month (cap %d), "
          "at most %d episodes in a cell (cap %d)" % (
              len(xs), CAP, max(per_month.values() or [0]), CAP,
              max([c["episodes"] for _, c in xs] or [0]), CAP))
    if len(xs) > CAP or max(per_month.values() or [0]) > CAP or \
            any(c["episodes"] > CAP * c["patients"] for _, c in xs):
        fails.append("the spoke's cells break the caps for X")
    if not xs:
        fails.append("X sent in no cell at all (the caps keep the first, they drop no patient)")
    months = ["%d-%02d" % (a.year, m) for m in range(1, 13)]
    worst = {}
    worst_raw = {}
    for month in months:
        aw, awo = answers(W.get(month, []), MONTHLY), answers(WO.get(month, []), MONTHLY)
        # The same month with X's uncapped cells instead of the capped ones.
        ar = answers([c for c in W.get(month, []) if c["nationality"] != "IS"] +
                     list(raw.get(month, {}).values()), MONTHLY)
        for (m, dims), x, y, z in zip(MONTHLY, aw, awo, ar):
            q = "%s by %s" % (m, ",".join(dims) or "total")
            d, dz = l2(x, y), l2(z, y)
            worst[q] = max(worst.get(q, 0), d)
            worst_raw[q] = max(worst_raw.get(q, 0), dz)
            if d > CAP * BOUND[m] + 1e-9:
                fails.append("%s %s: L2 difference %.2f above the sensitivity %d" % (
                    month, q, d, CAP * BOUND[m]))
    print("%-40s %9s %12s %10s" % ("monthly query (worst month)", "capped", "uncapped X", "Delta"))
    for (m, dims) in MONTHLY:
        q = "%s by %s" % (m, ",".join(dims) or "total")
        print("%-40s %9.2f %12.2f %10d" % (q, worst[q], worst_raw[q], CAP * BOUND[m]))
    year_w = [c for mm in months for c in W.get(mm, [])]
    year_wo = [c for mm in months for c in WO.get(mm, [])]
    year_raw = [c for c in year_w if c["nationality"] != "IS"] + \
        [c for mm in months for c in raw.get(mm, {}).values()]
    print("%-40s %9s %12s %10s" % ("yearly query (patients)", "capped", "uncapped X", "Delta"))
    for (m, dims), x, y, z in zip(YEARLY, answers(year_w, YEARLY), answers(year_wo, YEARLY),
                                  answers(year_raw, YEARLY)):
        q = "patients by %s" % (",".join(dims) or "total")
        d, dz = l2(x, y), l2(z, y)
        print("%-40s %9.2f %12.2f %10d" % (q, d, dz, CAP))
        if d > CAP + 1e-9:
            fails.append("year %s: L2 difference %.2f above the sensitivity %d" % (q, d, CAP))
        if dims == ("nationality",) and dz <= CAP:
            fails.append("the uncapped X should break the yearly sensitivity (%.2f)" % dz)
    for f in fails:
        print("FAIL:", f)
    if not fails:
        print("ok: X within the caps; neighbouring data sets differ within the stated sensitivity")
    return 1 if fails else 0


SUMS_MONTH = 5


def cmd_sums_export(a):
    rnd = random.Random(a.year * 7)
    rows = []
    nats = ["CN", "VN", "RU", "US"]
    for i in range(40):  # background, other cells
        nat = rnd.choice(nats)
        born = "%d-0%d-1%d" % (rnd.randint(1940, 1990), rnd.randint(1, 9), rnd.randint(0, 9))
        date = "%d-%02d-%02d" % (a.year, SUMS_MONTH, rnd.randint(1, 28))
        rows.append(row("B-%04d" % i, nat, born, rnd.choice(["male", "female"]), "treatment",
                        rnd.choice(["C16.9", "C50.9", "I21.9"]), date, rnd.randint(1, 20), 0,
                        rnd.randint(1, 60) * 50000))
    for i in range(6):  # the cell of near-zero sums: NO, 60-69, male, checkup
        rows.append(row("N-%04d" % i, "NO", "1960-0%d-10" % (i + 1), "male", "health_checkup",
                        "Z00.00", "%d-%02d-%02d" % (a.year, SUMS_MONTH, 3 + i), 1, 0, 10000))
    with open(a.out_without, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    z = row("Z-0001", "NO", "1962-07-07", "male", "health_checkup", "Z00.00",
            "%d-%02d-01" % (a.year, SUMS_MONTH), 300, 200, 50000000)
    z[7] = "%d-%02d-30" % (a.year, SUMS_MONTH + 6)  # discharge: a 200-day stay fits
    rows.append(z)
    rnd.shuffle(rows)
    with open(a.out_with, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)


def cmd_sums_check(a):
    fails = []
    month = "%d-%02d" % (a.year, SUMS_MONTH)
    W, WO = cells_of(a.with_).get(month, []), cells_of(a.without).get(month, [])
    zw = [c for c in W if c["nationality"] == "NO"]
    zwo = [c for c in WO if c["nationality"] == "NO"]
    if len(zw) != 1 or len(zwo) != 1 or zw[0]["patients"] != 7 or zwo[0]["patients"] != 6:
        fails.append("the NO cell should hold 6 patients without Z and 7 with (%s / %s)" % (
            [c["patients"] for c in zwo], [c["patients"] for c in zw]))
    else:
        c = zw[0]
        print("the cell with Z: exact visits %d, days %d, charge %d JPY; clipped %d, %d, %d" % (
            c["outpatient_visits"], c["inpatient_days"], c["charge_jpy"],
            c["outpatient_visits_clipped"], c["inpatient_days_clipped"], c["charge_jpy_clipped"]))
        if c["charge_jpy"] != 50060000 or c["charge_jpy_clipped"] != 3060000:
            fails.append("the spoke should keep the exact charge 50,060,000 and clip Z's part "
                         "at 3,000,000 (clipped 3,060,000)")
    measure = hub_clipped if a.as_before else clipped
    if a.as_before:
        print("measured as before the clipped sums (each cell's exact sum at bound x patients)")
    new_w, new_wo = answers(W, MONTHLY, measure), answers(WO, MONTHLY, measure)
    old_w, old_wo = answers(W, MONTHLY, hub_clipped), answers(WO, MONTHLY, hub_clipped)
    print("%-40s %9s %12s %10s" % ("monthly query", "release", "hub clip", "Delta"))
    old_breaks = set()
    for (m, dims), x, y, u, v in zip(MONTHLY, new_w, new_wo, old_w, old_wo):
        q = "%s by %s" % (m, ",".join(dims) or "total")
        d, do = l2(x, y), l2(u, v)
        delta = CAP * BOUND[m]
        print("%-40s %9.2f %12.2f %10d" % (q, d, do, delta))
        if d > delta + 1e-9:
            fails.append("%s: L2 difference %.2f above the sensitivity %d" % (q, d, delta))
        if do > delta + 1e-9:
            old_breaks.add(m)
    for m in ("outpatient_visits", "inpatient_days", "charge"):
        if m not in old_breaks:
            fails.append("the old hub-side clipping should break the sensitivity of %s here "
                         "(else this check shows nothing)" % m)
    for f in fails:
        print("FAIL:", f)
    if not fails:
        print("ok: one patient with huge sums moves the release's sums by at most Delta; "
              "the hub-side clip let them move by more")
    return 1 if fails else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("--year", type=int, required=True)
    e.add_argument("--out-with", required=True)
    e.add_argument("--out-without", required=True)
    c = sub.add_parser("check")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--raw", required=True)
    c.add_argument("--with", dest="with_", required=True)
    c.add_argument("--without", required=True)
    for name in ("sums-export", "sums-check"):
        s = sub.add_parser(name)
        s.add_argument("--year", type=int, required=True)
        if name == "sums-export":
            s.add_argument("--out-with", required=True)
            s.add_argument("--out-without", required=True)
        else:
            s.add_argument("--with", dest="with_", required=True)
            s.add_argument("--without", required=True)
            s.add_argument("--as-before", action="store_true",
                           help="measure as the hub did before 080 (the check must fail)")
    a = ap.parse_args()
    return {"export": cmd_export, "check": cmd_check, "sums-export": cmd_sums_export,
            "sums-check": cmd_sums_check}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
