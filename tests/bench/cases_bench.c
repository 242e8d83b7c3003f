/*
 * The anonymiser's throughput beside libcsv's: reads one case-record CSV
 * file five times (by default) with libcsv alone, through callbacks that do
 * nothing, and five times through the spoke's full anonymiser
 * (spoke_cases_anonymise: parse, check, generalise, aggregate), runs
 * interleaved and the file warm in the page cache, and prints the median
 * of each and their ratio, in wall-clock time and in CPU time (user +
 * system, which a busy machine disturbs less).  It asserts nothing about
 * time (STYLE.md).
 *
 *   bench_cases FILE.csv PERIOD [RUNS]
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cases_anonymise.h"
#include "cases_csv.h"

#define RUNS_MAX 101

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* CPU seconds used by this process so far (user + system). */
static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (
	    (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
}

static void
no_field(void *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	(void)arg;
}

static void
count_record(int c, void *arg)
{
	(void)c;
	(*(unsigned long long *)arg)++;
}

/* libcsv alone: the same chunk size and options as the spoke's reader. */
static int
bare_parse(const char *path, unsigned long long *records)
{
	struct csv_parser p;
	char *buf;
	FILE *f;
	size_t n;
	int rv = -1;

	*records = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return (-1);
	if ((buf = malloc(SPOKE_CSV_CHUNK)) == NULL ||
	    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(buf);
		fclose(f);
		return (-1);
	}
	while ((n = fread(buf, 1, SPOKE_CSV_CHUNK, f)) > 0)
		if (csv_parse(&p, buf, n, no_field, count_record, records) !=
		    n)
			goto out;
	if (csv_fini(&p, no_field, count_record, records) == 0)
		rv = 0;
out:
	csv_free(&p);
	free(buf);
	fclose(f);
	return (rv);
}

static int
anonymise(const char *path, const char *period, spoke_cases_report *rep,
	  size_t *cells)
{
	ibx_case_statistics *s = NULL;
	spoke_cases_opts o;
	FILE *f;
	ibx_err rv;

	memset(&o, 0, sizeof(o));
	o.period = period;
	spoke_cases_report_init(rep);
	if ((f = fopen(path, "rb")) == NULL)
		return (-1);
	rv = spoke_cases_anonymise(f, &o, rep, &s);
	fclose(f);
	if (rv != IBX_OK)
		return (-1);
	*cells = s->n_cells;
	ibx_statistics_free(s);
	return (0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

int
main(int argc, char **argv)
{
	double bare[RUNS_MAX], spoke[RUNS_MAX], bare_cpu[RUNS_MAX],
	    spoke_cpu[RUNS_MAX], t, c, mb, b, s, bc, sc;
	unsigned long long records = 0;
	spoke_cases_report rep;
	struct stat st;
	size_t cells = 0;
	int runs = 5, i;

	if (argc < 3 || argc > 4 || !ibx_period_valid(argv[2])) {
		fprintf(stderr,
			"usage: bench_cases FILE.csv YYYY-MM [RUNS]\n");
		return (2);
	}
	if (argc == 4 && ((runs = atoi(argv[3])) < 1 || runs > RUNS_MAX)) {
		fprintf(stderr, "bench_cases: RUNS: 1 to %d\n", RUNS_MAX);
		return (2);
	}
	if (stat(argv[1], &st) != 0) {
		perror(argv[1]);
		return (1);
	}
	mb = (double)st.st_size / (1024.0 * 1024.0);
	/* Warm the page cache so both read the file from memory. */
	if (bare_parse(argv[1], &records) != 0) {
		fprintf(stderr, "%s: libcsv cannot parse it\n", argv[1]);
		return (1);
	}
	for (i = 0; i < runs; i++) {
		t = now();
		c = cpu();
		if (bare_parse(argv[1], &records) != 0)
			return (1);
		bare[i] = now() - t;
		bare_cpu[i] = cpu() - c;
		t = now();
		c = cpu();
		if (anonymise(argv[1], argv[2], &rep, &cells) != 0) {
			spoke_cases_report_print(stderr, argv[1], argv[2],
						 &rep, false);
			spoke_cases_report_fini(&rep);
			return (1);
		}
		spoke[i] = now() - t;
		spoke_cpu[i] = cpu() - c;
		if (i + 1 < runs)
			spoke_cases_report_fini(&rep);
	}
	b = median(bare, runs);
	s = median(spoke, runs);
	bc = median(bare_cpu, runs);
	sc = median(spoke_cpu, runs);
	printf("file        %s: %.1f MiB, %llu records (header included)\n",
	       argv[1], mb, records);
	printf("anonymised  %llu rows: %llu in %s -> %zu cells, %llu other "
	       "periods, %llu bad\n",
	       (unsigned long long)rep.rows, (unsigned long long)rep.in_period,
	       argv[2], cells, (unsigned long long)rep.other_periods,
	       (unsigned long long)rep.bad_rows);
	printf("%-36s %9s %9s %9s %12s\n", "median of runs", "wall s", "CPU s",
	       "MiB/s", "rows/s");
	printf("%-36s %9.3f %9.3f %9.1f %12.0f\n",
	       "libcsv parse only (no-op callbacks)", b, bc, mb / b,
	       (double)records / b);
	printf("%-36s %9.3f %9.3f %9.1f %12.0f\n", "spoke anonymiser (full)",
	       s, sc, mb / s, (double)rep.rows / s);
	printf("ratio spoke / libcsv: %.2f wall, %.2f CPU (%d runs each, "
	       "interleaved)\n",
	       s / b, sc / bc, runs);
	spoke_cases_report_fini(&rep);
	return (0);
}
