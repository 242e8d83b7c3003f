/* Sealing what changed in the watched sources; see agent_scan.h. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "civil.h"
#include "listing_file.h"
#include "agent_listing.h"
#include "agent_periods.h"
#include "agent_scan.h"
#include "cases_file.h"
#include "statistics_seal.h"
#include "listing_json.h"
#include "file.h"
#include "log.h"
#include "statistics.h"

/* Seal payload (of type) as id's envelope with a new sequence from ob and
 * append it; the sequence goes to *seq. */
static ibx_err
seal_append(const spoke_identity *id, spoke_outbox *ob, ibx_payload_type type,
	    const ibx_bytes *payload, uint64_t *seq)
{
	ibx_bytes env = {NULL, 0};
	uint64_t s;
	ibx_err rv;

	if ((rv = spoke_outbox_sequence(ob, spoke_sequence_now(), &s)) !=
	    IBX_OK)
		return (rv);
	if ((rv = spoke_envelope_seal(id, s, type, payload, &env)) == IBX_OK &&
	    (rv = spoke_outbox_append(ob, s, &env)) == IBX_OK)
		*seq = s;
	ibx_bytes_fini(&env);
	return (rv);
}

/* Log each line of text at level. */
static void
log_lines(ibx_log_level level, const char *text)
{
	const char *p = text, *end;

	for (; p != NULL && *p != '\0'; p = end != NULL ? end + 1 : NULL) {
		end = strchr(p, '\n');
		ibx_log(level, "%.*s",
			(int)(end != NULL ? (size_t)(end - p) : strlen(p)), p);
	}
}

static ibx_err
scan_listing(const spoke_agent_sources *src, const spoke_identity *id,
	     spoke_outbox *ob, spoke_agent_watch *w, spoke_agent_status *st,
	     spoke_agent_scan_result *res)
{
	char fp[SPOKE_FINGERPRINT_LEN], code[32], *text = NULL;
	const char *old, *path = src->listing;
	size_t len = 0;
	ibx_problems problems;
	ibx_bytes payload = {NULL, 0};
	ibx_payload_type type;
	uint64_t seq;
	ibx_err rv;

	ibx_problems_init(&problems);
	if ((rv = spoke_agent_fingerprint_content(path, IBX_LISTING_JSON_MAX,
						  fp)) != IBX_OK) {
		spoke_agent_status_error(st, "%s: cannot read the listing: %s",
					 path, ibx_strerror(rv));
		res->refused++;
		rv = IBX_OK;
		goto out;
	}
	if ((old = spoke_agent_watch_get(w, "listing")) != NULL &&
	    strcmp(old, fp) == 0)
		goto out; /* sealed already */
	if (strcmp(fp, "missing") == 0) {
		spoke_agent_status_error(st, "%s: no such listing file", path);
		res->refused++;
		rv = spoke_agent_watch_set(w, ob, "listing", fp);
		goto out;
	}
	/* The text sealed, kept for the page once the hub acknowledges it
	 * (agent_listing.h); read just before the listing, so a change in
	 * between is sealed again on the next scan anyway. */
	if (ibx_file_read(path, IBX_LISTING_JSON_MAX, &text, &len) != IBX_OK)
		text = NULL;
	rv = spoke_listing_load(path, id, &problems, &type, code, &payload);
	if (rv == IBX_EINVAL) {
		spoke_listing_problems_print(stderr, path, "listing",
					     &problems);
		spoke_agent_status_error(
		    st, "%s: listing refused (%zu problem%s): %s", path,
		    ibx_problems_count(&problems),
		    ibx_problems_count(&problems) == 1 ? "" : "s",
		    problems.n > 0 ? problems.items[0] : "see the log");
		res->refused++;
		rv = spoke_agent_watch_set(w, ob, "listing", fp);
		goto out;
	}
	if (rv != IBX_OK ||
	    (rv = seal_append(id, ob, type, &payload, &seq)) != IBX_OK) {
		spoke_agent_status_error(st, "%s: cannot seal the listing: %s",
					 path, ibx_strerror(rv));
		goto out;
	}
	IBX_INFO("%s: listing %s sealed as envelope %" PRIu64, path, code,
		 seq);
	if (text != NULL)
		(void)spoke_agent_listing_keep(spoke_outbox_dir(ob), seq, text,
					       len);
	res->sealed++;
	rv = spoke_agent_watch_set(w, ob, "listing", fp);
out:
	free(text);
	ibx_bytes_fini(&payload);
	ibx_problems_fini(&problems);
	return (rv);
}

