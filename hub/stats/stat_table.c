/* Statistics tables with disclosure control; see stat_table.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "listing.h"
#include "stat_table.h"
#include "statistics.h"

#define SQL_MAX 4096

struct dimension {
	const char *name;
	const char *expr; /* SQL over c (cells) and hl (listings) */
};

/* The period dimension's expression depends on the grain. */
static const struct dimension dimensions[] = {
    {"period", NULL},
    {"nationality", "c.nationality"},
    {"purpose", "c.purpose"},
    {"icd10_chapter", "c.icd10_chapter::text"},
    {"age_band", "c.age_band"},
    {"sex", "c.sex"},
    {"referral_channel", "c.referral_channel"},
    {"prefecture", "coalesce(hl.prefecture, '')"},
    {"hospital", "c.org_code"},
};
#define NDIMENSIONS  (sizeof(dimensions) / sizeof(dimensions[0]))
#define DIM_HOSPITAL 8

static const struct {
	const char *grain;
	const char *expr;
} grains[] = {
    {"month", "to_char(c.period, 'YYYY-MM')"},
    {"quarter", "to_char(c.period, 'YYYY-\"Q\"Q')"},
    {"year", "to_char(c.period, 'YYYY')"},
};

/* expr over the cells (c), rollup over the roll-ups (r). */
static const struct {
	const char *name;
	const char *expr;
	const char *rollup;
	bool is_count;
} measures[] = {
    {"patients", "c.patients", "r.patients", true},
    {"episodes", "c.episodes", "r.episodes", true},
    {"visits", "c.outpatient_visits", "r.outpatient_visits", false},
    {"inpatient_days", "c.inpatient_days", "r.inpatient_days", false},
    {"charge_jpy", "c.charge_jpy", "r.charge_jpy", false},
};

/* Roll-ups (deploy/sql/007): the dimensions they keep, as the bit
 * (1 << dimension index) of the set's mask, and their columns. */
#define ROLLUP_DIMS ((1 << 1) | (1 << 2)) /* nationality, purpose */
static const char *const rollup_dim_expr[] = {"r.pkey", "r.nationality",
					      "r.purpose"};

/* The roll-up sets that answer a query: its grain and mask, the grand
 * total's (grain all, the filtered dimensions), and whether roll-ups are
 * switched on (settings.statistics_rollups). */
static const char SQL_ROLLUP_SETS[] =
    "SELECT (SELECT id FROM statistics_rollup_sets"
    "  WHERE grain = $1 AND dims = $2::integer),"
    " (SELECT id FROM statistics_rollup_sets"
    "  WHERE grain = 'all' AND dims = $3::integer),"
    " (SELECT value FROM settings WHERE name = 'statistics_rollups')";

/* The WHERE of a roll-up query: the set, keys with cells, the filters on
 * the dimensions it keeps. */
static const char SQL_ROLLUP_FROM[] =
    " FROM statistics_rollup r"
    " WHERE r.set_id = $1::smallint AND r.hospitals > 0"
    " AND ($2::text IS NULL OR r.nationality = $2)"
    " AND ($3::text IS NULL OR r.purpose = $3)";

/* Filters: parameter name, SQL condition on its parameter number. */
static const char SQL_FROM[] =
    " FROM statistics_cells c"
    " LEFT JOIN hospital_listings hl ON hl.org_code = c.org_code"
    " WHERE c.current"
    " AND ($1::date IS NULL OR c.period >= $1::date)"
    " AND ($2::date IS NULL OR c.period <= $2::date)"
    " AND ($3::text IS NULL OR c.nationality = $3)"
    " AND ($4::text IS NULL OR c.purpose = $4)"
    " AND ($5::smallint IS NULL OR c.icd10_chapter = $5::smallint)"
    " AND ($6::text IS NULL OR c.age_band = $6)"
    " AND ($7::text IS NULL OR c.sex = $7)"
    " AND ($8::text IS NULL OR c.referral_channel = $8)"
    " AND ($9::text IS NULL OR hl.prefecture = $9)"
    " AND ($10::text IS NULL OR c.org_code = $10)"
    " AND ($11::text IS NULL OR c.remote_second_opinion_first = $11)";
