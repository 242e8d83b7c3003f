/*
 * Statistics tables: a GROUP BY over the current statistics cells with
 * dimensions, measure and filters taken only from allow-lists, every value
 * a parameter, and disclosure control (disclosure.c) applied before the
 * table leaves the hub, except for a hospital's own figures.  Shared by
 * the statistics, growth and portfolio handlers.
 *
 * Patients are distinct within a stored cell; a sum over cells, months or
 * hospitals counts a patient once per cell, as DHIS2 aggregates do.
 *
 * A query without from/to whose dimensions and filters are among period,
 * nationality and purpose is answered from the roll-ups (deploy/sql/007,
 * kept in each submission's transaction) when a roll-up set has exactly
 * its grain and dimensions, and the grand total's; otherwise from the
 * cells.  Both give the same table, disclosure control included
 * (tests/integration/test_statistics_rollups.sh); settings
 * statistics_rollups = 'off' forces the cells.
 */
#ifndef HUB_STAT_TABLE_H
#define HUB_STAT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "disclosure.h"

#define HUB_STAT_NFILTERS 8

/* Filter indexes (also the query parameter names). */
enum hub_stat_filter {
	HUB_STAT_F_NATIONALITY = 0,
	HUB_STAT_F_PURPOSE,
	HUB_STAT_F_ICD10_CHAPTER,
	HUB_STAT_F_AGE_BAND,
	HUB_STAT_F_SEX,
	HUB_STAT_F_REFERRAL_CHANNEL,
	HUB_STAT_F_PREFECTURE,
	HUB_STAT_F_HOSPITAL,
	HUB_STAT_F_REMOTE_FIRST, /* not a public parameter */
};

/* A statistics request. */
typedef struct hub_stat_query {
	int measure; /* index into the measures: patients, episodes, visits,
			inpatient_days, charge_jpy */
	int grain;   /* month, quarter, year */
	size_t ndims;
	int dims[HUB_SDC_MAX_DIMS]; /* index into the dimensions */
	const char *filters[HUB_STAT_NFILTERS + 1];
	char from[11], to[11]; /* YYYY-MM-01, or "" */
	bool csv;
	bool own; /* a hospital's own figures: no disclosure control */
} hub_stat_query;

/* A controlled table: its cells (keys point into res), its grand total. */
typedef struct hub_stat_table {
	ibx_db_result *res, *tot;
	hub_sdc_cell *cells;
	size_t n;
	hub_sdc_cell total;
} hub_stat_table;

/* Who asks, as far as statistics care: the ministry and coordinators get
 * the controlled release; a hospital only its own figures (org_code). */
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
 * by, period, from, to, format and the filters), checked against who may
 * ask it.  q's strings point into args.  0, or -1 with err (n bytes)
 * naming the parameter (400), or -2 for a right the viewer lacks (403).
 * q->csv is left false; the caller sets it from the Accept header. */
int hub_stat_query_parse(const hub_stat_viewer *who, const hub_stat_arg *args,
			 size_t nargs, hub_stat_query *q, char *err, size_t n);

/* hub_stat_query_set: a query built in code: measure and dimension names
 * (comma-separated, "" for none) and grain.  The caller's role rules of
 * hub_stat_query_parse are not applied; set own for a hospital. */
int hub_stat_query_set(hub_stat_query *q, const char *measure, const char *by,
		       const char *grain);

/* hub_stat_table_load: run q on db and apply disclosure control (smallest
 * count shown: k_threshold) unless q->own.  Free t with
 * hub_stat_table_fini, also after an error. */
ibx_err hub_stat_table_load(ibx_db *db, int k_threshold,
			    const hub_stat_query *q, hub_stat_table *t);
void hub_stat_table_fini(hub_stat_table *t);

/* hub_stat_dimension_name / hub_stat_measure_name / hub_stat_grain_name:
 * the public names (static strings). */
const char *hub_stat_dimension_name(int d);
const char *hub_stat_measure_name(int m);
const char *hub_stat_grain_name(int g);

#endif /* HUB_STAT_TABLE_H */
