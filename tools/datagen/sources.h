/*
 * sources.h - the readers of the open hospital lists in deploy/data, one
 * file each (hospitals_kochi.c, hospitals_hokkaido.c, hospitals_kumamoto.c),
 * and the small parsing helpers they share (sources.c). A reader turns its
 * source's rows into dg_hospital records with the real fields only; it never
 * reads the director-name columns.
 */
#ifndef DG_SOURCES_H
#define DG_SOURCES_H

#include "datagen.h"
#include "depts.h"
#include "hospital.h"
#include "report.h"

/*
 * Each reader appends one hospital per row of its file in data_dir to l,
 * resolves departments with d and counts what it did in rep. They return
 * DG_OK, a read error, or DG_ERR_FORMAT for a missing column or a row that
 * breaks the file's own rules; the failure has been reported.
 */

/* Kochi, 医療情報ネット open data 2026-06: kochi_hospitals_navii_2026-06.csv
 */
dg_err dg_kochi_load(const char *data_dir, const dg_depts *d,
		     dg_hospital_list *l, dg_set_report *rep);

/* Hokkaido, 道内医療機関の名簿 2015-10: hokkaido_hospitals_2015.csv */
dg_err dg_hokkaido_load(const char *data_dir, const dg_depts *d,
			dg_hospital_list *l, dg_set_report *rep);

/* Kumamoto City, 病院一覧 2024-02: kumamoto_city_hospitals_2024.csv */
dg_err dg_kumamoto_load(const char *data_dir, const dg_depts *d,
			dg_hospital_list *l, dg_set_report *rep);

/*
 * dg_data_path writes data_dir/file to buf (size bytes). Returns DG_OK or
 * DG_ERR_USAGE when it does not fit.
 */
dg_err dg_data_path(const char *data_dir, const char *file, char *buf,
		    size_t size);

/*
 * dg_parse_int reads a whole decimal integer (ASCII or full-width digits,
 * surrounding white space allowed) from s. Returns 1 and sets *out, or 0
 * for an empty or malformed value.
 */
int dg_parse_int(const char *s, long *out);

/* dg_parse_double is dg_parse_int for a decimal fraction such as "33.56". */
int dg_parse_double(const char *s, double *out);

/*
 * dg_set_text stores a trimmed copy of s in *dst (freeing what was there),
 * or NULL when s is empty after trimming. Returns DG_OK or DG_ERR_NOMEM.
 */
dg_err dg_set_text(char **dst, const char *s);

#endif /* DG_SOURCES_H */
