/* Statistics tables from the protected release; see stat_table.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "listing.h"
#include "stat_table.h"
#include "statistics.h"

static const struct {
	const char *name;
	const char *release; /* over the release's months, v.period */
	const char *cells;   /* over the cells, c.period */
	int months;	     /* months in one period of the grain */
} grains[HUB_STAT_NGRAINS] = {
    [HUB_STAT_G_MONTH] = {"month", "to_char(v.period, 'YYYY-MM')",
			  "to_char(c.period, 'YYYY-MM')", 1},
    [HUB_STAT_G_QUARTER] = {"quarter", "to_char(v.period, 'YYYY-\"Q\"Q')",
			    "to_char(c.period, 'YYYY-\"Q\"Q')", 3},
    /* The Japanese fiscal year: April to March, named by its start. */
    [HUB_STAT_G_FISCAL_YEAR] =
	{"fiscal_year",
	 "'FY' || to_char(v.period - interval '3 months', 'YYYY')",
	 "'FY' || to_char(c.period - interval '3 months', 'YYYY')", 12},
    [HUB_STAT_G_YEAR] = {"year", "to_char(v.period, 'YYYY')",
			 "to_char(c.period, 'YYYY')", 12},
};

/* A hospital's own figures: each dimension and measure over its cells. */
static const char *const cell_dims[HUB_REL_NDIMS] = {
    [HUB_REL_D_NATIONALITY] = "c.nationality",
    [HUB_REL_D_PURPOSE] = "c.purpose",
    [HUB_REL_D_ICD10_CHAPTER] = "c.icd10_chapter::text",
    [HUB_REL_D_AGE_BAND] = "c.age_band",
    [HUB_REL_D_SEX] = "c.sex",
    [HUB_REL_D_REFERRAL_CHANNEL] = "c.referral_channel",
    [HUB_REL_D_MEDICAL_STAY_VISA] = "c.medical_stay_visa",
    [HUB_REL_D_REFERRAL_ORG] = "c.referral_org",
    [HUB_REL_D_PREFECTURE] = "coalesce(hl.prefecture, '')",
    [HUB_REL_D_HOSPITAL] = "c.org_code",
};
static const char *const cell_measures[HUB_REL_NMEASURES] = {
    [HUB_REL_M_PATIENTS] = "c.patients",
    [HUB_REL_M_EPISODES] = "c.episodes",
    [HUB_REL_M_VISITS] = "c.outpatient_visits",
    [HUB_REL_M_INPATIENT_DAYS] = "c.inpatient_days",
    [HUB_REL_M_CHARGE_JPY] = "c.charge_jpy",
};

const char *
hub_stat_dimension_name(int d)
{
	return (d == HUB_STAT_D_PERIOD ? "period" : hub_release_dim_name(d));
}

const char *
hub_stat_grain_name(int g)
{
	return (g >= 0 && g < HUB_STAT_NGRAINS ? grains[g].name : "");
}

