/*
 * The agent's loop; see agent.h.  Two deadlines on the monotonic clock:
 * the next look at the sources (every --interval) and the next drain
 * (at once after something was sealed, else at the next look, or after
 * the backoff while the hubs do not answer).  The loop sleeps in steps of
 * at most WAIT_STEP_MS so a signal, whichever thread nng lets take it,
 * stops it soon; a send in progress ends within its timeout.
 */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_drain.h"
#include "agent_status.h"
#include "agent_watch.h"
#include "cases_map.h"
#include "log.h"

#define WAIT_STEP_MS 200

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t poked; /* spoke_agent_poke: look now */
/* The running agent's outbox, and who holds it: the agent while it scans
 * or drains, or a borrower (spoke_agent_outbox_borrow). */
static pthread_mutex_t outbox_lock = PTHREAD_MUTEX_INITIALIZER;
static spoke_outbox *running_outbox;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Everything the agent holds while it runs. */
struct agent {
	const spoke_agent_opts *o;
	spoke_outbox *ob;
	spoke_identity id;
	spoke_agent_watch *w;
	spoke_agent_status st;
	ibx_req_client *client;
	spoke_hub_id *hub_id; /* NULL without --ca */
	struct stat crl_seen; /* the CRL file when last loaded */
	spoke_drain_opts drain;
};

void
spoke_agent_poke(void)
{
	poked = 1;
}

