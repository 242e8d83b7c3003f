#!/usr/bin/python3
"""The scorer of the disclosure suite (issue 13): the attacker's guesses
(attack.py) against the truth from the database (tests/disclosure/lib.sh,
disclosure_truth).

Targets: the small counts, 1 to 9 patients, of each class (hm, hy, nm, npm,
others, and the yearly ny, npy, oy; see attack.py).  A target the attacker names no guess for gets the
data-free guess 1.

- certain pin: the attacker's proven bounds hold one value, and it is the
  truth.  Any certain pin fails the suite.
- exact-hit rate: the share of targets whose guess is the truth.
- baseline: the best data-free guess, the prior mode: the value from 1 to 9
  that is most frequent among the class's targets (computed from the truth
  itself, so it is at least as good as any data-free guess the attacker
  could make), and its hit rate.
- bound: baseline + margin (IBX_ATTACK_MARGIN, 0.10 by default).  A rate
  above the bound fails the suite, for a class with at least MIN_TARGETS
  targets (fewer are printed, not judged).

Usage: score.py --truth DIR [--margin M] guesses.json...
Exit status 1 when any attack fails.
"""
import argparse
import collections
import json
import os
import sys

MIN_TARGETS = 20


def load(path, nkey):
    d = {}
    if not os.path.exists(path):
        return d
    for line in open(path):
        f = line.rstrip("\n").split("|")
        if len(f) == nkey + 1:
            d["|".join(f[:nkey])] = int(f[nkey])
    return d


def truth(dirname, year):
    t = {"hm": load(dirname + "/hm.txt", 2), "nm": load(dirname + "/nm.txt", 2),
         "npm": load(dirname + "/npm.txt", 3)}
    hy = collections.Counter()
    for k, v in t["hm"].items():
        org, m = k.split("|")
        hy["%s|%s" % (org, m[:4])] += v
    t["hy"] = dict(hy)
    own = load(dirname + "/own_nm.txt", 3)
    orgs = sorted({k.split("|")[0] for k in own})
    others = {}
    for org in orgs:
        for k, v in t["nm"].items():
            others["%s|%s" % (org, k)] = v - own.get("%s|%s" % (org, k), 0)
    t["others"] = others
    # The yearly class: each calendar year's sum of its months.
    for cls, src in (("ny", "nm"), ("npy", "npm")):
        acc = collections.Counter()
        for k, v in t[src].items():
            f = k.split("|")
            acc["|".join(f[:-1] + [f[-1][:4]])] += v
        t[cls] = dict(acc)
    oy = collections.Counter()
    for k, v in others.items():
        org, nat, m = k.split("|")
        oy["%s|%s|%s" % (org, nat, m[:4])] += v
    t["oy"] = dict(oy)
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--margin", type=float,
                    default=float(os.environ.get("IBX_ATTACK_MARGIN", "0.10")))
    ap.add_argument("guesses", nargs="+")
    a = ap.parse_args()
    T = truth(a.truth, None)
    failed = []
    total_pins = 0
    print("%-12s %-7s %8s %8s %8s %7s %9s %7s  %s" % (
        "attack", "class", "targets", "pinned", "hits", "rate", "baseline", "bound", "verdict"))
    for path in a.guesses:
        g = json.load(open(path))
        ndb = g.get("meta", {}).get("ndb")
        if ndb:
            print("NDB rule over %d tables read: %d published counts from 1 to 9, %d suppressed cells "
                  "listed while empty ones are left out" % (
                      ndb["tables"], ndb["published_1_to_9"], ndb["suppressed_listed"]))
            if ndb["published_1_to_9"]:
                failed.append("ndb/published-1-to-9")
            if ndb["suppressed_listed"]:
                failed.append("ndb/suppressed-told-from-zero")
        for attack, classes in g["attacks"].items():
            for cls in ("hm", "hy", "nm", "npm", "others", "ny", "npy", "oy"):
                if cls not in classes:
                    continue
                guesses = classes[cls]
                targets = {k: v for k, v in T[cls].items() if 1 <= v <= 9}
                if cls == "others":
                    orgs = {k.split("|")[0] for k in guesses}
                    targets = {k: v for k, v in targets.items() if k.split("|")[0] in orgs}
                if attack.startswith("resub") or attack == "tracker-same":
                    months = {k.split("|")[2] for k in guesses}
                    targets = {k: v for k, v in targets.items() if k.split("|")[2] in months}
                n = len(targets)
                if n == 0:
                    print("%-12s %-7s %8d %8s %8s %7s %9s %7s  %s" % (attack, cls, 0, "-", "-", "-", "-", "-",
                                                                    "no small counts to attack"))
                    continue
                mode, mode_n = collections.Counter(targets.values()).most_common(1)[0]
                base = mode_n / n
                bound = base + a.margin
                pins = hits = wrong_pins = unsound = 0
                for k, v in targets.items():
                    gv, lo, hi = guesses.get(k, [1, None, None])
                    if lo is not None and hi is not None and lo == hi:
                        if lo == v:
                            pins += 1
                        else:
                            wrong_pins += 1
                    if (lo is not None and v < lo) or (hi is not None and v > hi):
                        unsound += 1
                    hits += gv == v
                rate = hits / n
                verdict = []
                if pins:
                    verdict.append("FAIL: %d certain pins" % pins)
                if rate > bound and n >= MIN_TARGETS:
                    verdict.append("FAIL: exact-hit rate %.2f above %.2f" % (rate, bound))
                if verdict:
                    failed.append("%s/%s" % (attack, cls))
                elif n < MIN_TARGETS:
                    verdict.append("ok (too few targets to judge the rate)")
                else:
                    verdict.append("ok")
                if unsound:
                    verdict.append("(%d bounds the truth breaks: the attacker's model is wrong there)"
                                   % unsound)
                total_pins += pins
                print("%-12s %-7s %8d %8d %8d %7.3f %5.3f(=%d) %7.3f  %s" % (
                    attack, cls, n, pins, hits, rate, base, mode, bound, "; ".join(verdict)))
    print("baseline: the hit rate of always guessing the most frequent small count of the class "
          "(shown as =v); bound: baseline + %.2f" % a.margin)
    if failed:
        print("FAIL: %d attack classes beat the bound or pinned (%d certain pins in all): %s" % (
            len(failed), total_pins, ", ".join(failed)))
        return 1
    print("ok: no certain pin, every exact-hit rate within its bound")
    return 0


if __name__ == "__main__":
    sys.exit(main())
