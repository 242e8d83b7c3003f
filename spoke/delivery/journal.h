/*
 * The spoke's record of what the hubs acknowledged: DIR/acknowledged.log in
 * the outbox, one line for every final accepted or duplicate Ack, appended
 * and fsynced before the envelope leaves pending/ (agent_drain.c).  It lets
 * a hospital show what the hub holds from it, and the fault-injection test
 * (tests/integration/test_faults.sh) compare every spoke's acknowledged
 * envelopes with the hub's database.
 *
 * A crash between the append and the unlink leaves the envelope pending:
 * it is sent again, the hub answers duplicate (with the original Ack) and
 * a second line for the same sequence follows.  Readers take the last line
 * of a sequence.  A line cut short by a crash of the machine has no
 * newline; the next append ends it first, and readers skip lines that do
 * not have every field.
 *
 * A line, fields separated by one tab:
 *   sequence          the envelope's sequence
 *   status            "accepted" or "duplicate"
 *   payload           hospital_listing, coordinator_listing,
 *                     case_statistics, or the payload type number
 *   period            YYYY-MM for statistics, "-" otherwise
 *   cells             number of cells (statistics), 0 otherwise
 *   patients          sum of the cells' patients (statistics), 0 otherwise
 *   charge_jpy        sum of the cells' charges in JPY, 0 otherwise
 *   listing_version   the version the Ack gave (listings), 0 otherwise
 *   sha256            of the envelope bytes, 64 hex digits
 *   acked_at_ms       when the Ack was read, Unix ms
 */
#ifndef SPOKE_JOURNAL_H
#define SPOKE_JOURNAL_H

#include <stdint.h>

#include "err.h"
#include "wire.h"

#define SPOKE_JOURNAL_NAME "acknowledged.log"

/* spoke_journal_append: append the line for envelope (sealed with seq,
 * answered by ack, whose status must be accepted or duplicate) to
 * dir/acknowledged.log at time now_ms (Unix ms), creating it (mode 0600)
 * and fsyncing it (and dir when it was created).  An envelope whose
 * payload does not decode is still recorded, with its payload type number
 * and zero counts.  IBX_EINVAL for another status; IBX_EIO (logged with
 * the file name and errno).  Nothing is owned or kept. */
ibx_err spoke_journal_append(const char *dir, uint64_t seq, const ibx_ack *ack,
			     const ibx_bytes *envelope, int64_t now_ms);

#endif /* SPOKE_JOURNAL_H */