static const char *const filter_names[HUB_STAT_NFILTERS] = {
    "nationality", "purpose",	       "icd10_chapter", "age_band",
    "sex",	   "referral_channel", "prefecture",	"hospital"};

static const char *const purposes[] = {
    "treatment", "health_checkup", "second_opinion",
    "follow_up", "other",	   "travel_emergency",
    NULL};
static const char *const age_bands[] = {"0-9",	 "10-19", "20-29",   "30-39",
					"40-49", "50-59", "60-69",   "70-79",
					"80-89", "90+",	  "unknown", NULL};
static const char *const sexes[] = {"male", "female", "unknown", NULL};
static const char *const channels[] = {"coordinator", "hospital", "doctor",
				       "direct", NULL};

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return (true);
	return (false);
}

static bool
filter_valid(size_t f, const char *v)
{
	long ch;
	char *end;

	switch (f) {
	case 0:
		return (ibx_code_country(v));
	case 1:
		return (in_list(v, purposes));
	case 2:
		ch = strtol(v, &end, 10);
		return (*v != '\0' && *end == '\0' && ch >= 1 && ch <= 22);
	case 3:
		return (in_list(v, age_bands));
	case 4:
		return (in_list(v, sexes));
	case 5:
		return (in_list(v, channels));
	case 6:
		return (ibx_code_prefecture_name(v) != NULL);
	case 7:
		return (ibx_digits(v, 10));
	}
	return (false);
}

static int
parse_by(const char *by, hub_stat_query *q, char *err, size_t n)
{
	char buf[256], *tok, *save = NULL;
	size_t i, j;

	if (strlen(by) >= sizeof(buf)) {
		snprintf(err, n, "parameter \"by\": too long");
		return (-1);
	}
	strcpy(buf, by);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NDIMENSIONS; i++)
			if (strcmp(tok, dimensions[i].name) == 0)
				break;
		if (i == NDIMENSIONS) {
			snprintf(
			    err, n,
			    "parameter \"by\": unknown dimension \"%.40s\" "
			    "(period, nationality, purpose, icd10_chapter, "
			    "age_band, sex, referral_channel, prefecture, "
			    "hospital)",
			    tok);
			return (-1);
		}
		for (j = 0; j < q->ndims; j++)
			if (q->dims[j] == (int)i) {
				snprintf(
				    err, n,
				    "parameter \"by\": \"%s\" given twice",
				    tok);
				return (-1);
			}
		if (q->ndims == HUB_SDC_MAX_DIMS) {
			snprintf(err, n,
				 "parameter \"by\": at most %d dimensions",
				 HUB_SDC_MAX_DIMS);
			return (-1);
		}
		q->dims[q->ndims++] = (int)i;
	}
	return (0);
}

static int
parse_month(const char *name, const char *v, char out[11], char *err, size_t n)
{
	if (!ibx_period_valid(v)) {
		snprintf(err, n, "parameter \"%s\": must be YYYY-MM", name);
		return (-1);
	}
	snprintf(out, 11, "%s-01", v);
	return (0);
}

/* Parse and check every parameter; -1 with err naming the parameter
 * (status 400), -2 for a right the role lacks (403). */
