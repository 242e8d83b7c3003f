/*
 * The soak test's load generator (tests/soak/run.sh, docs/soak.md): many
 * hospitals' spokes in one process, each with its own certificate and key,
 * each "hour" publishing a listing update and a month's statistics to the
 * hub over mutual TLS, paced evenly over the compressed hour.  Prints
 * key=value lines; asserts nothing about time.
 *
 *   soak_load --hub URL --pki DIR --plan FILE --cases-period YYYY-MM
 *             [--minutes 10] [--hours 1] [--conc 16] [--timeout-ms 30000]
 *
 * FILE has one hospital per line, in sending order: "CODE LISTING CASES"
 * (its organisation code, a listing JSON file and a case-record CSV file of
 * period --cases-period).  Its certificate and key are
 * DIR/issued/CODE.pem and .key, the CA DIR/ca.pem.
 *
 * Hour h (0..hours-1) takes minutes*60 seconds; hospital i of n starts its
 * session at h*minutes*60 + i*minutes*60/n seconds from the start.  A
 * session is what one spoke run does: load the identity, open a REQ client
 * (a new TLS connection), send the listing (its bed count changed by the
 * hour's parity, so each hour stores a new version) and the statistics of
 * the case file under period 2001-01 + h (wrapping before the current
 * month), each sealed with spoke_envelope_seal and a fresh sequence, one
 * attempt each, then close.  Errors: any Ack not accepted and any send
 * without an answer within --timeout-ms.  Exit 0 when there were none, 1
 * otherwise, 2 on bad arguments or files.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases_file.h"
#include "envelope.h"
#include "listing_json.h"
#include "problems.h"
#include "send.h"
#include "statistics.h"
#include "transport.h"
#include "wire.h"

struct hospital {
	char code[16];
	char *listing; /* path */
	char *cases;   /* path */
};

struct soak {
	const char *hub, *pki, *plan, *cases_period;
	long minutes, hours, conc, timeout_ms;
	struct hospital *h;
	size_t n;
	double t0; /* start, monotonic seconds */
	FILE *devnull;
	atomic_long next; /* next session slot */
	atomic_long sessions, sent, accepted, refused, no_answer, failed;
	atomic_long cells, nil_reports, listings, statistics, unprepared;
	pthread_mutex_t lock; /* max_lag, first messages */
	pthread_mutex_t close_lock;
	double max_lag;
	int shown;
};

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		if (stopping)
			return;
}

/* An error, counted; the first 20 are printed. */
static void
report(struct soak *s, const char *code, const char *what, const char *why)
{
	pthread_mutex_lock(&s->lock);
	if (s->shown++ < 20)
		fprintf(stderr, "soak_load: %s %s: %s\n", code, what, why);
	pthread_mutex_unlock(&s->lock);
}

/* Period of hour h: 2001-01 + h months, wrapping before the current month
 * (a later period is refused by the hub). */
static void
hour_period(long h, char out[8])
{
	time_t t = time(NULL);
	struct tm tm;
	long first = 2001 * 12, now, span, m;
	char buf[32];

	gmtime_r(&t, &tm);
	now = (long)(tm.tm_year + 1900) * 12 + tm.tm_mon;
	span = now - first; /* periods 2001-01 .. the month before now */
	m = first + h % span;
	snprintf(buf, sizeof(buf), "%04ld-%02ld", m / 12, m % 12 + 1);
	memcpy(out, buf, 7); /* YYYY-MM: years 2001..9999 */
	out[7] = '\0';
}

