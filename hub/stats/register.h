/*
 * The institution-code register the hub holds: the regional health
 * bureaus' コード内容別医療機関一覧表 (deploy/data/jp_medical_institution_
 * codes_*.csv), imported from CSV by the ministry. A hospital's listing is
 * checked against it when shown (the API's "registered"); this module only
 * loads it. Reference data from CSV, like series.c, so it lives beside it
 * with the hub's one libcsv user.
 */
#ifndef HUB_REGISTER_H
#define HUB_REGISTER_H

#include <stddef.h>

#include "db.h"
#include "err.h"

/* What an import did. */
typedef struct hub_register_counts {
	size_t rows;	  /* data rows read, all files */
	size_t stored;	  /* institutions in the register afterwards */
	size_t merged;	  /* rows merged into an earlier row (same code) */
	size_t hospitals; /* institutions whose name contains 病院 */
} hub_register_counts;

/* hub_register_import: replace the register with the institutions of the
 * n CSV files in paths (UTF-8, a header row with the columns
 * 医療機関コード(9桁), 医療機関コード(7桁), 医療機関名称, 郵便番号, 住所), in
 * one transaction. The organisation code is the prefecture (the first two
 * digits of the 9-digit code), 1 (medical) and the 7-digit code. Rows with
 * the same code are merged. IBX_OK fills *counts; IBX_EINVAL names the
 * file, line and reason in err (errlen bytes) and stores nothing;
 * IBX_EIO and IBX_EDB likewise. */
ibx_err hub_register_import(ibx_db *db, const char *const *paths, size_t n,
			    hub_register_counts *counts, char *err,
			    size_t errlen);

#endif /* HUB_REGISTER_H */
