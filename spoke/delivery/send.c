/* Sending with retries; see send.h. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "log.h"
#include "send.h"

/* Said once per process, not once per envelope. */
static atomic_bool warned_unverified;

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* The attempts of spoke_send and spoke_query: answer, when not NULL,
 * receives the Ack's reply (ibx_ack_decode_reply: its SHA-256 is then part
 * of what spoke_hub_id_check verifies). */
static ibx_err
send_attempts(const spoke_send_opts *o, const ibx_bytes *envelope,
	      ibx_ack *ack, ibx_bytes *answer)
{
	ibx_req_client *c = NULL;
	spoke_hub_id *hid = o->hub_id;
	ibx_bytes reply = {NULL, 0};
	char why[300];
	long backoff = 200;
	int attempt;
	ibx_err rv;

	if (hid == NULL && o->tls.ca_file != NULL &&
	    (rv = spoke_hub_id_open(&o->tls, o->hubs, o->nhubs, o->hub_pin,
				    &hid)) != IBX_OK)
		return (rv);
	if (hid == NULL && !atomic_exchange(&warned_unverified, true))
		IBX_WARN(
		    "no --ca: the hub's answers cannot be verified (plain "
		    "tcp:// for tests only)");
	if ((c = o->client) == NULL &&
	    (rv = ibx_req_client_open(o->hubs, o->nhubs, &o->tls, &c)) !=
		IBX_OK)
		goto out;
	rv = IBX_ETIMEDOUT;
	for (attempt = 1; attempt <= o->attempts; attempt++) {
		rv = ibx_req_client_call(c, envelope, o->timeout_ms, &reply);
		if (rv == IBX_OK) {
			if (answer != NULL) {
				ibx_bytes_fini(answer);
				rv = ibx_ack_decode_reply(
				    reply.data, reply.len, ack, answer);
			} else
				rv =
				    ibx_ack_decode(reply.data, reply.len, ack);
			ibx_bytes_fini(&reply);
			if (rv == IBX_OK &&
			    ibx_ack_status_final(ack->status)) {
				if (hid == NULL ||
				    spoke_hub_id_check(hid, envelope, ack, why,
						       sizeof(why)) == IBX_OK)
					break;
				/* Not the hub's word: nothing is filed on
				 * it, and the envelope stays pending. */
				IBX_WARN("attempt %d of %d: answer (%s) not "
					 "believed: %s",
					 attempt, o->attempts,
					 ibx_ack_status_name(ack->status),
					 why);
				rv = IBX_ECRYPTO;
			} else if (rv == IBX_OK) {
				IBX_WARN("hub asks to retry: %s", ack->error);
				/* Believed only when signed: a forged "retry
				 * later" must not hold an envelope back. */
				if (hid != NULL &&
				    spoke_hub_id_check(hid, envelope, ack, why,
						       sizeof(why)) != IBX_OK)
					ack->status = IBX_ACK_UNSPECIFIED;
				rv = IBX_ETIMEDOUT;
			} else {
				IBX_WARN("hub sent an unreadable ack");
				rv = IBX_ETIMEDOUT;
			}
		} else
			IBX_WARN("attempt %d of %d: %s", attempt, o->attempts,
				 ibx_strerror(rv));
		if (attempt < o->attempts) {
			sleep_ms(backoff);
			backoff = backoff * 2 > 5000 ? 5000 : backoff * 2;
		}
	}
out:
	if (o->client == NULL)
		ibx_req_client_close(c);
	if (o->hub_id == NULL)
		spoke_hub_id_free(hid);
	return (rv);
}

ibx_err
spoke_send(const spoke_send_opts *o, const ibx_bytes *envelope, ibx_ack *ack)
{
	return (send_attempts(o, envelope, ack, NULL));
}

ibx_err
spoke_query(const spoke_send_opts *o, const ibx_bytes *envelope, ibx_ack *ack,
	    ibx_bytes *reply)
{
	ibx_err rv;

	reply->data = NULL;
	reply->len = 0;
	rv = send_attempts(o, envelope, ack, reply);
	if (rv != IBX_OK || ack->status != IBX_ACK_ACCEPTED)
		ibx_bytes_fini(reply);
	return (rv);
}

