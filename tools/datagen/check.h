/*
 * check.h - the rules of docs/listing-format.md applied to what the
 * generator is about to write, so that a rule broken by a bug in the
 * converter stops the run instead of reaching a spoke. The spoke and the
 * hub check listings again on their own; this is the generator's self-test.
 */
#ifndef DG_CHECK_H
#define DG_CHECK_H

#include "coordinators.h"
#include "datagen.h"
#include "depts.h"
#include "hospital.h"
#include "refdata.h"
#include "synth.h"

/*
 * dg_check_hospital checks the listing that h and cap make against every
 * field rule. Returns DG_OK, or DG_ERR_INTERNAL after reporting each broken
 * rule as 'listing CODE refused: field "F": reason'.
 */
dg_err dg_check_hospital(const dg_hospital *h, const dg_capability *cap,
			 const dg_depts *d, const dg_refdata *ref);

/*
 * dg_check_coordinator checks a coordinator listing the same way. ref may
 * be NULL, in which case language and country codes are checked for shape
 * (two lower-case or upper-case letters) only.
 */
dg_err dg_check_coordinator(const dg_coordinator *c, const dg_refdata *ref);

#endif /* DG_CHECK_H */
