/*
 * Unit tests of the anonymiser as a whole (spoke/anonymise/cases_anonymise.c
 * over the reader, the row rules and the aggregation): distinct patients when
 * one patient has several episodes, the sums, month boundaries, age band
 * edges (9/10, 89/90, 90+, 105, unknown), ICD-10 chapter or category,
 * nationality alpha-3, what is dropped and what is kept; every refused row
 * type with its "line N: column ...: reason" message, the limit of 100
 * listed rows, blank rows, a byte order mark, CRLF and a quoted field with
 * a newline before a bad row, the column map, and refused files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_anonymise.h"

#define HEADER                                                                \
	"patient_ref,nationality,birth_date,sex,purpose,icd10,first_visit,"   \
	"discharge,outpatient_visits,inpatient_days,charge_jpy,"              \
	"referral_channel,referral_org,remote_second_opinion_first,"          \
	"medical_stay_visa\n"

/* One run of the anonymiser over text. */
struct run {
	spoke_cases_report rep;
	ibx_case_statistics *s;
	ibx_err rv;
};

static void
run_opts(struct run *r, const char *text, size_t len, const char *period,
	 bool category, const spoke_cases_map *map)
{
	spoke_cases_opts o;
	FILE *f = fmemopen((void *)text, len, "rb");

	assert_non_null(f);
	memset(&o, 0, sizeof(o));
	o.period = period;
	o.icd10_category = category;
	o.map = map;
	spoke_cases_report_init(&r->rep);
	r->s = NULL;
	r->rv = spoke_cases_anonymise(f, &o, &r->rep, &r->s);
	fclose(f);
}

static void
run(struct run *r, const char *text, const char *period)
{
	run_opts(r, text, strlen(text), period, false, NULL);
}

static void
done(struct run *r)
{
	ibx_statistics_free(r->s);
	spoke_cases_report_fini(&r->rep);
}

/* The cell with keys "NAT|purpose|icd10|age|sex|channel|org|rso|visa". */
static const ibx_stat_cell *
cell(const ibx_case_statistics *s, const char *keys)
{
	char k[256];
	size_t i;

	for (i = 0; i < s->n_cells; i++) {
		const ibx_stat_cell *c = &s->cells[i];

		snprintf(k, sizeof(k), "%s|%s|%s|%s|%s|%s|%s|%s|%s",
			 c->nationality, c->purpose, c->icd10, c->age_band,
			 c->sex, c->referral_channel, c->referral_org,
			 c->remote_second_opinion_first, c->medical_stay_visa);
		if (strcmp(k, keys) == 0)
			return (c);
	}
	print_error("no cell %s\n", keys);
	return (NULL);
}

static void
show(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->rep.file.n; i++)
		print_error("file: %s\n", r->rep.file.items[i]);
	for (i = 0; i < r->rep.bad.n; i++)
		print_error("bad: %s\n", r->rep.bad.items[i]);
}

