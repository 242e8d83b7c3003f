/*
 * Unit tests of case records that carry the referral channel's id
 * (spoke/anonymise/cases_referrals.c, the referral_id column of
 * cases_row.c and its rule in cases_anonymise.c; docs/case-records.md,
 * "Referral ids"): the id's form; the ledger noted, saved, loaded and
 * refused line by line; and the anonymiser, which refuses an id that is
 * not 32 lowercase hex or not a referral this organisation sent or
 * received (naming line and column), counts a received referral's visit
 * (the hospital's report is authoritative), leaves out of a referrer's
 * figures the episode of a referral it sent that the hospital reported
 * visited, and says so in the report with a count.  The id never reaches
 * a cell.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases_anonymise.h"
#include "cases_referrals.h"

/* The ledger of ledger(): sent and visited, sent at a quote, received and
 * visited; and an id it does not hold. */
#define ID_VISITED  "0123456789abcdef0123456789abcdef"
#define ID_QUOTE    "11111111111111111111111111111111"
#define ID_RECEIVED "22222222222222222222222222222222"
#define ID_UNKNOWN  "33333333333333333333333333333333"

#define HEADER                                                                \
	"patient_ref,nationality,age,sex,purpose,icd10,first_visit,"          \
	"outpatient_visits,inpatient_days,charge_jpy,referral_channel,"       \
	"referral_org,remote_second_opinion_first,referral_id\n"
/* One good row of 2024-03 for patient P with referral id ID ("" none). */
#define ROW(P, ID)                                                            \
	P ",CN,55,male,treatment,C16.9,2024-03-04,2,0,500000,coordinator,"    \
	  "2000000001,yes," ID "\n"

static void
test_id_form(void **state)
{
	(void)state;
	assert_true(spoke_referral_id_valid(ID_VISITED, 32));
	assert_false(spoke_referral_id_valid(ID_VISITED, 31));
	assert_false(
	    spoke_referral_id_valid("0123456789ABCDEF0123456789abcdef", 32));
	assert_false(
	    spoke_referral_id_valid("0123456789abcdeg0123456789abcdef", 32));
	assert_false(spoke_referral_id_valid("", 0));
}

static spoke_referral_ledger *
ledger(void)
{
	spoke_referral_ledger *l = NULL;

	assert_int_equal(spoke_referral_ledger_new(&l), IBX_OK);
	assert_int_equal(spoke_referral_ledger_note(
			     l, ID_VISITED, SPOKE_REFERRAL_SENT, "sending"),
			 IBX_OK);
	/* A later state; the side stays. */
	assert_int_equal(spoke_referral_ledger_note(l, ID_VISITED,
						    SPOKE_REFERRAL_RECEIVED,
						    "visited"),
			 IBX_OK);
	assert_int_equal(spoke_referral_ledger_note(
			     l, ID_QUOTE, SPOKE_REFERRAL_SENT, "quote"),
			 IBX_OK);
	assert_int_equal(spoke_referral_ledger_note(l, ID_RECEIVED,
						    SPOKE_REFERRAL_RECEIVED,
						    "visited"),
			 IBX_OK);
	return (l);
}

