/*
 * What the referral commands of inbound-spoke share (keys, refer, inbox,
 * answer, withdraw; docs/referrals.md): their options, the organisation's
 * identity, the national CA that every forwarded envelope is checked
 * against, one connection to the hub for queries, and the durable outbox
 * through which everything stored at the hub travels.  The state folder
 * (--state) holds the organisation's referral keys (keys/KEYID.key, mode
 * 0600, never sent anywhere), referrals sealed but not yet handed to the
 * outbox (outgoing/) and chunks fetched but not yet opened (incoming/).
 */
#ifndef SPOKE_REFERRAL_CLI_H
#define SPOKE_REFERRAL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "agent_drain.h"
#include "cases_referrals.h"
#include "crypto.h"
#include "envelope.h"
#include "outbox.h"
#include "peer.h"
#include "referral.h"
#include "send.h"
#include "spoke_cmd.h"

/* Where the referral commands keep their state without --state. */
#define SPOKE_REF_STATE_DEFAULT "/var/lib/inbound-spoke/referrals"

typedef struct spoke_ref {
	struct spoke_config net; /* hubs, TLS, time-outs, --outbox */
	const char *state;	 /* --state */
	spoke_identity id;
	ibx_trust *trust; /* the national CA and CRL */
	spoke_hub_id *hub_id;
	ibx_req_client *client;
	spoke_send_opts so;
	spoke_outbox *ob; /* open only when the command stores */
} spoke_ref;

/* spoke_ref_errf: where the referral functions write why they failed:
 * standard error, or the stream this thread set with spoke_ref_errf_set
 * (the spoke's page, which shows the reason to the person). */
FILE *spoke_ref_errf(void);

/* spoke_ref_errf_set: this thread's stream for spoke_ref_errf (NULL:
 * standard error again); the caller keeps it open meanwhile. */
void spoke_ref_errf_set(FILE *f);

/* spoke_ref_option: one of the options every referral command takes
 * (spoke_net_option's, and --state S) for getopt character ch.  1 when
 * taken, 0 when not one of them, -1 on a bad value (printed). */
int spoke_ref_option(spoke_ref *r, int ch, const char *arg);

/* The getopt_long rows of those options, ending in a NULL row; a command
 * copies them after its own (SPOKE_REF_LONGOPTS entries). */
#define SPOKE_REF_LONGOPTS 16
extern const struct option spoke_ref_longopts[SPOKE_REF_LONGOPTS];

/* spoke_ref_open: check the options and set up r: the identity (the
 * certificate always travels whole: the other party checks it), the CA
 * and CRL (--ca is required), one client for the hubs, and, with
 * need_outbox, the outbox (--outbox is required then).  Returns 0, or the
 * exit status (2 usage, 1 otherwise) with the reason printed. */
int spoke_ref_open(spoke_ref *r, bool need_outbox);

/* spoke_ref_close: release everything of r; safe after a failed open. */
void spoke_ref_close(spoke_ref *r);

/* spoke_ref_query: seal payload (type ptype) with sequence 0 and ask the
 * hub; the verified answer in *reply (spoke_query).  Returns 0 with
 * *reply filled; 1 when the hub refused (its reason printed, prefixed with
 * what); 3 when no hub answered. */
int spoke_ref_query(spoke_ref *r, ibx_payload_type ptype,
		    const ibx_bytes *payload, const char *what,
		    ibx_bytes *reply);

/* spoke_ref_queue: seal payload (type ptype) with the outbox's next
 * sequence and store it in pending/ (durably); *seq is its sequence.
 * IBX_OK, or the outbox's error (printed). */
ibx_err spoke_ref_queue(spoke_ref *r, ibx_payload_type ptype,
			const ibx_bytes *payload, uint64_t *seq);

/* spoke_ref_drain: deliver the outbox (everything pending, in order, each
 * envelope removed on its verified Ack and never sent again).  Returns 0
 * when the outbox is empty and nothing of this drain was refused, 1 when
 * something was refused (filed in rejected/, printed), 3 when envelopes
 * still wait for a hub (a later command or the agent sends them). */
int spoke_ref_drain(spoke_ref *r);

/* spoke_ref_path: STATE/part into out (n bytes); -1 when it does not
 * fit. */
int spoke_ref_path(const spoke_ref *r, char *out, size_t n, const char *part);

/* spoke_ref_mkdirs: make STATE/part and its parents (mode 0700). */
ibx_err spoke_ref_mkdirs(const spoke_ref *r, const char *part);

/* spoke_ref_write: replace path with len bytes of data, durably (a
 * temporary file in the same folder, fsync, rename, fsync of the folder),
 * with mode.  IBX_EIO (printed with the file's name). */
ibx_err spoke_ref_write(const char *path, const void *data, size_t len,
			mode_t mode);

/* spoke_ref_new_id: a new random referral id (32 lowercase hex). */
ibx_err spoke_ref_new_id(char id[IBX_REFERRAL_ID_HEX + 1]);

/* spoke_ref_now_ms: the time, Unix milliseconds. */
int64_t spoke_ref_now_ms(void);

