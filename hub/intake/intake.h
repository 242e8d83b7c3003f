/*
 * Intake: what the hub does with one request from a spoke.  Decode the
 * envelope and header, open it (verify.c: certificate, signature, sender,
 * role, clock), decode and check the payload again (never trusting the
 * spoke), store it (store.c) and answer with an Ack.  Every answered envelope,
 * accepted or refused, is written to the message log; a refused one stores
 * nothing else.
 */
#ifndef HUB_INTAKE_H
#define HUB_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "crypto.h"
#include "db.h"
#include "verify.h"
#include "wire.h"

/* Per-worker state: each intake worker owns one database connection.  db
 * NULL is inbound-hub serve --no-db, for benchmarks only: every check that
 * needs no database is made as in service (decode, certificate, signature,
 * sender, role, clock, the payload's own checks and its JSON), while the
 * enrolment and replay checks, the store and the message log are skipped,
 * and an update that passes is acknowledged as accepted (version 0). */
typedef struct hub_intake_worker {
	ibx_db *db;
	const hub_verifier *verifier; /* shared, read-only */
	/* The hub's key and certificate (DER) that sign every Ack
	 * (ibx_ack_sign, crypto.h), shared and read-only; both NULL only for
	 * a plain tcp:// hub without --cert and --key (tests), whose Acks go
	 * unsigned and which a spoke with a CA refuses to believe. */
	const ibx_key *ack_key;
	const ibx_bytes *ack_cert;
	/* The group commit of listing updates the workers share (batch.h;
	 * not owned), or NULL: each update its own transaction. */
	hub_batcher *batcher;
} hub_intake_worker;

/* hub_intake_handle: the ibx_rep_handler for the hub's REP server.
 * worker_arg is a hub_intake_worker; req is the untrusted request bytes;
 * *reply receives an encoded Ack (always, unless out of memory), signed
 * over req when the worker has a key. */
void hub_intake_handle(void *worker_arg, const uint8_t *req, size_t len,
		       ibx_bytes *reply);

/* hub_intake_process: the same as a function of bytes to an Ack, for tests
 * and fuzzing (a query's answer is dropped). */
void hub_intake_process(hub_intake_worker *w, const uint8_t *req, size_t len,
			ibx_ack *ack);

/* hub_intake_process_reply: as hub_intake_process, and a query's answer
 * (referral.h) in *reply: new bytes the caller frees with ibx_bytes_fini,
 * empty unless the Ack is accepted. */
void hub_intake_process_reply(hub_intake_worker *w, const uint8_t *req,
			      size_t len, ibx_ack *ack, ibx_bytes *reply);

#endif /* HUB_INTAKE_H */
