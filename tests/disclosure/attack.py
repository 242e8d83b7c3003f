#!/usr/bin/python3
"""The attacker of the disclosure suite (issue 13): an outside user with API
tokens (ministry, coordinator, hospitals) who tries to learn small counts
(1 to 9 patients) of one calendar year.  It reads nothing but the API.

Every attack writes, per target class, a guess and (when it can prove them)
bounds for each target it can name:

  hm      hospital-month            "ORG|YYYY-MM"
  hy      hospital-year             "ORG|YYYY"
  nm      nationality-month         "NAT|YYYY-MM"
  npm     nationality-purpose-month "NAT|PURPOSE|YYYY-MM"
  others  the national nationality-month less one hospital's own
          patients (tracker, resubmission)  "ORG|NAT|YYYY-MM"
  ny      nationality-year          "NAT|YYYY"
  npy     nationality-purpose-year  "NAT|PURPOSE|YYYY"
  oy      the national nationality-year less one hospital's own
          patients (yearly tracker)  "ORG|NAT|YYYY"

as {"attack": {"class": {"key": [guess, lo, hi]}}}, lo and hi null when
unknown.  tests/disclosure/score.py scores them against the database.

What the attacker assumes, all of it from the documentation or the answer:
- a table whose disclosure_control says "cell-key" (the mechanism before
  issue 13) has count noise of at most +-2 (docs/disclosure-control.md),
  suppresses true counts 1..k-1 and lists suppressed cells while leaving
  out empty ones; counts are integers >= 0 and every stored cell holds at
  least one patient (docs/case-records.md);
- any other mechanism (a formally private release): noise of unknown,
  unbounded size, so only non-negativity, integrality, a hospital's own
  exact figures and the sums of exact figures are certain; published
  values are used as estimates.

Usage:
  attack.py run --api URL --year Y --ministry T --coordinator T
                --hospital ORG=T [--hospital ORG=T ...] --out guesses.json
  attack.py snapshot --api URL --year Y --coordinator T --hospital ORG=T
                --out round.json        (one resubmission round)
  attack.py resub --year Y [--month YYYY-MM] --org ORG --out guesses.json
                round.json...
"""
import argparse
import http.client
import itertools
import json
import math
import sys
import time
import urllib.parse

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, lsq_linear, milp

SEXES = ["male", "female", "unknown"]
CHANNELS = ["coordinator", "hospital", "doctor", "direct"]
AGES = ["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69",
        "70-79", "80-89", "90+", "unknown"]
ABSENT = "absent"
NDB = {"published_1_to_9": 0, "suppressed_listed": 0, "tables": 0}


class Budget(Exception):
    pass


class Api:
    """GETs over one keep-alive connection, counted against a budget."""

    def __init__(self, base, budget):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.conn = None
        self.n = 0
        self.budget = budget
        self.by_attack = {}
        self.attack = "setup"

    def get(self, token, path, params=None):
        self.n += 1
        self.by_attack[self.attack] = self.by_attack.get(self.attack, 0) + 1
        if self.n > self.budget:
            raise Budget("query budget of %d spent" % self.budget)
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self.conn.request("GET", url, headers={"Authorization": "Bearer " + token})
                r = self.conn.getresponse()
                body = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                try:
                    obj = json.loads(body) if body else None
                except ValueError:
                    obj = None
                return r.status, obj
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                time.sleep(0.2)
        raise RuntimeError("GET %s failed" % url)


def months_of(year):
    return ["%d-%02d" % (year, m) for m in range(1, 13)]


def period_months(label, year):
    """The months of Y a period label covers, or None outside Y."""
    if label is None:
        return None
    if len(label) == 4:
        return months_of(year) if int(label) == year else None
    y = int(label[:4])
    if y != year:
        return None
    if label[5] == "Q":
        q = int(label[6])
        return ["%d-%02d" % (year, m) for m in range(3 * q - 2, 3 * q + 1)]
    return [label]