static void
test_distinct_patients(void **state)
{
	struct run r;
	const ibx_stat_cell *c;

	(void)state;
	run(&r,
	    HEADER
	    "P1,CN,1960-05-10,male,treatment,C16.9,2024-03-01,2024-03-10,2,10,"
	    "4000000,direct,,no,yes\n"
	    "P1,CN,1960-05-10,male,treatment,C18.7,2024-03-12,,1,0,300000,"
	    "direct,,no,yes\n"
	    "P2,CN,1961-01-01,male,treatment,C34.1,2024-03-05,2024-03-07,1,3,"
	    "2000000,direct,,no,yes\n"
	    "P1,CN,1960-05-10,male,treatment,C16.9,2024-03-20,,1,0,200000,"
	    "direct,,no,yes\n"
	    "P1,CN,1960-05-10,male,follow_up,C16.9,2024-03-28,,1,0,100000,"
	    "direct,,no,yes\n"
	    "P1,CN,1960-05-10,male,follow_up,C16.9,2024-04-28,,1,0,100000,"
	    "direct,,no,yes\n",
	    "2024-03");
	show(&r);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.rows, 6);
	assert_int_equal(r.rep.in_period, 5);
	assert_int_equal(r.rep.other_periods, 1);
	assert_int_equal(r.rep.bad_rows, 0);
	assert_int_equal(r.s->n_cells, 2);
	assert_int_equal(r.rep.cells, 2);
	/* Three episodes of P1 and one of P2: two patients.  P1's third
	 * (20 March) is over the cap of 2 episodes of a patient in a cell
	 * (cases_cap.h) and is dropped. */
	assert_non_null(
	    c = cell(r.s, "CN|treatment|2|60-69|male|direct||no|yes"));
	assert_int_equal(c->patients, 2);
	assert_int_equal(c->episodes, 3);
	assert_int_equal(c->inpatient_episodes, 2);
	assert_int_equal(c->outpatient_visits, 4);
	assert_int_equal(c->inpatient_days, 13);
	assert_int_equal(c->charge_jpy, 6300000);
	assert_int_equal(r.rep.dropped_episodes, 1);
	/* P1 again, in another cell: counted there too. */
	assert_non_null(
	    c = cell(r.s, "CN|follow_up|2|60-69|male|direct||no|yes"));
	assert_int_equal(c->patients, 1);
	assert_int_equal(c->episodes, 1);
	assert_int_equal(c->inpatient_episodes, 0);
	assert_string_equal(r.s->period, "2024-03");
	assert_string_equal(r.s->icd10_level, "chapter");
	assert_false(r.s->nil_report);
	assert_string_equal(r.s->organisation_code, "");
	done(&r);
}

static void
test_month_boundaries(void **state)
{
	static const char text[] = HEADER
	    "A,VN,1990-01-01,female,health_checkup,Z00.00,2024-02-29,,1,0,"
	    "1500000,direct,,no,no\n"
	    "B,VN,1990-01-01,female,health_checkup,Z00.00,2024-03-01,,1,0,"
	    "1500000,direct,,no,no\n"
	    "C,VN,1990-01-01,female,health_checkup,Z00.00,2024-03-31,"
	    "2024-04-01,1,2,1500000,direct,,no,no\n"
	    "D,VN,1990-01-01,female,health_checkup,Z00.00,2024-04-01,,1,0,"
	    "1500000,direct,,no,no\n"
	    "E,VN,1990-01-01,female,health_checkup,Z00.00,2023-12-31,,1,0,"
	    "1500000,direct,,no,no\n"
	    "F,VN,1990-01-01,female,health_checkup,Z00.00,2024-01-01,,1,0,"
	    "1500000,direct,,no,no\n";
	const ibx_stat_cell *c;
	struct run r;

	(void)state;
	run(&r, text, "2024-03");
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.in_period, 2); /* 03-01 and 03-31 */
	assert_int_equal(r.rep.other_periods, 4);
	assert_non_null(c = cell(r.s, "VN|health_checkup|21|30-39|female|"
				      "direct||no|no"));
	assert_int_equal(c->patients, 2);
	/* The stay that ends in April belongs to March, days and all. */
	assert_int_equal(c->inpatient_days, 2);
	done(&r);
	run(&r, text, "2024-01");
	assert_int_equal(r.rep.in_period, 1); /* 01-01, not 12-31 */
	done(&r);
	run(&r, text, "2023-12");
	assert_int_equal(r.rep.in_period, 1);
	done(&r);
}

