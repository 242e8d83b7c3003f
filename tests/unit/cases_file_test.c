/*
 * Unit tests of reading a case-record file for inbound-spoke stats
 * (spoke/anonymise/cases_file.c): a file with bad rows is refused and gives no
 * submission unless they are skipped, the report goes to the given stream,
 * an empty period is a nil report only when asked and only with no bad
 * row, a bad column map and a missing file are refused.
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

#include "cases_file.h"

#define HEADER                                                                \
	"patient_ref,nationality,age,sex,purpose,icd10,first_visit,"          \
	"outpatient_visits,inpatient_days,charge_jpy,referral_channel,"       \
	"remote_second_opinion_first\n"
#define GOOD "P1,CN,50,male,treatment,C16.9,2024-03-05,1,0,100,direct,no\n"
#define BAD  "P2,CN,50,x,treatment,C16.9,2024-03-05,1,0,100,direct,no\n"

static char path[64];

/* Write text to a new temporary file named in path. */
static void
file(const char *text)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/ibx-cases-file-XXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
}

/* Read path with the options; the report is kept in *report (free). */
static ibx_err
read_file(bool skip, bool nil_if_empty, const char *map,
	  ibx_case_statistics **s, char **report)
{
	spoke_cases_file_opts o;
	size_t len;
	ibx_err rv;

	memset(&o, 0, sizeof(o));
	o.path = path;
	o.map = map;
	o.period = "2024-03";
	o.skip_bad_rows = skip;
	o.nil_if_empty = nil_if_empty;
	assert_non_null(o.report = open_memstream(report, &len));
	*s = NULL;
	rv = spoke_cases_file_read(&o, s);
	fclose(o.report);
	return (rv);
}

static void
test_bad_rows(void **state)
{
	ibx_case_statistics *s;
	char *report;

	(void)state;
	file(HEADER GOOD BAD);
	assert_int_equal(read_file(false, false, NULL, &s, &report),
			 IBX_EINVAL);
	assert_null(s);
	assert_non_null(strstr(report, ": bad row: line 3: column \"sex\""));
	assert_non_null(strstr(report, "(the file is refused; nothing is "
				       "sent)"));
	free(report);
	assert_int_equal(read_file(true, false, NULL, &s, &report), IBX_OK);
	assert_int_equal(s->n_cells, 1);
	assert_non_null(strstr(report, ": bad row skipped: line 3:"));
	free(report);
	ibx_statistics_free(s);
	unlink(path);
}

static void
test_nil_if_empty(void **state)
{
	ibx_case_statistics *s;
	char *report;

	(void)state;
	file(HEADER);
	assert_int_equal(read_file(false, false, NULL, &s, &report), IBX_OK);
	assert_int_equal(s->n_cells, 0);
	assert_false(s->nil_report);
	assert_non_null(strstr(report, "send a nil report (--nil)"));
	free(report);
	ibx_statistics_free(s);
	assert_int_equal(read_file(false, true, NULL, &s, &report), IBX_OK);
	assert_true(s->nil_report);
	free(report);
	ibx_statistics_free(s);
	unlink(path);
	/* A bad row might have been an episode of the period: no nil. */
	file(HEADER BAD);
	assert_int_equal(read_file(true, true, NULL, &s, &report), IBX_OK);
	assert_false(s->nil_report);
	free(report);
	ibx_statistics_free(s);
	unlink(path);
}

static void
test_refused(void **state)
{
	ibx_case_statistics *s;
	char *report, map[64];

	(void)state;
	file("sex=\n");
	strcpy(map, path);
	file(HEADER GOOD);
	assert_int_equal(read_file(false, false, map, &s, &report),
			 IBX_EINVAL);
	assert_null(s);
	assert_non_null(strstr(report, "column map refused: "));
	assert_non_null(
	    strstr(report, "line 1: column \"sex\": empty header"));
	free(report);
	unlink(map);
	unlink(path);
	assert_int_equal(read_file(false, false, NULL, &s, &report), IBX_EIO);
	assert_non_null(strstr(report, ": cannot open: "));
	free(report);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_rows),
	    cmocka_unit_test(test_nil_if_empty),
	    cmocka_unit_test(test_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
