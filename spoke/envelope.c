/* Envelope building; see envelope.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "envelope.h"

uint64_t
spoke_sequence_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}

ibx_err
spoke_envelope_build(const char *sender, uint64_t sequence,
		     ibx_payload_type ptype, const ibx_bytes *payload,
		     ibx_bytes *out)
{
	ibx_header h;
	ibx_envelope e;
	struct timespec ts;
	ibx_err rv;

	memset(&h, 0, sizeof(h));
	memset(&e, 0, sizeof(e));
	if (strlen(sender) >= sizeof(h.sender_id))
		return (IBX_EINVAL);
	snprintf(h.sender_id, sizeof(h.sender_id), "%s", sender);
	clock_gettime(CLOCK_REALTIME, &ts);
	h.sequence = sequence;
	h.created_at_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	h.payload_type = ptype;
	h.schema_version = IBX_SCHEMA_VERSION;
	if ((rv = ibx_header_encode(&h, &e.header)) != IBX_OK)
		return (rv);
	e.payload = *payload;
	rv = ibx_envelope_encode(&e, out);
	ibx_bytes_fini(&e.header);
	return (rv);
}
