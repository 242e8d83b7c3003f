/*
 * Unit tests of the contribution caps (spoke/anonymise/cases_cap.c) through
 * the anonymiser, as a hospital's export meets them: a patient falls in at
 * most 2 cells of the month and 2 cells of the calendar year and counts at
 * most 2 episodes in a cell; what goes beyond is dropped, first come first
 * kept by first visit, then cell keys, then rows, and counted in the
 * report by the cap that dropped it.  The same export read again, or with
 * its rows in another order, gives the same cells (a resubmission changes
 * nothing); a later month never changes an earlier one; the submission
 * states its caps.  Then the cap stage alone, with a cap left out, to show
 * that these tests fail without it.
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
#include "cases_cap.h"

#define HEADER                                                                \
	"patient_ref,nationality,birth_date,sex,purpose,icd10,first_visit,"   \
	"discharge,outpatient_visits,inpatient_days,charge_jpy,"              \
	"referral_channel,referral_org,remote_second_opinion_first,"          \
	"medical_stay_visa\n"

/* A row of patient ref, purpose, ICD-10 code and first visit; the rest
 * fixed (a Chinese man born 1960, direct, one visit of 100,000 JPY). */
#define ROW(ref, purpose, icd10, date)                                        \
	ref ",CN,1960-05-10,male," purpose "," icd10 "," date ",,1,0,100000," \
	    "direct,,no,yes\n"

struct run {
	spoke_cases_report rep;
	ibx_case_statistics *s;
	ibx_err rv;
};

static void
run(struct run *r, const char *text, const char *period)
{
	spoke_cases_opts o;
	FILE *f = fmemopen((void *)text, strlen(text), "rb");

	assert_non_null(f);
	memset(&o, 0, sizeof(o));
	o.period = period;
	spoke_cases_report_init(&r->rep);
	r->s = NULL;
	r->rv = spoke_cases_anonymise(f, &o, &r->rep, &r->s);
	fclose(f);
	assert_int_equal(r->rv, IBX_OK);
	assert_int_equal(r->rep.bad_rows, 0);
}

static void
done(struct run *r)
{
	ibx_statistics_free(r->s);
	spoke_cases_report_fini(&r->rep);
}

/* Episodes of the submission (all cells). */
static int64_t
episodes(const ibx_case_statistics *s)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < s->n_cells; i++)
		n += s->cells[i].episodes;
	return (n);
}

/* The episodes of the cell of purpose and ICD-10 chapter, 0 without. */
static int64_t
cell_episodes(const ibx_case_statistics *s, const char *purpose,
	      const char *chapter)
{
	size_t i;

	for (i = 0; i < s->n_cells; i++)
		if (strcmp(s->cells[i].purpose, purpose) == 0 &&
		    strcmp(s->cells[i].icd10, chapter) == 0)
			return (s->cells[i].episodes);
	return (0);
}

/* One patient, six episodes in six cells across the year: January and
 * February take the year's two cells, so March's four are dropped by the
 * yearly cap, and the months before are as they were. */
static const char six[] =
    HEADER ROW("P1", "treatment", "C16.9", "2024-01-10") /* ch. 2 */
    ROW("P1", "follow_up", "C16.9", "2024-02-10")	 /* ch. 2 */
    ROW("P1", "treatment", "I21.9", "2024-03-01")	 /* ch. 9 */
    ROW("P1", "treatment", "J18.9", "2024-03-02")	 /* ch. 10 */
    ROW("P1", "follow_up", "I21.9", "2024-03-03")	 /* ch. 9 */
    ROW("P1", "second_opinion", "C34.1", "2024-03-04")	 /* ch. 2 */
    ROW("P2", "treatment", "I21.9", "2024-03-05");

static void
test_yearly_cap(void **state)
{
	struct run r;

	(void)state;
	run(&r, six, "2024-03");
	assert_int_equal(r.s->cells_per_patient_month, 2);
	assert_int_equal(r.s->cells_per_patient_year, 2);
	/* Only P2 is left in March. */
	assert_int_equal(r.rep.in_period, 5);
	assert_int_equal(r.s->n_cells, 1);
	assert_int_equal(episodes(r.s), 1);
	assert_int_equal(r.s->cells[0].patients, 1);
	assert_int_equal(r.rep.dropped_year, 4);
	assert_int_equal(r.rep.dropped_month, 0);
	assert_int_equal(r.rep.dropped_episodes, 0);
	assert_int_equal(r.rep.patients_capped, 1);
	done(&r);
	/* January and February keep P1's cells. */
	run(&r, six, "2024-01");
	assert_int_equal(episodes(r.s), 1);
	assert_int_equal(r.rep.dropped_year + r.rep.dropped_month, 0);
	done(&r);
	run(&r, six, "2024-02");
	assert_int_equal(cell_episodes(r.s, "follow_up", "2"), 1);
	done(&r);
}