/* The submission of path for one period, checked, into *out (NULL when
 * the period has no good row: nothing to send for it).  IBX_EINVAL when
 * the file is refused (logged, and in st); IBX_EIO, IBX_ENOMEM. */
static ibx_err
read_period(const spoke_agent_sources *src, const spoke_identity *id,
	    const char *path, const char *period, const char *now,
	    spoke_agent_status *st, ibx_case_statistics **out)
{
	spoke_cases_file_opts o;
	ibx_case_statistics *s = NULL;
	ibx_problems problems;
	char ledger[4096];
	char *report = NULL;
	size_t len = 0;
	ibx_err rv;

	ibx_problems_init(&problems);
	memset(&o, 0, sizeof(o));
	o.path = path;
	o.map = src->map;
	o.period = period;
	o.icd10_category = src->icd10_category;
	o.skip_bad_rows = src->skip_bad_rows;
	if (src->referral_state != NULL &&
	    (size_t)snprintf(ledger, sizeof(ledger), "%s/referrals.tsv",
			     src->referral_state) < sizeof(ledger))
		o.referrals = ledger;
	if ((o.report = open_memstream(&report, &len)) == NULL)
		return (IBX_ENOMEM);
	rv = spoke_cases_file_read(&o, &s);
	fclose(o.report);
	log_lines(rv == IBX_OK ? IBX_LOG_INFO : IBX_LOG_ERROR, report);
	if (rv != IBX_OK) {
		spoke_agent_status_error(st,
					 "%s: case records refused (%s): see "
					 "the log",
					 path, ibx_strerror(rv));
		goto out;
	}
	*out = NULL;
	if (s->n_cells == 0 && !s->nil_report)
		goto out; /* only bad rows (skipped) in this period */
	if (strlen(id->code) >= sizeof(s->organisation_code))
		ibx_problems_add(&problems, "organisation_code",
				 "the certificate's \"%s\" is not 10 digits",
				 id->code);
	else
		memcpy(s->organisation_code, id->code, strlen(id->code) + 1);
	if (problems.n > 0 || spoke_cases_check(s, now, &problems) != IBX_OK) {
		spoke_listing_problems_print(stderr, path, "statistics",
					     &problems);
		spoke_agent_status_error(
		    st, "%s: statistics for %s refused: %s", path, period,
		    problems.n > 0 ? problems.items[0] : "see the log");
		rv = IBX_EINVAL;
		goto out;
	}
	*out = s;
	s = NULL;
out:
	ibx_statistics_free(s);
	ibx_problems_fini(&problems);
	free(report);
	return (rv);
}

/* A case file could not be sent (why: rv).  One whose content is refused
 * waits for a change (its fingerprint is recorded); one that could not be
 * read (IBX_EIO, IBX_ECRYPTO: no random key) is tried on the next scan. */
static ibx_err
refused(spoke_agent_watch *w, spoke_outbox *ob, const char *key,
	const char *fp, ibx_err rv)
{
	if (rv != IBX_EINVAL && rv != IBX_ETOOBIG)
		return (IBX_OK);
	return (spoke_agent_watch_set(w, ob, key, fp));
}

/* Whether name is "nil-YYYY-MM.csv", a nil report for that period (the
 * spoke's page writes one when a month had no foreign patient); the
 * period into period. */
static bool
nil_name(const char *name, char period[8])
{
	if (strlen(name) != 15 || strncmp(name, "nil-", 4) != 0 ||
	    strcmp(name + 11, ".csv") != 0)
		return (false);
	memcpy(period, name + 4, 7);
	period[7] = '\0';
	return (ibx_period_valid(period));
}

