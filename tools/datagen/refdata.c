/*
 * refdata.c - the reference code lists, as proto/domain holds them
 * (generated from deploy/data by tools/codegen/gen-codes.py): the generator
 * checks its values against the same lists as the spoke and the hub.
 */
#include <stdlib.h>

#include "codes.h"
#include "refdata.h"

struct dg_refdata {
	int unused; /* the lists are proto/domain's; nothing to hold */
};

dg_err
dg_refdata_load(const char *data_dir, dg_refdata **out)
{
	(void)data_dir;
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return (DG_ERR_NOMEM);
	return (DG_OK);
}

void
dg_refdata_free(dg_refdata *r)
{
	free(r);
}

int
dg_refdata_language(const dg_refdata *r, const char *code)
{
	(void)r;
	return (ibx_code_language(code));
}

int
dg_refdata_country(const dg_refdata *r, const char *code)
{
	(void)r;
	return (ibx_code_country(code));
}

const char *
dg_refdata_prefecture(const dg_refdata *r, const char *code)
{
	(void)r;
	return (ibx_code_prefecture_kanji(code));
}
