#!/usr/bin/python3
"""Helpers of tests/bench/utility.sh (issue 13's utility benchmark).

  utility.py cells --spoke BIN --cases DIR --out cells.tsv [--jobs 2]
      every non-empty generated case file (synthetic_cases_<org>_<year>.csv)
      through the real anonymiser (inbound-spoke stats --dry-run --format
      json, January to December), one TSV row per cell, as the hub's
      statistics_cells stores it (COPY columns below)
  utility.py measure --api URL --token T --truth DIR --label NAME
      the released tables against the truth, printed beside the targets

Nothing here asserts; the benchmark prints figures and targets.
"""
import argparse
import collections
import concurrent.futures
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import urllib.parse

COLUMNS = ("org_code", "period", "nationality", "purpose", "icd10", "icd10_chapter", "age_band",
           "sex", "referral_channel", "referral_org", "remote_second_opinion_first",
           "medical_stay_visa", "patients", "episodes", "inpatient_episodes",
           "outpatient_visits", "inpatient_days", "charge_jpy", "outpatient_visits_clipped",
           "inpatient_days_clipped", "charge_jpy_clipped")
NAME = re.compile(r"synthetic_cases_(\d{10})_(\d{4})\.csv$")


CAPS = re.compile(r"contribution caps: (\d+) episodes? of \S+ dropped, of (\d+) patients?: (\d+) over "
                  r"[^,]*, (\d+) over [^,]*, (\d+) over ")


def anonymise(spoke, path, org, year):
    """The cells of one case file, and what the contribution caps dropped
    (episodes, patients, by the cell's episodes, the month, the year)."""
    run = subprocess.run([spoke, "stats", "--cases", path, "--period", "%s-01" % year,
                          "--until", "%s-12" % year, "--dry-run", "--nil-if-empty", "--format", "json"],
                         capture_output=True, text=True, check=True)
    out = run.stdout
    dropped = [0, 0, 0, 0, 0]
    for m in CAPS.finditer(run.stderr):
        for k in range(5):
            dropped[k] += int(m.group(k + 1))
    rows = []
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(out) and out[i].isspace():
            i += 1
        if i >= len(out):
            break
        doc, i = dec.raw_decode(out, i)
        for c in doc.get("cells", []):
            rows.append("\t".join(str(x) for x in (
                org, doc["period"] + "-01", c["nationality"], c["purpose"], c["icd10"], c["icd10"],
                c["age_band"], c["sex"], c["referral_channel"], c["referral_org"] or "",
                c["remote_second_opinion_first"], c["medical_stay_visa"], c["patients"],
                c["episodes"], c["inpatient_episodes"], c["outpatient_visits"],
                c["inpatient_days"], c["charge_jpy"], c["outpatient_visits_clipped"],
                c["inpatient_days_clipped"], c["charge_jpy_clipped"])))
    return rows, dropped


def cmd_cells(a):
    files = []
    for name in sorted(os.listdir(a.cases)):
        m = NAME.match(name)
        path = os.path.join(a.cases, name)
        # a file with only its header line: no foreign patient that year
        if m and os.path.getsize(path) > 400:
            files.append((path, m.group(1), m.group(2)))
    n = kept = 0
    dropped = [0, 0, 0, 0, 0]
    with open(a.out, "w") as out, concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for rows, d in ex.map(lambda f: anonymise(a.spoke, *f), files):
            for r in rows:
                out.write(r + "\n")
                kept += int(r.split("\t")[13])
            n += len(rows)
            dropped = [x + y for x, y in zip(dropped, d)]
    print("%d case files anonymised into %d cells" % (len(files), n))
    print("contribution caps: %d of %d episodes dropped (%.2f %%), of %d patient-months: %d over 2 "
          "episodes of a patient in a cell, %d over 2 cells of a patient in a month, %d over 2 cells "
          "of a patient in a year" % (dropped[0], kept + dropped[0],
                                      100.0 * dropped[0] / max(1, kept + dropped[0]), dropped[1],
                                      dropped[2], dropped[3], dropped[4]))