static void
test_ledger(void **state)
{
	spoke_referral_ledger *l = ledger(), *back = NULL;
	spoke_referral_role role;
	const char *st;
	char dir[] = "/tmp/ibx-ledger-XXXXXX", path[256], err[256];
	FILE *f;

	(void)state;
	assert_int_equal(spoke_referral_ledger_count(l), 3);
	assert_true(spoke_referral_ledger_find(l, ID_VISITED, &role, &st));
	assert_int_equal(role, SPOKE_REFERRAL_SENT);
	assert_string_equal(st, "visited");
	assert_false(spoke_referral_ledger_find(l, ID_UNKNOWN, NULL, NULL));
	assert_false(spoke_referral_ledger_find(NULL, ID_UNKNOWN, NULL, NULL));
	assert_int_equal(
	    spoke_referral_ledger_note(l, "ABC", SPOKE_REFERRAL_SENT, "sent"),
	    IBX_EINVAL);
	assert_int_equal(spoke_referral_ledger_note(
			     l, ID_UNKNOWN, SPOKE_REFERRAL_SENT, "Visited!"),
			 IBX_EINVAL);

	/* Saved and loaded back; a missing file is an empty ledger. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/referrals.tsv", dir);
	assert_int_equal(
	    spoke_referral_ledger_load(path, &back, err, sizeof(err)), IBX_OK);
	assert_int_equal(spoke_referral_ledger_count(back), 0);
	spoke_referral_ledger_free(back);
	back = NULL;
	assert_int_equal(spoke_referral_ledger_save(l, path), IBX_OK);
	assert_int_equal(access(path, R_OK), 0);
	assert_int_equal(
	    spoke_referral_ledger_load(path, &back, err, sizeof(err)), IBX_OK);
	assert_int_equal(spoke_referral_ledger_count(back), 3);
	assert_true(spoke_referral_ledger_find(back, ID_RECEIVED, &role, &st));
	assert_int_equal(role, SPOKE_REFERRAL_RECEIVED);
	assert_string_equal(st, "visited");
	spoke_referral_ledger_free(back);
	back = NULL;

	/* A line that is not one is refused with its number. */
	assert_non_null(f = fopen(path, "a"));
	fprintf(f, "%s\tforwarded\tsent\n", ID_UNKNOWN);
	fclose(f);
	assert_int_equal(
	    spoke_referral_ledger_load(path, &back, err, sizeof(err)),
	    IBX_EINVAL);
	assert_null(back);
	assert_non_null(strstr(err, "line 5: the side is not sent or "
				    "received"));
	unlink(path);
	rmdir(dir);
	spoke_referral_ledger_free(l);
	spoke_referral_ledger_free(NULL);
}

struct run {
	spoke_cases_report rep;
	ibx_case_statistics *s;
	ibx_err rv;
	char printed[4096];
};

static void
run(struct run *r, const char *text, const spoke_referral_ledger *l)
{
	spoke_cases_opts o;
	FILE *f = fmemopen((void *)text, strlen(text), "rb"), *out;

	assert_non_null(f);
	memset(&o, 0, sizeof(o));
	o.period = "2024-03";
	o.referrals = l;
	spoke_cases_report_init(&r->rep);
	r->s = NULL;
	r->rv = spoke_cases_anonymise(f, &o, &r->rep, &r->s);
	fclose(f);
	memset(r->printed, 0, sizeof(r->printed));
	assert_non_null(out =
			    fmemopen(r->printed, sizeof(r->printed) - 1, "w"));
	spoke_cases_report_print(out, "cases.csv", "2024-03", &r->rep, true);
	fclose(out);
}

static void
done(struct run *r)
{
	ibx_statistics_free(r->s);
	spoke_cases_report_fini(&r->rep);
}

static int64_t
episodes(const ibx_case_statistics *s)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < s->n_cells; i++)
		n += s->cells[i].episodes;
	return (n);
}

/* A hospital's export: the visit of a referral it received is counted. */
static void
test_received_counted(void **state)
{
	spoke_referral_ledger *l = ledger();
	struct run r;

	(void)state;
	run(&r, HEADER ROW("P1", ID_RECEIVED) ROW("P2", ""), l);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.bad_rows, 0);
	assert_int_equal(r.rep.in_period, 2);
	assert_int_equal(r.rep.referral_rows, 1);
	assert_int_equal(r.rep.referral_visited, 0);
	assert_int_equal(episodes(r.s), 2);
	assert_non_null(strstr(r.printed, "referrals: 1 episode of 2024-03 "
					  "carries a referral id and is "
					  "counted here"));
	assert_null(strstr(r.printed, "left out"));
	done(&r);
	spoke_referral_ledger_free(l);
}

/* A coordinator's export: the episode of a referral it sent that the
 * hospital reported visited is left out, and said so; one whose referral
 * is only at a quote is counted. */
