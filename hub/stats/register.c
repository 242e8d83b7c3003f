/* The institution-code register import; see register.h. Rows go to the
 * database in batches as five PostgreSQL text arrays, so 97,000 rows take
 * some twenty statements, not 97,000. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "register.h"

#define REG_FIELDS    5
#define REG_FIELD_MAX 1024
#define REG_BATCH     5000

static const char SQL_DELETE[] = "DELETE FROM institution_register";

/* A batch: codes (10 digits), names, postal codes, addresses. Rows of the
 * same code within a batch are merged first (ON CONFLICT may touch a row
 * once per statement), then into what earlier batches stored. */
static const char SQL_INSERT[] =
    "INSERT INTO institution_register AS r (org_code, name_ja, postal_code,"
    " address, prefecture, rows)"
    " SELECT DISTINCT ON (c) c, n, nullif(p, ''), nullif(a, ''),"
    " substr(c, 1, 2), count(*) OVER (PARTITION BY c)"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
    " AS t(c, n, p, a) ORDER BY c"
    " ON CONFLICT (org_code) DO UPDATE SET rows = r.rows + EXCLUDED.rows";

enum { COUNT_STORED, COUNT_HOSPITALS };
static const char SQL_COUNT[] =
    "SELECT count(*), count(*) FILTER (WHERE strpos(name_ja, '病院') > 0)"
    " FROM institution_register";

static const char *const columns[REG_FIELDS] = {
    "医療機関コード(9桁)",
    "医療機関コード(7桁)",
    "医療機関名称",
    "郵便番号",
    "住所",
};

struct reader {
	ibx_db *db;
	const char *path;
	char fields[REG_FIELDS][REG_FIELD_MAX];
	int col[REG_FIELDS];
	size_t nfields, line, rows, batch;
	FILE *arr[4]; /* code, name, postal, address array literals */
	char *text[4];
	size_t len[4];
	int failed;
	char *err;
	size_t errlen;
};

static void
on_field(void *s, size_t len, void *arg)
{
	struct reader *r = arg;
	size_t i, n = len < REG_FIELD_MAX - 1 ? len : REG_FIELD_MAX - 1;
	const char *f = s;

	if (r->line == 0 && r->nfields == 0 && n >= 3 &&
	    memcmp(f, "\xEF\xBB\xBF", 3) == 0) {
		f += 3; /* a UTF-8 BOM before the first header */
		n -= 3;
	}
	if (r->line == 0) {
		for (i = 0; i < REG_FIELDS; i++)
			if (strlen(columns[i]) == n &&
			    memcmp(columns[i], f, n) == 0)
				r->col[i] = (int)r->nfields;
	} else {
		for (i = 0; i < REG_FIELDS; i++) {
			if (r->col[i] == (int)r->nfields) {
				memcpy(r->fields[i], f, n);
				r->fields[i][n] = '\0';
			}
		}
	}
	r->nfields++;
}

/* Opens the four array literals of a batch. */
static int
batch_open(struct reader *r)
{
	int i;

	for (i = 0; i < 4; i++) {
		if ((r->arr[i] = open_memstream(&r->text[i], &r->len[i])) ==
		    NULL)
			return (-1);
		fputc('{', r->arr[i]);
	}
	r->batch = 0;
	return (0);
}

