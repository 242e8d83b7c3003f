/*
 * What the agent tells whoever looks after it: the outbox's depth, how
 * many envelopes were refused for good, the last Ack, the last send and
 * the last error.  Kept in memory while the agent runs and written to
 * DIR/status.json (atomically: a reader sees a whole file) after every
 * pass, so monitoring can read the file and inbound-spoke status can show
 * it with the pending and rejected envelopes.  The only agent module that
 * includes <jansson.h>.
 */
#ifndef SPOKE_AGENT_STATUS_H
#define SPOKE_AGENT_STATUS_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "outbox.h"
#include "wire.h"

typedef struct spoke_agent_status {
	uint64_t pending;  /* envelopes in pending/ */
	uint64_t rejected; /* envelopes in rejected/ */
	/* The last final Ack: sequence 0 when there has been none. */
	uint64_t ack_sequence;
	ibx_ack_status ack_status;
	int64_t ack_ms;	 /* when it came, Unix ms */
	int64_t send_ms; /* last envelope sent (answered or not), or 0 */
	char error[1024];
	int64_t error_ms; /* when error was set, or 0 when it is empty */
} spoke_agent_status;

/* spoke_agent_status_load: the status dir/status.json holds into *st, or
 * an empty one when there is no such file (or it does not parse: it is
 * only a report, rewritten on the next pass).  Never fails. */
void spoke_agent_status_load(const char *dir, spoke_agent_status *st);

/* spoke_agent_status_count: refresh st->pending and st->rejected from the
 * outbox directory dir.  IBX_EIO, IBX_ENOMEM. */
ibx_err spoke_agent_status_count(const char *dir, spoke_agent_status *st);

/* spoke_agent_status_save: write st (with the time now) to
 * DIR/status.json of ob.  IBX_ENOMEM, IBX_EIO (logged). */
ibx_err spoke_agent_status_save(spoke_outbox *ob,
				const spoke_agent_status *st);

/* spoke_agent_status_ack: record a final Ack for seq at the time now. */
void spoke_agent_status_ack(spoke_agent_status *st, uint64_t seq,
			    const ibx_ack *ack);

/* spoke_agent_status_error: record a printf-style error at the time now
 * and log it (IBX_ERROR). */
void spoke_agent_status_error(spoke_agent_status *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* spoke_agent_status_print: what inbound-spoke status shows for the
 * outbox dir: the saved status, then every pending envelope and every
 * rejected one with its reason, on f.  IBX_ENOTFOUND when dir is not an
 * outbox; IBX_EIO, IBX_ENOMEM. */
ibx_err spoke_agent_status_print(FILE *f, const char *dir);

/* spoke_agent_now_ms: the current Unix time in milliseconds. */
int64_t spoke_agent_now_ms(void);

#endif /* SPOKE_AGENT_STATUS_H */