/* Send one sealed payload and check its Ack. */
static void
send_one(struct soak *s, const spoke_identity *id, ibx_req_client *c,
	 ibx_payload_type type, const ibx_bytes *payload, const char *what)
{
	const char *hubs[1] = {s->hub};
	spoke_send_opts so;
	ibx_bytes env = {NULL, 0};
	ibx_ack ack;

	if (spoke_envelope_seal(id, spoke_sequence_now(), type, payload,
				&env) != IBX_OK) {
		atomic_fetch_add(&s->failed, 1);
		report(s, id->code, what, "cannot seal");
		return;
	}
	memset(&so, 0, sizeof(so));
	so.hubs = hubs;
	so.nhubs = 1;
	so.timeout_ms = (int)s->timeout_ms;
	so.attempts = 1;
	so.client = c;
	atomic_fetch_add(&s->sent, 1);
	memset(&ack, 0, sizeof(ack));
	if (spoke_send(&so, &env, &ack) != IBX_OK) {
		atomic_fetch_add(&s->no_answer, 1);
		report(s, id->code, what, "no answer");
	} else if (ack.status != IBX_ACK_ACCEPTED) {
		char why[1100];

		atomic_fetch_add(&s->refused, 1);
		snprintf(why, sizeof(why), "%s: %s",
			 ibx_ack_status_name(ack.status), ack.error);
		report(s, id->code, what, why);
	} else
		atomic_fetch_add(&s->accepted, 1);
	ibx_bytes_fini(&env);
}

/* The listing of hospital hp for hour h, encoded. */
static int
listing_payload(struct soak *s, const struct hospital *hp, long h,
		ibx_bytes *out)
{
	ibx_problems p;
	ibx_listing *l = NULL;
	int rv = -1;

	ibx_problems_init(&p);
	if (ibx_listing_load_file(hp->listing, &p, &l) != IBX_OK) {
		report(s, hp->code, hp->listing, "cannot load the listing");
		goto out;
	}
	free(l->organisation_code);
	if ((l->organisation_code = strdup(hp->code)) == NULL)
		goto out;
	l->beds = (l->beds > 0 ? l->beds : 20) + (int32_t)(h % 2);
	if (ibx_listing_encode(l, out) == IBX_OK)
		rv = 0;
out:
	ibx_listing_free(l);
	ibx_problems_fini(&p);
	return (rv);
}

/* The statistics of hospital hp for hour h (the spoke's anonymiser over
 * its case file), encoded. */
static int
statistics_payload(struct soak *s, const struct hospital *hp, long h,
		   ibx_bytes *out)
{
	spoke_cases_file_opts o;
	ibx_case_statistics *st = NULL;
	int rv = -1;

	memset(&o, 0, sizeof(o));
	o.path = hp->cases;
	o.period = s->cases_period;
	o.nil_if_empty = true;
	o.report = s->devnull;
	if (spoke_cases_file_read(&o, &st) != IBX_OK) {
		report(s, hp->code, hp->cases, "cannot anonymise");
		return (-1);
	}
	memcpy(st->organisation_code, hp->code, 11); /* 10 digits, checked */
	hour_period(h, st->period);
	atomic_fetch_add(&s->cells, (long)st->n_cells);
	if (st->nil_report)
		atomic_fetch_add(&s->nil_reports, 1);
	if (ibx_statistics_encode(st, out) == IBX_OK)
		rv = 0;
	ibx_statistics_free(st);
	return (rv);
}