static void
test_age_band_edges(void **state)
{
	struct run r;

	(void)state;
	/* First visit 2024-03-15: born 2014-03-16 is 9, 2014-03-15 is 10,
	 * 1934-03-16 is 89, 1934-03-15 is 90, 1919-03-15 is 105. */
	run(&r,
	    HEADER
	    "A,US,2014-03-16,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,"
	    "no\n"
	    "B,US,2014-03-15,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,"
	    "no\n"
	    "C,US,1934-03-16,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,"
	    "no\n"
	    "D,US,1934-03-15,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,"
	    "no\n"
	    "E,US,1919-03-15,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,"
	    "no\n"
	    "F,US,,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,no\n"
	    "G,US,2024-03-15,male,other,K02.9,2024-03-15,,1,0,1,direct,,no,"
	    "no\n",
	    "2024-03");
	show(&r);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.in_period, 7);
	assert_int_equal(
	    cell(r.s, "US|other|11|0-9|male|direct||no|no")->patients, 2);
	assert_int_equal(
	    cell(r.s, "US|other|11|10-19|male|direct||no|no")->patients, 1);
	assert_int_equal(
	    cell(r.s, "US|other|11|80-89|male|direct||no|no")->patients, 1);
	assert_int_equal(
	    cell(r.s, "US|other|11|90+|male|direct||no|no")->patients, 2);
	assert_int_equal(
	    cell(r.s, "US|other|11|unknown|male|direct||no|no")->patients, 1);
	assert_int_equal(r.s->n_cells, 5);
	done(&r);
}

/* A column-value map reads the hospital system's words (男, 中国, 治療)
 * as ours; without it the same file is refused with line and column. */
static void
test_value_map(void **state)
{
	static const char text[] =
	    "患者ID,国籍,age,性別,目的,icd10,first_visit,outpatient_visits,"
	    "inpatient_days,charge_jpy,referral_channel,"
	    "remote_second_opinion_first\n"
	    "A,中国,40,男,治療,C16.9,2024-03-15,1,0,1000,direct,no\n"
	    "B,CN,41,女,治療,C16.9,2024-03-16,1,0,1000,direct,no\n";
	static const char map_text[] = "patient_ref=患者ID\n"
				       "nationality=国籍\n"
				       "sex=性別\n"
				       "purpose=目的\n"
				       "sex:男=male\n"
				       "sex:女=female\n"
				       "nationality:中国=CN\n"
				       "purpose:治療=treatment\n";
	spoke_cases_map map;
	spoke_msgs p;
	struct run r;

	(void)state;
	spoke_cases_map_init(&map);
	memset(&p, 0, sizeof(p));
	assert_int_equal(spoke_cases_map_parse(map_text, strlen(map_text),
					       "map.txt", &map, &p),
			 IBX_OK);
	run_opts(&r, text, strlen(text), "2024-03", false, &map);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.bad_rows, 0);
	assert_int_equal(
	    cell(r.s, "CN|treatment|2|40-49|male|direct||no|unknown")
		->patients,
	    1);
	assert_int_equal(
	    cell(r.s, "CN|treatment|2|40-49|female|direct||no|unknown")
		->patients,
	    1);
	done(&r);
	spoke_cases_map_fini(&map);

	/* Headers mapped, values not: every word refused where it is. */
	assert_int_equal(
	    spoke_cases_map_parse(map_text, 66, "map.txt", &map, &p), IBX_OK);
	run_opts(&r, text, strlen(text), "2024-03", false, &map);
	assert_int_equal(r.rep.bad_rows, 2);
	assert_non_null(strstr(r.rep.bad.items[0], "line 2: "));
	assert_non_null(strstr(r.rep.bad.items[0], "column \"sex\""));
	/* The same problems by reason code, one entry per listed row, for
	 * the page in Japanese (spoke/web/page/i18n.js). */
	assert_int_equal(r.rep.bad_codes.n, r.rep.bad.n);
	assert_non_null(
	    strstr(r.rep.bad_codes.items[0], "sex\x1frow_word\x1f\""));
	done(&r);
	spoke_cases_map_fini(&map);
}

