/* What the referral commands share; see referral_cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hex.h"
#include "log.h"
#include "referral_cli.h"

const struct option spoke_ref_longopts[SPOKE_REF_LONGOPTS] = {
    {"hub", required_argument, NULL, 'H'},
    {"timeout", required_argument, NULL, 't'},
    {"attempts", required_argument, NULL, 'n'},
    {"insecure-tcp", no_argument, NULL, 'i'},
    {"cert", required_argument, NULL, 'c'},
    {"key", required_argument, NULL, 'k'},
    {"ca", required_argument, NULL, 'a'},
    {"crl", required_argument, NULL, 'r'},
    {"outbox", required_argument, NULL, 'O'},
    {"hub-name", required_argument, NULL, 'A'},
    {"hub-pin", required_argument, NULL, 'P'},
    {"state", required_argument, NULL, 'S'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static _Thread_local FILE *errf;

FILE *
spoke_ref_errf(void)
{
	return (errf != NULL ? errf : stderr);
}

void
spoke_ref_errf_set(FILE *f)
{
	errf = f;
}

int
spoke_ref_option(spoke_ref *r, int ch, const char *arg)
{
	if (ch == 'S') {
		r->state = arg;
		return (1);
	}
	/* --cert-hash is not offered: a forwarded envelope carries its
	 * certificate, for the other party to check. */
	if (ch == 'F')
		return (0);
	return (spoke_net_option(ch, arg, &r->net));
}

int64_t
spoke_ref_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
spoke_ref_path(const spoke_ref *r, char *out, size_t n, const char *part)
{
	int len = snprintf(out, n, "%s/%s", r->state, part);

	return (len < 0 || (size_t)len >= n ? -1 : 0);
}

ibx_err
spoke_ref_mkdirs(const spoke_ref *r, const char *part)
{
	char path[4096], *p;

	if (spoke_ref_path(r, path, sizeof(path), part) != 0)
		return (IBX_EINVAL);
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		goto fail;
	return (IBX_OK);
fail:
	fprintf(spoke_ref_errf(), "inbound-spoke: %s: %s\n", path,
		strerror(errno));
	return (IBX_EIO);
}

ibx_err
spoke_ref_write(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[4200], dir[4096], *slash;
	const char *p = data;
	ssize_t w;
	int fd = -1, dfd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) <
	    0)
		goto fail;
	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if ((dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY)) >=
		    0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	return (IBX_OK);
fail:
	fprintf(spoke_ref_errf(), "inbound-spoke: %s: %s\n", path,
		strerror(errno));
	if (fd >= 0)
		close(fd);
	(void)unlink(tmp);
	return (IBX_EIO);
}

ibx_err
spoke_ref_new_id(char id[IBX_REFERRAL_ID_HEX + 1])
{
	uint8_t b[IBX_REFERRAL_ID_HEX / 2];
	ibx_err rv;

	if ((rv = ibx_random(b, sizeof(b))) != IBX_OK)
		return (rv);
	ibx_hex_encode(b, sizeof(b), id);
	return (IBX_OK);
}

int
spoke_ref_open(spoke_ref *r, bool need_outbox)
{
	size_t i;

	if (r->state == NULL)
		r->state = SPOKE_REF_STATE_DEFAULT;
	if (r->net.nhubs == 0) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: --hub is required\n");
		return (2);
	}
	for (i = 0; i < r->net.nhubs; i++)
		if (strncmp(r->net.hubs[i], "tcp://", 6) == 0 &&
		    !r->net.insecure_tcp) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: %s is not encrypted; use "
				"tls+tcp:// or pass --insecure-tcp\n",
				r->net.hubs[i]);
			return (2);
		}
	if (r->net.tls.cert_file == NULL || r->net.tls.key_file == NULL ||
	    r->net.tls.ca_file == NULL) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: --cert, --key and --ca are required "
			"(the national CA checks every forwarded envelope)\n");
		return (2);
	}
	if (need_outbox && r->net.outbox == NULL) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: --outbox is required\n");
		return (2);
	}
	if (spoke_identity_load(r->net.tls.cert_file, r->net.tls.key_file,
				&r->id) != IBX_OK)
		return (1);
	if (ibx_trust_load(r->net.tls.ca_file, r->net.tls.crl_file,
			   &r->trust) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: cannot load the CA%s\n",
			r->net.tls.ca_file,
			r->net.tls.crl_file ? " or its CRL" : "");
		return (1);
	}
	if (spoke_hub_id_open(&r->net.tls, r->net.hubs, r->net.nhubs,
			      r->net.hub_pin, &r->hub_id) != IBX_OK)
		return (1);
	if (ibx_req_client_open(r->net.hubs, r->net.nhubs, &r->net.tls,
				&r->client) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: cannot dial the hub\n");
		return (1);
	}
	memset(&r->so, 0, sizeof(r->so));
	r->so.hubs = r->net.hubs;
	r->so.nhubs = r->net.nhubs;
	r->so.tls = r->net.tls;
	r->so.timeout_ms = (int)r->net.timeout_ms;
	r->so.attempts = (int)r->net.attempts;
	r->so.client = r->client;
	r->so.hub_id = r->hub_id;
	r->so.hub_pin = r->net.hub_pin;
	if (need_outbox && spoke_outbox_open(r->net.outbox, &r->ob) != IBX_OK)
		return (1);
	return (0);
}