def get(api, token, path, params):
    u = urllib.parse.urlparse(api)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    c.request("GET", path + "?" + urllib.parse.urlencode(params),
              headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit("GET %s %s: %d %s" % (path, params, r.status, body[:200]))
    return json.loads(body)


def load_truth(path, nkey):
    d = {}
    for line in open(path):
        f = line.rstrip("\n").split("|")
        d[tuple(f[:nkey])] = int(f[nkey])
    return d


def published(table, dims):
    out = {}
    for c in table["cells"]:
        if not c.get("suppressed") and c.get("value") is not None:
            out[tuple(c[d] for d in dims)] = c["value"]
    return out


def pct(v, q):
    if not v:
        return float("nan")
    v = sorted(v)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def cmd_measure(a):
    monthly = load_truth(a.truth + "/npm.txt", 3)    # (YYYY-MM, nat, purpose)
    yearly = load_truth(a.truth + "/ny.txt", 2)      # (YYYY, nat)
    national = load_truth(a.truth + "/y.txt", 1)     # (YYYY,)
    t = get(a.api, a.token, "/api/v1/statistics", {"by": "period,nationality,purpose", "period": "month"})
    pm = published(t, ("period", "nationality", "purpose"))
    t = get(a.api, a.token, "/api/v1/statistics", {"by": "period,nationality", "period": "year"})
    py = published(t, ("period", "nationality"))
    t = get(a.api, a.token, "/api/v1/statistics", {"by": "period", "period": "year"})
    pn = published(t, ("period",))
    dc = t.get("disclosure_control", {})
    months = {k[0] for k in monthly}
    full = {y for (y,) in national if all("%s-%02d" % (y, m) in months for m in range(1, 13))}

    rel_m = [abs(pm[k] - v) / v for k, v in monthly.items() if k in pm and v > 0]
    big = [k for k, v in monthly.items() if v >= 10]
    kept = sum(1 for k in big if k in pm)
    rel_y = [abs(py[k] - v) / v for k, v in yearly.items() if v >= 100 and k in py]
    miss_y = sum(1 for k, v in yearly.items() if v >= 100 and k not in py)
    rel_y_all = [abs(py[k] - v) / v for k, v in yearly.items() if k in py and v > 0]
    rel_n = [(y, abs(pn[(y,)] - v) / v, v, pn[(y,)]) for (y,), v in sorted(national.items()) if (y,) in pn]
    miss_n = [y for (y,) in national if (y,) not in pn]
    print("== %s: %s" % (a.label, json.dumps(dc, ensure_ascii=False)))
    print("%-62s %-22s %s" % ("figure", "measured", "target"))
    print("%-62s %-22s %s" % ("national monthly patients by nationality x purpose: median",
                              "%.1f %% (%d cells)" % (100 * statistics.median(rel_m), len(rel_m)) if rel_m
                              else "n/a", "(reported)"))
    print("%-62s %-22s %s" % ("  relative error, published cells; 90th percentile",
                              "%.1f %%" % (100 * pct(rel_m, 0.9)) if rel_m else "n/a", ""))
    print("%-62s %-22s %s" % ("yearly totals by nationality (true >= 100): error at p95",
                              "%.2f %% (%d, %d missing)" % (100 * pct(rel_y, 0.95), len(rel_y), miss_y)
                              if rel_y else "n/a", "<= 5 % " + verdict(pct(rel_y, 0.95) <= 0.05 and not miss_y)))
    print("%-62s %-22s %s" % ("yearly totals by nationality (all published): error at p95",
                              "%.1f %% (%d)" % (100 * pct(rel_y_all, 0.95), len(rel_y_all)) if rel_y_all
                              else "n/a", "(reported)"))
    worst = max((r for _, r, _, _ in rel_n), default=float("nan"))
    print("%-62s %-22s %s" % ("yearly national totals: largest error",
                              "%.3f %% (%d years)" % (100 * worst, len(rel_n)),
                              "<= 1 % " + verdict(worst <= 0.01 and not miss_n)))
    for y, r, v, p in rel_n:
        print("    %s: true %d, released %d (%.3f %%)%s" % (y, v, p, 100 * r,
                                                           "" if y in full else " partial year"))
    print("%-62s %-22s %s" % ("share of true monthly cells >= 10 that stay published",
                              "%.1f %% (%d of %d)" % (100 * kept / len(big), kept, len(big)) if big
                              else "n/a", "(reported)"))


def verdict(ok):
    return "met" if ok else "NOT met"


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cells")
    c.add_argument("--spoke", required=True)
    c.add_argument("--cases", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--jobs", type=int, default=2)
    m = sub.add_parser("measure")
    m.add_argument("--api", required=True)
    m.add_argument("--token", required=True)
    m.add_argument("--truth", required=True)
    m.add_argument("--label", required=True)
    a = ap.parse_args()
    {"cells": cmd_cells, "measure": cmd_measure}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