static void
test_age_column(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "patient_ref,nationality,age,sex,purpose,icd10,first_visit,"
	    "outpatient_visits,inpatient_days,charge_jpy,referral_channel,"
	    "remote_second_opinion_first\n"
	    "A,TW,9,F,other,K02.9,2024-03-15,1,0,1,direct,no\n"
	    "B,TW,10,F,other,K02.9,2024-03-15,1,0,1,direct,no\n"
	    "C,TW,89,F,other,K02.9,2024-03-15,1,0,1,direct,no\n"
	    "D,TW,90,F,other,K02.9,2024-03-15,1,0,1,direct,no\n"
	    "E,TW,105,F,other,K02.9,2024-03-15,1,0,1,direct,no\n",
	    "2024-03");
	show(&r);
	assert_int_equal(r.rv, IBX_OK);
	/* No referral_org or visa column: none, and unknown. */
	assert_int_equal(
	    cell(r.s, "TW|other|11|0-9|female|direct||no|unknown")->episodes,
	    1);
	assert_int_equal(
	    cell(r.s, "TW|other|11|10-19|female|direct||no|unknown")->episodes,
	    1);
	assert_int_equal(
	    cell(r.s, "TW|other|11|80-89|female|direct||no|unknown")->episodes,
	    1);
	assert_int_equal(
	    cell(r.s, "TW|other|11|90+|female|direct||no|unknown")->episodes,
	    2);
	done(&r);
}

static void
test_generalisation(void **state)
{
	static const char text[] =
	    HEADER "A,CHN,1970-06-01,M,treatment,C16.9,2024-03-02,,1,0,100,"
		   "coordinator,9000000001,yes,\n"
		   "B,cn,1971-06-01,male,treatment,C18.7,2024-03-03,,1,0,100,"
		   "coordinator,9000000001,YES,unknown\n"
		   "C,CN,1972-06-01,male,treatment,C16.0,2024-03-04,,1,0,100,"
		   "hospital,0123456789,no,no\n";
	struct run r;

	(void)state;
	/* Chapters: C16 and C18 both in chapter 2; alpha-3 is CN. */
	run(&r, text, "2024-03");
	show(&r);
	assert_int_equal(r.s->n_cells, 2);
	assert_int_equal(cell(r.s, "CN|treatment|2|50-59|male|coordinator|"
				   "9000000001|yes|unknown")
			     ->patients,
			 2);
	/* A referring hospital's code is not kept. */
	assert_int_equal(
	    cell(r.s, "CN|treatment|2|50-59|male|hospital||no|no")->patients,
	    1);
	done(&r);
	/* Categories: C16 and C18 apart. */
	run_opts(&r, text, sizeof(text) - 1, "2024-03", true, NULL);
	assert_string_equal(r.s->icd10_level, "category");
	assert_int_equal(r.s->n_cells, 3);
	assert_non_null(cell(r.s, "CN|treatment|C16|50-59|male|coordinator|"
				  "9000000001|yes|unknown"));
	assert_non_null(cell(r.s, "CN|treatment|C18|50-59|male|coordinator|"
				  "9000000001|yes|unknown"));
	assert_non_null(
	    cell(r.s, "CN|treatment|C16|50-59|male|hospital||no|no"));
	done(&r);
}

static void
test_cells_sorted(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    HEADER "A,VN,1970-06-01,male,other,K02.9,2024-03-02,,1,0,1,direct,"
		   ",no,no\n"
		   "B,CN,1970-06-01,male,other,K02.9,2024-03-02,,1,0,1,direct,"
		   ",no,no\n"
		   "C,CN,1970-06-01,male,treatment,K02.9,2024-03-02,,1,0,1,"
		   "direct,,no,"
		   "no\n"
		   "D,CN,1950-06-01,male,treatment,K02.9,2024-03-02,,1,0,1,"
		   "direct,,no,"
		   "no\n",
	    "2024-03");
	assert_int_equal(r.s->n_cells, 4);
	assert_string_equal(r.s->cells[0].nationality, "CN");
	assert_string_equal(r.s->cells[0].purpose, "treatment");
	assert_string_equal(r.s->cells[0].age_band, "50-59");
	assert_string_equal(r.s->cells[1].age_band, "70-79");
	assert_string_equal(r.s->cells[2].purpose, "other");
	assert_string_equal(r.s->cells[3].nationality, "VN");
	done(&r);
}

