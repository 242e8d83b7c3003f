/* Reference series import and growth; see series.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "codes.h"
#include "series.h"

#define SERIES_MAX_FIELDS 64
#define SERIES_FIELD_MAX  256

static const char SQL_DELETE[] =
    "DELETE FROM reference_series WHERE name = $1";
static const char SQL_INSERT[] =
    "INSERT INTO reference_series (name, period, nationality, value, source)"
    " VALUES ($1, $2, $3, $4::numeric, $5)";

struct reader {
	ibx_db *db;
	const char *name, *source;
	const hub_series_columns *cols;
	int col_period, col_nat, col_value;
	char fields[SERIES_MAX_FIELDS][SERIES_FIELD_MAX];
	size_t nfields;
	size_t line;
	size_t rows;
	int failed;
	char *err;
	size_t errlen;
};

static void
on_field(void *s, size_t len, void *arg)
{
	struct reader *r = arg;
	size_t n = len < SERIES_FIELD_MAX - 1 ? len : SERIES_FIELD_MAX - 1;

	if (r->nfields < SERIES_MAX_FIELDS) {
		memcpy(r->fields[r->nfields], s, n);
		r->fields[r->nfields][n] = '\0';
	}
	r->nfields++;
}

static int
find_column(struct reader *r, const char *name)
{
	size_t i;
	const char *f;

	if (name == NULL)
		return (-1);
	for (i = 0; i < r->nfields && i < SERIES_MAX_FIELDS; i++) {
		f = r->fields[i];
		/* A UTF-8 BOM before the first header. */
		if (i == 0 && strncmp(f, "\xEF\xBB\xBF", 3) == 0)
			f += 3;
		if (strcmp(f, name) == 0)
			return ((int)i);
	}
	return (-2);
}

static int
period_ok(const char *p)
{
	size_t i, len = strlen(p);

	if (len != 4 && len != 7)
		return (0);
	for (i = 0; i < len; i++)
		if (i == 4 ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return (0);
	return (len == 4 || (atoi(p + 5) >= 1 && atoi(p + 5) <= 12));
}

static void
row(struct reader *r)
{
	const char *period, *nat, *value;
	const char *v[5];
	char *end;
	double d;

	period = r->fields[r->col_period];
	nat = r->col_nat >= 0 ? r->fields[r->col_nat] : "";
	value = r->fields[r->col_value];
	if (!period_ok(period)) {
		snprintf(r->err, r->errlen,
			 "line %zu, column \"%s\": \"%.20s\" is not YYYY or "
			 "YYYY-MM",
			 r->line, r->cols->period, period);
		r->failed = 1;
		return;
	}
	if (*nat != '\0' && !ibx_code_country(nat)) {
		snprintf(
		    r->err, r->errlen,
		    "line %zu, column \"%s\": unknown ISO 3166-1 alpha-2 code "
		    "\"%.20s\"",
		    r->line, r->cols->nationality, nat);
		r->failed = 1;
		return;
	}
	errno = 0;
	d = strtod(value, &end);
	if (*value == '\0' || *end != '\0' || errno != 0 || d < 0 ||
	    !isfinite(d)) {
		snprintf(
		    r->err, r->errlen,
		    "line %zu, column \"%s\": \"%.20s\" is not a number >= 0",
		    r->line, r->cols->value, value);
		r->failed = 1;
		return;
	}
	v[0] = r->name;
	v[1] = period;
	v[2] = nat;
	v[3] = value;
	v[4] = r->source;
	if (ibx_db_exec(r->db, SQL_INSERT, 5, v, NULL) != IBX_OK) {
		snprintf(r->err, r->errlen, "line %zu: %s", r->line,
			 ibx_db_last_error(r->db));
		r->failed = 1;
		return;
	}
	r->rows++;
}

static void
on_row(int c, void *arg)
{
	struct reader *r = arg;

	(void)c;
	r->line++;
	if (r->failed)
		goto next;
	if (r->line == 1) {
		r->col_period = find_column(r, r->cols->period);
		r->col_nat = find_column(r, r->cols->nationality);
		r->col_value = find_column(r, r->cols->value);
		if (r->col_period < 0 || r->col_value < 0 ||
		    r->col_nat == -2) {
			snprintf(r->err, r->errlen,
				 "line 1: the header lacks a column \"%s\"",
				 r->col_period < 0  ? r->cols->period
				 : r->col_value < 0 ? r->cols->value
						    : r->cols->nationality);
			r->failed = 1;
		}
		goto next;
	}
	if (r->nfields > SERIES_MAX_FIELDS ||
	    (size_t)r->col_period >= r->nfields ||
	    (size_t)r->col_value >= r->nfields ||
	    (r->col_nat >= 0 && (size_t)r->col_nat >= r->nfields)) {
		snprintf(r->err, r->errlen, "line %zu: too few fields",
			 r->line);
		r->failed = 1;
		goto next;
	}
	row(r);
next:
	r->nfields = 0;
}

ibx_err
hub_series_import(ibx_db *db, const char *name, const char *path,
		  const hub_series_columns *cols, size_t *rows, char *err,
		  size_t n)
{
	struct csv_parser p;
	struct reader *r = NULL;
	const char *v[1] = {name};
	char buf[65536];
	size_t got;
	FILE *f = NULL;
	ibx_err rv = IBX_EINVAL;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return (IBX_EIO);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    csv_init(&p, CSV_APPEND_NULL) != 0) {
		fclose(f);
		free(r);
		return (IBX_ENOMEM);
	}
	r->db = db;
	r->name = name;
	r->source = path;
	r->cols = cols;
	r->err = err;
	r->errlen = n;
	if (ibx_db_script(db, "BEGIN") != IBX_OK ||
	    ibx_db_exec(db, SQL_DELETE, 1, v, NULL) != IBX_OK) {
		snprintf(err, n, "database: %s", ibx_db_last_error(db));
		rv = IBX_EDB;
		goto out;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0 && !r->failed)
		if (csv_parse(&p, buf, got, on_field, on_row, r) != got) {
			snprintf(err, n, "line %zu: %s", r->line + 1,
				 csv_strerror(csv_error(&p)));
			r->failed = 1;
		}
	if (!r->failed)
		csv_fini(&p, on_field, on_row, r);
	if (!r->failed) {
		*rows = r->rows;
		rv = IBX_OK;
	}
out:
	if (rv == IBX_OK && ibx_db_script(db, "COMMIT") != IBX_OK) {
		snprintf(err, n, "database: %s", ibx_db_last_error(db));
		rv = IBX_EDB;
	}
	if (rv != IBX_OK)
		(void)ibx_db_script(db, "ROLLBACK");
	csv_free(&p);
	fclose(f);
	free(r);
	return (rv);
}

double
hub_growth_cagr(double a, double b, double years, int *ok)
{
	*ok = a > 0 && b >= 0 && years > 0;
	if (!*ok)
		return (0);
	return ((pow(b / a, 1.0 / years) - 1.0) * 100.0);
}
