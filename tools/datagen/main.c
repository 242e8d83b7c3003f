/*
 * main.c - inbound-datagen: command line parsing only; the work is in
 * cmd_listings.c, cmd_coordinators.c and cmd_cases.c.
 *
 *   inbound-datagen listings --data DIR --out DIR [--seed N]
 *                            [--set kochi,hokkaido,kumamoto,register]
 *                            [--set national] [--verbose]
 *   inbound-datagen coordinators --out DIR [--seed N] [--count N]
 *                                [--data DIR]
 *   inbound-datagen cases --listings DIR|--hospital CODE --out DIR
 *                         --year YYYY [--month M] [--seed N] [--rows N]
 *                         [--bad-rows N] [--data DIR]
 *
 * Exit status: 0 done, 1 failed, 2 bad command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "coordinators.h"

#define DEFAULT_SEED	     42
#define DEFAULT_COORDINATORS 12

/* Prints the usage text to f. */
static void
usage(FILE *f)
{
	fprintf(f,
		"usage: %s listings --data DIR --out DIR [--seed N]\n"
		"           [--set kochi,hokkaido,kumamoto,register|national] "
		"[--verbose]\n"
		"       %s coordinators --out DIR [--seed N] [--count N] "
		"[--data DIR]\n"
		"       %s cases --listings DIR|--hospital CODE --out DIR "
		"--year YYYY\n"
		"           [--month M] [--seed N] [--rows N] [--bad-rows N] "
		"[--data DIR]\n",
		DG_PROG, DG_PROG, DG_PROG);
}

/*
 * Returns the value of option name at argv[*i] ("--name VALUE" or
 * "--name=VALUE"), advancing *i; NULL when argv[*i] is not that option.
 * *missing is set when the option has no value.
 */
static const char *
option(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t len = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, len) != 0)
		return (NULL);
	if (a[len] == '=')
		return (a + len + 1);
	if (a[len] != '\0')
		return (NULL);
	if (*i + 1 >= argc) {
		*missing = 1;
		return (NULL);
	}
	return (argv[++*i]);
}

/* Parses an unsigned decimal number no larger than max. */
static int
parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return (0);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return (0);
	*out = v;
	return (1);
}

/* Sets the set flags of o from a comma-separated list of set names. */
static int
parse_sets(const char *list, dg_listings_opts *o)
{
	char buf[256], *tok, *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return (0);
	strcpy(buf, list);
	o->kochi = o->hokkaido = o->kumamoto = o->national = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "kochi") == 0)
			o->kochi = 1;
		else if (strcmp(tok, "hokkaido") == 0)
			o->hokkaido = 1;
		else if (strcmp(tok, "kumamoto") == 0)
			o->kumamoto = 1;
		else if (strcmp(tok, "register") == 0)
			o->national = 1;
		else if (strcmp(tok, "national") == 0)
			o->kochi = o->hokkaido = o->kumamoto = o->national = 1;
		else {
			dg_error("--set: unknown set \"%s\"", tok);
			return (0);
		}
	}
	return (o->kochi || o->hokkaido || o->kumamoto || o->national);
}

/* Parses the arguments of "listings" into o. */
static int
parse_listings(int argc, char **argv, dg_listings_opts *o)
{
	unsigned long long n;
	const char *v;
	int i, missing = 0;

	o->seed = DEFAULT_SEED;
	o->kochi = o->hokkaido = o->kumamoto = 1;
	for (i = 2; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--data", &missing)) != NULL)
			o->data_dir = v;
		else if ((v = option(argc, argv, &i, "--out", &missing)) !=
			 NULL)
			o->out_dir = v;
		else if ((v = option(argc, argv, &i, "--seed", &missing)) !=
			 NULL) {
			if (!parse_number(v, UINT64_MAX, &n)) {
				dg_error("--seed: \"%s\" is not a number", v);
				return (0);
			}
			o->seed = n;
		} else if ((v = option(argc, argv, &i, "--set", &missing)) !=
			   NULL) {
			if (!parse_sets(v, o))
				return (0);
		} else if (strcmp(argv[i], "--verbose") == 0 ||
			   strcmp(argv[i], "-v") == 0)
			o->verbose = 1;
		else {
			dg_error("%s: %s", argv[i],
				 missing ? "needs a value" : "unknown option");
			return (0);
		}
	}
	if (o->data_dir == NULL || o->out_dir == NULL) {
		dg_error("listings: --data and --out are required");
		return (0);
	}
	return (1);
}