/* A good row with field i (0-based) replaced; first visit 2024-03-05. */
static const char *const good_fields[] = {
    "P9",      "CN",	      "1960-05-10", "male", "treatment",
    "C16.9",   "2024-03-05",  "2024-03-08", "1",    "3",
    "4500000", "coordinator", "9000000001", "no",   "yes",
};

static void
add_row(char **w, int field, const char *value)
{
	int i;

	for (i = 0; i < 15; i++)
		*w += sprintf(*w, "%s%s", i ? "," : "",
			      i == field ? value : good_fields[i]);
	*w += sprintf(*w, "\n");
}

static void
test_refused_rows(void **state)
{
	static const struct {
		int field;
		const char *value;
		const char *message;
	} bad[] = {
	    {0, "", "column \"patient_ref\": empty"},
	    {1, "XX",
	     "column \"nationality\": \"XX\" is not an ISO 3166-1 alpha-2 "
	     "or alpha-3 country code (CN, CHN)"},
	    {2, "1960-02-30",
	     "column \"birth_date\": \"1960-02-30\" is not a date "
	     "(YYYY-MM-DD, a day that exists, 1900 to 2999)"},
	    {2, "2024-03-06",
	     "column \"birth_date\": 2024-03-06 is after first_visit "
	     "2024-03-05"},
	    {3, "x",
	     "column \"sex\": \"x\" is not male, female or unknown (M, F or "
	     "U accepted)"},
	    {4, "surgery",
	     "column \"purpose\": \"surgery\" is not treatment, "
	     "health_checkup, second_opinion, follow_up, travel_emergency or "
	     "other (EMERGENCY accepted)"},
	    {5, "C1",
	     "column \"icd10\": \"C1\" is not an ICD-10 code (a letter, a "
	     "digit, a digit or letter, then up to 4 more: C16, C16.9)"},
	    {5, "U99.9",
	     "column \"icd10\": \"U99.9\" names no known ICD-10 category (U99 "
	     "is not in ICD-10-CM 2025)"},
	    {6, "2024-13-01",
	     "column \"first_visit\": \"2024-13-01\" is not a date "
	     "(YYYY-MM-DD, a day that exists, 1900 to 2999)"},
	    {7, "2024-03-04",
	     "column \"discharge\": 2024-03-04 is before first_visit "
	     "2024-03-05"},
	    {8, "-1",
	     "column \"outpatient_visits\": \"-1\" is not a whole number "
	     "from 0 to 10000 (digits only)"},
	    {9, "5",
	     "column \"inpatient_days\": 5 days, more than the 4 from "
	     "first_visit 2024-03-05 to discharge 2024-03-08"},
	    {10, "\"1,500,000\"",
	     "column \"charge_jpy\": \"1,500,000\" is not a whole number of "
	     "yen from 0 to 100000000000 (digits only, no separators)"},
	    {11, "agent",
	     "column \"referral_channel\": \"agent\" is not coordinator, "
	     "hospital, doctor or direct"},
	    {12, "",
	     "column \"referral_org\": empty, but referral_channel "
	     "coordinator needs the coordinator's 10-digit organisation "
	     "code"},
	    {12, "90000001",
	     "column \"referral_org\": \"90000001\" is not a 10-digit "
	     "organisation code"},
	    {13, "maybe",
	     "column \"remote_second_opinion_first\": \"maybe\" is not yes "
	     "or no"},
	    {14, "perhaps",
	     "column \"medical_stay_visa\": \"perhaps\" is not yes, no or "
	     "unknown"},
	    {15, NULL, "14 fields, the header has 15"},
	    {16, NULL, "16 fields, the header has 15"},
	};
	size_t n = sizeof(bad) / sizeof(bad[0]), i;
	char *text = malloc(64 * 1024), *w = text, want[512];
	struct run r;

	(void)state;
	assert_non_null(text);
	w += sprintf(w, HEADER);
	add_row(&w, -1, NULL); /* line 2: good */
	for (i = 0; i < n; i++) {
		if (bad[i].field == 15) {
			w +=
			    sprintf(w, "P9,CN,1960-05-10,male,treatment,C16.9,"
				       "2024-03-05,2024-03-08,1,3,4500000,"
				       "coordinator,9000000001,no\n");
			continue;
		}
		if (bad[i].field == 16) {
			add_row(&w, 14, "yes,extra");
			continue;
		}
		add_row(&w, bad[i].field, bad[i].value);
	}
	add_row(&w, -1, NULL); /* good again */
	run(&r, text, "2024-03");
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.rows, n + 2);
	assert_int_equal(r.rep.bad_rows, n);
	assert_int_equal(r.rep.in_period, 2);
	assert_int_equal(r.rep.bad.n, n);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "line %zu: %s", i + 3,
			 bad[i].message);
		assert_string_equal(r.rep.bad.items[i], want);
	}
	/* The good rows still make their cell (for --skip-bad-rows). */
	assert_int_equal(r.s->n_cells, 1);
	assert_int_equal(r.s->cells[0].episodes, 2);
	assert_int_equal(r.s->cells[0].patients, 1);
	done(&r);
	free(text);
}