/* Without the earlier months in the file (a new year), March keeps two
 * of P1's cells: the first two by first visit; the third is over the
 * month's cap. */
static void
test_monthly_cap(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    HEADER ROW("P1", "treatment", "I21.9", "2025-03-03")
		ROW("P1", "treatment", "J18.9", "2025-03-02")
		    ROW("P1", "follow_up", "I21.9", "2025-03-01"),
	    "2025-03");
	assert_int_equal(r.s->n_cells, 2);
	assert_int_equal(cell_episodes(r.s, "follow_up", "9"), 1);
	assert_int_equal(cell_episodes(r.s, "treatment", "10"), 1);
	assert_int_equal(cell_episodes(r.s, "treatment", "9"), 0);
	assert_int_equal(r.rep.dropped_month, 1);
	assert_int_equal(r.rep.dropped_year, 0);
	done(&r);
	/* December of the year before is another year: not counted. */
	run(&r,
	    HEADER ROW("P1", "treatment", "C16.9", "2024-12-01")
		ROW("P1", "follow_up", "C16.9", "2024-12-02")
		    ROW("P1", "treatment", "I21.9", "2025-01-03"),
	    "2025-01");
	assert_int_equal(episodes(r.s), 1);
	assert_int_equal(r.rep.dropped_year + r.rep.dropped_month, 0);
	done(&r);
}

/* Three episodes of one patient in one cell: two counted, the third (the
 * latest) dropped; two patients in the cell may hold four. */
static void
test_episodes_per_cell(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    HEADER ROW("P1", "treatment", "C16.9", "2024-03-20")
		ROW("P1", "treatment", "C16.9", "2024-03-01")
		    ROW("P2", "treatment", "C18.7", "2024-03-05")
			ROW("P1", "treatment", "C34.1", "2024-03-12")
			    ROW("P2", "treatment", "C16.9", "2024-03-06"),
	    "2024-03");
	assert_int_equal(r.s->n_cells, 1);
	assert_int_equal(r.s->cells[0].patients, 2);
	assert_int_equal(r.s->cells[0].episodes, 4);
	assert_int_equal(r.rep.dropped_episodes, 1);
	assert_int_equal(r.rep.patients_capped, 1);
	done(&r);
}

/* The kept episodes depend on dates and keys, not on the order of the
 * rows: the export reversed gives the same cells, and so does reading it
 * again (a resubmission sends what was sent). */
static void
test_order_and_resubmission(void **state)
{
	static const char rev[] =
	    HEADER ROW("P2", "treatment", "I21.9", "2024-03-05")
		ROW("P1", "second_opinion", "C34.1",
		    "2024-03-04") ROW("P1", "follow_up", "I21.9", "2024-03-03")
		    ROW("P1", "treatment", "J18.9", "2024-03-02")
			ROW("P1", "treatment", "I21.9", "2024-03-01")
			    ROW("P1", "follow_up", "C16.9", "2024-02-10")
				ROW("P1", "treatment", "C16.9", "2024-01-10");
	/* One day, two cells of one patient besides two kept earlier on
	 * the same day: the keys decide, not the rows. */
	static const char day1[] =
	    HEADER ROW("P1", "treatment", "J18.9", "2025-05-01")
		ROW("P1", "treatment", "I21.9", "2025-05-01")
		    ROW("P1", "follow_up", "I21.9", "2025-05-01");
	static const char day2[] =
	    HEADER ROW("P1", "follow_up", "I21.9", "2025-05-01")
		ROW("P1", "treatment", "J18.9", "2025-05-01")
		    ROW("P1", "treatment", "I21.9", "2025-05-01");
	const char *periods[] = {"2024-01", "2024-02", "2024-03"};
	struct run a, b, c;
	size_t i, k;

	(void)state;
	for (k = 0; k < 3; k++) {
		run(&a, six, periods[k]);
		run(&b, rev, periods[k]);
		run(&c, six, periods[k]);
		assert_int_equal(a.s->n_cells, b.s->n_cells);
		assert_int_equal(a.s->n_cells, c.s->n_cells);
		for (i = 0; i < a.s->n_cells; i++) {
			assert_memory_equal(&a.s->cells[i], &b.s->cells[i],
					    sizeof(a.s->cells[i]));
			assert_memory_equal(&a.s->cells[i], &c.s->cells[i],
					    sizeof(a.s->cells[i]));
		}
		done(&a);
		done(&b);
		done(&c);
	}
	run(&a, day1, "2025-05");
	run(&b, day2, "2025-05");
	assert_int_equal(a.s->n_cells, 2);
	assert_int_equal(b.s->n_cells, 2);
	for (i = 0; i < a.s->n_cells; i++)
		assert_memory_equal(&a.s->cells[i], &b.s->cells[i],
				    sizeof(a.s->cells[i]));
	done(&a);
	done(&b);
}