struct spoke_send_call {
	const spoke_send_opts *o;
	const ibx_bytes *envelope;
	ibx_req_call *call; /* NULL when the send failed at once */
};

ibx_err
spoke_send_start(const spoke_send_opts *o, const ibx_bytes *envelope,
		 spoke_send_call **out)
{
	spoke_send_call *sc;
	ibx_err rv;

	/* Acks are verified with o->hub_id only: without it (and with a
	 * CA) spoke_send would open one per envelope. */
	if (o->client == NULL || (o->hub_id == NULL && o->tls.ca_file != NULL))
		return (IBX_EINVAL);
	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return (IBX_ENOMEM);
	sc->o = o;
	sc->envelope = envelope;
	if ((rv = ibx_req_call_start(o->client, envelope, o->timeout_ms,
				     &sc->call)) != IBX_OK &&
	    rv != IBX_EIO) {
		free(sc);
		return (rv);
	}
	/* IBX_EIO: no context now; spoke_send_finish sends it serially. */
	*out = sc;
	return (IBX_OK);
}

/* The end of a call: as spoke_send_finish, and with answer (not NULL)
 * as spoke_query_finish. */
static ibx_err
call_finish(spoke_send_call *sc, bool serial, ibx_ack *ack, ibx_bytes *answer)
{
	const spoke_send_opts *o = sc->o;
	const ibx_bytes *envelope = sc->envelope;
	ibx_bytes reply = {NULL, 0};
	char why[300];
	ibx_err rv = IBX_ETIMEDOUT;

	if (answer != NULL)
		*answer = (ibx_bytes){NULL, 0};
	if (sc->call != NULL &&
	    (rv = ibx_req_call_finish(sc->call, &reply)) == IBX_OK) {
		rv = answer != NULL
			 ? ibx_ack_decode_reply(reply.data, reply.len, ack,
						answer)
			 : ibx_ack_decode(reply.data, reply.len, ack);
		ibx_bytes_fini(&reply);
		if (rv == IBX_OK && ibx_ack_status_final(ack->status) &&
		    (o->hub_id == NULL ||
		     spoke_hub_id_check(o->hub_id, envelope, ack, why,
					sizeof(why)) == IBX_OK)) {
			free(sc);
			return (IBX_OK);
		}
		if (rv == IBX_OK && ibx_ack_status_final(ack->status)) {
			IBX_WARN("answer (%s) not believed: %s",
				 ibx_ack_status_name(ack->status), why);
			ack->status = IBX_ACK_UNSPECIFIED;
		} else if (rv == IBX_OK && o->hub_id != NULL &&
			   spoke_hub_id_check(o->hub_id, envelope, ack, why,
					      sizeof(why)) != IBX_OK)
			ack->status = IBX_ACK_UNSPECIFIED; /* a forged retry */
		if (answer != NULL)
			ibx_bytes_fini(answer);
	}
	free(sc);
	if (!serial) {
		if (rv == IBX_OK || rv == IBX_EMALFORMED)
			rv = IBX_ETIMEDOUT;
		return (rv);
	}
	/* Not final, not believed, or no answer: the serial attempts. */
	memset(ack, 0, sizeof(*ack));
	if (answer != NULL)
		return (spoke_query(o, envelope, ack, answer));
	return (spoke_send(o, envelope, ack));
}

ibx_err
spoke_send_finish(spoke_send_call *sc, bool serial, ibx_ack *ack)
{
	return (call_finish(sc, serial, ack, NULL));
}

ibx_err
spoke_query_finish(spoke_send_call *sc, ibx_ack *ack, ibx_bytes *reply)
{
	ibx_err rv = call_finish(sc, true, ack, reply);

	if (rv != IBX_OK || ack->status != IBX_ACK_ACCEPTED)
		ibx_bytes_fini(reply);
	return (rv);
}