static bool
in_vocabulary(const char *dim, const char *v)
{
	const char *const *list;
	size_t n, i;

	if ((list = ibx_stat_vocabulary(dim, &n)) == NULL)
		return (false);
	for (i = 0; i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return (true);
	return (false);
}

static bool
filter_valid(int d, const char *v)
{
	long ch;
	char *end;

	switch (d) {
	case HUB_REL_D_ICD10_CHAPTER:
		ch = strtol(v, &end, 10);
		return (*v != '\0' && *end == '\0' && ch >= 1 && ch <= 22);
	case HUB_REL_D_PREFECTURE:
		return (ibx_code_prefecture_name(v) != NULL);
	case HUB_REL_D_REFERRAL_ORG:
	case HUB_REL_D_HOSPITAL:
		return (ibx_digits(v, 10));
	default:
		return (in_vocabulary(hub_release_dim_name(d), v));
	}
}

static int
parse_by(const char *by, hub_stat_query *q, char *err, size_t n)
{
	const char *p = by, *comma;
	char tok[48];
	size_t len, j;
	int d;

	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(tok)) {
			snprintf(err, n,
				 "parameter \"by\": empty or overlong "
				 "dimension");
			return (-1);
		}
		memcpy(tok, p, len);
		tok[len] = '\0';
		d = strcmp(tok, "period") == 0 ? HUB_STAT_D_PERIOD
					       : hub_release_dim_find(tok);
		if (d < 0) {
			snprintf(err, n,
				 "parameter \"by\": unknown dimension "
				 "\"%.40s\"",
				 tok);
			return (-1);
		}
		for (j = 0; j < q->ndims; j++)
			if (q->dims[j] == d) {
				snprintf(
				    err, n,
				    "parameter \"by\": \"%s\" given twice",
				    tok);
				return (-1);
			}
		if (q->ndims == HUB_STAT_MAX_DIMS) {
			snprintf(err, n,
				 "parameter \"by\": at most %d dimensions",
				 HUB_STAT_MAX_DIMS);
			return (-1);
		}
		q->dims[q->ndims++] = d;
		p += len;
		if (*p == ',')
			p++;
	}
	return (0);
}

static int
find_grain(const char *v)
{
	int g;

	for (g = 0; g < HUB_STAT_NGRAINS; g++)
		if (strcmp(v, grains[g].name) == 0)
			return (g);
	return (-1);
}

/* The window [from, to) of the year or month asked (years 2000-9998). */
static void
set_window(hub_stat_query *q)
{
	unsigned y = (unsigned)q->year % 10000u, first, idx;

	first = q->grain == HUB_STAT_G_FISCAL_YEAR ? 4u : 1u;
	if (q->month[0] != '\0') {
		idx = (unsigned)ibx_period_index(q->month) + 1u;
		snprintf(q->from, sizeof(q->from), "%.7s-01", q->month);
		snprintf(q->to, sizeof(q->to), "%04u-%02u-01",
			 (idx / 12u) % 10000u, idx % 12u + 1u);
	} else if (y != 0) {
		snprintf(q->from, sizeof(q->from), "%04u-%02u-01", y,
			 first % 13u);
		snprintf(q->to, sizeof(q->to), "%04u-%02u-01",
			 (y + 1u) % 10000u, first % 13u);
	}
}