int
hub_stat_query_parse(const hub_stat_viewer *who, const hub_stat_arg *args,
		     size_t nargs, hub_stat_query *q, char *err, size_t n)
{
	size_t i, j, f;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < nargs; i++) {
		const char *k = args[i].key, *v = args[i].value;

		for (j = 0; j < i; j++)
			if (strcmp(args[j].key, k) == 0)
				break;
		if (j < i) {
			snprintf(err, n,
				 "parameter \"%.40s\": given more "
				 "than once",
				 k);
			return (-1);
		}
		if (strcmp(k, "measure") == 0) {
			for (f = 0; f < sizeof(measures) / sizeof(measures[0]);
			     f++)
				if (strcmp(v, measures[f].name) == 0)
					break;
			if (f == sizeof(measures) / sizeof(measures[0])) {
				snprintf(
				    err, n,
				    "parameter \"measure\": unknown measure "
				    "(patients, episodes, visits, "
				    "inpatient_days, charge_jpy)");
				return (-1);
			}
			q->measure = (int)f;
		} else if (strcmp(k, "period") == 0) {
			for (f = 0; f < 3; f++)
				if (strcmp(v, grains[f].grain) == 0)
					break;
			if (f == 3) {
				snprintf(err, n,
					 "parameter \"period\": must be "
					 "month, quarter or year");
				return (-1);
			}
			q->grain = (int)f;
		} else if (strcmp(k, "by") == 0) {
			if (parse_by(v, q, err, n) != 0)
				return (-1);
		} else if (strcmp(k, "from") == 0 || strcmp(k, "to") == 0) {
			if (parse_month(k, v, k[0] == 'f' ? q->from : q->to,
					err, n) != 0)
				return (-1);
		} else if (strcmp(k, "format") == 0) {
			if (strcmp(v, "csv") != 0 && strcmp(v, "json") != 0) {
				snprintf(err, n,
					 "parameter \"format\": must "
					 "be json or csv");
				return (-1);
			}
			q->csv = strcmp(v, "csv") == 0;
		} else {
			for (f = 0; f < HUB_STAT_NFILTERS; f++)
				if (strcmp(k, filter_names[f]) == 0)
					break;
			if (f == HUB_STAT_NFILTERS) {
				snprintf(
				    err, n,
				    "parameter \"%.40s\": unknown parameter",
				    k);
				return (-1);
			}
			if (!filter_valid(f, v)) {
				snprintf(err, n,
					 "parameter \"%s\": unknown value "
					 "\"%.40s\"",
					 k, v);
				return (-1);
			}
			q->filters[f] = v;
		}
	}
	if (q->from[0] != '\0' && q->to[0] != '\0' &&
	    strcmp(q->from, q->to) > 0) {
		snprintf(err, n, "parameter \"from\": after \"to\"");
		return (-1);
	}
	/* Roles: only the ministry sees hospitals; a hospital sees only its
	 * own figures, unsuppressed. */
	for (i = 0; i < q->ndims; i++)
		if (q->dims[i] == DIM_HOSPITAL &&
		    who->role == HUB_STAT_VIEWER_COORDINATOR) {
			snprintf(err, n,
				 "dimension \"hospital\": for the "
				 "ministry only");
			return (-2);
		}
	if (q->filters[7] != NULL &&
	    who->role == HUB_STAT_VIEWER_COORDINATOR) {
		snprintf(err, n,
			 "parameter \"hospital\": for the ministry only");
		return (-2);
	}
	if (who->role == HUB_STAT_VIEWER_HOSPITAL) {
		if (q->filters[7] != NULL &&
		    strcmp(q->filters[7], who->org_code) != 0) {
			snprintf(err, n,
				 "parameter \"hospital\": a hospital "
				 "sees only its own figures");
			return (-2);
		}
		q->filters[7] = who->org_code;
		q->own = true;
	}
	return (0);
}

const char *
hub_stat_dimension_name(int d)
{
	return (dimensions[d].name);
}

const char *
hub_stat_measure_name(int m)
{
	return (measures[m].name);
}

const char *
hub_stat_grain_name(int g)
{
	return (grains[g].grain);
}

int
hub_stat_query_set(hub_stat_query *q, const char *measure, const char *by,
		   const char *grain)
{
	char err[256];
	size_t i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < sizeof(measures) / sizeof(measures[0]); i++)
		if (strcmp(measure, measures[i].name) == 0)
			q->measure = (int)i;
	for (i = 0; i < 3; i++)
		if (strcmp(grain, grains[i].grain) == 0)
			q->grain = (int)i;
	return (*by == '\0' ? 0 : parse_by(by, q, err, sizeof(err)));
}