/* The referral ledger in the state folder (cases_referrals.h), which
 * inbound-spoke stats reads to check case records' referral ids. */
#define SPOKE_REF_LEDGER "referrals.tsv"

/* spoke_ref_ledger_note: note referral id (32 lowercase hex) on side role
 * with state in STATE/referrals.tsv (made with the folder when missing).
 * Nonzero when it cannot be written: printed as a warning, since the
 * referral itself is not affected. */
int spoke_ref_ledger_note(spoke_ref *r, const char *id,
			  spoke_referral_role role, const char *state);

/* spoke_ref_find: the referral id as the hub's inbox holds it for this
 * organisation: its Referral envelope verified (signed by its referrer,
 * chain to the national CA) and decoded into *ref, its referrer's code
 * into referrer and its state at the hub into *state.  0; 1 when it is not
 * in the inbox or does not verify (printed); 3 when no hub answered. */
int spoke_ref_find(spoke_ref *r, const char *id, ibx_referral *ref,
		   char referrer[32], ibx_referral_state *state);

/* The package and the keys, bound to the state folder
 * (referral_package.c, over spoke/referral and proto/crypto's sealing). */

/* spoke_ref_key_create: a new key pair for referrals: the private key
 * written to STATE/keys/KEYID.key (mode 0600, durably) and the
 * announcement's fields in *k (organisation code, key id, public key,
 * time).  0, or 1 with the reason printed. */
int spoke_ref_key_create(spoke_ref *r, ibx_encryption_key *k);

/* spoke_ref_key_have: true when STATE/keys/KEYID.key exists. */
bool spoke_ref_key_have(const spoke_ref *r, const char *key_id);

/* spoke_ref_package_seal: the files of directory dir made into a package
 * for key to, encrypted chunk by chunk into out_dir (one chunk in memory at
 * a time); ref's sealed_key, stream_header, package_bytes, chunk_count and
 * chunks_sha256 are filled.  0, or 1 with the reason printed. */
int spoke_ref_package_seal(spoke_ref *r, const char *dir,
			   const ibx_encryption_key *to, const char *out_dir,
			   ibx_referral *ref);

/* spoke_ref_chunk_path: the file of chunk i in a chunk folder dir (as the
 * package writer and reader name them) into out (n bytes). */
void spoke_ref_chunk_path(const char *dir, uint32_t i, char *out, size_t n);

/* spoke_ref_chunks_remove: remove the chunk folder dir and the files in
 * it (best effort: what cannot be removed stays, nothing is reported). */
void spoke_ref_chunks_remove(const char *dir);

/* spoke_ref_package_open: decrypt and verify the chunk_count chunks of ref
 * in chunk_dir with this organisation's key ref->key_id, into out_dir
 * (made whole or not at all).  0, or 1 with the reason printed. */
int spoke_ref_package_open(spoke_ref *r, const ibx_referral *ref,
			   const char *chunk_dir, const char *out_dir);

/* The work of the commands, for the spoke's page (referral_page.c), which
 * calls what the commands call.  Each returns 0, 1 (refused or failed,
 * the reason on spoke_ref_errf) or 3 (no hub answered). */

/* spoke_ref_refer: refer's work: fetch and check to's key (a hospital's),
 * seal the files of dir, queue the referral and its chunks and deliver the
 * outbox; meta holds purpose .. urgency; *id its new id. */
int spoke_ref_refer(spoke_ref *r, const char *to, const char *dir,
		    const ibx_referral *meta,
		    char id[IBX_REFERRAL_ID_HEX + 1]);

/* spoke_ref_answer: answer's work: status s (with, for opinion_returned,
 * the report file or folder report, else NULL) queued and delivered. */
int spoke_ref_answer(spoke_ref *r, const ibx_referral_status *s,
		     const char *report);

/* spoke_ref_fetch: inbox --fetch's work: referral id's chunks fetched and
 * checked, decrypted and verified into out_dir (made whole or not at all),
 * and 'delivered' sent. */
int spoke_ref_fetch(spoke_ref *r, const char *id, const char *out_dir);

/* Called for every verified item of the inbox; nonzero stops the walk. */
typedef int (*spoke_ref_item_fn)(void *arg, const ibx_inbox_item *it,
				 const spoke_peer_env *pe);

/* spoke_ref_walk: inbox's work: every item of the hub's inbox, oldest
 * first, each verified as its sender signed it (one that does not verify
 * is reported and skipped), to fn.  0, fn's nonzero value, or 1 / 3. */
int spoke_ref_walk(spoke_ref *r, spoke_ref_item_fn fn, void *arg);

/* The commands (argv[0] is the command's name); each returns its exit
 * status: 0 done, 1 refused or failed, 2 usage, 3 no answer from a hub
 * (what was queued waits in the outbox). */
int spoke_cmd_keys(int argc, char **argv);
int spoke_cmd_refer(int argc, char **argv);
int spoke_cmd_inbox(int argc, char **argv);
int spoke_cmd_answer(int argc, char **argv);
int spoke_cmd_withdraw(int argc, char **argv);

#endif /* SPOKE_REFERRAL_CLI_H */