int
hub_stat_query_parse(const hub_stat_viewer *who, const hub_stat_arg *args,
		     size_t nargs, hub_stat_query *q, char *err, size_t n)
{
	size_t i, j;
	int d;

	memset(q, 0, sizeof(*q));
	q->grain = HUB_STAT_G_MONTH;
	for (i = 0; i < nargs; i++) {
		const char *k = args[i].key, *v = args[i].value;

		for (j = 0; j < i; j++)
			if (strcmp(args[j].key, k) == 0) {
				snprintf(err, n,
					 "parameter \"%.40s\": given more "
					 "than once",
					 k);
				return (-1);
			}
		if (strcmp(k, "measure") == 0) {
			if ((q->measure = hub_release_measure_find(v)) < 0) {
				snprintf(err, n,
					 "parameter \"measure\": unknown "
					 "measure \"%.40s\" (patients, "
					 "episodes, visits, inpatient_days, "
					 "charge_jpy)",
					 v);
				return (-1);
			}
		} else if (strcmp(k, "period") == 0) {
			if ((q->grain = find_grain(v)) < 0) {
				snprintf(err, n,
					 "parameter \"period\": must be "
					 "month, quarter, fiscal_year or "
					 "year");
				return (-1);
			}
		} else if (strcmp(k, "by") == 0) {
			if (parse_by(v, q, err, n) != 0)
				return (-1);
		} else if (strcmp(k, "year") == 0) {
			char *end;
			long y = strtol(v, &end, 10);

			if (strlen(v) != 4 || *end != '\0' || y < 2000) {
				snprintf(err, n,
					 "parameter \"year\": must be YYYY "
					 "from 2000");
				return (-1);
			}
			q->year = (int)y;
		} else if (strcmp(k, "month") == 0) {
			if (!ibx_period_valid(v)) {
				snprintf(err, n,
					 "parameter \"month\": must be "
					 "YYYY-MM");
				return (-1);
			}
			snprintf(q->month, sizeof(q->month), "%s", v);
		} else if (strcmp(k, "from") == 0 || strcmp(k, "to") == 0) {
			snprintf(err, n,
				 "parameter \"%s\": arbitrary windows are not "
				 "answered; ask period=month|quarter|"
				 "fiscal_year|year with year=YYYY or "
				 "month=YYYY-MM",
				 k);
			return (-1);
		} else if (strcmp(k, "exclude_purpose") == 0) {
			if (!filter_valid(HUB_REL_D_PURPOSE, v)) {
				snprintf(err, n,
					 "parameter \"exclude_purpose\": "
					 "unknown value \"%.40s\"",
					 v);
				return (-1);
			}
			q->exclude_purpose = v;
		} else if (strcmp(k, "format") == 0) {
			if (strcmp(v, "csv") != 0 && strcmp(v, "json") != 0) {
				snprintf(err, n,
					 "parameter \"format\": must "
					 "be json or csv");
				return (-1);
			}
			q->csv = strcmp(v, "csv") == 0;
		} else {
			if ((d = hub_release_dim_find(k)) < 0) {
				snprintf(
				    err, n,
				    "parameter \"%.40s\": unknown parameter",
				    k);
				return (-1);
			}
			if (!filter_valid(d, v)) {
				snprintf(err, n,
					 "parameter \"%s\": unknown value "
					 "\"%.40s\"",
					 k, v);
				return (-1);
			}
			q->filters[d] = v;
		}
	}
	if (q->year != 0 && q->month[0] != '\0') {
		snprintf(err, n,
			 "parameter \"month\": give year or month, not both");
		return (-1);
	}
	if (q->month[0] != '\0' && q->grain != HUB_STAT_G_MONTH) {
		snprintf(err, n,
			 "parameter \"month\": only with period=month");
		return (-1);
	}
	set_window(q);
	/* Roles: only the ministry sees hospitals; a hospital sees only its
	 * own figures, exactly. */
	for (i = 0; i < q->ndims; i++)
		if (q->dims[i] == HUB_REL_D_HOSPITAL &&
		    who->role == HUB_STAT_VIEWER_COORDINATOR) {
			snprintf(err, n,
				 "dimension \"hospital\": for the "
				 "ministry only");
			return (-2);
		}
	if (q->filters[HUB_REL_D_HOSPITAL] != NULL &&
	    who->role == HUB_STAT_VIEWER_COORDINATOR) {
		snprintf(err, n,
			 "parameter \"hospital\": for the ministry only");
		return (-2);
	}
	if (who->role == HUB_STAT_VIEWER_HOSPITAL) {
		if (q->filters[HUB_REL_D_HOSPITAL] != NULL &&
		    strcmp(q->filters[HUB_REL_D_HOSPITAL], who->org_code) !=
			0) {
			snprintf(err, n,
				 "parameter \"hospital\": a hospital "
				 "sees only its own figures");
			return (-2);
		}
		q->filters[HUB_REL_D_HOSPITAL] = who->org_code;
		q->own = true;
	}
	return (0);
}

ibx_err
hub_stat_query_set(hub_stat_query *q, const char *measure, const char *by,
		   const char *grain)
{
	char err[160];

	memset(q, 0, sizeof(*q));
	if ((q->measure = hub_release_measure_find(measure)) < 0 ||
	    (q->grain = find_grain(grain)) < 0)
		return (IBX_EINVAL);
	return (parse_by(by, q, err, sizeof(err)) == 0 ? IBX_OK : IBX_EINVAL);
}

ibx_err
hub_stat_query_filter(hub_stat_query *q, const char *dim, const char *value)
{
	int d = hub_release_dim_find(dim);

	if (d < 0)
		return (IBX_EINVAL);
	q->filters[d] = value;
	return (IBX_OK);
}