/* Parses the arguments of "coordinators" into o. */
static int
parse_coordinators(int argc, char **argv, dg_coordinators_opts *o)
{
	unsigned long long n;
	const char *v;
	int i, missing = 0;

	o->seed = DEFAULT_SEED;
	o->count = DEFAULT_COORDINATORS;
	for (i = 2; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--out", &missing)) != NULL)
			o->out_dir = v;
		else if ((v = option(argc, argv, &i, "--data", &missing)) !=
			 NULL)
			o->data_dir = v;
		else if ((v = option(argc, argv, &i, "--seed", &missing)) !=
			 NULL) {
			if (!parse_number(v, UINT64_MAX, &n)) {
				dg_error("--seed: \"%s\" is not a number", v);
				return (0);
			}
			o->seed = n;
		} else if ((v = option(argc, argv, &i, "--count", &missing)) !=
			   NULL) {
			if (!parse_number(v, DG_COORDINATORS_MAX, &n) ||
			    n == 0) {
				dg_error("--count: \"%s\" is not in 1..%d", v,
					 DG_COORDINATORS_MAX);
				return (0);
			}
			o->count = (unsigned)n;
		} else {
			dg_error("%s: %s", argv[i],
				 missing ? "needs a value" : "unknown option");
			return (0);
		}
	}
	if (o->out_dir == NULL) {
		dg_error("coordinators: --out is required");
		return (0);
	}
	return (1);
}

/* Parses the arguments of "cases" into o. */
static int
parse_cases(int argc, char **argv, dg_cases_opts *o)
{
	unsigned long long n;
	const char *v;
	int i, missing = 0;

	o->seed = DEFAULT_SEED;
	o->data_dir = "deploy/data";
	for (i = 2; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--listings", &missing)) !=
		    NULL)
			o->listings_dir = v;
		else if ((v = option(argc, argv, &i, "--hospital",
				     &missing)) != NULL)
			o->hospital = v;
		else if ((v = option(argc, argv, &i, "--out", &missing)) !=
			 NULL)
			o->out_dir = v;
		else if ((v = option(argc, argv, &i, "--data", &missing)) !=
			 NULL)
			o->data_dir = v;
		else if ((v = option(argc, argv, &i, "--year", &missing)) !=
			 NULL) {
			if (!parse_number(v, 2099, &n) || n < 2000) {
				dg_error("--year: \"%s\" is not in 2000..2099",
					 v);
				return (0);
			}
			o->year = (int)n;
		} else if ((v = option(argc, argv, &i, "--month", &missing)) !=
			   NULL) {
			if (!parse_number(v, 12, &n) || n < 1) {
				dg_error("--month: \"%s\" is not in 1..12", v);
				return (0);
			}
			o->month = (int)n;
		} else if ((v = option(argc, argv, &i, "--seed", &missing)) !=
			   NULL) {
			if (!parse_number(v, UINT64_MAX, &n)) {
				dg_error("--seed: \"%s\" is not a number", v);
				return (0);
			}
			o->seed = n;
		} else if ((v = option(argc, argv, &i, "--rows", &missing)) !=
			   NULL) {
			if (!parse_number(v, 100000000ull, &n)) {
				dg_error("--rows: \"%s\" is not in "
					 "0..100000000",
					 v);
				return (0);
			}
			o->rows_fixed = 1;
			o->rows = n;
		} else if ((v = option(argc, argv, &i, "--bad-rows",
				       &missing)) != NULL) {
			if (!parse_number(v, 1000000ull, &n)) {
				dg_error("--bad-rows: \"%s\" is not in "
					 "0..1000000",
					 v);
				return (0);
			}
			o->bad_rows = n;
		} else {
			dg_error("%s: %s", argv[i],
				 missing ? "needs a value" : "unknown option");
			return (0);
		}
	}
	if ((o->listings_dir == NULL) == (o->hospital == NULL) ||
	    o->out_dir == NULL || o->year == 0) {
		dg_error("cases: --listings DIR or --hospital CODE, --out and "
			 "--year are required");
		return (0);
	}
	return (1);
}

int
main(int argc, char **argv)
{
	dg_listings_opts lo;
	dg_coordinators_opts co;
	dg_cases_opts cs;

	memset(&lo, 0, sizeof(lo));
	memset(&co, 0, sizeof(co));
	memset(&cs, 0, sizeof(cs));
	if (argc >= 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return (0);
	}
	if (argc >= 2 && strcmp(argv[1], "listings") == 0) {
		if (!parse_listings(argc, argv, &lo))
			goto bad_usage;
		return (dg_listings_run(&lo) == DG_OK ? 0 : 1);
	}
	if (argc >= 2 && strcmp(argv[1], "coordinators") == 0) {
		if (!parse_coordinators(argc, argv, &co))
			goto bad_usage;
		return (dg_coordinators_run(&co) == DG_OK ? 0 : 1);
	}
	if (argc >= 2 && strcmp(argv[1], "cases") == 0) {
		if (!parse_cases(argc, argv, &cs))
			goto bad_usage;
		return (dg_cases_run(&cs) == DG_OK ? 0 : 1);
	}
bad_usage:
	usage(stderr);
	return (2);
}