/* One hospital's session in hour h. */
static void
session(struct soak *s, const struct hospital *hp, long h)
{
	char cert[1024], key[1024], ca[1024];
	const char *hubs[1] = {s->hub};
	ibx_transport_opts tls;
	spoke_identity id;
	ibx_req_client *c = NULL;
	ibx_bytes lp = {NULL, 0}, sp = {NULL, 0};

	memset(&id, 0, sizeof(id));
	snprintf(cert, sizeof(cert), "%s/issued/%s.pem", s->pki, hp->code);
	snprintf(key, sizeof(key), "%s/issued/%s.key", s->pki, hp->code);
	snprintf(ca, sizeof(ca), "%s/ca.pem", s->pki);
	tls.cert_file = cert;
	tls.key_file = key;
	tls.ca_file = ca;
	tls.crl_file = NULL;
	if (spoke_identity_load(cert, key, &id) != IBX_OK ||
	    listing_payload(s, hp, h, &lp) != 0 ||
	    statistics_payload(s, hp, h, &sp) != 0 ||
	    ibx_req_client_open(hubs, 1, &tls, &c) != IBX_OK) {
		atomic_fetch_add(&s->unprepared, 1);
		report(s, hp->code, "session", "cannot prepare");
		goto out;
	}
	send_one(s, &id, c, IBX_PAYLOAD_HOSPITAL_LISTING, &lp, "listing");
	atomic_fetch_add(&s->listings, 1);
	send_one(s, &id, c, IBX_PAYLOAD_CASE_STATISTICS, &sp, "statistics");
	atomic_fetch_add(&s->statistics, 1);
	atomic_fetch_add(&s->sessions, 1);
out:
	/* one close at a time: with 16 threads closing TLS sockets at once,
	 * every worker once hung in nng_close (nng 1.5.2; docs/soak.md) */
	pthread_mutex_lock(&s->close_lock);
	ibx_req_client_close(c);
	pthread_mutex_unlock(&s->close_lock);
	ibx_bytes_fini(&lp);
	ibx_bytes_fini(&sp);
	spoke_identity_fini(&id);
}

static void *
worker(void *arg)
{
	struct soak *s = arg;
	double step = (double)s->minutes * 60.0 / (double)s->n;
	long total = s->hours * (long)s->n;

	for (;;) {
		long k = atomic_fetch_add(&s->next, 1);
		double due, lag;

		if (k >= total || stopping)
			break;
		due = s->t0 + (double)k * step;
		sleep_until(due);
		if (stopping)
			break;
		lag = now_s() - due;
		pthread_mutex_lock(&s->lock);
		if (lag > s->max_lag)
			s->max_lag = lag;
		pthread_mutex_unlock(&s->lock);
		session(s, &s->h[k % (long)s->n], k / (long)s->n);
	}
	return (NULL);
}

