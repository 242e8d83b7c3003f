/*
 * The envelopes that later ones passed (agent_drain.h).  An envelope the
 * hub answered "retry later" may be stored there all the same: PostgreSQL
 * can die at its COMMIT's answer, when the hub cannot tell whether the
 * COMMIT took.  While it waits out its backoff the envelopes behind it go;
 * it keeps its sequence and its bytes, and its next send asks the hub:
 * "duplicate" means it is stored (filed as acknowledged), "replay" means
 * its sequence was passed and nothing of it stored (sealed again, or
 * dropped when a later one of its kind replaces it).
 *
 * A "replay" is a final refusal for any other envelope, so the passing is
 * recorded on disk, DIR/passed/SEQ, and made durable before anything
 * behind the envelope is sent: an agent that restarts (its backoffs are in
 * memory) still takes a "replay" to it as "not stored".  The file holds
 * why it is superseded (a later envelope of its kind was behind it), or
 * nothing.
 */
#ifndef SPOKE_AGENT_PASSED_H
#define SPOKE_AGENT_PASSED_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SPOKE_PASSED_DIR "passed"

/* spoke_agent_passed_mark: record that envelope seq of outbox dir is
 * passed, with superseded (the reason, or "" when nothing replaces it):
 * written to dir/passed/SEQ atomically (a .tmp file, fsync, rename, the
 * folder fsynced; the folder made 0700).  IBX_EIO (logged). */
ibx_err spoke_agent_passed_mark(const char *dir, uint64_t seq,
				const char *superseded);

/* spoke_agent_passed_find: whether envelope seq of outbox dir is passed:
 * 1 with its superseded reason in why (n bytes; "" when none or when the
 * record cannot be read: sealed again rather than lost), 0 when it is
 * not. */
int spoke_agent_passed_find(const char *dir, uint64_t seq, char *why,
			    size_t n);

/* spoke_agent_passed_clear: forget envelope seq (filed, or sealed again);
 * a record that is not there is fine.  Not fsynced: a record that a crash
 * brings back names a sequence that is never sent again. */
void spoke_agent_passed_clear(const char *dir, uint64_t seq);

#endif /* SPOKE_AGENT_PASSED_H */