/* Appends s as one quoted element of array literal i. */
static void
batch_put(struct reader *r, int i, const char *s)
{
	FILE *f = r->arr[i];

	fputs(r->batch > 0 ? ",\"" : "\"", f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Sends the batch (when it has rows) and frees it; -1 on failure, with
 * the reason in r->err. */
static int
batch_flush(struct reader *r)
{
	const char *v[4];
	int i, rv = 0;

	for (i = 0; i < 4; i++) {
		if (r->arr[i] == NULL)
			continue;
		fputc('}', r->arr[i]);
		if (fclose(r->arr[i]) != 0)
			rv = -1;
		r->arr[i] = NULL;
		v[i] = r->text[i];
	}
	if (rv != 0)
		snprintf(r->err, r->errlen, "out of memory");
	else if (r->batch > 0 &&
		 ibx_db_exec(r->db, SQL_INSERT, 4, v, NULL) != IBX_OK) {
		snprintf(r->err, r->errlen, "database: %s",
			 ibx_db_last_error(r->db));
		rv = -1;
	}
	for (i = 0; i < 4; i++) {
		free(r->text[i]);
		r->text[i] = NULL;
	}
	r->batch = 0;
	return (rv);
}

/* True when s is exactly n ASCII digits. */
static int
digits(const char *s, size_t n)
{
	return (strlen(s) == n && strspn(s, "0123456789") == n);
}

static void
on_row(int c, void *arg)
{
	struct reader *r = arg;
	const char *c9, *c7;
	char code[11];
	size_t i;

	(void)c;
	if (r->failed)
		goto next;
	if (r->line++ == 0) {
		for (i = 0; i < REG_FIELDS; i++) {
			if (r->col[i] < 0) {
				snprintf(r->err, r->errlen,
					 "%s: line 1: the header lacks a "
					 "column \"%s\"",
					 r->path, columns[i]);
				r->failed = 1;
			}
		}
		goto next;
	}
	c9 = r->fields[0];
	c7 = r->fields[1];
	if (!digits(c9, 9) || !digits(c7, 7) || strcmp(c9 + 2, c7) != 0 ||
	    strncmp(c9, "01", 2) < 0 || strncmp(c9, "47", 2) > 0) {
		snprintf(r->err, r->errlen,
			 "%s: line %zu, column \"%s\": \"%.20s\" is not a "
			 "prefecture code and the 7-digit code",
			 r->path, r->line, columns[0], c9);
		r->failed = 1;
		goto next;
	}
	if (r->fields[2][0] == '\0') {
		snprintf(r->err, r->errlen,
			 "%s: line %zu, column \"%s\": empty", r->path,
			 r->line, columns[2]);
		r->failed = 1;
		goto next;
	}
	snprintf(code, sizeof(code), "%.2s1%s", c9, c7);
	if (r->arr[0] == NULL && batch_open(r) != 0) {
		snprintf(r->err, r->errlen, "out of memory");
		r->failed = 1;
		goto next;
	}
	batch_put(r, 0, code);
	batch_put(r, 1, r->fields[2]);
	batch_put(r, 2, r->fields[3]);
	batch_put(r, 3, r->fields[4]);
	r->batch++;
	r->rows++;
	if (r->batch >= REG_BATCH && batch_flush(r) != 0)
		r->failed = 1;
next:
	r->nfields = 0;
	for (i = 0; i < REG_FIELDS; i++)
		r->fields[i][0] = '\0';
}

/* Reads one file into the open transaction; -1 on failure. */
static int
read_file(struct reader *r, const char *path)
{
	struct csv_parser p;
	char buf[65536];
	size_t got, i;
	FILE *f;

	r->path = path;
	r->line = 0;
	r->nfields = 0;
	for (i = 0; i < REG_FIELDS; i++)
		r->col[i] = -1;
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(r->err, r->errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (csv_init(&p, 0) != 0) {
		fclose(f);
		snprintf(r->err, r->errlen, "out of memory");
		return (-1);
	}
	while (!r->failed && (got = fread(buf, 1, sizeof(buf), f)) > 0)
		if (csv_parse(&p, buf, got, on_field, on_row, r) != got) {
			snprintf(r->err, r->errlen, "%s: line %zu: %s", path,
				 r->line + 1, csv_strerror(csv_error(&p)));
			r->failed = 1;
		}
	if (!r->failed)
		csv_fini(&p, on_field, on_row, r);
	csv_free(&p);
	fclose(f);
	return (r->failed ? -1 : 0);
}

ibx_err
hub_register_import(ibx_db *db, const char *const *paths, size_t n,
		    hub_register_counts *counts, char *err, size_t errlen)
{
	struct reader *r = NULL;
	ibx_db_result *res = NULL;
	ibx_err rv = IBX_EINVAL;
	size_t i;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (IBX_ENOMEM);
	}
	r->db = db;
	r->err = err;
	r->errlen = errlen;
	if (ibx_db_script(db, "BEGIN") != IBX_OK ||
	    ibx_db_exec(db, SQL_DELETE, 0, NULL, NULL) != IBX_OK) {
		snprintf(err, errlen, "database: %s", ibx_db_last_error(db));
		rv = IBX_EDB;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (read_file(r, paths[i]) != 0)
			goto out;
	if (batch_flush(r) != 0)
		goto out;
	if (ibx_db_exec(db, SQL_COUNT, 0, NULL, &res) != IBX_OK) {
		snprintf(err, errlen, "database: %s", ibx_db_last_error(db));
		rv = IBX_EDB;
		goto out;
	}
	counts->rows = r->rows;
	counts->stored =
	    strtoul(ibx_db_result_value(res, 0, COUNT_STORED), NULL, 10);
	counts->hospitals =
	    strtoul(ibx_db_result_value(res, 0, COUNT_HOSPITALS), NULL, 10);
	counts->merged = counts->rows - counts->stored;
	rv = IBX_OK;
out:
	if (rv == IBX_OK && ibx_db_script(db, "COMMIT") != IBX_OK) {
		snprintf(err, errlen, "database: %s", ibx_db_last_error(db));
		rv = IBX_EDB;
	}
	if (rv != IBX_OK)
		(void)ibx_db_script(db, "ROLLBACK");
	for (i = 0; i < 4; i++) {
		if (r->arr[i] != NULL)
			fclose(r->arr[i]);
		free(r->text[i]);
	}
	ibx_db_result_free(res);
	free(r);
	return (rv);
}