class Mechanism:
    """What the attacker may assume about a table (see the module doc)."""

    def __init__(self, table):
        dc = (table or {}).get("disclosure_control") or {}
        NDB["tables"] += 1
        applied = str(dc.get("applied", ""))
        self.k = int(dc.get("k", 10) or 10)
        self.cell_key = "cell-key" in applied
        self.own = applied.startswith("none") or "your own" in applied
        self.noise = 2 if self.cell_key else (0 if self.own else None)
        # Japan's NDB rule, checked on every table read: no published
        # count from 1 to 9, and a suppressed cell shown no differently
        # from an empty one (both left out, or both shown alike).
        if not self.own and table:
            cells = table.get("cells") or []
            for c in cells:
                v = c.get("value")
                if not c.get("suppressed") and isinstance(v, int) and 1 <= v <= 9:
                    NDB["published_1_to_9"] += 1
            # Suppressed cells shown while some combination of the keys
            # the table uses is left out: a zero looks unlike them.
            dims = table.get("by") or []
            full = 1
            for d in dims:
                full *= len({c.get(d) for c in cells})
            if dims and len(cells) < full:
                NDB["suppressed_listed"] += sum(1 for c in cells if c.get("suppressed"))
        cells = (table or {}).get("cells") or []
        # Suppressed cells listed beside published ones, and no published
        # zero: the listed combinations are the non-empty ones.
        self.lists_nonempty = self.cell_key and any(c.get("suppressed") for c in cells) \
            and not any(c.get("value") == 0 for c in cells)


class Windows:
    """Answers about groups of monthly unknowns: for each group key, a list
    of (months, value) where value is an integer, None (suppressed, listed)
    or ABSENT (not listed in a table that could have listed it)."""

    def __init__(self):
        self.obs = {}
        self.mech = None
        self.keys_seen = set()

    def add(self, key, months, value):
        self.obs.setdefault(key, []).append((tuple(months), value))


def fetch_windows(api, token, year, by, params=None, mode=None):
    """Every window of months of the year the API answers for a table by the
    dimensions BY: arbitrary from/to windows when the API takes them (78 a
    year), else the calendar grains (month, quarter, year).  Returns
    (Windows, mode)."""
    params = dict(params or {})
    w = Windows()
    pending = []  # (windows, keys present) per answer: absent keys later
    months = months_of(year)
    answers = []  # (months or None when the rows carry periods, table)
    if mode in (None, "windows"):
        st, t = api.get(token, "/api/v1/statistics",
                        dict(params, by=",".join(by), **{"from": months[0], "to": months[0]}))
        if st == 200:
            mode = "windows"
            answers.append(([months[0]], t))
            for a, b in itertools.combinations_with_replacement(range(12), 2):
                if a == b == 0:
                    continue
                st, t = api.get(token, "/api/v1/statistics",
                                dict(params, by=",".join(by), **{"from": months[a], "to": months[b]}))
                if st == 200:
                    answers.append((months[a:b + 1], t))
        else:
            mode = "grains"
    if mode == "grains":
        for grain in ("month", "quarter", "year"):
            st, t = api.get(token, "/api/v1/statistics",
                            dict(params, by=",".join(["period"] + list(by)), period=grain))
            if st == 200:
                answers.append((None, t))
    for months_w, t in answers:
        m = Mechanism(t)
        if w.mech is None or (m.cell_key and not w.mech.lists_nonempty and m.lists_nonempty):
            w.mech = m
        seen = {}
        for c in t.get("cells", []):
            key = tuple(c.get(d) for d in by)
            mw = months_w if months_w is not None else period_months(c.get("period"), year)
            if mw is None:
                continue
            w.keys_seen.add(key)
            seen[(key, tuple(mw))] = c.get("value") if not c.get("suppressed") else None
        for (key, mw), v in seen.items():
            w.add(key, mw, v)
        # What a table leaves out: each window it covers, for every key.
        if months_w is not None:
            windows = {tuple(months_w)}
        else:
            windows = {tuple(period_months(c.get("period"), year) or ()) for c in t.get("cells", [])}
            windows.discard(())
        pending.append((windows, set(seen)))
    for windows, present in pending:
        for key in w.keys_seen:
            for mw in windows:
                if (key, mw) not in present:
                    w.add(key, mw, ABSENT)
    return w, mode


