/*
 * orgcodes.h - organisation codes for hospitals: the 10-digit medical
 * institution code (JIS X 0401 prefecture, score table 1 for medical, the
 * 7-digit institution code) found by matching a hospital's name against the
 * regional health bureaus' code lists in deploy/data, or a derived code in a
 * range no real code uses when no match is found.
 */
#ifndef DG_ORGCODES_H
#define DG_ORGCODES_H

#include "datagen.h"
#include "hospital.h"
#include "refdata.h"

typedef struct dg_codes dg_codes;

/*
 * dg_codes_load reads the institutions of the given prefectures (codes "01"
 * to "47", nprefs of them) from the jp_medical_institution_codes_*.csv files
 * in data_dir into *out (free with dg_codes_free). ref supplies prefecture
 * names to strip from addresses. Returns DG_OK or the first read error.
 */
dg_err dg_codes_load(const char *data_dir, const dg_refdata *ref,
		     const char *const *prefs, size_t nprefs, dg_codes **out);

/* dg_codes_free releases c; NULL is accepted. */
void dg_codes_free(dg_codes *c);

/*
 * dg_codes_assign gives every hospital in l an organisation code and sets
 * its match kind. Matching runs in rounds from the strictest rule to the
 * loosest (same normalised name; same name without legal-form words; same
 * postal code and one name containing the other; same address and a shared
 * distinctive name part), each round over all hospitals, and a candidate
 * counts only when it is the single one left (after preferring the same
 * postal code); an institution code goes to one hospital at most. A
 * hospital left over gets prefecture + "19" + 6 digits from its source id,
 * moved on until it collides with no real code and no code given out. A
 * hospital without a postal code gets the matched institution's. With
 * verbose, every match but the exact ones and every miss is printed to
 * stderr. Returns DG_OK, DG_ERR_NOMEM, or DG_ERR_INTERNAL if codes repeat.
 */
dg_err dg_codes_assign(dg_codes *c, dg_hospital_list *l, int verbose);

/* dg_match_name returns a short English name for a match kind. */
const char *dg_match_name(dg_match m);

#endif /* DG_ORGCODES_H */
