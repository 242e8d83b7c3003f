/*
 * The listing the hub acknowledged, kept as its bytes for the spoke's page
 * (docs/spoke-page.md): each listing the agent seals is copied, as the JSON
 * text it was read from, to OUTBOX/listings/SEQ.json; when the hub accepts
 * envelope SEQ the copy becomes OUTBOX/listing.acknowledged.json (a rename:
 * atomic), and when it refuses it the copy becomes
 * OUTBOX/listings/SEQ.refused (the reason is rejected/SEQ.reason).  So the
 * page compares an edit with what the hub holds, and tells "waiting for the
 * hub" and "refused" apart.  The envelope itself and its journal line stay
 * the outbox's (outbox.h, journal.h).
 */
#ifndef SPOKE_AGENT_LISTING_H
#define SPOKE_AGENT_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SPOKE_LISTING_COPIES	   "listings"
#define SPOKE_LISTING_ACKNOWLEDGED "listing.acknowledged.json"

/* spoke_agent_listing_keep: write len bytes of text (the listing file
 * sealed as envelope seq) to dir/listings/SEQ.json atomically (a .tmp
 * file, fsync, rename), making the folder (0700).  IBX_EIO (logged).
 * Nothing is kept. */
ibx_err spoke_agent_listing_keep(const char *dir, uint64_t seq,
				 const char *text, size_t len);

/* spoke_agent_listing_acked: the hub answered envelope seq for good;
 * accepted (accepted or duplicate): its copy, when it has one (only
 * listings do), becomes dir/listing.acknowledged.json; refused: it becomes
 * dir/listings/SEQ.refused.  The folder is fsynced.  IBX_OK when seq has no
 * copy; IBX_EIO (logged). */
ibx_err spoke_agent_listing_acked(const char *dir, uint64_t seq, int accepted);

/* spoke_agent_listing_resealed: envelope seq was sealed again as fresh
 * (agent_drain.c): its copy, when it has one, becomes
 * dir/listings/FRESH.json, so the page still finds the listing waiting
 * for the hub and the Ack of fresh files it.  The folder is fsynced.
 * IBX_OK when seq has no copy; IBX_EIO (logged). */
ibx_err spoke_agent_listing_resealed(const char *dir, uint64_t seq,
				     uint64_t fresh);

#endif /* SPOKE_AGENT_LISTING_H */