static void
append(char *sql, const char *s)
{
	strncat(sql, s, SQL_MAX - strlen(sql) - 1);
}

/* The SELECT of a table: the dimensions, the measure, the patients and
 * hospitals behind each cell, its cell key.  Built only from the constant
 * expressions above. */
static void
build_sql(const hub_stat_query *q, bool grouped, bool rollup, char *sql)
{
	char pos[32];
	size_t i;

	sql[0] = '\0';
	append(sql, "SELECT ");
	if (grouped)
		for (i = 0; i < q->ndims; i++) {
			if (rollup)
				append(sql, rollup_dim_expr[q->dims[i]]);
			else
				append(sql, q->dims[i] == 0
						? grains[q->grain].expr
						: dimensions[q->dims[i]].expr);
			append(sql, ", ");
		}
	append(sql, "coalesce(sum(");
	append(sql, rollup ? measures[q->measure].rollup
			   : measures[q->measure].expr);
	if (rollup)
		append(sql, "), 0), coalesce(sum(r.patients), 0),"
			    " coalesce(sum(r.hospitals), 0),"
			    " coalesce(sum(r.record_keys) % 4294967296, 0)");
	else
		append(sql, "), 0), coalesce(sum(c.patients), 0),"
			    " count(DISTINCT c.org_code),"
			    " coalesce(sum(c.record_key) % 4294967296, 0)");
	append(sql, rollup ? SQL_ROLLUP_FROM : SQL_FROM);
	if (grouped && q->ndims > 0) {
		append(sql, " GROUP BY ");
		for (i = 0; i < q->ndims; i++) {
			snprintf(pos, sizeof(pos), "%s%zu", i ? ", " : "",
				 i + 1);
			append(sql, pos);
		}
		append(sql, " ORDER BY ");
		for (i = 0; i < q->ndims; i++) {
			snprintf(pos, sizeof(pos), "%s%zu", i ? ", " : "",
				 i + 1);
			append(sql, pos);
		}
	}
}

static void
fill_cell(hub_sdc_cell *cell, ibx_db_result *res, int row, size_t ndims)
{
	size_t i;

	memset(cell, 0, sizeof(*cell));
	for (i = 0; i < ndims; i++)
		cell->keys[i] = ibx_db_result_value(res, row, (int)i);
	cell->value =
	    strtoll(ibx_db_result_value(res, row, (int)ndims), NULL, 10);
	cell->patients =
	    strtoll(ibx_db_result_value(res, row, (int)ndims + 1), NULL, 10);
	cell->hospitals =
	    strtoll(ibx_db_result_value(res, row, (int)ndims + 2), NULL, 10);
	cell->cell_key = (uint32_t)strtoull(
	    ibx_db_result_value(res, row, (int)ndims + 3), NULL, 10);
	cell->published = cell->value;
}

/* Whether roll-ups can answer q exactly, and with which sets: no period
 * range, dimensions and filters among those the roll-ups keep, and a set
 * with exactly the query's grain and the dimensions it groups or filters
 * by, because distinct hospitals do not add up over other keys.  Sets
 * set[0] (the table) and set[1] (its grand total) as text. */