long
spoke_agent_backoff(long *step, unsigned *seed)
{
	long half = *step / 2;
	long wait = half + (long)((unsigned long)rand_r(seed) %
				  (unsigned long)(*step - half + 1));

	*step = *step > SPOKE_AGENT_BACKOFF_MAX_MS / 2
		    ? SPOKE_AGENT_BACKOFF_MAX_MS
		    : *step * 2;
	return (wait);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Sleep until deadline (mono_ms) or a signal. */
static void
wait_until(int64_t deadline)
{
	struct timespec ts;
	int64_t left;

	while (!stopping && !poked && (left = deadline - mono_ms()) > 0) {
		if (left > WAIT_STEP_MS)
			left = WAIT_STEP_MS;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left * 1000000L;
		nanosleep(&ts, NULL);
	}
}

/* A column map that does not load stops the agent before it starts. */
static int
check_map(const char *path)
{
	spoke_cases_map map;
	spoke_msgs msgs;
	size_t i;
	int bad;

	spoke_cases_map_init(&map);
	memset(&msgs, 0, sizeof(msgs));
	bad = spoke_cases_map_load(path, &map, &msgs) != IBX_OK;
	for (i = 0; i < msgs.n; i++)
		fprintf(stderr, "column map refused: %s\n", msgs.items[i]);
	spoke_msgs_fini(&msgs);
	spoke_cases_map_fini(&map);
	return (bad ? -1 : 0);
}

/* Open everything; 0, or -1 with the reason on stderr. */
static int
start(struct agent *a)
{
	const spoke_agent_opts *o = a->o;
	struct sigaction sa;

	if (o->src.map != NULL && check_map(o->src.map) != 0)
		return (-1);
	if (spoke_identity_load(o->tls.cert_file, o->tls.key_file, &a->id) !=
	    IBX_OK)
		return (-1);
	a->id.send_fingerprint = o->cert_hash;
	if (o->src.cases_dir != NULL && strcmp(a->id.role, "hospital") != 0) {
		fprintf(stderr,
			"%s: case statistics come from hospitals; this "
			"certificate names a %s (%s)\n",
			o->tls.cert_file, a->id.role, a->id.code);
		return (-1);
	}
	if (spoke_outbox_open(o->outbox, &a->ob) != IBX_OK ||
	    spoke_agent_watch_load(o->outbox, &a->w) != IBX_OK)
		return (-1);
	spoke_agent_status_load(o->outbox, &a->st);
	if (o->tls.ca_file != NULL &&
	    spoke_hub_id_open(&o->tls, o->hubs, o->nhubs, o->hub_pin,
			      &a->hub_id) != IBX_OK)
		return (-1);
	if (o->tls.crl_file != NULL)
		(void)stat(o->tls.crl_file, &a->crl_seen);
	if (ibx_req_client_open(o->hubs, o->nhubs, &o->tls, &a->client) !=
	    IBX_OK) {
		fprintf(stderr, "inbound-spoke: cannot dial the hubs\n");
		return (-1);
	}
	memset(&a->drain, 0, sizeof(a->drain));
	a->drain.send.hubs = o->hubs;
	a->drain.send.nhubs = o->nhubs;
	a->drain.send.tls = o->tls;
	a->drain.send.timeout_ms = o->timeout_ms;
	a->drain.send.attempts = o->attempts;
	a->drain.send.client = a->client;
	a->drain.send.hub_id = a->hub_id;
	a->drain.send.hub_pin = o->hub_pin;
	a->drain.stop = &stopping;
	a->drain.window = o->window > 0 ? o->window : SPOKE_DRAIN_WINDOW;
	if (spoke_drain_retry_new(&a->id,
				  o->retry_max > 0 ? o->retry_max
						   : SPOKE_AGENT_RETRY_MAX,
				  &a->drain.retry) != IBX_OK)
		return (-1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0) {
		perror("inbound-spoke: sigaction");
		return (-1);
	}
	return (0);
}

static void
save_status(struct agent *a)
{
	if (spoke_agent_status_count(a->o->outbox, &a->st) == IBX_OK)
		(void)spoke_agent_status_save(a->ob, &a->st);
}

/* A CRL file that changed (a fresh CRL, a revocation) is read again: into
 * the check of the hub's Acks and, through a new connection, into the TLS
 * handshake (nng 1.5.2 freezes a TLS configuration once it is in use).  On
 * a failure the old ones stay, and the next look tries again. */
static void
reload_crl(struct agent *a)
{
	const spoke_agent_opts *o = a->o;
	ibx_req_client *fresh = NULL;
	struct stat now;

	if (o->tls.crl_file == NULL || stat(o->tls.crl_file, &now) != 0 ||
	    (now.st_mtim.tv_sec == a->crl_seen.st_mtim.tv_sec &&
	     now.st_mtim.tv_nsec == a->crl_seen.st_mtim.tv_nsec &&
	     now.st_ino == a->crl_seen.st_ino &&
	     now.st_size == a->crl_seen.st_size))
		return;
	if ((a->hub_id != NULL && spoke_hub_id_reload(a->hub_id) != IBX_OK) ||
	    ibx_req_client_open(o->hubs, o->nhubs, &o->tls, &fresh) !=
		IBX_OK) {
		IBX_WARN("%s changed but does not load: the old CRL stays",
			 o->tls.crl_file);
		return;
	}
	ibx_req_client_close(a->client);
	a->client = fresh;
	a->drain.send.client = fresh;
	a->crl_seen = now;
	IBX_INFO("%s reloaded", o->tls.crl_file);
}

/* --once: one look, one drain; the exit status of spoke_agent_run. */
static int
run_once(struct agent *a)
{
	spoke_agent_scan_result res;
	uint64_t rejected;
	ibx_err srv, drv;

	(void)spoke_agent_status_count(a->o->outbox, &a->st);
	rejected = a->st.rejected;
	pthread_mutex_lock(&outbox_lock);
	srv = spoke_agent_scan(&a->o->src, &a->id, a->ob, a->w, &a->st, &res);
	drv = spoke_agent_drain(a->ob, &a->drain, &a->st);
	save_status(a);
	pthread_mutex_unlock(&outbox_lock);
	if (a->st.pending > 0) {
		fprintf(stderr,
			"inbound-spoke: %" PRIu64 " envelope%s still pending "
			"in %s\n",
			a->st.pending, a->st.pending == 1 ? "" : "s",
			a->o->outbox);
		return (3);
	}
	if (srv != IBX_OK || drv != IBX_OK || res.refused > 0 ||
	    a->st.rejected > rejected)
		return (1);
	return (0);
}

/* The daemon: until a signal; 0. */
static int
run_loop(struct agent *a)
{
	const spoke_agent_opts *o = a->o;
	spoke_agent_scan_result res;
	int64_t now, next_scan, next_drain, wait;
	long step = SPOKE_AGENT_BACKOFF_MIN_MS;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	ibx_err rv;

	IBX_INFO("running: outbox %s, %zu hub%s, listing %s, case records %s, "
		 "every %ld s",
		 o->outbox, o->nhubs, o->nhubs == 1 ? "" : "s",
		 o->src.listing != NULL ? o->src.listing : "(none)",
		 o->src.cases_dir != NULL ? o->src.cases_dir : "(none)",
		 o->interval_s);
	next_scan = next_drain = mono_ms();
	while (!stopping) {
		now = mono_ms();
		if (poked) {
			poked = 0;
			next_scan = now;
		}
		reload_crl(a);
		pthread_mutex_lock(&outbox_lock);
		if (now >= next_scan) {
			if (spoke_agent_scan(&o->src, &a->id, a->ob, a->w,
					     &a->st, &res) == IBX_OK &&
			    res.sealed > 0)
				next_drain = now;
			next_scan = now + o->interval_s * 1000;
		}
		if (!stopping && now >= next_drain) {
			rv = spoke_agent_drain(a->ob, &a->drain, &a->st);
			if (rv == IBX_OK) {
				step = SPOKE_AGENT_BACKOFF_MIN_MS;
				next_drain = next_scan;
			} else if (rv != IBX_ECLOSED) {
				wait = spoke_agent_backoff(&step, &seed);
				next_drain = mono_ms() + wait;
				IBX_INFO("%" PRIu64
					 " envelope%s pending; next "
					 "attempt in %.1f s",
					 a->st.pending,
					 a->st.pending == 1 ? "" : "s",
					 (double)wait / 1000.0);
			}
		}
		save_status(a);
		pthread_mutex_unlock(&outbox_lock);
		wait_until(next_scan < next_drain ? next_scan : next_drain);
	}
	IBX_INFO("stopping: %" PRIu64 " envelope%s pending", a->st.pending,
		 a->st.pending == 1 ? "" : "s");
	return (0);
}

int
spoke_agent_run(const spoke_agent_opts *o)
{
	struct agent a;
	int status = 1;

	memset(&a, 0, sizeof(a));
	a.o = o;
	ibx_log_init("inbound-spoke", IBX_LOG_INFO);
	stopping = 0;
	if (start(&a) != 0)
		goto out;
	pthread_mutex_lock(&outbox_lock);
	running_outbox = a.ob;
	pthread_mutex_unlock(&outbox_lock);
	status = o->once ? run_once(&a) : run_loop(&a);
	pthread_mutex_lock(&outbox_lock);
	running_outbox = NULL;
	pthread_mutex_unlock(&outbox_lock);
out:
	ibx_req_client_close(a.client);
	spoke_hub_id_free(a.hub_id);
	spoke_drain_retry_free(a.drain.retry);
	spoke_agent_watch_free(a.w);
	spoke_outbox_close(a.ob);
	spoke_identity_fini(&a.id);
	return (status);
}

ibx_err
spoke_agent_outbox_borrow(spoke_outbox **ob)
{
	pthread_mutex_lock(&outbox_lock);
	if (running_outbox == NULL) {
		pthread_mutex_unlock(&outbox_lock);
		return (IBX_ECLOSED);
	}
	*ob = running_outbox;
	return (IBX_OK);
}

void
spoke_agent_outbox_return(void)
{
	pthread_mutex_unlock(&outbox_lock);
}