static void
test_bad_rows_listed_at_most_100(void **state)
{
	char *text = malloc(64 * 1024), *w = text;
	struct run r;
	int i;

	(void)state;
	assert_non_null(text);
	w += sprintf(w, HEADER);
	for (i = 0; i < 150; i++)
		add_row(&w, 3, "x");
	run(&r, text, "2024-03");
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.bad_rows, 150);
	assert_int_equal(r.rep.bad.n, 100);
	assert_string_equal(r.rep.bad.items[99],
			    "line 101: column \"sex\": \"x\" is not male, "
			    "female or unknown (M, F or U accepted)");
	assert_int_equal(r.s->n_cells, 0);
	done(&r);
	free(text);
}

static void
test_bom_crlf_newline_blank(void **state)
{
	static const char text[] =
	    "\xEF\xBB\xBFpatient_ref,nationality,birth_date,sex,purpose,icd10,"
	    "first_visit,discharge,outpatient_visits,inpatient_days,"
	    "charge_jpy,referral_channel,referral_org,"
	    "remote_second_opinion_first,medical_stay_visa,note\r\n"
	    "P1,CN,1960-05-10,male,treatment,C16.9,2024-03-05,,1,0,1,direct,,"
	    "no,yes,\"interpreter, zh\r\nsecond line\nthird\"\r\n"
	    ",,,,,,,,,,,,,,,\r\n"
	    "\r\n"
	    "P2,CN,1960-05-10,male,treatment,C16.9,2024-03-05,,1,0,1,direct,,"
	    "no,yes,\r\n"
	    "P3,CN,1960-05-10,x,treatment,C16.9,2024-03-05,,1,0,1,direct,,"
	    "no,yes,\"a \"\"quoted\"\" note\"\r\n";
	struct run r;

	(void)state;
	run(&r, text, "2024-03");
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.rows, 4);
	assert_int_equal(r.rep.blank_rows, 1);
	assert_int_equal(r.rep.in_period, 2);
	assert_int_equal(r.rep.bad_rows, 1);
	/* Line 1 header, 2-4 P1, 5 blank record, 6 empty, 7 P2, 8 P3. */
	assert_string_equal(
	    r.rep.bad.items[0],
	    "line 8: column \"sex\": \"x\" is not male, female "
	    "or unknown (M, F or U accepted)");
	assert_int_equal(
	    cell(r.s, "CN|treatment|2|60-69|male|direct||no|yes")->patients,
	    2);
	done(&r);
}

