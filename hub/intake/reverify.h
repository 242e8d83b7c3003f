/*
 * Verifying a stored envelope again, later: the message log keeps every
 * accepted envelope whole, so the signature and certificate behind any
 * listing version can be checked long after it arrived.
 */
#ifndef HUB_REVERIFY_H
#define HUB_REVERIFY_H

#include <stdint.h>

#include "db.h"
#include "verify.h"

/* hub_reverify_message: load message_log row id, open its envelope with v
 * as the hub did at its receipt time, and write a one-line report to
 * report (n bytes): "message 12 from 3910110437 sequence 7: verified
 * (accepted ...)" or the refusal.  Returns IBX_OK when it verifies,
 * IBX_ECRYPTO when it does not, IBX_ENOTFOUND when no envelope is stored
 * under id. */
ibx_err hub_reverify_message(const hub_verifier *v, ibx_db *db, int64_t id,
			     char *report, size_t n);

#endif /* HUB_REVERIFY_H */
