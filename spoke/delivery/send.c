/* Sending with retries; see send.h. */
#include <time.h>

#include "log.h"
#include "send.h"

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

ibx_err
spoke_send(const spoke_send_opts *o, const ibx_bytes *envelope, ibx_ack *ack)
{
	ibx_req_client *c = NULL;
	ibx_bytes reply = {NULL, 0};
	long backoff = 200;
	int attempt;
	ibx_err rv;

	if ((c = o->client) == NULL &&
	    (rv = ibx_req_client_open(o->hubs, o->nhubs, &o->tls, &c)) !=
		IBX_OK)
		return (rv);
	rv = IBX_ETIMEDOUT;
	for (attempt = 1; attempt <= o->attempts; attempt++) {
		rv = ibx_req_client_call(c, envelope, o->timeout_ms, &reply);
		if (rv == IBX_OK) {
			rv = ibx_ack_decode(reply.data, reply.len, ack);
			ibx_bytes_fini(&reply);
			if (rv == IBX_OK && ibx_ack_status_final(ack->status))
				break;
			if (rv == IBX_OK)
				IBX_WARN("hub asks to retry: %s", ack->error);
			else
				IBX_WARN("hub sent an unreadable ack");
			rv = IBX_ETIMEDOUT;
		} else
			IBX_WARN("attempt %d of %d: %s", attempt, o->attempts,
				 ibx_strerror(rv));
		if (attempt < o->attempts) {
			sleep_ms(backoff);
			backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
		}
	}
	if (o->client == NULL)
		ibx_req_client_close(c);
	return (rv);
}
