/*
 * Who the spoke believes is the hub (issue 14, finding 1).  A spoke files
 * an envelope (accepted, duplicate, or refused for good) only on an Ack
 * the hub has signed (crypto.h, ibx_ack_verify): its certificate chains to
 * the national CA, is not revoked under a current CRL, has the hub's role
 * (OU "hub") and serverAuth, and names the hub the spoke dialled (the host
 * of each --hub URL, or --hub-name) or carries the pinned key (--hub-pin).
 * The TLS handshake checks the same name and usage (transport.h); this
 * module checks the receipt itself.
 */
#ifndef SPOKE_HUB_IDENTITY_H
#define SPOKE_HUB_IDENTITY_H

#include <stddef.h>

#include "err.h"
#include "transport.h"
#include "wire.h"

typedef struct spoke_hub_id spoke_hub_id;

/* spoke_hub_id_open: what the spoke expects of its hubs: the CA and CRL of
 * tls (ca_file must be set), the names (tls->server_name, or the host of
 * each of hubs[0..nhubs-1]) and, when pin_hex is not NULL, a pinned key
 * (64 hex digits: ibx_cert_key_pin).  IBX_EINVAL (printed) on a bad pin;
 * IBX_ECRYPTO when the CA or CRL does not load.  Free with
 * spoke_hub_id_free.  The strings are copied. */
ibx_err spoke_hub_id_open(const ibx_transport_opts *tls,
			  const char *const *hubs, size_t nhubs,
			  const char *pin_hex, spoke_hub_id **out);

/* spoke_hub_id_reload: read the CA and CRL files again (after the CRL
 * was renewed); on failure the old ones stay. */
ibx_err spoke_hub_id_reload(spoke_hub_id *h);

/* spoke_hub_id_check: IBX_OK when ack is the expected hub's signed answer
 * to request (the envelope bytes exactly as sent); IBX_ECRYPTO otherwise,
 * with the reason in detail (n bytes). */
ibx_err spoke_hub_id_check(spoke_hub_id *h, const ibx_bytes *request,
			   const ibx_ack *ack, char *detail, size_t n);

/* spoke_hub_id_free: NULL is fine. */
void spoke_hub_id_free(spoke_hub_id *h);

#endif /* SPOKE_HUB_IDENTITY_H */