/* The smallest released query of q's measure whose dimensions hold every
 * dimension q groups or filters by; -1 when none.  pos[d] is 0 or 1: the
 * key column (key1, key2) of dimension d.
 *
 * A prefecture filter is also met by a marginal that holds the hospital
 * and not the prefecture (*by_listing set): its rows are kept when the
 * hospital's listing is in that prefecture.  A hospital's prefecture is
 * public listing data, so this is post-processing of released values
 * (docs/disclosure-control.md, sections 5 and 8): the ministry's drill-down
 * from a prefecture to the hospitals behind its figure. */
static int
choose_marginal(const hub_stat_query *q, int pos[HUB_REL_NDIMS],
		bool *by_listing)
{
	const hub_release_query *w;
	bool need[HUB_REL_NDIMS] = {false};
	size_t nw, i;
	int d, best = -1, j;
	bool best_listing = false;

	w = hub_release_workload(&nw);
	for (i = 0; i < q->ndims; i++)
		if (q->dims[i] != HUB_STAT_D_PERIOD)
			need[q->dims[i]] = true;
	for (d = 0; d < HUB_REL_NDIMS; d++)
		if (q->filters[d] != NULL)
			need[d] = true;
	if (q->exclude_purpose != NULL)
		need[HUB_REL_D_PURPOSE] = true;
	for (i = 0; i < nw; i++) {
		bool has[HUB_REL_NDIMS] = {false};

		if (w[i].measure != q->measure)
			continue;
		bool listing = false;

		for (j = 0; j < w[i].ndims; j++)
			has[w[i].dims[j]] = true;
		if (need[HUB_REL_D_PREFECTURE] && !has[HUB_REL_D_PREFECTURE] &&
		    has[HUB_REL_D_HOSPITAL] &&
		    q->filters[HUB_REL_D_PREFECTURE] != NULL) {
			for (j = 0; j < (int)q->ndims; j++)
				if (q->dims[j] == HUB_REL_D_PREFECTURE)
					break;
			/* Filtered by, not grouped by. */
			listing = j == (int)q->ndims;
			has[HUB_REL_D_PREFECTURE] = listing;
		}
		for (d = 0; d < HUB_REL_NDIMS; d++)
			if (need[d] && !has[d])
				break;
		if (d < HUB_REL_NDIMS)
			continue;
		if (best < 0 || w[i].ndims < w[best].ndims) {
			best = (int)i;
			best_listing = listing;
		}
	}
	if (best >= 0)
		for (j = 0; j < w[best].ndims; j++)
			pos[w[best].dims[j]] = j;
	*by_listing = best_listing;
	return (best);
}

/* The released tables of measure m, for the refusal's message. */
static void
released_list(int m, char *out, size_t n)
{
	const hub_release_query *w;
	size_t nw, i, len = 0;
	char dims[64];

	w = hub_release_workload(&nw);
	out[0] = '\0';
	for (i = 0; i < nw && len < n; i++) {
		if (w[i].measure != m || w[i].ndims == 0)
			continue;
		hub_release_dims_text(&w[i], dims, sizeof(dims));
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					len ? "; " : "", dims);
	}
}

/* The SQL of q over the release (marginal dims) or, q->own, over the
 * hospital's cells, assembled in memory from the constant expressions
 * above: every group expression, the measure, the patients behind it,
 * the months behind it. */