static ibx_err seal_nil(const spoke_identity *id, spoke_outbox *ob,
			const char *period, const char *now,
			spoke_agent_status *st, uint64_t *seq);

/* Seal a nil report for period, asked for by the file path (a
 * nil-YYYY-MM.csv, whose content is not read). */
static ibx_err
seal_nil_file(const spoke_identity *id, spoke_outbox *ob,
	      spoke_agent_status *st, spoke_agent_scan_result *res,
	      const char *path, const char *period)
{
	char now[8];
	uint64_t seq;
	ibx_err rv;

	ibx_period_now(now);
	rv = seal_nil(id, ob, period, now, st, &seq);
	if (rv == IBX_EINVAL) {
		res->refused++;
		return (rv);
	}
	if (rv != IBX_OK) {
		spoke_agent_status_error(st, "%s: cannot seal: %s", path,
					 ibx_strerror(rv));
		return (rv);
	}
	IBX_INFO("%s: nil report for %s sealed as envelope %" PRIu64, path,
		 period, seq);
	res->sealed++;
	return (IBX_OK);
}

/* Seal every period of case file name (in src->cases_dir) if it changed
 * since it was last sealed. */
static ibx_err
scan_case_file(const spoke_agent_sources *src, const spoke_identity *id,
	       spoke_outbox *ob, spoke_agent_watch *w, spoke_agent_status *st,
	       spoke_agent_scan_result *res, const char *name)
{
	char path[4096], key[4096], fp[SPOKE_FINGERPRINT_LEN], now[8];
	char nil_period[8];
	const char *old;
	spoke_cases_map map;
	spoke_msgs msgs;
	spoke_period *periods = NULL;
	ibx_case_statistics **subs = NULL;
	ibx_bytes payload = {NULL, 0};
	size_t n = 0, i;
	uint64_t seq;
	ibx_err rv;

	spoke_cases_map_init(&map);
	memset(&msgs, 0, sizeof(msgs));
	snprintf(path, sizeof(path), "%s/%s", src->cases_dir, name);
	snprintf(key, sizeof(key), "cases/%s", name);
	if ((rv = spoke_agent_fingerprint_stat(path, fp)) != IBX_OK) {
		rv = IBX_OK; /* gone meanwhile, or logged */
		goto out;
	}
	if ((old = spoke_agent_watch_get(w, key)) != NULL &&
	    strcmp(old, fp) == 0)
		goto out;
	if (nil_name(name, nil_period)) {
		if ((rv = seal_nil_file(id, ob, st, res, path, nil_period)) ==
			IBX_OK ||
		    rv == IBX_EINVAL)
			rv = spoke_agent_watch_set(w, ob, key, fp);
		goto out;
	}
	if ((src->map != NULL &&
	     (rv = spoke_cases_map_load(src->map, &map, &msgs)) != IBX_OK) ||
	    (rv = spoke_agent_periods(path, src->map != NULL ? &map : NULL,
				      &periods, &n, &msgs)) != IBX_OK) {
		for (i = 0; i < msgs.n; i++)
			IBX_ERROR("%s: case records refused: %s", path,
				  msgs.items[i]);
		spoke_agent_status_error(
		    st, "%s: case records refused: %s", path,
		    msgs.n > 0 ? msgs.items[0] : ibx_strerror(rv));
		if (rv == IBX_ENOMEM)
			goto out;
		res->refused++;
		rv = refused(w, ob, key, fp, rv);
		goto out;
	}
	/* Periods after this month are export errors the rows' check
	 * reports; they are not sent. */
	ibx_period_now(now);
	while (n > 0 && strcmp(periods[n - 1].s, now) > 0)
		n--;
	if ((subs = calloc(n > 0 ? n : 1, sizeof(*subs))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	/* Every period read and checked before any is sealed: a file is
	 * sent whole or not at all. */
	for (i = 0; i < n; i++)
		if ((rv = read_period(src, id, path, periods[i].s, now, st,
				      &subs[i])) != IBX_OK) {
			if (rv == IBX_ENOMEM)
				goto out;
			res->refused++;
			rv = refused(w, ob, key, fp, rv);
			goto out;
		}
	for (i = 0; i < n; i++) {
		if (subs[i] == NULL)
			continue;
		if ((rv = ibx_statistics_encode(subs[i], &payload)) !=
			IBX_OK ||
		    (rv = seal_append(id, ob, IBX_PAYLOAD_CASE_STATISTICS,
				      &payload, &seq)) != IBX_OK) {
			spoke_agent_status_error(
			    st, "%s: cannot seal the statistics for %s: %s",
			    path, periods[i].s, ibx_strerror(rv));
			goto out;
		}
		ibx_bytes_fini(&payload);
		IBX_INFO("%s: statistics for %s sealed as envelope %" PRIu64,
			 path, periods[i].s, seq);
		res->sealed++;
	}
	if (n == 0)
		IBX_WARN("%s: no episode with a first_visit up to %s: nothing "
			 "to send",
			 path, now);
	rv = spoke_agent_watch_set(w, ob, key, fp);
out:
	for (i = 0; subs != NULL && i < n; i++)
		ibx_statistics_free(subs[i]);
	free(subs);
	free(periods);
	ibx_bytes_fini(&payload);
	spoke_msgs_fini(&msgs);
	spoke_cases_map_fini(&map);
	return (rv);
}

/* The names of the case-record exports in dir, sorted. */
struct names {
	char **v;
	size_t n, cap;
};

static void
names_fini(struct names *nm)
{
	size_t i;

	if (nm == NULL)
		return;
	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

static int
name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static bool
name_present(const char *name, void *arg)
{
	const struct names *nm = arg;

	return (bsearch(&name, nm->v, nm->n, sizeof(*nm->v), name_cmp) !=
		NULL);
}

/* A file the agent reads: NAME.csv, no dot first, no line break. */
static bool
is_export(const char *dir, const char *name)
{
	char path[4096];
	size_t len = strlen(name);
	struct stat st;

	if (name[0] == '.' || len <= 4 ||
	    strcmp(name + len - 4, ".csv") != 0 ||
	    strpbrk(name, "\n\r") != NULL)
		return (false);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return (stat(path, &st) == 0 && S_ISREG(st.st_mode));
}

static ibx_err
list_exports(const char *dir, struct names *nm)
{
	DIR *d;
	struct dirent *de;
	char **grown;
	ibx_err rv = IBX_OK;
	int e;

	if ((d = opendir(dir)) == NULL) {
		e = errno;
		IBX_ERROR("%s: cannot open the folder: %s", dir, strerror(e));
		return (IBX_EIO);
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_export(dir, de->d_name))
			continue;
		if (nm->n == nm->cap) {
			nm->cap = nm->cap == 0 ? 16 : nm->cap * 2;
			if ((grown = realloc(
				 nm->v, nm->cap * sizeof(*grown))) == NULL) {
				rv = IBX_ENOMEM;
				break;
			}
			nm->v = grown;
		}
		if ((nm->v[nm->n] = strdup(de->d_name)) == NULL) {
			rv = IBX_ENOMEM;
			break;
		}
		nm->n++;
	}
	closedir(d);
	if (nm->n > 0)
		qsort(nm->v, nm->n, sizeof(*nm->v), name_cmp);
	return (rv);
}

/* The months with a row in any export of nm (in src->cases_dir), as
 * has[i] for month first + i of n.  IBX_EINVAL when an export cannot be
 * read or is refused (logged): then no month may be taken as empty. */
static ibx_err
months_with_rows(const spoke_agent_sources *src, const struct names *nm,
		 int first, size_t n, bool *has)
{
	char path[4096];
	spoke_cases_map map;
	spoke_msgs msgs;
	spoke_period *periods = NULL;
	size_t np = 0, i, j;
	long k;
	ibx_err rv = IBX_OK;

	spoke_cases_map_init(&map);
	memset(&msgs, 0, sizeof(msgs));
	if (src->map != NULL &&
	    (rv = spoke_cases_map_load(src->map, &map, &msgs)) != IBX_OK)
		goto out;
	for (i = 0; i < nm->n; i++) {
		snprintf(path, sizeof(path), "%s/%s", src->cases_dir,
			 nm->v[i]);
		if ((rv = spoke_agent_periods(path,
					      src->map != NULL ? &map : NULL,
					      &periods, &np, &msgs)) != IBX_OK)
			goto out;
		for (j = 0; j < np; j++) {
			k = (long)ibx_period_index(periods[j].s) - first;
			if (k >= 0 && (size_t)k < n)
				has[k] = true;
		}
		free(periods);
		periods = NULL;
	}
out:
	if (rv != IBX_OK && rv != IBX_ENOMEM) {
		IBX_WARN("%s: no nil report in this pass: %s", src->cases_dir,
			 msgs.n > 0 ? msgs.items[0] : ibx_strerror(rv));
		rv = IBX_EINVAL;
	}
	free(periods);
	spoke_msgs_fini(&msgs);
	spoke_cases_map_fini(&map);
	return (rv);
}

/* The period "YYYY-MM" of month index idx (ibx_period_index). */
static void
month_name(int idx, char out[8])
{
	unsigned u = idx > 0 ? (unsigned)idx : 0u;

	snprintf(out, 8, "%04u-%02u", u / 12u % 10000u, u % 12u + 1u);
}

/* Seal a nil report for period with id into ob. */
static ibx_err
seal_nil(const spoke_identity *id, spoke_outbox *ob, const char *period,
	 const char *now, spoke_agent_status *st, uint64_t *seq)
{
	ibx_case_statistics *s;
	ibx_bytes payload = {NULL, 0};
	ibx_problems problems;
	ibx_err rv = IBX_ENOMEM;

	ibx_problems_init(&problems);
	if ((s = ibx_statistics_new()) == NULL)
		goto out;
	s->nil_report = true;
	snprintf(s->period, sizeof(s->period), "%s", period);
	if (strlen(id->code) >= sizeof(s->organisation_code) ||
	    spoke_cases_check(s, now, &problems) != IBX_OK) {
		spoke_agent_status_error(
		    st, "nil report for %s refused: %s", period,
		    problems.n > 0 ? problems.items[0]
				   : "the organisation code is not 10 digits");
		rv = IBX_EINVAL;
		goto out;
	}
	memcpy(s->organisation_code, id->code, strlen(id->code) + 1);
	if ((rv = ibx_statistics_encode(s, &payload)) == IBX_OK)
		rv = seal_append(id, ob, IBX_PAYLOAD_CASE_STATISTICS, &payload,
				 seq);
out:
	ibx_bytes_fini(&payload);
	ibx_problems_fini(&problems);
	ibx_statistics_free(s);
	return (rv);
}

/* The nil reports of src->nil_from (agent_scan.h), nm the exports. */
static ibx_err
scan_nil(const spoke_agent_sources *src, const spoke_identity *id,
	 spoke_outbox *ob, spoke_agent_watch *w, spoke_agent_status *st,
	 spoke_agent_scan_result *res, const struct names *nm)
{
	char now[8], period[8], key[16];
	int first = ibx_period_index(src->nil_from), last;
	bool *has = NULL, undecided = false, changed = false;
	size_t n, i;
	uint64_t seq;
	ibx_err rv = IBX_OK;

	ibx_period_now(now);
	last = ibx_period_index(now) - 1; /* the last closed month */
	if (last < first)
		return (IBX_OK);
	n = (size_t)(last - first + 1);
	for (i = 0; i < n && !undecided; i++) {
		month_name(first + (int)i, period);
		snprintf(key, sizeof(key), "nil/%s", period);
		undecided = spoke_agent_watch_get(w, key) == NULL;
	}
	if (!undecided)
		return (IBX_OK);
	if ((has = calloc(n, sizeof(*has))) == NULL)
		return (IBX_ENOMEM);
	if ((rv = months_with_rows(src, nm, first, n, has)) != IBX_OK) {
		if (rv == IBX_EINVAL)
			rv = IBX_OK; /* logged; the next pass tries again */
		goto out;
	}
	for (i = 0; i < n; i++) {
		month_name(first + (int)i, period);
		snprintf(key, sizeof(key), "nil/%s", period);
		if (spoke_agent_watch_get(w, key) != NULL)
			continue;
		if (!has[i]) {
			if ((rv = seal_nil(id, ob, period, now, st, &seq)) !=
			    IBX_OK) {
				if (rv == IBX_EINVAL) {
					res->refused++;
					rv = IBX_OK;
				}
				break;
			}
			IBX_INFO("%s: nil report for %s sealed as envelope "
				 "%" PRIu64,
				 src->cases_dir, period, seq);
			res->sealed++;
		}
		if ((rv = spoke_agent_watch_put(
			 w, key, has[i] ? "rows" : "nil")) != IBX_OK)
			break;
		changed = true;
	}
	/* One write for every month decided (those sealed are in pending/
	 * already: a crash before this write seals them again, and the hub
	 * keeps the one nil report). */
	if (changed) {
		ibx_err srv = spoke_agent_watch_save(w, ob);

		if (rv == IBX_OK)
			rv = srv;
	}
out:
	free(has);
	return (rv);
}

static ibx_err
scan_cases(const spoke_agent_sources *src, const spoke_identity *id,
	   spoke_outbox *ob, spoke_agent_watch *w, spoke_agent_status *st,
	   spoke_agent_scan_result *res)
{
	struct names nm = {NULL, 0, 0};
	size_t i;
	ibx_err rv;

	if ((rv = list_exports(src->cases_dir, &nm)) != IBX_OK) {
		if (rv == IBX_EIO) {
			spoke_agent_status_error(
			    st, "%s: cannot read the case-record folder",
			    src->cases_dir);
			res->refused++;
			rv = IBX_OK;
		}
		goto out;
	}
	if ((rv = spoke_agent_watch_forget_cases(w, ob, name_present, &nm)) !=
	    IBX_OK)
		goto out;
	for (i = 0; i < nm.n; i++)
		if ((rv = scan_case_file(src, id, ob, w, st, res, nm.v[i])) !=
		    IBX_OK)
			goto out;
	if (src->nil_from != NULL)
		rv = scan_nil(src, id, ob, w, st, res, &nm);
out:
	names_fini(&nm);
	return (rv);
}

ibx_err
spoke_agent_scan(const spoke_agent_sources *src, const spoke_identity *id,
		 spoke_outbox *ob, spoke_agent_watch *w,
		 spoke_agent_status *st, spoke_agent_scan_result *res)
{
	ibx_err rv = IBX_OK, brv, wrv;

	memset(res, 0, sizeof(*res));
	/* One batch (outbox.h): the envelopes of this look are durable with
	 * one fsync of pending/, and the state that says they were sealed is
	 * written once, after that. */
	spoke_outbox_batch_begin(ob);
	spoke_agent_watch_hold(w);
	if (src->listing != NULL)
		rv = scan_listing(src, id, ob, w, st, res);
	if (rv == IBX_OK && src->cases_dir != NULL)
		rv = scan_cases(src, id, ob, w, st, res);
	if ((brv = spoke_outbox_batch_end(ob)) != IBX_OK) {
		spoke_agent_status_error(st,
					 "%s/pending: cannot make the %zu "
					 "envelope%s sealed durable: %s",
					 spoke_outbox_dir(ob), res->sealed,
					 res->sealed == 1 ? "" : "s",
					 ibx_strerror(brv));
		res->sealed = 0;
	}
	wrv = spoke_agent_watch_release(w, ob, brv == IBX_OK);
	if (rv == IBX_OK)
		rv = brv != IBX_OK ? brv : wrv;
	return (rv);
}
