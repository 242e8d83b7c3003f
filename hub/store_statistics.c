/*
 * Writing a case-statistics submission: the cells go to PostgreSQL as one
 * array per column in a single call of ibx_store_statistics (deploy/sql),
 * which replaces the hospital's previous submission for the period, keeps
 * it as history, and returns the DHIS2-style import summary.
 */
#include <inttypes.h>
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
    "$21::bigint, $22)";

#define TEXT_COLUMNS   9
#define NUMBER_COLUMNS 7

/* A growing string for one array literal. */
struct lit {
	char *buf;
	size_t len, cap;
	int failed;
};

static void
lit_put(struct lit *l, const char *s, size_t n)
{
	char *grown;

	if (l->failed)
		return;
	if (l->len + n + 2 > l->cap) {
		size_t cap = l->cap == 0 ? 256 : l->cap;

		while (l->len + n + 2 > cap)
			cap *= 2;
		if ((grown = realloc(l->buf, cap)) == NULL) {
			l->failed = 1;
			return;
		}
		l->buf = grown;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

/* Append one element.  Text values were checked against code lists
 * (letters, digits, '-', '+', '_') before storing, so quoting each in
 * double quotes cannot be escaped. */
static void
lit_text(struct lit *l, const char *s, int first)
{
	if (!first)
		lit_put(l, ",", 1);
	lit_put(l, "\"", 1);
	lit_put(l, s, strlen(s));
	lit_put(l, "\"", 1);
}

static void
lit_number(struct lit *l, int64_t v, int first)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%s%" PRId64, first ? "" : ",", v);

	lit_put(l, num, (size_t)n);
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
	struct lit text[TEXT_COLUMNS], num[NUMBER_COLUMNS];
	ibx_db_param p[22];
	ibx_db_result *res = NULL;
	char seq[24];
	size_t i, k;
	ibx_ack_status st = IBX_ACK_RETRY_LATER;
	ibx_err rv;

	memset(text, 0, sizeof(text));
	memset(num, 0, sizeof(num));
	for (k = 0; k < TEXT_COLUMNS; k++)
		lit_put(&text[k], "{", 1);
	for (k = 0; k < NUMBER_COLUMNS; k++)
		lit_put(&num[k], "{", 1);
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
		int64_t v[NUMBER_COLUMNS] = {
		    chapter_of(s, c),	  c->patients,
		    c->episodes,	  c->inpatient_episodes,
		    c->outpatient_visits, c->inpatient_days,
		    c->charge_jpy};

		for (k = 0; k < TEXT_COLUMNS; k++)
			lit_text(&text[k], t[k], i == 0);
		for (k = 0; k < NUMBER_COLUMNS; k++)
			lit_number(&num[k], v[k], i == 0);
	}
	for (k = 0; k < TEXT_COLUMNS; k++) {
		lit_put(&text[k], "}", 1);
		if (text[k].failed)
			goto nomem;
	}
	for (k = 0; k < NUMBER_COLUMNS; k++) {
		lit_put(&num[k], "}", 1);
		if (num[k].failed)
			goto nomem;
	}
	snprintf(seq, sizeof(seq), "%" PRIu64, sequence);
	p[0] = (ibx_db_param){s->organisation_code, 0, false};
	p[1] = (ibx_db_param){s->period, 0, false};
	p[2] = (ibx_db_param){s->nil_report ? "true" : "false", 0, false};
	p[3] = (ibx_db_param){s->icd10_level, 0, false};
	for (k = 0; k < TEXT_COLUMNS; k++)
		p[4 + k] = (ibx_db_param){text[k].buf, 0, false};
	for (k = 0; k < NUMBER_COLUMNS; k++)
		p[13 + k] = (ibx_db_param){num[k].buf, 0, false};
	p[20] = (ibx_db_param){seq, 0, false};
	p[21] = (ibx_db_param){(const char *)envelope->data,
			       (int)envelope->len, true};
	rv = ibx_db_execp(db, SQL_STORE_STATISTICS, 22, p, &res);
	if (rv == IBX_OK) {
		memset(sum, 0, sizeof(*sum));
		sum->imported = (uint32_t)atol(ibx_db_result_value(res, 0, 0));
		sum->updated = (uint32_t)atol(ibx_db_result_value(res, 0, 1));
		sum->unchanged =
		    (uint32_t)atol(ibx_db_result_value(res, 0, 2));
		sum->deleted = (uint32_t)atol(ibx_db_result_value(res, 0, 3));
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
