/*
 * refdata.h - the reference code lists that generated values must come
 * from: ISO 639-1 languages, ISO 3166-1 alpha-2 countries and the JIS X 0401
 * prefectures, looked up in proto/domain (codes.h), the lists the spoke and
 * the hub check against. Lookups only; choosing values is synth.c's job.
 */
#ifndef DG_REFDATA_H
#define DG_REFDATA_H

#include "datagen.h"

typedef struct dg_refdata dg_refdata;

/*
 * dg_refdata_load gives the lookups a handle in *out (free it with
 * dg_refdata_free); data_dir is no longer read (the lists are compiled in
 * from deploy/data). Returns DG_OK or DG_ERR_NOMEM.
 */
dg_err dg_refdata_load(const char *data_dir, dg_refdata **out);

/* dg_refdata_free releases r; NULL is accepted. */
void dg_refdata_free(dg_refdata *r);

/* dg_refdata_language returns 1 for an ISO 639-1 code ("ja"), else 0. */
int dg_refdata_language(const dg_refdata *r, const char *code);

/* dg_refdata_country returns 1 for an ISO 3166-1 alpha-2 code, else 0. */
int dg_refdata_country(const dg_refdata *r, const char *code);

/*
 * dg_refdata_prefecture returns the kanji name of a JIS X 0401 prefecture
 * code ("39" gives "高知県"), owned by r, or NULL for an unknown code.
 */
const char *dg_refdata_prefecture(const dg_refdata *r, const char *code);

#endif /* DG_REFDATA_H */
