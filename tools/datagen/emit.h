/*
 * emit.h - writing listing JSON files. This module and cases_sites.c (which
 * reads listings back) are the only ones that include <jansson.h>. Field order
 * follows docs/listing-format.md; files are written under a temporary name and
 * renamed, so a failed run leaves no half-written listing behind.
 */
#ifndef DG_EMIT_H
#define DG_EMIT_H

#include "coordinators.h"
#include "datagen.h"
#include "hospital.h"
#include "synth.h"

/*
 * dg_emit_prepare creates directory out_dir when it does not exist (its
 * parent must). Returns DG_OK or DG_ERR_IO.
 */
dg_err dg_emit_prepare(const char *out_dir);

/*
 * dg_emit_hospital writes out_dir/<organisation code>.json: the real fields
 * of h, the generated fields of cap and the "synthetic" list naming the
 * generated ones (organisation_code too when h has a derived code).
 * Returns DG_OK, DG_ERR_NOMEM or DG_ERR_IO.
 */
dg_err dg_emit_hospital(const char *out_dir, const dg_hospital *h,
			const dg_capability *cap);

/*
 * dg_emit_coordinator writes out_dir/<organisation code>.json for c, every
 * field listed as synthetic. Returns DG_OK, DG_ERR_NOMEM or DG_ERR_IO.
 */
dg_err dg_emit_coordinator(const char *out_dir, const dg_coordinator *c);

#endif /* DG_EMIT_H */