/* A later month never changes an earlier one: adding episodes after the
 * period leaves its cells alone, so resubmitting January from December's
 * export sends what January's own export sent. */
static void
test_later_months_ignored(void **state)
{
	static const char jan[] =
	    HEADER ROW("P1", "treatment", "C16.9", "2024-01-10")
		ROW("P1", "treatment", "I21.9", "2024-01-11");
	static const char dec[] =
	    HEADER ROW("P1", "treatment", "C16.9", "2024-01-10")
		ROW("P1", "follow_up", "C16.9", "2024-06-01")
		    ROW("P1", "treatment", "I21.9", "2024-01-11")
			ROW("P1", "follow_up", "I21.9", "2024-12-01");
	struct run a, b;
	size_t i;

	(void)state;
	run(&a, jan, "2024-01");
	run(&b, dec, "2024-01");
	assert_int_equal(a.s->n_cells, 2);
	assert_int_equal(b.s->n_cells, 2);
	for (i = 0; i < a.s->n_cells; i++)
		assert_memory_equal(&a.s->cells[i], &b.s->cells[i],
				    sizeof(a.s->cells[i]));
	done(&a);
	done(&b);
	/* June and December: the year's two cells are January's. */
	run(&b, dec, "2024-06");
	assert_int_equal(b.s->n_cells, 0);
	assert_int_equal(b.rep.dropped_year, 1);
	done(&b);
}

/* The caps' report line says what was dropped, in words. */
static void
test_report_words(void **state)
{
	struct run r;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	run(&r, six, "2024-03");
	assert_non_null(f = open_memstream(&text, &len));
	spoke_cases_report_print(f, "x.csv", "2024-03", &r.rep, false);
	fclose(f);
	assert_non_null(
	    strstr(text, "x.csv: contribution caps: 4 episodes of 2024-03 "
			 "dropped, of 1 patient: 0 over 2 episodes of one "
			 "patient in a cell, 0 over 2 cells of one patient in "
			 "the month, 4 over 2 cells of one patient in the "
			 "calendar year (earlier episodes kept first)\n"));
	free(text);
	done(&r);
	run(&r, HEADER ROW("P1", "treatment", "C16.9", "2024-03-01"),
	    "2024-03");
	text = NULL;
	assert_non_null(f = open_memstream(&text, &len));
	spoke_cases_report_print(f, "x.csv", "2024-03", &r.rep, false);
	fclose(f);
	assert_non_null(strstr(text, "contribution caps: no episode of "
				     "2024-03 dropped"));
	free(text);
	done(&r);
}

/* The cap stage alone: the same episodes with every cap, and with the
 * yearly cap left out (what a spoke without it would send). */