def window_constraints(obs, mech, index, offset=None):
    """Linear constraints (coef dict, lo, hi) and estimates (coef, value)
    over the unknowns named by index(month) from the answers obs of one
    group; offset[month] is subtracted (a tracker's own exact figures)."""
    cons, est = [], []
    k = mech.k if mech else 10
    for mw, v in obs:
        coef = {}
        for m in mw:
            for i in index(m):
                coef[i] = coef.get(i, 0) + 1
        if not coef:
            continue
        off = sum(offset.get(m, 0) for m in mw) if offset else 0
        if v == ABSENT:
            if mech and mech.lists_nonempty:
                cons.append((coef, 0 - off, 0 - off))
            elif mech and mech.noise is not None:
                cons.append((coef, -math.inf, k - 1 - off))
        elif v is None:
            # Suppressed: a count from 1 to k-1, or a larger one behind
            # fewer than 3 hospitals or suppressed as a complement; only
            # "not empty" is certain.
            if mech and mech.lists_nonempty:
                cons.append((coef, 1 - off, math.inf))
        else:
            est.append((coef, v - off))
            if mech and mech.noise is not None:
                cons.append((coef, v - mech.noise - off, v + mech.noise - off))
    return cons, est


def solve(n, cons, est, targets, lo=None, hi=None, refine=True):
    """Bounds and a least-squares estimate of each target (a coef dict over
    n integer unknowns >= 0) under cons.  Returns {name: (guess, lo, hi)};
    lo and hi None when the constraints are inconsistent (the attacker's
    model is wrong: it claims nothing)."""
    lo = np.zeros(n) if lo is None else np.asarray(lo, float)
    hi = np.full(n, np.inf) if hi is None else np.asarray(hi, float)
    rows, blo, bhi = [], [], []
    for coef, a, b in cons:
        r = np.zeros(n)
        for i, c in coef.items():
            r[i] = c
        rows.append(r)
        blo.append(a)
        bhi.append(b)
    A = np.array(rows) if rows else np.zeros((0, n))
    blo, bhi = np.array(blo), np.array(bhi)
    A_ub = np.vstack([A[np.isfinite(bhi)], -A[np.isfinite(blo)]]) if rows else None
    b_ub = np.concatenate([bhi[np.isfinite(bhi)], -blo[np.isfinite(blo)]]) if rows else None
    bounds = list(zip(lo, [None if not np.isfinite(h) else h for h in hi]))
    # Least squares over the estimates, within the variable bounds.
    x = None
    if est:
        E = np.zeros((len(est), n))
        y = np.zeros(len(est))
        for j, (coef, v) in enumerate(est):
            for i, c in coef.items():
                E[j, i] = c
            y[j] = v
        try:
            x = lsq_linear(E, y, bounds=(lo, np.maximum(hi, lo + 1e-9))).x
        except ValueError:
            x = np.linalg.lstsq(E, y, rcond=None)[0]
    out = {}
    feasible = True
    for name, coef in targets.items():
        c = np.zeros(n)
        for i, v in coef.items():
            c[i] = v
        tlo = thi = None
        if feasible and rows:
            r1 = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
            if r1.status == 2:
                feasible = False
            elif r1.status == 0:
                tlo = math.ceil(r1.fun - 1e-6)
                # Not a small count: its upper bound pins nothing.
                r2 = linprog(-c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs") \
                    if tlo <= 9 else None
                thi = math.floor(-r2.fun + 1e-6) if r2 is not None and r2.status == 0 else None
                if refine and thi is not None and thi - tlo <= 3 and tlo <= 9:
                    cons_m = [LinearConstraint(A, blo, bhi)]
                    integ = np.ones(n)
                    b = Bounds(lo, hi)
                    m1 = milp(c, constraints=cons_m, integrality=integ, bounds=b)
                    m2 = milp(-c, constraints=cons_m, integrality=integ, bounds=b)
                    if m1.status == 0 and m2.status == 0:
                        tlo, thi = round(m1.fun), round(-m2.fun)
        elif not rows:
            tlo = int(np.ceil(c @ lo - 1e-6)) if np.all(c >= 0) else None
        if not feasible:
            tlo = thi = None
        e = float(c @ x) if x is not None else None
        out[name] = guess(e, tlo, thi)
    return out


def guess(e, lo, hi):
    """The attacker's best guess from an estimate and proven bounds: the
    rounded estimate clamped into the bounds and into 1..9 (the targets are
    small counts); without an estimate, the smallest value the bounds allow
    (small counts are mostly small)."""
    a = max(1, lo if lo is not None else 1)
    b = min(9, hi if hi is not None else 9)
    if b < a:  # the bounds say "not a small count"
        g = lo if lo is not None else 1
    elif e is None:
        g = a
    else:
        g = min(max(int(round(e)), a), b)
    return [int(g), lo, hi]


# --- the attacks -------------------------------------------------------------

def attack_cells(api, tok, year):
    """Cell counts as patient counts: each hospital-month's `cells` in
    /completeness and /submissions (ministry).  A stored cell holds at least
    one patient, so cells is a lower bound, and the guess."""
    cells = {}
    for m in months_of(year):
        st, c = api.get(tok, "/api/v1/completeness", {"period": m})
        if st == 200:
            for h in c.get("hospitals", []):
                v = h.get("cells")
                if isinstance(v, int) and v > 0:
                    cells[(h["organisation_code"], m)] = v
        st, s = api.get(tok, "/api/v1/submissions", {"period": m})
        if st == 200:
            for sub in (s or {}).get("submissions", []) if isinstance(s, dict) else (s or []):
                v = sub.get("cells")
                if isinstance(v, int) and v > 0 and sub.get("superseded_at") is None:
                    cells[(sub["organisation_code"], m)] = max(v, cells.get((sub["organisation_code"], m), 0))
    hm, hy = {}, {}
    for (org, m), v in cells.items():
        hm["%s|%s" % (org, m)] = guess(v, v, None)
        hy.setdefault(org, 0)
        hy[org] += v
    return {"hm": hm, "hy": {"%s|%d" % (o, year): guess(v, v, None) for o, v in hy.items()}}, cells


def listed_rows(api, tok, year, by, filters):
    """Fine tables by BY (period first), one per combination of the filter
    values: each listed row holds at least one patient when the mechanism
    lists suppressed cells and leaves out empty ones.  Returns per key of
    BY (period included): (lower bound, estimate, certain)."""
    rows = {}
    names = [f for f, _ in filters]
    for combo in itertools.product(*[vals for _, vals in filters]):
        st, t = api.get(tok, "/api/v1/statistics",
                        dict(zip(names, combo), by=",".join(by)))
        if st != 200:
            continue
        mech = Mechanism(t)
        for c in t.get("cells", []):
            if period_months(c.get("period"), year) is None:
                continue
            key = tuple(c.get(d) for d in by)
            lo, e, _ = rows.get(key, (0, 0, True))
            v = None if c.get("suppressed") else c.get("value")
            if v is None:
                lo += 1 if mech.lists_nonempty else 0
                e += 1
            else:
                lo += max(0, v - mech.noise) if mech.noise is not None else 0
                e += v
            rows[key] = (lo, e, True)
    return rows


def attack_rows(api, coord, ministry, year):
    """Counting listed rows at the finest grain the API allows (four
    dimensions, split further by every value of the other filters)."""
    fine = listed_rows(api, coord, year, ["period", "nationality", "purpose", "icd10_chapter"],
                       [("sex", SEXES), ("referral_channel", CHANNELS), ("age_band", AGES)])
    nm, npm = {}, {}
    for (p, nat, pur, _), (lo, e, _) in fine.items():
        a = nm.setdefault((nat, p), [0, 0])
        a[0] += lo
        a[1] += e
        a = npm.setdefault((nat, pur, p), [0, 0])
        a[0] += lo
        a[1] += e
    hosp = listed_rows(api, ministry, year, ["period", "hospital", "purpose", "age_band"],
                       [("sex", SEXES), ("referral_channel", CHANNELS)])
    hm = {}
    for (p, org, _, _), (lo, e, _) in hosp.items():
        a = hm.setdefault((org, p), [0, 0])
        a[0] += lo
        a[1] += e
    out = {
        "nm": {"%s|%s" % k: guess(e, lo or None, None) for k, (lo, e) in nm.items()},
        "npm": {"%s|%s|%s" % k: guess(e, lo or None, None) for k, (lo, e) in npm.items()},
        "hm": {"%s|%s" % k: guess(e, lo or None, None) for k, (lo, e) in hm.items()},
    }
    lower = {"nm": {k: v[0] for k, v in nm.items()}, "npm": {k: v[0] for k, v in npm.items()},
             "hm": {k: v[0] for k, v in hm.items()}}
    return out, lower


def monthly_system(w, year, lower=None, offset=None, refine=False):
    """One group per key of the windows w: 12 monthly unknowns; targets the
    months and the year.  lower[key][month] is a proven lower bound.  Every
    window is a run of consecutive months, so the constraint matrix is an
    interval matrix, totally unimodular: with integer bounds the linear
    programme's optima are integers already, and integer programming
    (refine) would find the same bounds."""
    months = months_of(year)
    idx = {m: i for i, m in enumerate(months)}
    res = {}
    for key, obs in w.obs.items():
        off = offset.get(key) if offset else None
        cons, est = window_constraints(obs, w.mech, lambda m: [idx[m]], off)
        lo = np.zeros(12)
        if lower and key in lower:
            for m, v in lower[key].items():
                lo[idx[m]] = max(0, v - (off.get(m, 0) if off else 0))
        targets = {m: {idx[m]: 1} for m in months}
        targets["year"] = {i: 1 for i in range(12)}
        res[key] = solve(12, cons, est, targets, lo=lo, refine=refine)
    return res


def attack_windows(api, coord, ministry, year, lower=None, cells=None):
    """Overlapping windows (from/to, or month/quarter/year), differencing
    any two answers: the system of every window per group, solved for
    proven bounds and a least-squares estimate."""
    out = {"nm": {}, "npm": {}, "hm": {}, "hy": {}}
    wn, mode = fetch_windows(api, coord, year, ["nationality"])
    for (nat,), r in monthly_system(wn, year, _lower_by(lower, "nm", 1)).items():
        for m, g in r.items():
            if m != "year":
                out["nm"]["%s|%s" % (nat, m)] = g
    wnp, _ = fetch_windows(api, coord, year, ["nationality", "purpose"], mode=mode)
    for (nat, pur), r in monthly_system(wnp, year, _lower_by(lower, "npm", 2)).items():
        for m, g in r.items():
            if m != "year":
                out["npm"]["%s|%s|%s" % (nat, pur, m)] = g
    wh, _ = fetch_windows(api, ministry, year, ["hospital"], mode=mode)
    low_h = _lower_by(lower, "hm", 1) or {}
    if cells:
        for (org, m), v in cells.items():
            d = low_h.setdefault((org,), {})
            d[m] = max(d.get(m, 0), v)
    for (org,), r in monthly_system(wh, year, low_h).items():
        for m, g in r.items():
            if m == "year":
                out["hy"]["%s|%d" % (org, year)] = g
            else:
                out["hm"]["%s|%s" % (org, m)] = g
    return out, (wn, wnp, wh, mode)


def _lower_by(lower, cls, nkey):
    if not lower:
        return None
    d = {}
    for k, v in lower[cls].items():
        d.setdefault(tuple(k[:nkey]), {})[k[nkey]] = v
    return d


def attack_reconstruct(year, wn, wnp, lower, purposes):
    """Reconstruction over all released tables together, per nationality:
    unknowns nationality x purpose x month, bound by every window of the
    nationality table and of the nationality-purpose table at once, the
    listed-row lower bounds, counts >= 0 and integers; least squares for
    the estimate, linear and integer programming for the bounds."""
    months = months_of(year)
    P = len(purposes)
    out = {"nm": {}, "npm": {}}
    mech = wnp.mech or wn.mech
    for nat in sorted({k[0] for k in wn.obs} | {k[0] for k in wnp.obs}):
        def index_np(pur):
            p = purposes.index(pur)
            return lambda m: [p * 12 + months.index(m)]
        cons, est = window_constraints(wn.obs.get((nat,), []), wn.mech,
                                       lambda m: [p * 12 + months.index(m) for p in range(P)])
        for pur in purposes:
            c2, e2 = window_constraints(wnp.obs.get((nat, pur), []), wnp.mech, index_np(pur))
            cons += c2
            est += e2
        lo = np.zeros(P * 12)
        if lower:
            for (n2, pur, m), v in lower["npm"].items():
                if n2 == nat and pur in purposes and m in months:
                    lo[purposes.index(pur) * 12 + months.index(m)] = v
        targets = {}
        for j, m in enumerate(months):
            targets["nm|" + m] = {p * 12 + j: 1 for p in range(P)}
            for p, pur in enumerate(purposes):
                targets["npm|%s|%s" % (pur, m)] = {p * 12 + j: 1}
        r = solve(P * 12, cons, est, targets, lo=lo, refine=mech is not None)
        for name, g in r.items():
            parts = name.split("|")
            if parts[0] == "nm":
                out["nm"]["%s|%s" % (nat, parts[1])] = g
            else:
                out["npm"]["%s|%s|%s" % (nat, parts[1], parts[2])] = g
    return out


def own_figures(api, tok, year):
    """A hospital's own exact figures by nationality and month."""
    own = {}
    st, t = api.get(tok, "/api/v1/statistics", {"by": "period,nationality"})
    if st != 200 or not Mechanism(t).own:
        return own
    for c in t.get("cells", []):
        if period_months(c.get("period"), year) and not c.get("suppressed"):
            own.setdefault((c["nationality"],), {})[c["period"]] = c["value"]
    return own


def attack_tracker(api, hospitals, year, wn, lower):
    """Trackers through a hospital's own exact figures: the national
    nationality-month answers less the hospital's own exact ones isolate
    every other hospital's patients."""
    out = {}
    low = _lower_by(lower, "nm", 1)
    for org, tok in hospitals.items():
        own = own_figures(api, tok, year)
        offset = {key: own.get(key, {}) for key in wn.obs}
        for (nat,), r in monthly_system(wn, year, low, offset).items():
            for m, g in r.items():
                if m != "year":
                    out["%s|%s|%s" % (org, nat, m)] = g
    return {"others": out}


PURPOSES = ["treatment", "health_checkup", "second_opinion", "follow_up", "other",
            "travel_emergency"]


def year_table(api, tok, year, by, **extra):
    """The table of the calendar year by BY (patients), or None."""
    params = dict(measure="patients", period="year", year=str(year), **extra)
    if by:
        params["by"] = ",".join(by)
    st, t = api.get(tok, "/api/v1/statistics", params)
    if st != 200 or not isinstance(t, dict):
        return None
    Mechanism(t)  # the NDB rule, checked on every table read
    return t


def _listed(t, dims):
    return {tuple(c.get(d) for d in dims): c["value"] for c in (t or {}).get("cells", [])
            if not c.get("suppressed") and isinstance(c.get("value"), int)}


def _spread(residual, keys):
    """A residual shared evenly by the keys the tables leave out."""
    if not keys or residual is None:
        return {}
    e = max(0.0, residual) / len(keys)
    return {k: guess(e, None, None) for k in keys}


def attack_yearly(api, coord, ministry, hospitals, year):
    """The yearly class: small counts of a calendar year, nationally by
    nationality and by nationality x purpose, per hospital-year, and per
    nationality-year less a tracker hospital's own exact year.  The year
    is its own measurement now (docs/disclosure-control.md section 3), so
    the attacker differences the yearly tables: a table's total less its
    listed rows is the sum of the rows left out (1 to 9, or 0), shared
    among the keys it has seen in any table (other years, months); a
    nationality x purpose row sums to its nationality exactly
    (post-processing), so its left-out purposes share what the listed ones
    do not take; a tracker subtracts its own exact year from the national
    one.  Nothing about the truth is certain here but non-negativity."""
    out = {"ny": {}, "npy": {}, "hy": {}, "oy": {}}
    tn = year_table(api, coord, year, ["nationality"])
    if tn is None:
        return out
    total = (tn.get("totals") or {}).get("value")
    listed_n = _listed(tn, ["nationality"])
    # Keys the attacker has seen: other years and the months of this one.
    seen = set(listed_n)
    for y in (year - 1, year - 2):
        seen |= set(_listed(year_table(api, coord, y, ["nationality"]), ["nationality"]))
    st, tm = api.get(coord, "/api/v1/statistics",
                     {"measure": "patients", "by": "period,nationality", "period": "month",
                      "year": str(year)})
    if st == 200:
        Mechanism(tm)
        seen |= {(c["nationality"],) for c in tm.get("cells", [])}
    left = sorted(seen - set(listed_n))
    res = total - sum(listed_n.values()) if isinstance(total, int) else None
    for (nat,), g in _spread(res, left).items():
        out["ny"]["%s|%d" % (nat, year)] = g
    # Nationality x purpose: each row sums to its nationality.
    tnp = year_table(api, coord, year, ["nationality", "purpose"])
    listed_np = _listed(tnp, ["nationality", "purpose"])
    for (nat,), v in listed_n.items():
        mine = {p: w for (n2, p), w in listed_np.items() if n2 == nat}
        rest = [p for p in PURPOSES if p not in mine]
        for p, g in _spread(v - sum(mine.values()), rest).items():
            out["npy"]["%s|%s|%d" % (nat, p, year)] = g
    for nat in left:
        g = out["ny"].get("%s|%d" % (nat[0], year))
        if g is not None:
            for p, g2 in _spread(g[0], PURPOSES).items():
                out["npy"]["%s|%s|%d" % (nat[0], p, year)] = g2
    # Hospital-years (ministry): the total less the listed hospitals,
    # shared by every hospital that reported that year.
    th = year_table(api, ministry, year, ["hospital"])
    listed_h = _listed(th, ["hospital"])
    reported = set()
    for m in months_of(year):
        st, c = api.get(ministry, "/api/v1/completeness", {"period": m})
        if st == 200 and isinstance(c, dict):
            reported |= {h["organisation_code"] for h in c.get("hospitals", [])
                         if h.get("reported") or h.get("submitted_at")}
    rest_h = sorted(reported - {k[0] for k in listed_h})
    res_h = total - sum(listed_h.values()) if isinstance(total, int) else None
    for org, g in _spread(res_h, rest_h).items():
        out["hy"]["%s|%d" % (org, year)] = g
    # The yearly tracker: national year less the hospital's own exact year.
    for org, tok in hospitals.items():
        own_t = year_table(api, tok, year, ["nationality"], hospital=org)
        if own_t is None or not Mechanism(own_t).own:
            continue
        own = _listed(own_t, ["nationality"])
        for (nat,), v in listed_n.items():
            out["oy"]["%s|%s|%d" % (org, nat, year)] = guess(v - own.get((nat,), 0), None, None)
    return out


def merge(*results):
    """The best of several attacks per target: the tightest proven bounds
    (intersected), the guess of the attack with the narrowest bounds."""
    out = {}
    for res in results:
        for cls, d in res.items():
            o = out.setdefault(cls, {})
            for key, (g, lo, hi) in d.items():
                if key not in o:
                    o[key] = [g, lo, hi]
                    continue
                g0, lo0, hi0 = o[key]
                nlo = max(x for x in (lo, lo0) if x is not None) if (lo, lo0) != (None, None) else None
                nhi = min(x for x in (hi, hi0) if x is not None) if (hi, hi0) != (None, None) else None
                w_new = (hi - lo) if lo is not None and hi is not None else math.inf
                w_old = (hi0 - lo0) if lo0 is not None and hi0 is not None else math.inf
                o[key] = guess(g if w_new < w_old else g0, nlo, nhi) if nlo is None or nhi is None or nlo <= nhi \
                    else [g0, None, None]
    return out


def cmd_run(a):
    api = Api(a.api, a.budget)
    hospitals = dict(h.split("=", 1) for h in a.hospital)
    results, t0 = {}, time.time()
    times = {}

    def timed(name, fn, *args):
        api.attack = name
        s = time.time()
        r = fn(*args)
        times[name] = time.time() - s
        return r

    results["cells"], cells = timed("cells", attack_cells, api, a.ministry, a.year)
    results["rows"], lower = timed("rows", attack_rows, api, a.coordinator, a.ministry, a.year)
    results["windows"], (wn, wnp, wh, mode) = timed("windows", attack_windows, api, a.coordinator,
                                                   a.ministry, a.year)
    purposes = sorted({k[1] for k in wnp.obs})
    rec = timed("reconstruct", attack_reconstruct, a.year, wn, wnp, lower, purposes)
    api.attack = "reconstruct"
    # Hospital-months with every lower bound (cells, listed rows) added.
    low_h = _lower_by(lower, "hm", 1) or {}
    for (org, m), v in cells.items():
        d = low_h.setdefault((org,), {})
        d[m] = max(d.get(m, 0), v)
    s = time.time()
    rec["hm"], rec["hy"] = {}, {}
    for (org,), r in monthly_system(wh, a.year, low_h).items():
        for m, g in r.items():
            if m == "year":
                rec["hy"]["%s|%d" % (org, a.year)] = g
            else:
                rec["hm"]["%s|%s" % (org, m)] = g
    times["reconstruct"] += time.time() - s
    results["reconstruct"] = merge(rec, results["cells"], results["rows"])
    results["tracker"] = timed("tracker", attack_tracker, api, hospitals, a.year, wn, lower)
    results["yearly"] = timed("yearly", attack_yearly, api, a.coordinator, a.ministry, hospitals, a.year)
    # The yearly figures from the months' systems, beside the yearly
    # tables: the windows' and reconstruction's "year" estimates.
    results["all"] = merge(*[results[k] for k in ("reconstruct", "tracker", "cells", "rows", "windows",
                                                  "yearly")])
    meta = {"queries": api.n, "queries_by_attack": api.by_attack, "seconds": times,
            "window_mode": mode, "ndb": NDB, "mechanism": {"cell_key": bool(wn.mech and wn.mech.cell_key),
                                               "noise_bound": wn.mech.noise if wn.mech else None,
                                               "lists_nonempty": bool(wn.mech and wn.mech.lists_nonempty)}}
    json.dump({"meta": meta, "attacks": results}, open(a.out, "w"))
    print("attacker: %d queries (%s), %.0f s; windows by %s; mechanism %s" % (
        api.n, ", ".join("%s %d" % kv for kv in api.by_attack.items()), time.time() - t0, mode,
        json.dumps(meta["mechanism"])))


def cmd_snapshot(a):
    """One resubmission round: every window of the national table by
    nationality (fresh record keys give fresh noise to each) and the
    hospital's own exact figures."""
    api = Api(a.api, a.budget)
    org, tok = a.hospital[0].split("=", 1)
    w, mode = fetch_windows(api, a.coordinator, a.year, ["nationality"])
    m = w.mech
    snap = {"mode": mode,
            "mech": {"k": m.k, "noise": m.noise, "cell_key": m.cell_key,
                     "lists_nonempty": m.lists_nonempty} if m else None,
            "obs": {key[0]: [[list(mw), v] for mw, v in obs] for key, obs in w.obs.items()},
            "own": {nat: d for (nat,), d in own_figures(api, tok, a.year).items()}}
    json.dump(snap, open(a.out, "w"))


class _Mech:
    def __init__(self, d):
        self.__dict__.update(d)


def cmd_resub(a):
    """Resubmission: the year resubmitted N times, each time with fresh
    record keys, so that every window of every round is a fresh noisy
    answer: the system of all of them at once, less the hospital's own
    exact figures."""
    snaps = [json.load(open(f)) for f in a.rounds]
    w = Windows()
    w.mech = _Mech(snaps[0]["mech"]) if snaps[0]["mech"] else None
    for s in snaps:
        for nat, obs in s["obs"].items():
            for mw, v in obs:
                w.add((nat,), mw, v)
    own = snaps[-1]["own"]
    offset = {(nat,): own.get(nat, {}) for (nat,) in w.obs}
    out = {}
    for (nat,), r in monthly_system(w, a.year, None, offset).items():
        for m, g in r.items():
            if m != "year" and (a.month is None or m == a.month):
                out["%s|%s|%s" % (a.org, nat, m)] = g
    attacks = {"resubmission": {"others": out}}
    if a.prior:
        # With what the tracker already proved from the windows.
        prior = json.load(open(a.prior))["attacks"].get("tracker", {}).get("others", {})
        mine = {k: v for k, v in prior.items() if k.startswith(a.org + "|")}
        attacks["tracker-same"] = {"others": mine}
        attacks["resub+tracker"] = merge({"others": out}, {"others": mine})
    json.dump({"meta": {"rounds": len(snaps)}, "attacks": attacks}, open(a.out, "w"))
    print("resubmission: %d rounds of %s, %d answers in all" % (
        len(snaps), a.org, sum(len(o) for o in w.obs.values())))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--api", required=True)
    r.add_argument("--year", type=int, required=True)
    r.add_argument("--ministry", required=True)
    r.add_argument("--coordinator", required=True)
    r.add_argument("--hospital", action="append", default=[])
    r.add_argument("--budget", type=int, default=3000)
    r.add_argument("--out", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("--api", required=True)
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--coordinator", required=True)
    s.add_argument("--hospital", action="append", required=True)
    s.add_argument("--budget", type=int, default=300)
    s.add_argument("--out", required=True)
    q = sub.add_parser("resub")
    q.add_argument("--year", type=int, required=True)
    q.add_argument("--month", help="one month only (all months of the year by default)")
    q.add_argument("--org", required=True)
    q.add_argument("--prior", help="the run's guesses: combine with its tracker")
    q.add_argument("--out", required=True)
    q.add_argument("rounds", nargs="+")
    a = ap.parse_args()
    {"run": cmd_run, "snapshot": cmd_snapshot, "resub": cmd_resub}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
