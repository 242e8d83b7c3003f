/*
 * Writing a case-statistics submission: the cells go to PostgreSQL as one
 * array per column, in binary format, in a single call of
 * ibx_store_statistics (deploy/sql/functions, 007 keeps the roll-ups with it),
 * which replaces the hospital's previous submission for the period, keeps
 * it as history, and returns the DHIS2-style import summary.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "log.h"
#include "store.h"

static const char SQL_STORE_STATISTICS[] =
    "SELECT imported, updated, unchanged, deleted FROM ibx_store_statistics("
    "$1, $2, $3::boolean, $4, $5::text[], $6::text[], $7::text[], "
    "$8::text[], $9::text[], $10::text[], $11::text[], $12::text[], "
    "$13::text[], $14::smallint[], $15::bigint[], $16::bigint[], "
    "$17::bigint[], $18::bigint[], $19::bigint[], $20::bigint[], "
    "$21::bigint[], $22::bigint[], $23::bigint[], $24::bigint, $25)";
enum { SUMMARY_IMPORTED, SUMMARY_UPDATED, SUMMARY_UNCHANGED, SUMMARY_DELETED };

#define TEXT_COLUMNS   9
#define NUMBER_COLUMNS 10

/* PostgreSQL's type OIDs of the array elements (pg_type.dat). */
#define OID_INT8 20
#define OID_INT2 21
#define OID_TEXT 25

/* One array parameter in PostgreSQL's binary format (array_recv): a
 * header of ndim, flags, element type, then size and lower bound of the
 * one dimension, then each element as a 32-bit length and its bytes, all
 * integers big-endian.  Binary arrays skip the server's text parsing. */
struct arr {
	unsigned char *buf;
	size_t len, cap;
	int failed;
};

static void
arr_put(struct arr *a, const void *s, size_t n)
{
	unsigned char *grown;

	if (a->failed)
		return;
	if (a->len + n > a->cap) {
		size_t cap = a->cap == 0 ? 256 : a->cap;

		while (a->len + n > cap)
			cap *= 2;
		if ((grown = realloc(a->buf, cap)) == NULL) {
			a->failed = 1;
			return;
		}
		a->buf = grown;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, s, n);
	a->len += n;
}

static void
arr_u32(struct arr *a, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24),
			      (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};

	arr_put(a, b, sizeof(b));
}

/* The header of a one-dimensional array of n elements of type oid (no
 * dimension at all when empty, as array_send writes it). */
static void
arr_header(struct arr *a, uint32_t oid, size_t n)
{
	arr_u32(a, n > 0 ? 1 : 0);
	arr_u32(a, 0); /* no NULLs */
	arr_u32(a, oid);
	if (n > 0) {
		arr_u32(a, (uint32_t)n);
		arr_u32(a, 1);
	}
}

static void
arr_text(struct arr *a, const char *s)
{
	size_t n = strlen(s);

	arr_u32(a, (uint32_t)n);
	arr_put(a, s, n);
}

static void
arr_number(struct arr *a, int64_t v, uint32_t oid)
{
	uint64_t u = (uint64_t)v;

	if (oid == OID_INT2) {
		unsigned char b[2] = {(unsigned char)(u >> 8),
				      (unsigned char)u};

		arr_u32(a, 2);
		arr_put(a, b, 2);
		return;
	}
	arr_u32(a, 8);
	arr_u32(a, (uint32_t)(u >> 32));
	arr_u32(a, (uint32_t)u);
}

/* The ICD-10 chapter of a checked cell, whatever level it was sent at. */
static int64_t
chapter_of(const ibx_case_statistics *s, const ibx_stat_cell *c)
{
	if (strcmp(s->icd10_level, "category") == 0)
		return (ibx_code_icd10_chapter(c->icd10));
	return (strtol(c->icd10, NULL, 10));
}