static void
test_cap_stage(void **state)
{
	spoke_cap_limits with = {2, 2, 2}, without = {2, 0, 2};
	spoke_cases_agg *a;
	spoke_cases_cap *c;
	spoke_cap_counts n;
	spoke_agg_episode e;
	ibx_case_statistics *s;
	int m, k, march = 2024 * 12 + 2;

	(void)state;
	for (k = 0; k < 2; k++) {
		assert_int_equal(spoke_cases_agg_new(false, 0, &a), IBX_OK);
		assert_int_equal(spoke_cases_cap_new(
				     march, k == 0 ? &with : &without, 0, &c),
				 IBX_OK);
		memset(&e, 0, sizeof(e));
		e.patient = 42;
		/* One cell a month, January to March, twice in March. */
		for (m = 0; m < 3; m++) {
			e.k1 = (uint64_t)(('C' - 'A') * 26 + 'N' - 'A') << 34;
			e.k2 = (uint32_t)(2 + m);
			assert_int_equal(
			    spoke_cases_cap_add(c, &e, march - 2 + m, m * 31),
			    IBX_OK);
		}
		assert_int_equal(spoke_cases_cap_add(c, &e, march, 70),
				 IBX_OK);
		assert_int_equal(spoke_cases_cap_run(c, a, &n), IBX_OK);
		assert_int_equal(spoke_cases_agg_finish(a), IBX_OK);
		assert_int_equal(spoke_cases_agg_statistics(a, "2024-03", &s),
				 IBX_OK);
		assert_int_equal(n.earlier_episodes, 2);
		if (k == 0) {
			assert_int_equal(s->n_cells, 0);
			assert_int_equal(n.dropped_year, 2);
		} else {
			assert_int_equal(s->n_cells, 1);
			assert_int_equal(s->cells[0].episodes, 2);
			assert_int_equal(n.dropped_year, 0);
		}
		ibx_statistics_free(s);
		spoke_cases_cap_free(c);
		spoke_cases_agg_free(a);
	}
	spoke_cases_cap_free(NULL);
}

/* A row with its own stay, visits and charge (same cell for every ref: a
 * Chinese man born 1960, treatment, ICD-10 chapter 2, direct). */
#define SUMS(ref, date, discharge, visits, days, charge)                      \
	ref ",CN,1960-05-10,male,treatment,C16.9," date "," discharge         \
	    "," visits "," days "," charge ",direct,,no,yes\n"

/* The clipped sums (issue 13, docs/disclosure-control.md section 2): P1
 * has a charge of 50,000,000 JPY, 40 visits and 60 days; P3 two episodes
 * of 2,000,000 JPY, 10 visits and 20 days each (clipped as a patient's
 * total in the cell, not per episode); P2 small ones.  The exact sums are
 * kept; the clipped sums hold each patient's part at most 16 visits, 31
 * days, 3,000,000 JPY. */
static const char big[] =
    HEADER SUMS("P1", "2024-03-01", "2024-04-29", "40", "60", "50000000")
	SUMS("P2", "2024-03-05", "2024-03-06", "1", "2", "100000")
	    SUMS("P3", "2024-03-10", "2024-03-29", "10", "20", "2000000")
		SUMS("P3", "2024-03-12", "2024-03-31", "10", "20", "2000000");
static const char big_reversed[] =
    HEADER SUMS("P3", "2024-03-12", "2024-03-31", "10", "20", "2000000")
	SUMS("P3", "2024-03-10", "2024-03-29", "10", "20", "2000000")
	    SUMS("P2", "2024-03-05", "2024-03-06", "1", "2", "100000")
		SUMS("P1", "2024-03-01", "2024-04-29", "40", "60", "50000000");

static void
test_clipped_sums(void **state)
{
	const char *texts[] = {big, big_reversed};
	ibx_problems p;
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct run r;
		const ibx_stat_cell *c;

		run(&r, texts[k], "2024-03");
		assert_int_equal(r.s->n_cells, 1);
		c = &r.s->cells[0];
		assert_int_equal(c->patients, 3);
		assert_int_equal(c->episodes, 4);
		/* exact: 50,000,000 + 100,000 + 2 x 2,000,000 */
		assert_int_equal(c->charge_jpy, 54100000);
		assert_int_equal(c->charge_jpy_clipped,
				 3000000 + 100000 + 3000000);
		assert_int_equal(c->outpatient_visits, 61);
		assert_int_equal(c->outpatient_visits_clipped, 16 + 1 + 16);
		assert_int_equal(c->inpatient_days, 102);
		assert_int_equal(c->inpatient_days_clipped, 31 + 2 + 31);
		/* And the rules both sides check take them. */
		snprintf(r.s->organisation_code,
			 sizeof(r.s->organisation_code), "3910118128");
		ibx_problems_init(&p);
		assert_int_equal(ibx_statistics_check(r.s, "2024-12", &p),
				 IBX_OK);
		ibx_problems_fini(&p);
		done(&r);
	}
	/* P1 alone: the cell's exact charge is P1's, the clipped one the
	 * bound. */
	{
		struct run r;

		run(&r,
		    HEADER SUMS("P1", "2024-03-01", "2024-04-29", "40", "60",
				"50000000"),
		    "2024-03");
		assert_int_equal(r.s->cells[0].charge_jpy, 50000000);
		assert_int_equal(r.s->cells[0].charge_jpy_clipped, 3000000);
		done(&r);
	}
}

