/*
 * Statistics tables, answered from the protected release (release.h,
 * deploy/sql/010): sums of released, post-processed monthly values over
 * calendar grains (month, quarter, fiscal year April-March, calendar
 * year), never a fresh query of the cells.  Japan's NDB rule is applied
 * last: a count from 1 to 9 is never published, and a zero looks the
 * same (a table omits both; a total shows both as null).  Only a
 * hospital's query for its own figures reads the cells, exactly.
 *
 * Dimensions and measures come only from allow-lists (release.h); a
 * question is answered from the smallest released marginal holding every
 * dimension it groups or filters by, or refused.  A prefecture filter on a
 * table by hospital keeps the hospitals whose public listing is in that
 * prefecture (the ministry's drill-down; post-processing).
 */
#ifndef HUB_STAT_TABLE_H
#define HUB_STAT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "release.h"

/* The period as a dimension of "by", after the release's dimensions. */
#define HUB_STAT_D_PERIOD HUB_REL_NDIMS
#define HUB_STAT_MAX_DIMS 3

/* The NDB rule: the smallest count published (MHLW, NDB third-party
 * provision guidelines). */
#define HUB_STAT_K_DEFAULT 10
#define HUB_STAT_K_MIN	   3

/* Calendar grains. */
enum hub_stat_grain {
	HUB_STAT_G_MONTH,
	HUB_STAT_G_QUARTER,
	HUB_STAT_G_FISCAL_YEAR,
	HUB_STAT_G_YEAR,
	HUB_STAT_NGRAINS
};

/* A statistics request. */
typedef struct hub_stat_query {
	int measure; /* enum hub_release_measure */
	int grain;   /* enum hub_stat_grain */
	size_t ndims;
	int dims[HUB_STAT_MAX_DIMS]; /* release dims or HUB_STAT_D_PERIOD */
	const char *filters[HUB_REL_NDIMS]; /* by release dim, or NULL */
	const char *exclude_purpose;	    /* leave this purpose out (national
					       programme figures without
					       travel_emergency), or NULL */
	int year;			    /* the year asked, or 0 */
	char month[8];			    /* the month asked, or "" */
	char from[11], to[11]; /* window [from, to) of months, or "" */
	bool csv;
	bool own; /* a hospital's own figures: the cells, exact */
} hub_stat_query;

/* One row of a table: its keys (one per dimension, pointing into the
 * table's result), its value, whether the NDB rule lets it out, and
 * whether its period (by=period) holds fewer released months than the
 * grain's. */
typedef struct hub_stat_cell {
	const char *keys[HUB_STAT_MAX_DIMS];
	int64_t value;
	int64_t
	    patients; /* released patients behind the row (its NDB basis) */
	bool shown;
	bool partial;
	int months; /* released months behind the row */
} hub_stat_cell;

/* A table: its rows (all of them; the caller publishes the shown ones),
 * its grand total (the sum of the rows), the released months behind it. */
typedef struct hub_stat_table {
	ibx_db_result *res;
	hub_stat_cell *cells;
	size_t n;
	hub_stat_cell total;
	int months;
	bool partial; /* year or month asked and not every month released */
} hub_stat_table;

/* Who asks, as far as statistics care: the ministry and coordinators get
 * the release; a hospital only its own figures (org_code). */
typedef struct hub_stat_viewer {
	enum {
		HUB_STAT_VIEWER_MINISTRY,
		HUB_STAT_VIEWER_COORDINATOR,
		HUB_STAT_VIEWER_HOSPITAL,
	} role;
	const char
	    *org_code; /* the hospital's, for HUB_STAT_VIEWER_HOSPITAL */
} hub_stat_viewer;

/* One query parameter, decoded (the strings stay the caller's). */
typedef struct hub_stat_arg {
	const char *key, *value;
} hub_stat_arg;

/* hub_stat_query_parse: a query from nargs decoded parameters (measure,
 * by, period, year, month, exclude_purpose, format and the filters),
 * checked against who
 * may ask it.  from and to are refused: time is asked in calendar grains
 * only.  q's strings point into args.  0, or -1 with err (n bytes)
 * naming the parameter (400), or -2 for a right the viewer lacks (403).
 * q->csv is left false unless format=csv. */
int hub_stat_query_parse(const hub_stat_viewer *who, const hub_stat_arg *args,
			 size_t nargs, hub_stat_query *q, char *err, size_t n);

/* hub_stat_query_set: a query built in code: measure and dimension names
 * (comma-separated, "" for none) and grain name.  IBX_EINVAL for an
 * unknown name (never a silent default). */
ibx_err hub_stat_query_set(hub_stat_query *q, const char *measure,
			   const char *by, const char *grain);

/* hub_stat_query_filter: set filter dim (release dim name) to value (the
 * caller's string).  IBX_EINVAL for an unknown dimension. */
ibx_err hub_stat_query_filter(hub_stat_query *q, const char *dim,
			      const char *value);

/* hub_stat_table_load: answer q from the release (or, q->own, from the
 * hospital's cells) with the NDB threshold k.  IBX_EINVAL with err (n
 * bytes) naming the parameter when the release holds no marginal for the
 * question; database errors as ibx_db_exec.  Free t with
 * hub_stat_table_fini, also after an error. */
ibx_err hub_stat_table_load(ibx_db *db, int k, const hub_stat_query *q,
			    hub_stat_table *t, char *err, size_t n);
void hub_stat_table_fini(hub_stat_table *t);

/* hub_stat_dimension_name / hub_stat_grain_name: the public names
 * (static strings); measures are release.h's. */
const char *hub_stat_dimension_name(int d);
const char *hub_stat_grain_name(int g);

#endif /* HUB_STAT_TABLE_H */