ibx_ack_status
hub_store_statistics(ibx_db *db, const ibx_case_statistics *s,
		     uint64_t sequence, const ibx_bytes *envelope,
		     ibx_import_summary *sum, char *err, size_t n)
{
	struct arr text[TEXT_COLUMNS], num[NUMBER_COLUMNS];
	ibx_db_param p[25];
	ibx_db_result *res = NULL;
	char seq[24];
	size_t i, k;
	ibx_ack_status st = IBX_ACK_RETRY_LATER;
	ibx_err rv;

	memset(text, 0, sizeof(text));
	memset(num, 0, sizeof(num));
	for (k = 0; k < TEXT_COLUMNS; k++)
		arr_header(&text[k], OID_TEXT, s->n_cells);
	for (k = 0; k < NUMBER_COLUMNS; k++)
		arr_header(&num[k], k == 0 ? OID_INT2 : OID_INT8, s->n_cells);
	for (i = 0; i < s->n_cells; i++) {
		const ibx_stat_cell *c = &s->cells[i];
		const char *t[TEXT_COLUMNS] = {c->nationality,
					       c->purpose,
					       c->icd10,
					       c->age_band,
					       c->sex,
					       c->referral_channel,
					       c->referral_org,
					       c->remote_second_opinion_first,
					       c->medical_stay_visa};
		int64_t v[NUMBER_COLUMNS] = {chapter_of(s, c),
					     c->patients,
					     c->episodes,
					     c->inpatient_episodes,
					     c->outpatient_visits,
					     c->inpatient_days,
					     c->charge_jpy,
					     c->outpatient_visits_clipped,
					     c->inpatient_days_clipped,
					     c->charge_jpy_clipped};

		for (k = 0; k < TEXT_COLUMNS; k++)
			arr_text(&text[k], t[k]);
		for (k = 0; k < NUMBER_COLUMNS; k++)
			arr_number(&num[k], v[k],
				   k == 0 ? OID_INT2 : OID_INT8);
	}
	for (k = 0; k < TEXT_COLUMNS; k++)
		if (text[k].failed || text[k].len > INT_MAX)
			goto nomem;
	for (k = 0; k < NUMBER_COLUMNS; k++)
		if (num[k].failed || num[k].len > INT_MAX)
			goto nomem;
	snprintf(seq, sizeof(seq), "%" PRIu64, sequence);
	p[0] = (ibx_db_param){s->organisation_code, 0, false};
	p[1] = (ibx_db_param){s->period, 0, false};
	p[2] = (ibx_db_param){s->nil_report ? "true" : "false", 0, false};
	p[3] = (ibx_db_param){s->icd10_level, 0, false};
	for (k = 0; k < TEXT_COLUMNS; k++)
		p[4 + k] = (ibx_db_param){(const char *)text[k].buf,
					  (int)text[k].len, true};
	for (k = 0; k < NUMBER_COLUMNS; k++)
		p[13 + k] = (ibx_db_param){(const char *)num[k].buf,
					   (int)num[k].len, true};
	p[23] = (ibx_db_param){seq, 0, false};
	p[24] = (ibx_db_param){(const char *)envelope->data,
			       (int)envelope->len, true};
	rv = ibx_db_execp(db, SQL_STORE_STATISTICS, 25, p, &res);
	if (rv == IBX_OK) {
		memset(sum, 0, sizeof(*sum));
		sum->imported = (uint32_t)atol(
		    ibx_db_result_value(res, 0, SUMMARY_IMPORTED));
		sum->updated = (uint32_t)atol(
		    ibx_db_result_value(res, 0, SUMMARY_UPDATED));
		sum->unchanged = (uint32_t)atol(
		    ibx_db_result_value(res, 0, SUMMARY_UNCHANGED));
		sum->deleted = (uint32_t)atol(
		    ibx_db_result_value(res, 0, SUMMARY_DELETED));
		st = IBX_ACK_ACCEPTED;
	} else
		st = hub_store_translate(db, rv, s->organisation_code, seq,
					 envelope, NULL, err, n);
	goto out;
nomem:
	snprintf(err, n, "hub out of memory: send it again later");
out:
	ibx_db_result_free(res);
	for (k = 0; k < TEXT_COLUMNS; k++)
		free(text[k].buf);
	for (k = 0; k < NUMBER_COLUMNS; k++)
		free(num[k].buf);
	return (st);
}