/* A small deterministic generator (xorshift64*), so the test is the same
 * every run. */
static uint64_t
next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return (*x * 0x2545F4914F6CDD1Dull);
}

/* Where no cap bites (every patient has at most two episodes), the cap
 * stage's cells (a patient's only episode counted without the set of
 * patients in cells, spoke_cases_agg_add_alone) equal those of every
 * episode counted the plain way (spoke_cases_agg_add_episode), patients
 * and clipped sums included; and a third episode for some patients, with
 * the caps off, the same again. */
static void
test_alone_same_cells(void **state)
{
	spoke_cap_limits caps = {2, 2, 2}, off = {0, 0, 0};
	spoke_cases_agg *a, *b;
	spoke_cases_cap *c;
	spoke_cap_counts n;
	spoke_agg_episode e;
	ibx_case_statistics *s, *t;
	uint64_t x = 42;
	int march = 2024 * 12 + 2, k, i, j, m, eps;
	size_t q;

	(void)state;
	for (k = 0; k < 2; k++) {
		assert_int_equal(spoke_cases_agg_new(false, 0, &a), IBX_OK);
		assert_int_equal(spoke_cases_agg_new(false, 0, &b), IBX_OK);
		assert_int_equal(
		    spoke_cases_cap_new(march, k == 0 ? &caps : &off, 0, &c),
		    IBX_OK);
		for (i = 0; i < 3000; i++) {
			/* one or two episodes a patient (three for some
			 * when the caps are off), in few cells, so cells
			 * share patients and clip their sums */
			eps = 1 + (next(&x) % 3 == 0) +
			      (k == 1 && next(&x) % 5 == 0);
			memset(&e, 0, sizeof(e));
			e.patient = next(&x) | 1;
			for (j = 0; j < eps; j++) {
				m = (int)(next(&x) % 4 == 0); /* February */
				e.k1 = (uint64_t)(next(&x) % 3) << 34 |
				       (uint64_t)(next(&x) % 2) << 44;
				e.k2 = (uint32_t)(1 + next(&x) % 3);
				e.visits = (int32_t)(next(&x) % 12);
				e.days = (int32_t)(next(&x) % 20);
				e.charge = (int64_t)(next(&x) % 2000000);
				assert_int_equal(spoke_cases_cap_add(
						     c, &e, march - m,
						     19700 + i % 28 - 31 * m),
						 IBX_OK);
				if (m == 0)
					assert_int_equal(
					    spoke_cases_agg_add_episode(b, &e),
					    IBX_OK);
			}
		}
		assert_int_equal(spoke_cases_cap_run(c, a, &n), IBX_OK);
		assert_int_equal(
		    n.dropped_episodes + n.dropped_month + n.dropped_year, 0);
		assert_int_equal(spoke_cases_agg_finish(a), IBX_OK);
		assert_int_equal(spoke_cases_agg_finish(b), IBX_OK);
		assert_int_equal(spoke_cases_agg_statistics(a, "2024-03", &s),
				 IBX_OK);
		assert_int_equal(spoke_cases_agg_statistics(b, "2024-03", &t),
				 IBX_OK);
		assert_true(s->n_cells > 10);
		assert_int_equal(s->n_cells, t->n_cells);
		for (q = 0; q < s->n_cells; q++)
			if (memcmp(&s->cells[q], &t->cells[q],
				   sizeof(s->cells[q])) != 0)
				fail_msg("cell %zu differs (patients %lld "
					 "and %lld)",
					 q, (long long)s->cells[q].patients,
					 (long long)t->cells[q].patients);
		ibx_statistics_free(s);
		ibx_statistics_free(t);
		spoke_cases_cap_free(c);
		spoke_cases_agg_free(a);
		spoke_cases_agg_free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_yearly_cap),
	    cmocka_unit_test(test_monthly_cap),
	    cmocka_unit_test(test_episodes_per_cell),
	    cmocka_unit_test(test_order_and_resubmission),
	    cmocka_unit_test(test_later_months_ignored),
	    cmocka_unit_test(test_report_words),
	    cmocka_unit_test(test_cap_stage),
	    cmocka_unit_test(test_clipped_sums),
	    cmocka_unit_test(test_alone_same_cells),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