static char *
build_sql(const hub_stat_query *q, const int pos[HUB_REL_NDIMS],
	  bool by_listing)
{
	char *sql = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&sql, &len);
	int d;

	if (f == NULL)
		return (NULL);
	fputs("SELECT ", f);
	for (i = 0; i < q->ndims; i++) {
		d = q->dims[i];
		if (d == HUB_STAT_D_PERIOD)
			fputs(q->own ? grains[q->grain].cells
				     : grains[q->grain].release,
			      f);
		else if (q->own)
			fputs(cell_dims[d], f);
		else
			fputs(pos[d] == 0 ? "v.key1" : "v.key2", f);
		fputs(", ", f);
	}
	if (q->own) {
		fprintf(f,
			"coalesce(sum(%s), 0), coalesce(sum(c.patients), 0),"
			" count(DISTINCT c.period)"
			" FROM statistics_cells c LEFT JOIN hospital_listings"
			" hl ON hl.org_code = c.org_code WHERE c.current"
			" AND ($1::date IS NULL OR c.period >= $1::date)"
			" AND ($2::date IS NULL OR c.period < $2::date)",
			cell_measures[q->measure]);
		for (d = 0; d < HUB_REL_NDIMS; d++)
			fprintf(f, " AND ($%d::text IS NULL OR %s = $%d)",
				d + 3, cell_dims[d], d + 3);
		fprintf(f, " AND ($%d::text IS NULL OR c.purpose <> $%d)",
			HUB_REL_NDIMS + 3, HUB_REL_NDIMS + 3);
	} else
		fputs("coalesce(sum(v.value) FILTER (WHERE v.measure = $3),"
		      " 0), coalesce(sum(v.value) FILTER (WHERE v.measure ="
		      " 'patients'), 0), count(DISTINCT v.period)"
		      " FROM release_values v"
		      " WHERE v.measure IN ($3, 'patients') AND v.dims = $4"
		      " AND ($1::date IS NULL OR v.period >= $1::date)"
		      " AND ($2::date IS NULL OR v.period < $2::date)"
		      " AND ($5::text IS NULL OR v.key1 = $5)"
		      " AND ($6::text IS NULL OR v.key2 = $6)",
		      f);
	if (!q->own && q->exclude_purpose != NULL)
		fprintf(f, " AND v.key%d <> $7", pos[HUB_REL_D_PURPOSE] + 1);
	/* The prefecture through the hospitals' listings (choose_marginal):
	 * always the last parameter. */
	if (!q->own && by_listing)
		fprintf(f,
			" AND v.key%d IN (SELECT org_code FROM "
			"hospital_listings WHERE prefecture = $%d)",
			pos[HUB_REL_D_HOSPITAL] + 1,
			q->exclude_purpose != NULL ? 8 : 7);
	for (i = 0; i < q->ndims; i++)
		fprintf(f, "%s%zu", i == 0 ? " GROUP BY " : ", ", i + 1);
	for (i = 0; i < q->ndims; i++)
		fprintf(f, "%s%zu", i == 0 ? " ORDER BY " : ", ", i + 1);
	if (fclose(f) != 0) {
		free(sql);
		return (NULL);
	}
	return (sql);
}

static const char SQL_MONTHS[] =
    "SELECT count(*) FROM release_months"
    " WHERE ($1::date IS NULL OR period >= $1::date)"
    " AND ($2::date IS NULL OR period < $2::date)";

void
hub_stat_table_fini(hub_stat_table *t)
{
	if (t == NULL)
		return;
	ibx_db_result_free(t->res);
	free(t->cells);
	t->res = NULL;
	t->cells = NULL;
}

/* The NDB rule on a released row: a count (or a sum's patients) from 1
 * to k-1 is not published, and neither is 0, so the two look the same. */
static bool
ndb_shown(int64_t patients, int k)
{
	return (patients >= k);
}

