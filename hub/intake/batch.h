/*
 * Group commit of listing updates (issue 18, target 2): the intake workers'
 * listing envelopes that arrive together are stored in one transaction,
 * each by one call of ibx_listing_intake (deploy/sql/functions), and each
 * worker answers its spoke only after that transaction's COMMIT returned.
 *
 * What each envelope keeps: ibx_listing_intake runs its effects (replay
 * check and sequence, message-log row, version, search row) in a
 * subtransaction of their own and catches every error there, so a refused
 * envelope leaves nothing and does not touch the others in its batch;
 * the batch's COMMIT makes every accepted one durable at once, and none
 * is acknowledged before it (a failed or unknown COMMIT answers every
 * envelope of the batch "retry later"; one that did commit is then found
 * by the replay check as a duplicate with its version).  A batch of one is
 * one statement in its own transaction, as without a batcher.
 *
 * Leader and followers, as PostgreSQL's own WAL group flush: a worker
 * whose envelope is waiting and who finds fewer than max_running batches
 * in flight takes every waiting envelope and stores them on its own
 * connection; the others wait for it.  No timer: a batch is whatever
 * queued while the previous one ran, so a lone update waits for nothing.
 */
#ifndef HUB_BATCH_H
#define HUB_BATCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto.h"
#include "db.h"
#include "err.h"

typedef struct hub_batcher hub_batcher;

/* One listing envelope to store: the inputs are the caller's and must stay
 * valid until hub_batch_store returns; the outputs are written by it. */
typedef struct hub_batch_job {
	const uint8_t *fingerprint; /* SHA-256 of the signing certificate */
	const char *code;	    /* the verified sender */
	const char *role;	    /* the certificate's role (OU) */
	int payload_type;	    /* IBX_PAYLOAD_*_LISTING */
	const char *doc;	    /* the listing's JSON */
	const char *sequence;	    /* the header's sequence, decimal */
	const uint8_t *envelope;    /* the exact received bytes */
	size_t envelope_len;
	/* out: rv IBX_OK with refusal_state "" and version set, or IBX_OK
	 * with the refusal's SQLSTATE and message (the statement ran, the
	 * envelope was refused, nothing of it stored), or rv a database
	 * failure of the whole batch with state and message (nothing of the
	 * batch stored, or its COMMIT's outcome unknown). */
	ibx_err rv;
	int32_t version;
	char state[6];
	char message[512];
	/* the batcher's */
	struct hub_batch_job *next;
	pthread_cond_t *cv; /* its waiter's */
	bool taken, done;
} hub_batch_job;

/* hub_batcher_new: a batcher letting at most max_running batches be in
 * flight at once (each on its leader's connection; 1 or more).  IBX_ENOMEM;
 * on IBX_OK free *out with hub_batcher_free after the last worker. */
ibx_err hub_batcher_new(int max_running, hub_batcher **out);

/* hub_batcher_free: release b; NULL is fine. */
void hub_batcher_free(hub_batcher *b);

/* hub_batcher_counts: batches and envelopes stored so far (for the log and
 * the benchmark); either pointer may be NULL. */
void hub_batcher_counts(hub_batcher *b, uint64_t *batches, uint64_t *jobs);

/* hub_batch_store: store job through b (NULL: alone, one statement on db),
 * db being the calling worker's connection, used when it leads a batch.
 * Returns job->rv once the job's batch has committed or failed. */
ibx_err hub_batch_store(hub_batcher *b, ibx_db *db, hub_batch_job *job);

#endif /* HUB_BATCH_H */
