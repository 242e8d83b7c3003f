/*
 * What the agent has already sealed from each source it watches, so it
 * seals a source again only when the source has changed, across restarts
 * too: a fingerprint per source, kept in DIR/agent.state (one line per
 * source, "FINGERPRINT KEY", replaced atomically and durably).  A listing
 * is known by the SHA-256 of its content, so touching it or writing the
 * same text again sends nothing; a case-record export, which may be large,
 * by its size, modification time and inode.
 *
 * The fingerprint is recorded after the source's envelopes are in the
 * outbox: a crash in between seals the source once more on restart (sent
 * twice, stored the same; never lost).
 */
#ifndef SPOKE_AGENT_WATCH_H
#define SPOKE_AGENT_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "outbox.h"

/* Longest fingerprint, with its NUL. */
#define SPOKE_FINGERPRINT_LEN 80

typedef struct spoke_agent_watch spoke_agent_watch;

/* spoke_agent_watch_load: the fingerprints dir/agent.state holds (none
 * when there is no such file).  IBX_EIO when it cannot be read;
 * IBX_ENOMEM.  On IBX_OK free *out with spoke_agent_watch_free. */
ibx_err spoke_agent_watch_load(const char *dir, spoke_agent_watch **out);

/* spoke_agent_watch_free: NULL is fine. */
void spoke_agent_watch_free(spoke_agent_watch *w);

/* spoke_agent_watch_get: the fingerprint recorded for key ("listing",
 * "cases/NAME"), owned by w until it changes, or NULL. */
const char *spoke_agent_watch_get(const spoke_agent_watch *w, const char *key);

/* spoke_agent_watch_set: record fingerprint for key (copied) and write
 * the file through ob (spoke_outbox_put, durable).  IBX_ENOMEM, IBX_EIO;
 * the record is kept in memory either way. */
ibx_err spoke_agent_watch_set(spoke_agent_watch *w, spoke_outbox *ob,
			      const char *key, const char *fingerprint);

/* spoke_agent_watch_put: record fingerprint for key (copied) in memory
 * only; spoke_agent_watch_save writes every record through ob
 * (spoke_outbox_put, durable), so that several records cost one write.
 * IBX_ENOMEM; IBX_EIO (save). */
ibx_err spoke_agent_watch_put(spoke_agent_watch *w, const char *key,
			      const char *fingerprint);
ibx_err spoke_agent_watch_save(spoke_agent_watch *w, spoke_outbox *ob);

/* spoke_agent_watch_hold: from now on every write of the file (set, save,
 * forget_cases) only marks it to be written; spoke_agent_watch_release
 * writes it once (keep) or, when what was recorded meanwhile must not be
 * kept (the outbox batch it describes failed), reads the file back into
 * w.  Release: IBX_EIO, IBX_ENOMEM, as set and load. */
void spoke_agent_watch_hold(spoke_agent_watch *w);
ibx_err spoke_agent_watch_release(spoke_agent_watch *w, spoke_outbox *ob,
				  bool keep);

/* spoke_agent_watch_forget_cases: drop the record of every "cases/NAME"
 * for which present(NAME, arg) is false (the file is gone: if it comes
 * back it is sent again), and write the file if any was dropped. */
ibx_err spoke_agent_watch_forget_cases(spoke_agent_watch *w, spoke_outbox *ob,
				       bool (*present)(const char *name,
						       void *arg),
				       void *arg);

/* spoke_agent_fingerprint_content: "sha256:HEX" of the file at path (at
 * most max_bytes; a larger file is fingerprinted as by _stat), or
 * "missing" when there is no such file.  IBX_EIO (logged), IBX_ENOMEM. */
ibx_err spoke_agent_fingerprint_content(const char *path, size_t max_bytes,
					char out[SPOKE_FINGERPRINT_LEN]);

/* spoke_agent_fingerprint_stat: "stat:SIZE:MTIME_NS:INODE" of the file at
 * path.  IBX_ENOTFOUND when there is none; IBX_EIO (logged). */
ibx_err spoke_agent_fingerprint_stat(const char *path,
				     char out[SPOKE_FINGERPRINT_LEN]);

#endif /* SPOKE_AGENT_WATCH_H */