static int
load_plan(struct soak *s)
{
	FILE *f = fopen(s->plan, "r");
	char line[4096], code[64], lp[2048], cp[2048];
	size_t cap = 0;

	if (f == NULL) {
		perror(s->plan);
		return (-1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%63s %2047s %2047s", code, lp, cp) != 3)
			continue;
		if (strlen(code) != 10) {
			fprintf(stderr, "%s: code %s: not 10 digits\n",
				s->plan, code);
			fclose(f);
			return (-1);
		}
		if (s->n == cap) {
			struct hospital *nh;

			cap = cap ? cap * 2 : 1024;
			if ((nh = realloc(s->h, cap * sizeof(*nh))) == NULL)
				break;
			s->h = nh;
		}
		memcpy(s->h[s->n].code, code, 11);
		s->h[s->n].listing = strdup(lp);
		s->h[s->n].cases = strdup(cp);
		s->n++;
	}
	fclose(f);
	return (s->n > 0 ? 0 : -1);
}

static int
parse(int argc, char **argv, struct soak *s)
{
	static const struct option opts[] = {
	    {"hub", required_argument, NULL, 'h'},
	    {"pki", required_argument, NULL, 'p'},
	    {"plan", required_argument, NULL, 'P'},
	    {"cases-period", required_argument, NULL, 'c'},
	    {"minutes", required_argument, NULL, 'm'},
	    {"hours", required_argument, NULL, 'H'},
	    {"conc", required_argument, NULL, 'j'},
	    {"timeout-ms", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	s->minutes = 10;
	s->hours = 1;
	s->conc = 16;
	s->timeout_ms = 30000;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			s->hub = optarg;
			break;
		case 'p':
			s->pki = optarg;
			break;
		case 'P':
			s->plan = optarg;
			break;
		case 'c':
			s->cases_period = optarg;
			break;
		case 'm':
			s->minutes = strtol(optarg, NULL, 10);
			break;
		case 'H':
			s->hours = strtol(optarg, NULL, 10);
			break;
		case 'j':
			s->conc = strtol(optarg, NULL, 10);
			break;
		case 't':
			s->timeout_ms = strtol(optarg, NULL, 10);
			break;
		default:
			return (-1);
		}
	}
	if (s->hub == NULL || s->pki == NULL || s->plan == NULL ||
	    s->cases_period == NULL || !ibx_period_valid(s->cases_period) ||
	    s->minutes < 1 || s->hours < 1 || s->conc < 1 || s->conc > 1024 ||
	    s->timeout_ms < 100)
		return (-1);
	return (0);
}

int
main(int argc, char **argv)
{
	static struct soak s;
	pthread_t *th;
	struct sigaction sa;
	double t1, next_note;
	long i, total, errors;
	int rv = 1;

	if (parse(argc, argv, &s) != 0) {
		fprintf(stderr, "usage: see the comment at the top of "
				"tests/soak/soak_load.c\n");
		return (2);
	}
	if (load_plan(&s) != 0 ||
	    (s.devnull = fopen("/dev/null", "w")) == NULL)
		return (2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.close_lock, NULL);
	if ((th = calloc((size_t)s.conc, sizeof(*th))) == NULL)
		return (2);
	total = s.hours * (long)s.n;
	s.t0 = now_s() + 0.5;
	for (i = 0; i < s.conc; i++)
		pthread_create(&th[i], NULL, worker, &s);
	/* a progress line each minute while the workers run */
	next_note = s.t0 + 60;
	while (!stopping && atomic_load(&s.next) < total + s.conc) {
		sleep_until(next_note < now_s() + 1 ? now_s() + 1 : next_note);
		if (now_s() >= next_note) {
			fprintf(stderr,
				"soak_load: %.0f s: %ld/%ld sessions, %ld "
				"accepted, %ld errors\n",
				now_s() - s.t0, atomic_load(&s.sessions),
				total, atomic_load(&s.accepted),
				atomic_load(&s.refused) +
				    atomic_load(&s.no_answer) +
				    atomic_load(&s.failed) +
				    atomic_load(&s.unprepared));
			next_note += 60;
		}
	}
	for (i = 0; i < s.conc; i++)
		pthread_join(th[i], NULL);
	free(th);
	t1 = now_s();
	/* every planned session either ran, could not be prepared, or was
	 * not started (stopped early): the last two are errors too */
	errors = atomic_load(&s.refused) + atomic_load(&s.no_answer) +
		 atomic_load(&s.failed) + (total - atomic_load(&s.sessions));
	printf("hospitals=%zu\nhours=%ld\nminutes_per_hour=%ld\n"
	       "sessions=%ld\nsessions_planned=%ld\nlistings=%ld\n"
	       "statistics=%ld\nnil_reports=%ld\ncells=%ld\n",
	       s.n, s.hours, s.minutes, atomic_load(&s.sessions), total,
	       atomic_load(&s.listings), atomic_load(&s.statistics),
	       atomic_load(&s.nil_reports), atomic_load(&s.cells));
	printf("sent=%ld\naccepted=%ld\nrefused=%ld\nno_answer=%ld\n"
	       "failed=%ld\nunprepared=%ld\nerrors=%ld\nseconds=%.1f\nmsgs_"
	       "per_s=%.2f\n"
	       "target_msgs_per_s=%.2f\nmax_lag_s=%.3f\n",
	       atomic_load(&s.sent), atomic_load(&s.accepted),
	       atomic_load(&s.refused), atomic_load(&s.no_answer),
	       atomic_load(&s.failed), atomic_load(&s.unprepared), errors,
	       t1 - s.t0, (double)atomic_load(&s.accepted) / (t1 - s.t0),
	       2.0 * (double)s.n / ((double)s.minutes * 60.0), s.max_lag);
	if (errors == 0 && !stopping)
		rv = 0;
	fclose(s.devnull);
	for (i = 0; i < (long)s.n; i++) {
		free(s.h[i].listing);
		free(s.h[i].cases);
	}
	free(s.h);
	pthread_mutex_destroy(&s.lock);
	pthread_mutex_destroy(&s.close_lock);
	return (rv);
}