static void
test_sent_visited_left_out(void **state)
{
	spoke_referral_ledger *l = ledger();
	struct run r;

	(void)state;
	run(&r,
	    HEADER ROW("P1", ID_VISITED) ROW("P2", ID_QUOTE) ROW("P3", "")
		ROW("P4", ID_VISITED),
	    l);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.bad_rows, 0);
	assert_int_equal(r.rep.referral_visited, 2);
	assert_int_equal(r.rep.in_period, 2);
	assert_int_equal(r.rep.referral_rows, 1);
	assert_int_equal(episodes(r.s), 2);
	assert_non_null(strstr(
	    r.printed,
	    "cases.csv: referrals: 2 episodes of 2024-03 left out: each "
	    "followed a referral this organisation sent, which the receiving "
	    "hospital reported visited; that hospital's statistics count the "
	    "visit (the hospital's report is authoritative for visits), so "
	    "it is counted once"));
	done(&r);

	/* The same visit with no id is counted: nothing ties it to the
	 * referral. */
	run(&r, HEADER ROW("P1", ""), l);
	assert_int_equal(episodes(r.s), 1);
	assert_int_equal(r.rep.referral_visited, 0);
	done(&r);
	spoke_referral_ledger_free(l);
}

/* Refused: a malformed id, an id this organisation never saw, and any id
 * when the run reads no ledger; each names its line and the column. */
static void
test_refused(void **state)
{
	spoke_referral_ledger *l = ledger();
	struct run r;

	(void)state;
	run(&r,
	    HEADER ROW("P1", "0123456789ABCDEF0123456789ABCDEF")
		ROW("P2", ID_UNKNOWN) ROW("P3", "12345") ROW("P4", ID_QUOTE),
	    l);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.bad_rows, 3);
	assert_int_equal(r.rep.bad.n, 3);
	assert_string_equal(
	    r.rep.bad.items[0],
	    "line 2: column \"referral_id\": "
	    "\"0123456789ABCDEF0123456789ABCDEF\" is not a referral id (32 "
	    "lowercase hex digits, as inbound-spoke refer and inbox print "
	    "it)");
	assert_string_equal(r.rep.bad.items[1],
			    "line 3: column \"referral_id\": \"" ID_UNKNOWN
			    "\" is not a referral this organisation sent or "
			    "received (inbound-spoke inbox lists them and "
			    "brings the spoke's referral ledger up to date)");
	assert_non_null(strstr(r.rep.bad.items[2],
			       "line 4: column \"referral_id\": \"12345\""));
	assert_int_equal(r.rep.in_period, 1);
	assert_int_equal(episodes(r.s), 1);
	done(&r);

	run(&r, HEADER ROW("P1", ID_QUOTE) ROW("P2", ""), NULL);
	assert_int_equal(r.rep.bad_rows, 1);
	assert_non_null(strstr(r.rep.bad.items[0],
			       "line 2: column \"referral_id\": \"" ID_QUOTE
			       "\" cannot be checked: this run reads no "
			       "referral ledger"));
	assert_int_equal(r.rep.in_period, 1);
	done(&r);
	spoke_referral_ledger_free(l);
}

/* Whether the n bytes at p hold the text s. */
static bool
holds(const void *p, size_t n, const char *s)
{
	const char *b = p;
	size_t i, len = strlen(s);

	for (i = 0; i + len <= n; i++)
		if (memcmp(b + i, s, len) == 0)
			return (true);
	return (false);
}

/* The id stays at the spoke: no cell field holds it, and a file without
 * the column is read as before. */
static void
test_never_sent(void **state)
{
	spoke_referral_ledger *l = ledger();
	struct run r;
	size_t i;

	(void)state;
	run(&r, HEADER ROW("P1", ID_QUOTE) ROW("P2", ID_RECEIVED), l);
	assert_int_equal(r.rv, IBX_OK);
	for (i = 0; i < r.s->n_cells; i++)
		assert_false(holds(&r.s->cells[i], sizeof(r.s->cells[i]),
				   "1111111111111111"));
	done(&r);
	run(&r,
	    "patient_ref,nationality,age,sex,purpose,icd10,first_visit,"
	    "outpatient_visits,inpatient_days,charge_jpy,referral_channel,"
	    "remote_second_opinion_first\n"
	    "P1,CN,55,male,treatment,C16.9,2024-03-04,2,0,500000,direct,no\n",
	    NULL);
	assert_int_equal(r.rv, IBX_OK);
	assert_int_equal(r.rep.bad_rows, 0);
	assert_int_equal(episodes(r.s), 1);
	done(&r);
	spoke_referral_ledger_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_id_form),
	    cmocka_unit_test(test_ledger),
	    cmocka_unit_test(test_received_counted),
	    cmocka_unit_test(test_sent_visited_left_out),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_never_sent),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