static ibx_err
rollup_sets(ibx_db *db, const hub_stat_query *q, char set[2][12], bool *use)
{
	const char *v[3];
	char mask[12], fmask[12];
	unsigned m = 0, fm = 0;
	bool by_period = false;
	ibx_db_result *res = NULL;
	size_t i;
	ibx_err rv;

	*use = false;
	if (q->from[0] != '\0' || q->to[0] != '\0')
		return (IBX_OK);
	for (i = 2; i <= HUB_STAT_NFILTERS; i++)
		if (q->filters[i] != NULL)
			return (IBX_OK);
	if (q->filters[HUB_STAT_F_NATIONALITY] != NULL)
		fm |= 1u << 1;
	if (q->filters[HUB_STAT_F_PURPOSE] != NULL)
		fm |= 1u << 2;
	for (i = 0; i < q->ndims; i++) {
		if (q->dims[i] == 0)
			by_period = true;
		else if (((1u << q->dims[i]) & ROLLUP_DIMS) == 0)
			return (IBX_OK);
		else
			m |= 1u << q->dims[i];
	}
	m |= fm;
	snprintf(mask, sizeof(mask), "%u", m);
	snprintf(fmask, sizeof(fmask), "%u", fm);
	v[0] = by_period ? grains[q->grain].grain : "all";
	v[1] = mask;
	v[2] = fmask;
	if ((rv = ibx_db_exec(db, SQL_ROLLUP_SETS, 3, v, &res)) != IBX_OK)
		return (rv);
	if (!ibx_db_result_isnull(res, 0, 0) &&
	    !ibx_db_result_isnull(res, 0, 1) &&
	    strcmp(ibx_db_result_value(res, 0, 2), "on") == 0) {
		snprintf(set[0], 12, "%s", ibx_db_result_value(res, 0, 0));
		snprintf(set[1], 12, "%s", ibx_db_result_value(res, 0, 1));
		*use = true;
	}
	ibx_db_result_free(res);
	return (IBX_OK);
}

void
hub_stat_table_fini(hub_stat_table *t)
{
	ibx_db_result_free(t->res);
	ibx_db_result_free(t->tot);
	free(t->cells);
}

ibx_err
hub_stat_table_load(ibx_db *db, int k_threshold, const hub_stat_query *q,
		    hub_stat_table *t)
{
	const char *v[11];
	char sql[SQL_MAX], set[2][12];
	hub_sdc_params p;
	bool rollup;
	size_t i;
	ibx_err rv;

	memset(t, 0, sizeof(*t));
	if ((rv = rollup_sets(db, q, set, &rollup)) != IBX_OK)
		return (rv);
	if (rollup) {
		v[0] = set[0];
		v[1] = q->filters[HUB_STAT_F_NATIONALITY];
		v[2] = q->filters[HUB_STAT_F_PURPOSE];
		build_sql(q, true, true, sql);
		if ((rv = ibx_db_exec(db, sql, 3, v, &t->res)) != IBX_OK)
			return (rv);
		v[0] = set[1];
		build_sql(q, false, true, sql);
		if ((rv = ibx_db_exec(db, sql, 3, v, &t->tot)) != IBX_OK)
			return (rv);
	} else {
		v[0] = q->from[0] ? q->from : NULL;
		v[1] = q->to[0] ? q->to : NULL;
		for (i = 0; i <= HUB_STAT_NFILTERS; i++)
			v[2 + i] = q->filters[i];
		build_sql(q, true, false, sql);
		if ((rv = ibx_db_exec(db, sql, 11, v, &t->res)) != IBX_OK)
			return (rv);
		build_sql(q, false, false, sql);
		if ((rv = ibx_db_exec(db, sql, 11, v, &t->tot)) != IBX_OK)
			return (rv);
	}
	t->n = (size_t)ibx_db_result_rows(t->res);
	if ((t->cells = calloc(t->n + 1, sizeof(*t->cells))) == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < t->n; i++)
		fill_cell(&t->cells[i], t->res, (int)i, q->ndims);
	fill_cell(&t->total, t->tot, 0, 0);
	if (q->own)
		return (IBX_OK);
	p.k = k_threshold;
	p.is_count = measures[q->measure].is_count;
	/* Asked per hospital (the ministry only), a cell is one hospital by
	 * design: the k threshold and perturbation still apply. */
	p.min_hospitals = HUB_SDC_MIN_HOSPITALS;
	for (i = 0; i < q->ndims; i++)
		if (q->dims[i] == DIM_HOSPITAL)
			p.min_hospitals = 1;
	if (q->filters[7] != NULL)
		p.min_hospitals = 1;
	hub_sdc_apply(t->cells, t->n, q->ndims, &t->total, &p);
	return (IBX_OK);
}
