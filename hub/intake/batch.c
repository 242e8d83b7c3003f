/* Group commit of listing updates; see batch.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "log.h"

/* One envelope, one statement: the enrolment check and the store, every
 * error caught in its own subtransaction (ibx_listing_intake). */
static const char SQL_LISTING_INTAKE[] =
    "SELECT version, refusal_state, refusal FROM ibx_listing_intake($1, $2, "
    "$3, $4::integer, $5::jsonb, $6::bigint, $7)";
enum { INTAKE_VERSION, INTAKE_STATE, INTAKE_REFUSAL };

/* At most this many envelopes in one transaction (a leader takes no more
 * from the queue; the rest wait for the next batch). */
#define BATCH_MAX 64

struct hub_batcher {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	hub_batch_job *head, *tail; /* waiting, not yet taken */
	int running, max_running;
	uint64_t batches, jobs;
};

ibx_err
hub_batcher_new(int max_running, hub_batcher **out)
{
	hub_batcher *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return (IBX_ENOMEM);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->max_running = max_running < 1 ? 1 : max_running;
	*out = b;
	return (IBX_OK);
}

void
hub_batcher_free(hub_batcher *b)
{
	if (b == NULL)
		return;
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

void
hub_batcher_counts(hub_batcher *b, uint64_t *batches, uint64_t *jobs)
{
	pthread_mutex_lock(&b->mu);
	if (batches != NULL)
		*batches = b->batches;
	if (jobs != NULL)
		*jobs = b->jobs;
	pthread_mutex_unlock(&b->mu);
}

static void
job_failed(hub_batch_job *j, ibx_err rv, ibx_db *db)
{
	j->rv = rv;
	snprintf(j->state, sizeof(j->state), "%s", ibx_db_sqlstate(db));
	snprintf(j->message, sizeof(j->message), "%s", ibx_db_last_error(db));
}

/* The statement's parameters for j (ptype: 12 bytes for its text). */
static void
job_params(const hub_batch_job *j, char *ptype, ibx_db_param p[7])
{
	snprintf(ptype, 12, "%d", j->payload_type);
	p[0] =
	    (ibx_db_param){(const char *)j->fingerprint, IBX_SHA256_LEN, true};
	p[1] = (ibx_db_param){j->code, 0, false};
	p[2] = (ibx_db_param){j->role, 0, false};
	p[3] = (ibx_db_param){ptype, 0, false};
	p[4] = (ibx_db_param){j->doc, 0, false};
	p[5] = (ibx_db_param){j->sequence, 0, false};
	p[6] = (ibx_db_param){(const char *)j->envelope, (int)j->envelope_len,
			      true};
}

/* j's outputs from its statement's result res (which ran). */
static void
job_result(hub_batch_job *j, const ibx_db_result *res)
{
	j->rv = IBX_OK;
	j->version = 0;
	j->state[0] = '\0';
	j->message[0] = '\0';
	if (ibx_db_result_rows(res) != 1) {
		/* Cannot happen (the function returns one row); refused
		 * rather than acknowledged. */
		snprintf(j->state, sizeof(j->state), "XX000");
		snprintf(j->message, sizeof(j->message),
			 "ibx_listing_intake answered %d rows",
			 ibx_db_result_rows(res));
	} else if (!ibx_db_result_isnull(res, 0, INTAKE_STATE)) {
		snprintf(j->state, sizeof(j->state), "%s",
			 ibx_db_result_value(res, 0, INTAKE_STATE));
		snprintf(j->message, sizeof(j->message), "%s",
			 ibx_db_result_value(res, 0, INTAKE_REFUSAL));
	} else {
		j->version = (int32_t)strtol(
		    ibx_db_result_value(res, 0, INTAKE_VERSION), NULL, 10);
	}
}

/* Store the n jobs of list on db in one transaction: one alone is its own
 * statement (autocommit); several are BEGIN, one statement each and
 * COMMIT sent together (ibx_db_execp_pipeline: one round trip).  Every
 * job's outputs are set on return. */
static void
run_batch(ibx_db *db, hub_batch_job *list, int n)
{
	char ptype[BATCH_MAX][12];
	ibx_db_param p[BATCH_MAX * 7] = {{NULL, 0, false}};
	ibx_db_result *res[BATCH_MAX];
	hub_batch_job *j;
	ibx_err rv;
	int k;

	if (n == 1) {
		job_params(list, ptype[0], p);
		if ((rv = ibx_db_execp_prepared(db, SQL_LISTING_INTAKE, 7, p,
						&res[0])) != IBX_OK) {
			job_failed(list, rv, db);
			return;
		}
		job_result(list, res[0]);
		ibx_db_result_free(res[0]);
		return;
	}
	for (k = 0, j = list; j != NULL; j = j->next, k++)
		job_params(j, ptype[k], &p[k * 7]);
	/* Nothing is answered before this returns: the accepted envelopes
	 * are durable together (synchronous_commit as configured).  On a
	 * failure the whole batch is unstored (or its COMMIT's outcome
	 * unknown): every envelope is answered "retry later", and one that
	 * did commit is then a duplicate with its version (the replay
	 * check). */
	if ((rv = ibx_db_execp_pipeline(db, SQL_LISTING_INTAKE, 7, n, p,
					res)) != IBX_OK) {
		for (j = list; j != NULL; j = j->next)
			job_failed(j, rv, db);
		return;
	}
	for (k = 0, j = list; j != NULL; j = j->next, k++) {
		job_result(j, res[k]);
		ibx_db_result_free(res[k]);
	}
}

ibx_err
hub_batch_store(hub_batcher *b, ibx_db *db, hub_batch_job *job)
{
	hub_batch_job *list, *j, *next;
	pthread_cond_t cv;
	int n;

	job->next = NULL;
	job->taken = job->done = false;
	if (b == NULL) {
		run_batch(db, job, 1);
		return (job->rv);
	}
	/* Each waiter sleeps on its own condition, woken once: when its
	 * batch is done, or when it is first in the queue and a batch may
	 * start (a broadcast woke every worker for every batch). */
	pthread_cond_init(&cv, NULL);
	job->cv = &cv;
	pthread_mutex_lock(&b->mu);
	if (b->tail != NULL)
		b->tail->next = job;
	else
		b->head = job;
	b->tail = job;
	while (!job->done) {
		if (job->taken || b->running >= b->max_running) {
			pthread_cond_wait(&cv, &b->mu);
			continue;
		}
		/* Lead: take the waiting envelopes, at most BATCH_MAX (as
		 * many as a hub has workers, each waiting with one at most, so
		 * this one is among them; were it not, it would be led next).
		 */
		list = b->head;
		for (n = 1, j = list; n < BATCH_MAX && j->next != NULL;
		     j = j->next, n++)
			j->taken = true;
		j->taken = true;
		b->head = j->next;
		j->next = NULL;
		if (b->head == NULL)
			b->tail = NULL;
		b->running++;
		pthread_mutex_unlock(&b->mu);
		run_batch(db, list, n);
		pthread_mutex_lock(&b->mu);
		b->running--;
		b->batches++;
		b->jobs += (uint64_t)n;
		for (j = list; j != NULL; j = next) {
			/* The followers own their jobs again from here. */
			next = j->next;
			j->next = NULL;
			j->done = true;
			if (j != job)
				pthread_cond_signal(j->cv);
		}
		/* What queued meanwhile: its first waiter leads it. */
		if (b->head != NULL)
			pthread_cond_signal(b->head->cv);
	}
	pthread_mutex_unlock(&b->mu);
	pthread_cond_destroy(&cv);
	return (job->rv);
}
