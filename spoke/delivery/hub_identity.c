/* The hub's identity and its signed Acks; see hub_identity.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "hub_identity.h"

#define NAMES_MAX 8

struct spoke_hub_id {
	ibx_trust *trust;
	char *names[NAMES_MAX];
	size_t nnames;
	uint8_t pin[IBX_SHA256_LEN];
	int has_pin;
};

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Add name unless it is empty or already there. */
static ibx_err
add_name(spoke_hub_id *h, const char *name)
{
	size_t i;

	if (name[0] == '\0')
		return (IBX_OK);
	for (i = 0; i < h->nnames; i++)
		if (strcmp(h->names[i], name) == 0)
			return (IBX_OK);
	if (h->nnames == NAMES_MAX)
		return (IBX_OK);
	if ((h->names[h->nnames] = strdup(name)) == NULL)
		return (IBX_ENOMEM);
	h->nnames++;
	return (IBX_OK);
}

ibx_err
spoke_hub_id_open(const ibx_transport_opts *tls, const char *const *hubs,
		  size_t nhubs, const char *pin_hex, spoke_hub_id **out)
{
	spoke_hub_id *h;
	char host[256];
	size_t i;
	int hi, lo;
	ibx_err rv;

	if (tls->ca_file == NULL) {
		fprintf(stderr, "inbound-spoke: --ca (the national CA) is "
				"required to verify the hub's answers\n");
		return (IBX_EINVAL);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return (IBX_ENOMEM);
	if (pin_hex != NULL) {
		if (strlen(pin_hex) != 2 * IBX_SHA256_LEN) {
			rv = IBX_EINVAL;
			goto bad_pin;
		}
		for (i = 0; i < IBX_SHA256_LEN; i++) {
			hi = hex_digit(pin_hex[2 * i]);
			lo = hex_digit(pin_hex[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				rv = IBX_EINVAL;
				goto bad_pin;
			}
			h->pin[i] = (uint8_t)(hi << 4 | lo);
		}
		h->has_pin = 1;
	}
	if (tls->server_name != NULL)
		rv = add_name(h, tls->server_name);
	else
		for (i = 0, rv = IBX_OK; i < nhubs && rv == IBX_OK; i++) {
			ibx_transport_url_host(hubs[i], host, sizeof(host));
			rv = add_name(h, host);
		}
	if (rv != IBX_OK || (rv = ibx_trust_load(tls->ca_file, tls->crl_file,
						 &h->trust)) != IBX_OK) {
		spoke_hub_id_free(h);
		return (rv);
	}
	*out = h;
	return (IBX_OK);
bad_pin:
	fprintf(stderr,
		"inbound-spoke: --hub-pin: expected the 64 hex digits of the "
		"SHA-256 of the hub's public key (SubjectPublicKeyInfo)\n");
	spoke_hub_id_free(h);
	return (rv);
}

ibx_err
spoke_hub_id_reload(spoke_hub_id *h)
{
	return (ibx_trust_reload(h->trust));
}

ibx_err
spoke_hub_id_check(spoke_hub_id *h, const ibx_bytes *request,
		   const ibx_ack *ack, char *detail, size_t n)
{
	ibx_hub_expect e;

	e.names = (const char *const *)h->names;
	e.nnames = h->nnames;
	e.pin = h->has_pin ? h->pin : NULL;
	return (ibx_ack_verify(h->trust, &e, request->data, request->len, ack,
			       time(NULL), detail, n));
}

void
spoke_hub_id_free(spoke_hub_id *h)
{
	size_t i;

	if (h == NULL)
		return;
	ibx_trust_free(h->trust);
	for (i = 0; i < h->nnames; i++)
		free(h->names[i]);
	free(h);
}