ibx_err
hub_stat_table_load(ibx_db *db, int k, const hub_stat_query *q,
		    hub_stat_table *t, char *err, size_t n)
{
	const char *v[HUB_REL_NDIMS + 4];
	int pos[HUB_REL_NDIMS] = {0}, qi = -1, d;
	const hub_release_query *w;
	char dims[64], list[400];
	ibx_db_result *months = NULL;
	int64_t scale, patients, tp = 0;
	char *sql = NULL;
	size_t nw, i, c;
	int nv;
	bool by_listing = false;
	ibx_err rv = IBX_OK;

	memset(t, 0, sizeof(*t));
	err[0] = '\0';
	w = hub_release_workload(&nw);
	if (!q->own) {
		if ((qi = choose_marginal(q, pos, &by_listing)) < 0) {
			released_list(q->measure, list, sizeof(list));
			snprintf(err, n,
				 "parameter \"by\": the release has no table "
				 "of %s by these dimensions and filters "
				 "(released: %s)",
				 hub_release_measure_name(q->measure), list);
			return (IBX_EINVAL);
		}
		hub_release_dims_text(&w[qi], dims, sizeof(dims));
	}
	if ((sql = build_sql(q, pos, by_listing)) == NULL)
		return (IBX_ENOMEM);
	v[0] = q->from[0] != '\0' ? q->from : NULL;
	v[1] = q->to[0] != '\0' ? q->to : NULL;
	if (q->own) {
		for (d = 0; d < HUB_REL_NDIMS; d++)
			v[2 + d] = q->filters[d];
		v[2 + HUB_REL_NDIMS] = q->exclude_purpose;
		nv = 3 + HUB_REL_NDIMS;
	} else {
		v[2] = hub_release_measure_name(q->measure);
		v[3] = dims;
		v[4] = v[5] = NULL;
		for (d = 0; d < HUB_REL_NDIMS; d++)
			if (q->filters[d] != NULL &&
			    (d != HUB_REL_D_PREFECTURE || !by_listing))
				v[4 + pos[d]] = q->filters[d];
		nv = 6;
		if (q->exclude_purpose != NULL)
			v[nv++] = q->exclude_purpose;
		if (by_listing)
			v[nv++] = q->filters[HUB_REL_D_PREFECTURE];
	}
	if ((rv = ibx_db_exec(db, sql, nv, v, &t->res)) != IBX_OK)
		goto out;
	if ((rv = ibx_db_exec(db, SQL_MONTHS, 2, v, &months)) != IBX_OK)
		goto out;
	t->months = atoi(ibx_db_result_value(months, 0, 0));
	if (q->month[0] != '\0')
		t->partial = t->months < 1;
	else if (q->year != 0)
		t->partial = t->months < 12;
	/* Charges are released in units of HUB_RELEASE_JPY_UNIT yen. */
	scale = !q->own && q->measure == HUB_REL_M_CHARGE_JPY
		    ? HUB_RELEASE_JPY_UNIT
		    : 1;
	t->n = q->ndims > 0 ? (size_t)ibx_db_result_rows(t->res) : 0;
	if ((t->cells = calloc(t->n + 1, sizeof(*t->cells))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < (q->ndims > 0 ? t->n : 1); i++) {
		hub_stat_cell *cell = q->ndims > 0 ? &t->cells[i] : &t->total;

		for (c = 0; c < q->ndims; c++)
			cell->keys[c] =
			    ibx_db_result_value(t->res, (int)i, (int)c);
		cell->value =
		    scale *
		    strtoll(ibx_db_result_value(t->res, (int)i, (int)c), NULL,
			    10);
		patients = strtoll(
		    ibx_db_result_value(t->res, (int)i, (int)c + 1), NULL, 10);
		cell->patients = patients;
		cell->months =
		    atoi(ibx_db_result_value(t->res, (int)i, (int)c + 2));
		cell->shown = q->own || ndb_shown(patients, k);
		for (c = 0; c < q->ndims; c++)
			if (q->dims[c] == HUB_STAT_D_PERIOD)
				cell->partial =
				    cell->months < grains[q->grain].months;
		if (q->ndims > 0) {
			t->total.value += cell->value;
			tp += patients;
		}
	}
	if (q->ndims > 0) {
		t->total.shown = q->own || ndb_shown(tp, k);
		t->total.patients = tp;
	}
	t->total.months = t->months;
out:
	free(sql);
	ibx_db_result_free(months);
	if (rv != IBX_OK && err[0] == '\0')
		snprintf(err, n, "statistics: %s", ibx_strerror(rv));
	return (rv);
}
