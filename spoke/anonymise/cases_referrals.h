/*
 * The spoke's referral ledger: every referral this organisation sent or
 * received on the referral channel (docs/referrals.md), with its state as
 * the hub last told it, kept in the referral state folder as
 * STATE/referrals.tsv.  `inbound-spoke refer` notes each referral it
 * queues; `inbound-spoke inbox` notes every referral and status the hub
 * lists (each envelope verified against the national CA before it is
 * noted).  The anonymiser reads it to check a case record's referral_id
 * column and to leave out of a referrer's figures the visits its
 * receiving hospital reported (docs/case-records.md, "Referral ids").
 *
 * The file: one line per referral, "ID<TAB>sent|received<TAB>STATE", ID
 * 32 lowercase hex digits, STATE a word of inbound.v1.ReferralState in
 * lower case ("sending" before the hub has every chunk); lines starting
 * with '#' are comments.  It is written whole to a new file that is
 * renamed over the old one, so a reader never sees half of it.
 */
#ifndef SPOKE_CASES_REFERRALS_H
#define SPOKE_CASES_REFERRALS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define SPOKE_REFERRAL_ID_LEN	 32 /* lowercase hex digits */
#define SPOKE_REFERRAL_STATE_MAX 24 /* bytes of a state word, NUL included */
/* The most referrals a ledger holds (about 4 MiB of file). */
#define SPOKE_REFERRALS_MAX 100000

/* Which side of a referral this organisation is. */
typedef enum spoke_referral_role {
	SPOKE_REFERRAL_SENT = 1,    /* the referrer: it sent the package */
	SPOKE_REFERRAL_RECEIVED = 2 /* the receiving hospital */
} spoke_referral_role;

typedef struct spoke_referral_ledger spoke_referral_ledger;

/* spoke_referral_id_valid: true when the len bytes at s are a referral
 * id: exactly 32 lowercase hex digits (as spoke_ref_new_id makes them and
 * the hub's referrals.referral_id CHECK requires). */
bool spoke_referral_id_valid(const char *s, size_t len);

/* spoke_referral_ledger_new: an empty ledger in *out (free with
 * spoke_referral_ledger_free).  IBX_ENOMEM. */
ibx_err spoke_referral_ledger_new(spoke_referral_ledger **out);

/* spoke_referral_ledger_load: the ledger of the file at path into *out
 * (free with spoke_referral_ledger_free); a file that does not exist is
 * an empty ledger (no referral yet).  A line that is not as above, or a
 * file of more than SPOKE_REFERRALS_MAX referrals, is IBX_EINVAL with
 * "path line N: reason" in err (n bytes); IBX_EIO when it cannot be read,
 * IBX_ENOMEM.  *out is set only on IBX_OK. */
ibx_err spoke_referral_ledger_load(const char *path,
				   spoke_referral_ledger **out, char *err,
				   size_t n);

/* spoke_referral_ledger_note: record referral id (32 lowercase hex, NUL
 * ended) on side role with state (a lower-case state word, at most
 * SPOKE_REFERRAL_STATE_MAX - 1 bytes).  A referral already there keeps
 * its side and takes the new state.  IBX_EINVAL for an id or a state that
 * is not one, IBX_ETOOBIG past SPOKE_REFERRALS_MAX, IBX_ENOMEM. */
ibx_err spoke_referral_ledger_note(spoke_referral_ledger *l, const char *id,
				   spoke_referral_role role,
				   const char *state);

/* spoke_referral_ledger_save: write l to path: a new file beside it
 * (mode 0600), fsync'ed, renamed over path.  IBX_EIO (errno kept) when
 * any step fails; the old file is then unchanged. */
ibx_err spoke_referral_ledger_save(const spoke_referral_ledger *l,
				   const char *path);

/* spoke_referral_ledger_find: true when the referral whose id is the 32
 * bytes at id (no NUL needed) is in l; then *role and *state (a string
 * owned by l, valid until the next note or free) are set when not NULL.
 * l may be NULL (nothing is found). */
bool spoke_referral_ledger_find(const spoke_referral_ledger *l, const char *id,
				spoke_referral_role *role, const char **state);

/* spoke_referral_ledger_count: the referrals in l (0 for NULL). */
size_t spoke_referral_ledger_count(const spoke_referral_ledger *l);

/* spoke_referral_ledger_free: release l; NULL is fine. */
void spoke_referral_ledger_free(spoke_referral_ledger *l);

#endif /* SPOKE_CASES_REFERRALS_H */