void
spoke_ref_close(spoke_ref *r)
{
	spoke_outbox_close(r->ob);
	ibx_req_client_close(r->client);
	spoke_hub_id_free(r->hub_id);
	ibx_trust_free(r->trust);
	spoke_identity_fini(&r->id);
	r->ob = NULL;
	r->client = NULL;
	r->hub_id = NULL;
	r->trust = NULL;
}

int
spoke_ref_query(spoke_ref *r, ibx_payload_type ptype, const ibx_bytes *payload,
		const char *what, ibx_bytes *reply)
{
	ibx_bytes env = {NULL, 0};
	ibx_ack ack;
	int status = 1;
	ibx_err rv;

	memset(&ack, 0, sizeof(ack));
	if ((rv = spoke_envelope_seal(&r->id, 0, ptype, payload, &env)) !=
	    IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: cannot seal: %s\n", what,
			ibx_strerror(rv));
		goto out;
	}
	rv = spoke_query(&r->so, &env, &ack, reply);
	if (rv != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: no answer from the hub: %s\n",
			what, ibx_strerror(rv));
		status = 3;
		goto out;
	}
	if (ack.status != IBX_ACK_ACCEPTED) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: hub refused (%s): %s\n", what,
			ibx_ack_status_name(ack.status), ack.error);
		goto out;
	}
	status = 0;
out:
	ibx_bytes_fini(&env);
	return (status);
}

ibx_err
spoke_ref_queue(spoke_ref *r, ibx_payload_type ptype, const ibx_bytes *payload,
		uint64_t *seq)
{
	ibx_bytes env = {NULL, 0};
	ibx_err rv;

	if ((rv = spoke_outbox_sequence(r->ob, spoke_sequence_now(), seq)) !=
		IBX_OK ||
	    (rv = spoke_envelope_seal(&r->id, *seq, ptype, payload, &env)) !=
		IBX_OK ||
	    (rv = spoke_outbox_append(r->ob, *seq, &env)) != IBX_OK)
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: cannot queue: %s\n",
			spoke_outbox_dir(r->ob), ibx_strerror(rv));
	ibx_bytes_fini(&env);
	return (rv);
}

/* Counts what one drain filed, for its summary. */
struct drain_count {
	uint64_t accepted, duplicate, refused;
};

static void
drain_counted(void *arg, uint64_t seq, const ibx_ack *ack)
{
	struct drain_count *c = arg;

	if (ack->status == IBX_ACK_ACCEPTED)
		c->accepted++;
	else if (ack->status == IBX_ACK_DUPLICATE)
		c->duplicate++;
	else {
		c->refused++;
		fprintf(spoke_ref_errf(),
			"inbound-spoke: envelope %" PRIu64
			" refused by the hub (%s): %s\n",
			seq, ibx_ack_status_name(ack->status), ack->error);
	}
}

int
spoke_ref_drain(spoke_ref *r)
{
	const char *dir = spoke_outbox_dir(r->ob);
	spoke_agent_status st;
	spoke_drain_opts o;
	struct drain_count c = {0, 0, 0};
	ibx_err rv;

	spoke_agent_status_load(dir, &st);
	memset(&o, 0, sizeof(o));
	o.send = r->so;
	o.window = SPOKE_DRAIN_WINDOW;
	o.on_ack = drain_counted;
	o.arg = &c;
	rv = spoke_agent_drain(r->ob, &o, &st);
	if (spoke_agent_status_count(dir, &st) == IBX_OK)
		(void)spoke_agent_status_save(r->ob, &st);
	IBX_INFO("outbox %s: %" PRIu64 " accepted, %" PRIu64
		 " duplicate, %" PRIu64 " refused",
		 dir, c.accepted, c.duplicate, c.refused);
	if (rv == IBX_ETIMEDOUT) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: no answer from the hub: what is "
			"queued waits in %s (a later command or "
			"'inbound-spoke run' sends it)\n",
			dir);
		return (3);
	}
	if (rv != IBX_OK) {
		fprintf(spoke_ref_errf(), "inbound-spoke: %s: %s\n", dir,
			ibx_strerror(rv));
		return (1);
	}
	return (c.refused > 0 ? 1 : 0);
}