static void
test_column_map(void **state)
{
	static const char text[] =
	    "患者ID,国籍,生年月日,性別,目的,ICD10,初診日,退院日,外来回数,"
	    "入院日数,請求額,紹介経路,紹介元,リモートSO,医療滞在ビザ,氏名\n"
	    "K-1,KR,1980-01-01,F,health_checkup,Z00.00,2024-03-10,,2,0,"
	    "1200000,coordinator,9000000002,no,no,(dropped)\n";
	static const char map_text[] =
	    "patient_ref=患者ID\n"
	    "nationality=国籍\n"
	    "birth_date=生年月日\n"
	    "sex=性別\n"
	    "purpose=目的\n"
	    "icd10=ICD10\n"
	    "first_visit=初診日\n"
	    "discharge=退院日\n"
	    "outpatient_visits=外来回数\n"
	    "inpatient_days=入院日数\n"
	    "charge_jpy=請求額\n"
	    "referral_channel=紹介経路\n"
	    "referral_org=紹介元\n"
	    "remote_second_opinion_first=リモートSO\n"
	    "medical_stay_visa=医療滞在ビザ\n";
	spoke_cases_map map;
	spoke_msgs p;
	struct run r;

	(void)state;
	spoke_cases_map_init(&map);
	memset(&p, 0, sizeof(p));
	assert_int_equal(spoke_cases_map_parse(map_text, strlen(map_text),
					       "map.txt", &map, &p),
			 IBX_OK);
	run_opts(&r, text, strlen(text), "2024-03", false, &map);
	show(&r);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(cell(r.s, "KR|health_checkup|21|40-49|female|"
				   "coordinator|9000000002|no|no")
			     ->charge_jpy,
			 1200000);
	done(&r);
	/* Without the map the header is refused. */
	run(&r, text, "2024-03");
	assert_int_equal(r.rv, IBX_EINVAL);
	assert_null(r.s);
	assert_string_equal(r.rep.file.items[0],
			    "header: missing column \"patient_ref\" (name a "
			    "field so, or map yours with --map: "
			    "patient_ref=<your header>)");
	done(&r);
	spoke_cases_map_fini(&map);
}

static void
test_refused_files(void **state)
{
	struct run r;

	(void)state;
	run(&r, "", "2024-03");
	assert_int_equal(r.rv, IBX_EINVAL);
	assert_null(r.s);
	assert_string_equal(r.rep.file.items[0],
			    "the file is empty (no header line)");
	done(&r);
	run(&r,
	    HEADER "P1,CN,1960-05-10,male,treatment,C16.9,2024-03-05,,1,0,1,"
		   "direct,,no,yes\n"
		   "P2,CN,1960-05-10,male,\"treat\"ment,C16.9,2024-03-05,,1,0,"
		   "1,direct,,no,yes\n",
	    "2024-03");
	assert_int_equal(r.rv, IBX_EINVAL);
	assert_null(r.s);
	assert_string_equal(r.rep.file.items[0],
			    "line 3: malformed CSV (RFC 4180): a quote inside "
			    "an unquoted field, or text after a closing "
			    "quote");
	done(&r);
	run(&r,
	    HEADER "P1,CN,1960-05-10,male,treatment,C16.9,2024-03-05,,1,0,1,"
		   "direct,,no,\"yes\n",
	    "2024-03");
	assert_int_equal(r.rv, IBX_EINVAL);
	assert_string_equal(r.rep.file.items[0],
			    "line 2: malformed CSV (RFC 4180): a quoted field "
			    "is still open at the end of the file");
	done(&r);
}

static void
test_header_only(void **state)
{
	struct run r;

	(void)state;
	run(&r, HEADER, "2024-03");
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.rows, 0);
	assert_int_equal(r.s->n_cells, 0);
	assert_false(r.s->nil_report); /* a nil report is asked for */
	done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_distinct_patients),
	    cmocka_unit_test(test_month_boundaries),
	    cmocka_unit_test(test_age_band_edges),
	    cmocka_unit_test(test_age_column),
	    cmocka_unit_test(test_value_map),
	    cmocka_unit_test(test_generalisation),
	    cmocka_unit_test(test_cells_sorted),
	    cmocka_unit_test(test_refused_rows),
	    cmocka_unit_test(test_bad_rows_listed_at_most_100),
	    cmocka_unit_test(test_bom_crlf_newline_blank),
	    cmocka_unit_test(test_column_map),
	    cmocka_unit_test(test_refused_files),
	    cmocka_unit_test(test_header_only),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
