#!/usr/bin/env python3
"""Generate every code list from deploy/data into C and JS.

Writes, from the CSV files of deploy/data (origins in deploy/data/README.md):

  proto/domain/codes_table.c   the lists for C (codes.h has the lookups)
  proto/domain/codes_index.h   each code's index in its list, as a constant
  hub/web/ui/codes.js          the lists with labels for the web pages

These three files are the only place a code appears as a literal in hub/,
spoke/, proto/ and tools/.  They are committed; the ctest test
codegen_fresh runs this script with --check, which fails when a committed
file differs from a fresh generation.

  python3 tools/codegen/gen-codes.py           write the files
  python3 tools/codegen/gen-codes.py --check   compare only (exit 1 on a difference)

The C output is passed through clang-format (the repository's
.clang-format), as every C file is.
"""
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
D = os.path.join(ROOT, "deploy", "data")
OUT_C = "proto/domain/codes_table.c"
OUT_H = "proto/domain/codes_index.h"
OUT_JS = "hub/web/ui/codes.js"


def rows(name):
    with open(os.path.join(D, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def labelled(name):
    """(code, ja, en) of a project vocabulary, in file order."""
    return [(r["code"], r["ja"], r["en"]) for r in rows(name)]


# --- The lists ---------------------------------------------------------------

langs = sorted({r["alpha2"].strip() for r in rows("iso639_1_language_codes.csv")})
countries = sorted({r["ISO3166-1-Alpha-2"].strip() for r in rows("iso3166_country_codes.csv")
                    if len(r["ISO3166-1-Alpha-2"].strip()) == 2})
alpha3 = sorted({(r["ISO3166-1-Alpha-3"].strip(), r["ISO3166-1-Alpha-2"].strip())
                 for r in rows("iso3166_country_codes.csv")})
dept_rows = rows("jp_navii_department_codes_osm_mapping.csv")
depts = sorted({r["診療科目コード"].strip() for r in dept_rows})
# Romaji without macrons (Kochi, Hyogo, Oita), as addresses and most
# English-language sources write them.
ASCII = str.maketrans("ōūāēīŌŪĀĒĪ", "ouaeiOUAEI")
prefs = [(r["iso"], r["prefecture_kanji"], r["prefecture_romaji"].translate(ASCII))
         for r in rows("jp_prefectures_jisx0401.csv")]
chapters = [(r["ChapterID"], r["ChapterName"]) for r in rows("icd10cm_2025_chapters.csv")]
cats = sorted({(r["Code"], r["ChapterID"]) for r in rows("icd10cm_2025_categories.csv")})

purposes = labelled("ibx_purposes.csv")
age_bands = labelled("ibx_age_bands.csv")
sexes = labelled("ibx_sexes.csv")
sex_aliases = [r["alias"] for r in rows("ibx_sexes.csv")]
purpose_aliases = [r["alias"] for r in rows("ibx_purposes.csv")]
channels = labelled("ibx_referral_channels.csv")
answers = labelled("ibx_answers.csv")
treatments = labelled("ibx_treatments.csv")
price_services = labelled("ibx_price_band_services.csv")
accreditations = labelled("ibx_accreditations.csv")
coord_services = labelled("ibx_coordinator_services.csv")
referral_states = labelled("ibx_referral_states.csv")
urgencies = labelled("ibx_referral_urgencies.csv")
decline_reasons = labelled("ibx_decline_reasons.csv")
airports = [(r["iata"], r["ja"], r["en"], r["lat"], r["lon"]) for r in rows("ibx_airports.csv")]
ui_languages = [r["code"] for r in rows("ibx_ui_languages.csv")]
ui_countries = [r["code"] for r in rows("ibx_ui_countries.csv")]

for c in ui_languages:
    assert c in langs, f"ibx_ui_languages.csv: {c} is not an ISO 639-1 code"
for c in ui_countries:
    assert c in countries, f"ibx_ui_countries.csv: {c} is not an ISO 3166-1 alpha-2 code"

# (id, C name, index prefix, codes, sorted, aliases): the order of
# ibx_code_list_id in codes.h.
LISTS = [
    ("IBX_LIST_PURPOSE", "purpose", "IBX_PURPOSE", [c for c, _, _ in purposes], purpose_aliases),
    ("IBX_LIST_AGE_BAND", "age_band", "IBX_AGE_BAND", [c for c, _, _ in age_bands], None),
    ("IBX_LIST_SEX", "sex", "IBX_SEX", [c for c, _, _ in sexes], sex_aliases),
    ("IBX_LIST_REFERRAL_CHANNEL", "referral_channel", "IBX_CHANNEL", [c for c, _, _ in channels], None),
    ("IBX_LIST_ANSWER", "answer", "IBX_ANSWER", [c for c, _, _ in answers], None),
    ("IBX_LIST_TREATMENT", "treatment", "IBX_TREATMENT", [c for c, _, _ in treatments], None),
    ("IBX_LIST_PRICE_SERVICE", "price_service", "IBX_PRICE_SERVICE", [c for c, _, _ in price_services], None),
    ("IBX_LIST_ACCREDITATION", "accreditation", "IBX_ACCREDITATION", [c for c, _, _ in accreditations], None),
    ("IBX_LIST_COORDINATOR_SERVICE", "coordinator_service", "IBX_COORDINATOR_SERVICE",
     [c for c, _, _ in coord_services], None),
    ("IBX_LIST_REFERRAL_STATE", "referral_state", "IBX_REFERRAL_STATE", [c for c, _, _ in referral_states], None),
    ("IBX_LIST_URGENCY", "urgency", "IBX_URGENCY", [c for c, _, _ in urgencies], None),
    ("IBX_LIST_DECLINE_REASON", "decline_reason", "IBX_DECLINE_REASON", [c for c, _, _ in decline_reasons], None),
    ("IBX_LIST_LANGUAGE", "language", None, langs, None),
    ("IBX_LIST_COUNTRY", "country", None, countries, None),
    ("IBX_LIST_DEPARTMENT", "department", None, depts, None),
    ("IBX_LIST_PREFECTURE", "prefecture", None, [c for c, _, _ in prefs], None),
]
for _, name, _, codes, _ in LISTS:
    assert len(set(codes)) == len(codes), f"{name}: a code appears twice"


# --- C -------------------------------------------------------------------------

def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_array(name, vals, static=True):
    out = [f"{'static ' if static else ''}const char *const {name}[] = {{"]
    out += [f"\t{cstr(v) if v else 'NULL'}," for v in vals]
    out.append("\tNULL,")
    out.append("};")
    return "\n".join(out)


def ident(code):
    s = code.upper().replace("+", "_PLUS").replace("-", "_")
    return "".join(ch if ch.isalnum() else "_" for ch in s)


def gen_c():
    o = ["""/*
 * Code lists, generated by tools/codegen/gen-codes.py from deploy/data; do
 * not edit (change the CSV file and run the script).  Sources: ISO 639-1
 * (Library of Congress, ODC-PDDL), ISO 3166-1 alpha-2 (datasets/country-codes,
 * ODC-PDDL), the national department codes of the medical information net
 * (MHLW, PDL 1.0) with alpha-3 to alpha-2, JIS X 0401 prefectures, ICD-10-CM 2025 chapters and
 * 3-character categories (CDC/NCHS), and the project's own vocabularies
 * (deploy/data/ibx_*.csv; deploy/data/README.md).  The standard lists are
 * sorted (bsearch); the project's keep the order of their file.
 */
#include <stddef.h>

#include "codes.h"
#include "codes_table.h"
"""]
    for _, name, _, codes, aliases in LISTS:
        if name in ("language", "country", "department"):
            continue
        o.append(c_array(f"list_{name}", codes))
        if aliases:
            o.append(c_array(f"alias_{name}", aliases))
        o.append("")
    o.append(c_array("ibx_iso639_1", langs, False))
    o.append(f"const size_t ibx_iso639_1_len = {len(langs)};\n")
    o.append(c_array("ibx_iso3166_alpha2", countries, False))
    o.append(f"const size_t ibx_iso3166_alpha2_len = {len(countries)};\n")
    o.append(c_array("ibx_department_codes", depts, False))
    o.append(f"const size_t ibx_department_codes_len = {len(depts)};\n")
    o.append("const struct ibx_code_list_def ibx_code_lists[IBX_LIST_COUNT] = {")
    for lid, name, _, codes, aliases in LISTS:
        arr = {"language": "ibx_iso639_1", "country": "ibx_iso3166_alpha2",
               "department": "ibx_department_codes"}.get(name, f"list_{name}")
        srt = "true" if codes == sorted(codes) and name in ("language", "country", "department") else "false"
        al = f"alias_{name}" if aliases else "NULL"
        o.append(f"\t[{lid}] = {{{cstr(name)}, {arr}, {len(codes)}, {srt}, {al}}},")
    o.append("};\n")
    o.append("const struct ibx_alpha3 ibx_iso3166_alpha3[] = {")
    for a3, a2 in alpha3:
        o.append(f"\t{{{cstr(a3)}, {cstr(a2)}}},")
    o.append("};")
    o.append(f"const size_t ibx_iso3166_alpha3_len = {len(alpha3)};\n")
    o.append("const struct ibx_prefecture ibx_prefectures[] = {")
    for c, k, r in prefs:
        o.append(f"\t{{{cstr(c)}, {cstr(k)}, {cstr(r)}}},")
    o.append("};")
    o.append(f"const size_t ibx_prefectures_len = {len(prefs)};\n")
    o.append("const struct ibx_icd10_chapter ibx_icd10_chapters[] = {")
    for c, n in chapters:
        o.append(f"\t{{{c}, {cstr(n)}}},")
    o.append("};")
    o.append(f"const size_t ibx_icd10_chapters_len = {len(chapters)};\n")
    o.append("const struct ibx_icd10_category ibx_icd10_categories[] = {")
    for c, ch in cats:
        o.append(f"\t{{{cstr(c)}, {ch}}},")
    o.append("};")
    o.append(f"const size_t ibx_icd10_categories_len = {len(cats)};")
    return "\n".join(o) + "\n"


def gen_h():
    o = ["""/*
 * The index of each code of the project's vocabularies in its list
 * (ibx_code_list order), generated by tools/codegen/gen-codes.py from
 * deploy/data/ibx_*.csv; do not edit.  Code that must name one value (the
 * coordinator channel, the age band of an unknown age) uses these, never
 * the word.
 */
#ifndef IBX_CODES_INDEX_H
#define IBX_CODES_INDEX_H
"""]
    for _, name, prefix, codes, _ in LISTS:
        if prefix is None:
            continue
        o.append(f"/* {name} */")
        o.append("enum {")
        for c in codes:
            o.append(f"\t{prefix}_{ident(c)},")
        o.append(f"\t{prefix}_COUNT")
        o.append("};\n")
    o.append("#endif /* IBX_CODES_INDEX_H */")
    return "\n".join(o) + "\n"


def clang_format(text, path):
    r = subprocess.run(["clang-format", f"--assume-filename={path}"], input=text.encode(),
                       capture_output=True, cwd=ROOT, check=True)
    return r.stdout.decode()


# --- JS ------------------------------------------------------------------------

def jstr(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def js_rows(rs, per=1):
    lines = []
    for i in range(0, len(rs), per):
        lines.append("  " + " ".join("[" + ", ".join(rs_) + "]," for rs_ in rs[i:i + per]))
    return "\n".join(lines)


def js_labelled(name, items, comment=None):
    o = []
    if comment:
        o.append(f"// {comment}")
    o.append(f"export const {name} = [")
    o.append(js_rows([[jstr(c), jstr(j), jstr(e)] for c, j, e in items]))
    o.append("];\n")
    return "\n".join(o)


def js_codes(name, codes, comment):
    o = [f"// {comment}", f"export const {name} = ["]
    for i in range(0, len(codes), 12):
        o.append("  " + " ".join(jstr(c) + "," for c in codes[i:i + 12]))
    o.append("];\n")
    return "\n".join(o)


def short_pref(romaji):
    for suffix in (" Ken", " To", " Fu"):
        if romaji.endswith(suffix):
            return romaji[:-len(suffix)]
    return romaji


I18N_LANGS = ["ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "ru"]


def i18n_lists():
    """deploy/data/i18n/<list>.csv: code and its names in I18N_LANGS order."""
    d = os.path.join(D, "i18n")
    lists = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith(".csv"):
            continue
        with open(os.path.join(d, f), encoding="utf-8", newline="") as fh:
            r = list(csv.reader(fh))
        assert r[0] == ["code"] + I18N_LANGS, f"i18n/{f}: the header must be code,{','.join(I18N_LANGS)}"
        rows = {}
        for n, row in enumerate(r[1:], 2):
            assert len(row) == len(r[0]) and all(row), f"i18n/{f}:{n}: {len(r[0])} non-empty fields needed"
            assert row[0] not in rows, f"i18n/{f}:{n}: code {row[0]} given twice"
            rows[row[0]] = row[1:]
        lists[f[:-4]] = rows
    return lists


def js_names():
    o = ["// The code lists' names in the pages' seven languages (NAME_LANGS order),",
         "// from deploy/data/i18n/*.csv.",
         f"export const NAME_LANGS = {json.dumps(I18N_LANGS, ensure_ascii=False)};\n",
         "export const CODE_NAMES = {"]
    for name, rows in i18n_lists().items():
        o.append(f"  {json.dumps(name)}: {{")
        for c, v in rows.items():
            o.append(f"    {json.dumps(c, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, separators=(',', ':'))},")
        o.append("  },")
    o.append("};")
    return "\n".join(o) + "\n"


def gen_js():
    o = ["""// Code lists the pages show as words, generated by tools/codegen/gen-codes.py
// from deploy/data (origins in deploy/data/README.md); do not edit.
// Countries and languages are named by the browser (Intl.DisplayNames).
"""]
    o.append("// JIS X 0401 code, Japanese, English.")
    o.append("export const PREFECTURES = [")
    o.append(js_rows([[jstr(c), jstr(k), jstr(short_pref(r))] for c, k, r in prefs], 3))
    o.append("];\n")
    o.append(js_labelled("TREATMENTS", treatments, "Treatment code, Japanese, English."))
    o.append(js_labelled("SERVICES_EXTRA", price_services, "Price band services beyond the treatments."))
    o.append(js_labelled("PURPOSES", purposes, "Purposes of a patient's stay (statistics)."))
    o.append(js_labelled("AGE_BANDS", age_bands, "Age bands of the statistics."))
    o.append(js_labelled("REFERRAL_CHANNELS", channels, "How a patient was referred."))
    o.append(js_labelled("ACCREDITATIONS", accreditations, "Accreditation schemes."))
    o.append(js_labelled("COORDINATOR_SERVICES", coord_services,
                         'Services a certified coordinator offers (its listing\'s "services").'))
    o.append(js_labelled("REFERRAL_STATES", referral_states, "The states of a referral (issue 15)."))
    o.append(js_labelled("URGENCIES", urgencies, "A referral's urgency."))
    o.append(js_labelled("DECLINE_REASONS", decline_reasons, "Why a hospital declines a referral."))
    o.append("// Airports where foreign patients arrive: IATA code, Japanese, English,")
    o.append("// latitude, longitude (WGS 84, the terminal area).")
    o.append("export const AIRPORTS = [")
    o.append(js_rows([[jstr(c), jstr(j), jstr(e), la, lo] for c, j, e, la, lo in airports]))
    o.append("];\n")
    o.append(js_codes("LANGUAGES", ui_languages,
                      "Languages a hospital may serve in (ISO 639-1), the common ones first."))
    o.append(js_codes("COUNTRIES", ui_countries,
                      "Patients' countries (ISO 3166-1 alpha-2), the most frequent first."))
    o.append(js_labelled("SEXES", [s for s in sexes]))
    seen = set()
    first = []
    for r in dept_rows:
        c = r["診療科目コード"].strip()
        if c not in seen:
            seen.add(c)
            first.append((c, r["診療科目名(最頻)"].strip(), r["healthcare:speciality"].strip()))
    o.append("// National department codes (診療科目コード) with their most common Japanese")
    o.append("// name and the OpenStreetMap healthcare:speciality they map to (first row per")
    o.append("// code of jp_navii_department_codes_osm_mapping.csv).")
    o.append("export const DEPARTMENTS = [")
    o.append(js_rows([[jstr(c), jstr(n), jstr(s)] for c, n, s in sorted(first)]))
    o.append("];\n")
    o.append(js_names())
    return "\n".join(o)


def main():
    check = "--check" in sys.argv[1:]
    outputs = {
        OUT_C: clang_format(gen_c(), OUT_C),
        OUT_H: clang_format(gen_h(), OUT_H),
        OUT_JS: gen_js(),
    }
    stale = []
    for path, text in outputs.items():
        full = os.path.join(ROOT, path)
        try:
            with open(full, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = None
        if old == text:
            continue
        if check:
            stale.append(path)
        else:
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"gen-codes: wrote {path}")
    if stale:
        print("gen-codes: not what deploy/data generates (run python3 tools/codegen/gen-codes.py): "
              + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
