/*
 * ibx-testpeer: a misbehaving spoke for the integration tests.  It builds
 * envelopes the real spoke would refuse to send (no listing check, any
 * sender, sequence or payload type), sends raw bytes, and speaks the SP
 * wire protocol by hand to announce an absurd frame length.
 *
 *   ibx-testpeer forge (--listing F | --stats F | --payload F) --out F
 *                      [--sender C]
 *                      [--seq N]
 *                      [--type N] [--schema N] [--cert C --key K]
 *                      [--created-at MS] [--flip-header] [--flip-payload]
 *                      [--sign-other] [--cert-hash] [--pad N]
 *       With --cert and --key the envelope is signed (the key need not
 *       match the certificate); without, it is unsigned.  --flip-* flip
 *       the low bit of the last byte after signing; --sign-other signs
 *       other bytes; --pad appends N bytes to the payload after signing.
 *       --stats reads {"organisation_code", "period", "nil_report",
 *       "icd10_level", "cells": [{key: value, ...}]} with the field names
 *       of inbound.v1.StatisticsCell and sends it unchecked;
 *       "cells_per_patient_month" and "_year" default to the release's
 *       caps (0 sends none).  --payload takes the payload's bytes as they
 *       are (a referral message, say), with --type and --sender.
 *   ibx-testpeer send --hub URL --file F [--cert C --key K --ca A]
 *                                            (mutual TLS), print the Ack as
 *                                            "status=<name> version=<n>
 *                                            error=<text>"
 *   ibx-testpeer idle --hub URL --cert C --key K --ca CA --spokes N
 *                     --seconds S
 *                      N REQ sockets over mutual TLS, each sends one
 *                      request, then all stay connected and idle for S s
 *   ibx-testpeer oversize --addr HOST:PORT [--bytes N]
 *                      announce a 2^60-byte frame, or send a real frame
 *                      of N bytes
 *   ibx-testpeer impostor --listen URL --cert C --key K --ca CA
 *                      --ack unsigned|wrong-key|other-request|tampered|
 *                      good [--sign-key K2] --seconds S
 *       A listener posing as the hub (issue 14): answers every request
 *       with "accepted", unsigned, signed with K2 instead of the hub's
 *       key, signed over other request bytes, signed and then altered
 *       (listing version), or signed as the hub would.  It prints one
 *       line "received N" per request (flushed) and exits after S s.
 *   ibx-testpeer idle-tcp --addr HOST:PORT --conns N --seconds S
 *       N TCP connections that never start TLS; prints, when all are
 *       closed by the other side or after S s, "closed K of N, first F s,
 *       last L s, within 1 s E".
 *       --ack retry-period:YYYY-MM answers "retry later" (signed) to
 *       statistics of that period and accepts the rest; --ack
 *       retry-first:N answers "retry later" to the first N requests.
 *       In both, an envelope accepted before is answered "duplicate" and
 *       one at a sequence not above the last accepted "replay", first,
 *       as the hub does (one sender).
 *   ibx-testpeer send answers from one copy of the request: nng's resend
 *       is off (ibx_req_client_set_resend), so a slow hub is not sent a
 *       second copy it would answer "duplicate".  IBX_TESTPEER_TIMEOUT_MS
 *       sets its wait (default 5000), IBX_TESTPEER_RESEND_MS a resend
 *       time all the same (to show what resending does).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto.h"
#include "envelope.h"
#include "file.h"
#include "listing_json.h"
#include "transport.h"

static int
read_all(const char *path, ibx_bytes *out)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		perror(path);
		return (-1);
	}
	rewind(f);
	out->data = malloc((size_t)n + 1);
	out->len = fread(out->data, 1, (size_t)n, f);
	fclose(f);
	return (0);
}

static void
copy_str(char *dst, size_t n, json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	snprintf(dst, n, "%s", v != NULL ? v : "");
}

/* A CaseStatistics payload from a JSON description (no checks). */
/* A cell's clipped sum named key: the description's, else min(exact,
 * bound x patients). */
static int64_t
clipped(json_t *c, const char *key, int64_t exact, int64_t bound,
	int64_t patients)
{
	json_t *v = json_object_get(c, key);

	if (v != NULL)
		return (json_integer_value(v));
	if (patients < 0 || patients > IBX_STAT_PATIENTS_MAX)
		return (exact);
	return (exact < bound * patients ? exact : bound * patients);
}

static int
stats_payload(const char *path, ibx_bytes *out, char sender[32])
{
	ibx_case_statistics *s = ibx_statistics_new();
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *cells, *c;
	size_t i;
	int rv = -1;

	if (root == NULL || s == NULL) {
		fprintf(stderr, "%s: %s\n", path, err.text);
		goto out;
	}
	copy_str(s->organisation_code, sizeof(s->organisation_code), root,
		 "organisation_code");
	copy_str(s->period, sizeof(s->period), root, "period");
	if (json_object_get(root, "icd10_level") != NULL)
		copy_str(s->icd10_level, sizeof(s->icd10_level), root,
			 "icd10_level");
	s->nil_report = json_is_true(json_object_get(root, "nil_report"));
	/* The contribution caps: the release's unless the description
	 * names them (0: none stated, as an old spoke would send). */
	s->cells_per_patient_month =
	    json_object_get(root, "cells_per_patient_month") != NULL
		? (uint32_t)json_integer_value(
		      json_object_get(root, "cells_per_patient_month"))
		: IBX_STAT_CELLS_PER_PATIENT_MONTH;
	s->cells_per_patient_year =
	    json_object_get(root, "cells_per_patient_year") != NULL
		? (uint32_t)json_integer_value(
		      json_object_get(root, "cells_per_patient_year"))
		: IBX_STAT_CELLS_PER_PATIENT_YEAR;
	cells = json_object_get(root, "cells");
	json_array_foreach(cells, i, c)
	{
		ibx_stat_cell cell;

		memset(&cell, 0, sizeof(cell));
		copy_str(cell.nationality, sizeof(cell.nationality), c,
			 "nationality");
		copy_str(cell.purpose, sizeof(cell.purpose), c, "purpose");
		copy_str(cell.icd10, sizeof(cell.icd10), c, "icd10");
		copy_str(cell.age_band, sizeof(cell.age_band), c, "age_band");
		copy_str(cell.sex, sizeof(cell.sex), c, "sex");
		copy_str(cell.referral_channel, sizeof(cell.referral_channel),
			 c, "referral_channel");
		copy_str(cell.referral_org, sizeof(cell.referral_org), c,
			 "referral_org");
		copy_str(cell.remote_second_opinion_first,
			 sizeof(cell.remote_second_opinion_first), c,
			 "remote_second_opinion_first");
		copy_str(cell.medical_stay_visa,
			 sizeof(cell.medical_stay_visa), c,
			 "medical_stay_visa");
		cell.patients =
		    json_integer_value(json_object_get(c, "patients"));
		cell.episodes =
		    json_integer_value(json_object_get(c, "episodes"));
		cell.inpatient_episodes = json_integer_value(
		    json_object_get(c, "inpatient_episodes"));
		cell.outpatient_visits = json_integer_value(
		    json_object_get(c, "outpatient_visits"));
		cell.inpatient_days =
		    json_integer_value(json_object_get(c, "inpatient_days"));
		cell.charge_jpy =
		    json_integer_value(json_object_get(c, "charge_jpy"));
		/* The clipped sums: as the description gives them (0 when
		 * null), else the largest a spoke could send, the exact sum
		 * or bound x patients. */
		cell.outpatient_visits_clipped = clipped(
		    c, "outpatient_visits_clipped", cell.outpatient_visits,
		    IBX_STAT_VISITS_PER_PATIENT_CELL, cell.patients);
		cell.inpatient_days_clipped =
		    clipped(c, "inpatient_days_clipped", cell.inpatient_days,
			    IBX_STAT_DAYS_PER_PATIENT_CELL, cell.patients);
		cell.charge_jpy_clipped = clipped(
		    c, "charge_jpy_clipped", cell.charge_jpy,
		    IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL, cell.patients);
		if (ibx_statistics_add_cell(s, &cell) != IBX_OK)
			goto out;
	}
	snprintf(sender, 32, "%s", s->organisation_code);
	rv = ibx_statistics_encode(s, out) == IBX_OK ? 0 : -1;
out:
	json_decref(root);
	ibx_statistics_free(s);
	return (rv);
}

static int
forge(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listing", required_argument, NULL, 'l'},
	    {"stats", required_argument, NULL, 'S'},
	    {"out", required_argument, NULL, 'o'},
	    {"sender", required_argument, NULL, 's'},
	    {"seq", required_argument, NULL, 'q'},
	    {"type", required_argument, NULL, 't'},
	    {"schema", required_argument, NULL, 'v'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"created-at", required_argument, NULL, 'C'},
	    {"flip-header", no_argument, NULL, 'H'},
	    {"flip-payload", no_argument, NULL, 'P'},
	    {"sign-other", no_argument, NULL, 'O'},
	    {"cert-hash", no_argument, NULL, 'F'},
	    {"pad", required_argument, NULL, 'p'},
	    {"payload", required_argument, NULL, 'B'},
	    {NULL, 0, NULL, 0},
	};
	const char *certp = NULL, *keyp = NULL, *raw = NULL;
	long long created_at = -1;
	int flip_header = 0, flip_payload = 0, sign_other = 0, cert_hash = 0;
	long pad = 0;
	ibx_cert *cert = NULL;
	ibx_key *key = NULL;
	ibx_bytes der = {0};
	uint8_t fp[IBX_SHA256_LEN];
	struct timespec ts;
	const char *listing = NULL, *outp = NULL, *sender = NULL;
	const char *stats = NULL;
	char stats_sender[32] = "";
	unsigned long long seq = 1;
	int type = IBX_PAYLOAD_HOSPITAL_LISTING, schema = IBX_SCHEMA_VERSION;
	ibx_problems p;
	ibx_listing *l = NULL;
	ibx_bytes payload = {0}, env = {0}, hb = {0};
	ibx_header h;
	ibx_envelope e;
	FILE *f;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listing = optarg;
			break;
		case 'S':
			stats = optarg;
			break;
		case 'o':
			outp = optarg;
			break;
		case 's':
			sender = optarg;
			break;
		case 'q':
			seq = strtoull(optarg, NULL, 10);
			break;
		case 't':
			type = atoi(optarg);
			break;
		case 'v':
			schema = atoi(optarg);
			break;
		case 'c':
			certp = optarg;
			break;
		case 'k':
			keyp = optarg;
			break;
		case 'C':
			created_at = strtoll(optarg, NULL, 10);
			break;
		case 'H':
			flip_header = 1;
			break;
		case 'P':
			flip_payload = 1;
			break;
		case 'O':
			sign_other = 1;
			break;
		case 'F':
			cert_hash = 1;
			break;
		case 'p':
			pad = strtol(optarg, NULL, 10);
			break;
		case 'B':
			raw = optarg;
			break;
		default:
			return (2);
		}
	}
	if ((listing == NULL && stats == NULL && raw == NULL) || outp == NULL)
		return (2);
	if (raw != NULL) {
		char *text = NULL;

		if (ibx_file_read(raw, IBX_WIRE_MAX_MESSAGE, &text,
				  &payload.len) != IBX_OK) {
			fprintf(stderr, "forge: cannot read %s\n", raw);
			return (1);
		}
		payload.data = (uint8_t *)text;
	} else if (stats != NULL) {
		if (stats_payload(stats, &payload, stats_sender) != 0)
			return (1);
		if (type == IBX_PAYLOAD_HOSPITAL_LISTING)
			type = IBX_PAYLOAD_CASE_STATISTICS;
	} else {
		ibx_problems_init(&p);
		if (ibx_listing_load_file(listing, &p, &l) != IBX_OK) {
			fprintf(stderr, "forge: cannot load %s\n", listing);
			return (1);
		}
		ibx_problems_fini(&p);
		if (ibx_listing_encode(l, &payload) != IBX_OK)
			return (1);
		snprintf(stats_sender, sizeof(stats_sender), "%s",
			 l->organisation_code ? l->organisation_code : "");
	}
	memset(&h, 0, sizeof(h));
	snprintf(h.sender_id, sizeof(h.sender_id), "%s",
		 sender != NULL ? sender : stats_sender);
	h.sequence = seq;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.created_at_ms =
	    created_at >= 0 ? created_at
			    : (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	h.payload_type = (ibx_payload_type)type;
	h.schema_version = (uint32_t)schema;
	if (certp != NULL) {
		if (ibx_cert_load(certp, &cert) != IBX_OK ||
		    ibx_cert_der(cert, &der) != IBX_OK)
			return (1);
		if (cert_hash) {
			ibx_cert_fingerprint(cert, fp);
			h.cert.data = fp;
			h.cert.len = sizeof(fp);
		} else
			h.cert = der;
	}
	if (ibx_header_encode(&h, &hb) != IBX_OK)
		return (1);
	memset(&e, 0, sizeof(e));
	e.header = hb;
	e.payload = payload;
	if (keyp != NULL) {
		ibx_bytes other = {(uint8_t *)"other bytes", 11};

		if (ibx_key_load(keyp, &key) != IBX_OK ||
		    ibx_sign(key, sign_other ? &other : &e.header, &e.payload,
			     &e.signature) != IBX_OK)
			return (1);
	}
	if (flip_header && e.header.len > 0)
		e.header.data[e.header.len - 1] ^= 1;
	if (flip_payload && e.payload.len > 0)
		e.payload.data[e.payload.len - 1] ^= 1;
	if (pad > 0) {
		uint8_t *grown = realloc(e.payload.data, e.payload.len + pad);

		if (grown == NULL)
			return (1);
		memset(grown + e.payload.len, 'x', (size_t)pad);
		e.payload.data = grown;
		e.payload.len += (size_t)pad;
		payload = e.payload;
	}
	if (ibx_envelope_encode(&e, &env) != IBX_OK)
		return (1);
	ibx_bytes_fini(&e.signature);
	ibx_bytes_fini(&der);
	ibx_cert_free(cert);
	ibx_key_free(key);
	if ((f = fopen(outp, "wb")) == NULL ||
	    fwrite(env.data, 1, env.len, f) != env.len || fclose(f) != 0) {
		perror(outp);
		return (1);
	}
	ibx_bytes_fini(&hb);
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&env);
	ibx_listing_free(l);
	return (0);
}

/* How long send waits for the Ack: IBX_TESTPEER_TIMEOUT_MS, else 5 s. */
static int
send_timeout_ms(void)
{
	const char *v = getenv("IBX_TESTPEER_TIMEOUT_MS");
	long ms = v != NULL ? strtol(v, NULL, 10) : 0;

	return (ms > 0 && ms <= 600000 ? (int)ms : 5000);
}

/* nng's resend for send: never, unless IBX_TESTPEER_RESEND_MS names one
 * (it_single_send's control run, which shows what resending does). */
static int
send_resend_ms(void)
{
	const char *v = getenv("IBX_TESTPEER_RESEND_MS");
	long ms = v != NULL ? strtol(v, NULL, 10) : 0;

	return (ms > 0 && ms <= 600000 ? (int)ms : IBX_TRANSPORT_RESEND_NEVER);
}

static int
send_file(const char *hub, const char *path, const ibx_transport_opts *tls)
{
	const char *hubs[1] = {hub};
	ibx_req_client *c = NULL;
	ibx_bytes req = {0}, reply = {0};
	ibx_ack ack;
	int rv;

	if (read_all(path, &req) != 0)
		return (1);
	/* One copy: a resent one would be answered "duplicate", and under
	 * load its answer may be the one read. */
	if (ibx_req_client_open(hubs, 1, tls, &c) != IBX_OK ||
	    ibx_req_client_set_resend(c, send_resend_ms()) != IBX_OK) {
		ibx_req_client_close(c);
		free(req.data);
		return (1);
	}
	rv = ibx_req_client_call(c, &req, send_timeout_ms(), &reply);
	ibx_req_client_close(c);
	free(req.data);
	if (rv != IBX_OK) {
		printf("status=no-answer\n");
		return (3);
	}
	if (ibx_ack_decode(reply.data, reply.len, &ack) != IBX_OK) {
		printf("status=unreadable-ack\n");
		return (1);
	}
	printf("status=%s version=%d imported=%u updated=%u unchanged=%u "
	       "deleted=%u refused=%u error=%s\n",
	       ibx_ack_status_name(ack.status), ack.listing_version,
	       ack.summary.imported, ack.summary.updated,
	       ack.summary.unchanged, ack.summary.deleted, ack.summary.refused,
	       ack.error);
	ibx_bytes_fini(&reply);
	return (0);
}

/* Connect, complete the SP handshake as a REQ peer, then announce a frame
 * of 2^60 bytes and send a few bytes of it.  Prints "closed" when the hub
 * drops the connection, "open" when it is still open after 2 seconds. */
static int
oversize(const char *addr, long long bytes)
{
	unsigned char hello[8] = {0, 'S', 'P', 0, 0x00, 0x30, 0, 0};
	unsigned char frame[16] = {0x10, 0, 0, 0, 0, 0, 0, 0};
	unsigned char buf[64];
	struct sockaddr_in sa;
	struct timeval tv = {2, 0};
	char host[64];
	const char *colon = strrchr(addr, ':');
	ssize_t n;
	int s;

	if (colon == NULL || (size_t)(colon - addr) >= sizeof(host))
		return (2);
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return (2);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("connect");
		return (1);
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(s, hello, sizeof(hello)) != sizeof(hello) ||
	    read(s, buf, 8) != 8) {
		printf("closed\n");
		return (0);
	}
	if (bytes > 0) {
		static char chunk[65536];
		long long sent = 0;
		int k;

		for (k = 0; k < 8; k++)
			frame[k] = (unsigned char)(bytes >> (56 - 8 * k));
		(void)!write(s, frame, 8);
		/* Send until the hub closes the pipe or all is sent. */
		while (sent < bytes) {
			ssize_t w =
			    write(s, chunk,
				  bytes - sent > (long long)sizeof(chunk)
				      ? sizeof(chunk)
				      : (size_t)(bytes - sent));
			if (w <= 0)
				break;
			sent += w;
		}
	} else
		(void)!write(s, frame, sizeof(frame));
	n = read(s, buf, sizeof(buf));
	printf("%s\n",
	       n == 0 || (n < 0 && errno != EAGAIN) ? "closed" : "open");
	close(s);
	return (0);
}

static int
idle(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"hub", required_argument, NULL, 'h'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"spokes", required_argument, NULL, 'n'},
	    {"seconds", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	ibx_transport_opts t = {NULL, NULL, NULL, NULL, NULL, NULL};
	const char *hub = NULL;
	ibx_req_client **c;
	ibx_bytes req = {(uint8_t *)"x", 1}, reply = {0};
	long n = 1, secs = 10, i, answered = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			hub = optarg;
			break;
		case 'c':
			t.cert_file = optarg;
			break;
		case 'k':
			t.key_file = optarg;
			break;
		case 'a':
			t.ca_file = optarg;
			break;
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 's':
			secs = strtol(optarg, NULL, 10);
			break;
		default:
			return (2);
		}
	}
	if (hub == NULL || n < 1 ||
	    (c = calloc((size_t)n, sizeof(*c))) == NULL)
		return (2);
	for (i = 0; i < n; i++) {
		if (ibx_req_client_open(&hub, 1, &t, &c[i]) != IBX_OK ||
		    ibx_req_client_set_resend(
			c[i], IBX_TRANSPORT_RESEND_NEVER) != IBX_OK)
			return (1);
		if (ibx_req_client_call(c[i], &req, 5000, &reply) == IBX_OK) {
			answered++;
			ibx_bytes_fini(&reply);
		}
	}
	printf("%ld spokes connected, %ld answered\n", n, answered);
	fflush(stdout);
	sleep((unsigned)secs);
	for (i = 0; i < n; i++)
		ibx_req_client_close(c[i]);
	free(c);
	return (0);
}

/* What the retry-* modes remember of what they accepted, as the hub's
 * message log would: one sender's last sequence and the digests. */
#define IMPOSTOR_KEPT 256

/* The impostor's state, shared by its one worker. */
struct impostor {
	const char *mode;
	ibx_key *key;	   /* signs, or NULL */
	ibx_bytes cert;	   /* the certificate it presents in Acks (DER) */
	unsigned received; /* requests seen */
	uint64_t last_seq; /* retry-*: the last accepted sequence */
	uint8_t kept[IMPOSTOR_KEPT][IBX_SHA256_LEN];
	unsigned nkept;
};

/* The retry-* modes answer as the hub does (hub/intake/store.c): the same
 * envelope accepted before is "duplicate", another at a sequence not
 * above the last accepted is "replay"; else as the mode says. */
static bool
impostor_seen(struct impostor *im, const uint8_t *req, size_t len,
	      uint64_t seq, ibx_ack *ack)
{
	uint8_t d[IBX_SHA256_LEN];
	unsigned i;

	ibx_sha256(req, len, d);
	for (i = 0; i < im->nkept; i++)
		if (memcmp(im->kept[i], d, sizeof(d)) == 0) {
			ack->status = IBX_ACK_DUPLICATE;
			snprintf(ack->error, sizeof(ack->error),
				 "already accepted; nothing stored again");
			return (true);
		}
	if (seq <= im->last_seq) {
		ack->status = IBX_ACK_REPLAY;
		snprintf(ack->error, sizeof(ack->error),
			 "header: field \"sequence\": sequence %llu is not "
			 "greater than the last accepted %llu",
			 (unsigned long long)seq,
			 (unsigned long long)im->last_seq);
		return (true);
	}
	return (false);
}

/* A retry-* mode accepted req at seq: remembered. */
static void
impostor_keep(struct impostor *im, const uint8_t *req, size_t len,
	      uint64_t seq)
{
	if (im->nkept < IMPOSTOR_KEPT)
		ibx_sha256(req, len, im->kept[im->nkept++]);
	im->last_seq = seq;
}

static void
impostor_handle(void *arg, const uint8_t *req, size_t len, ibx_bytes *reply)
{
	struct impostor *im = arg;
	static const uint8_t other[] = "another request";
	ibx_case_statistics *s = NULL;
	ibx_envelope env;
	ibx_header h;
	ibx_ack ack;
	char period[8] = "-";
	bool retry;

	memset(&ack, 0, sizeof(ack));
	memset(&h, 0, sizeof(h));
	memset(&env, 0, sizeof(env));
	if (ibx_envelope_decode(req, len, &env) == IBX_OK &&
	    ibx_header_decode(env.header.data, env.header.len, &h) == IBX_OK) {
		ack.sequence = h.sequence;
		if (h.payload_type == IBX_PAYLOAD_CASE_STATISTICS &&
		    ibx_statistics_decode(env.payload.data, env.payload.len,
					  &s) == IBX_OK)
			snprintf(period, sizeof(period), "%s", s->period);
	}
	ibx_statistics_free(s);
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&env);
	ack.status = IBX_ACK_ACCEPTED;
	ack.listing_version = 1;
	im->received++;
	retry = strncmp(im->mode, "retry-", 6) == 0;
	if (retry && impostor_seen(im, req, len, ack.sequence, &ack)) {
		/* answered as the hub would */
	} else if ((strncmp(im->mode, "retry-period:", 13) == 0 &&
		    strcmp(im->mode + 13, period) == 0) ||
		   (strncmp(im->mode, "retry-first:", 12) == 0 &&
		    im->received <= (unsigned)atoi(im->mode + 12))) {
		ack.status = IBX_ACK_RETRY_LATER;
		snprintf(ack.error, sizeof(ack.error),
			 "hub database unavailable: send it again later");
	} else if (retry)
		impostor_keep(im, req, len, ack.sequence);
	printf("received %u seq %llu period %s: %s\n", im->received,
	       (unsigned long long)ack.sequence, period,
	       ibx_ack_status_name(ack.status));
	fflush(stdout);
	if (strcmp(im->mode, "unsigned") == 0) {
		memcpy(ack.hub_cert, im->cert.data, im->cert.len);
		ack.hub_cert_len = im->cert.len;
	} else if (strcmp(im->mode, "other-request") == 0)
		(void)ibx_ack_sign(im->key, &im->cert, other, sizeof(other),
				   &ack);
	else {
		(void)ibx_ack_sign(im->key, &im->cert, req, len, &ack);
		if (strcmp(im->mode, "tampered") == 0)
			ack.listing_version = 7;
	}
	(void)ibx_ack_encode(&ack, reply);
}

static int
impostor(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"ack", required_argument, NULL, 'm'},
	    {"sign-key", required_argument, NULL, 's'},
	    {"seconds", required_argument, NULL, 'S'},
	    {NULL, 0, NULL, 0},
	};
	ibx_transport_opts t = {NULL, NULL, NULL, NULL, NULL, NULL};
	static struct impostor im = {"good", NULL, {NULL, 0}, 0, 0, {{0}}, 0};
	const char *url = NULL, *sign_key = NULL;
	ibx_rep_server *rep = NULL;
	ibx_cert *cert = NULL;
	void *args[1] = {&im};
	long secs = 10;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			url = optarg;
			break;
		case 'c':
			t.cert_file = optarg;
			break;
		case 'k':
			t.key_file = optarg;
			break;
		case 'a':
			t.ca_file = optarg;
			break;
		case 'm':
			im.mode = optarg;
			break;
		case 's':
			sign_key = optarg;
			break;
		case 'S':
			secs = strtol(optarg, NULL, 10);
			break;
		default:
			return (2);
		}
	}
	if (url == NULL || t.cert_file == NULL || t.key_file == NULL)
		return (2);
	if (ibx_cert_load(t.cert_file, &cert) != IBX_OK ||
	    ibx_cert_der(cert, &im.cert) != IBX_OK ||
	    ibx_key_load(sign_key != NULL ? sign_key : t.key_file, &im.key) !=
		IBX_OK)
		return (1);
	ibx_cert_free(cert);
	if (ibx_rep_server_open(url, &t, 1, args, impostor_handle, &rep) !=
	    IBX_OK)
		return (1);
	printf("listening\n");
	fflush(stdout);
	sleep((unsigned)secs);
	ibx_rep_server_close(rep);
	printf("done: received %u\n", im.received);
	ibx_key_free(im.key);
	ibx_bytes_fini(&im.cert);
	return (0);
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
idle_tcp(const char *addr, long n, long secs)
{
	struct sockaddr_in sa;
	struct pollfd *p;
	struct rlimit rl;
	char host[64];
	const char *colon = strrchr(addr, ':');
	double t0, first = -1, last = -1, *when;
	long i, open_n, closed = 0, early = 0;
	char buf[64];

	if (colon == NULL || (size_t)(colon - addr) >= sizeof(host) || n < 1)
		return (2);
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return (2);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	p = calloc((size_t)n, sizeof(*p));
	when = calloc((size_t)n, sizeof(*when));
	if (p == NULL || when == NULL)
		return (1);
	for (i = 0; i < n; i++) {
		if ((p[i].fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    connect(p[i].fd, (struct sockaddr *)&sa, sizeof(sa)) !=
			0) {
			perror("connect");
			return (1);
		}
		p[i].events = POLLIN;
	}
	t0 = mono_s();
	printf("connected %ld\n", n);
	fflush(stdout);
	for (open_n = n; open_n > 0 && mono_s() - t0 < (double)secs;) {
		if (poll(p, (nfds_t)n, 100) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			if (read(p[i].fd, buf, sizeof(buf)) > 0)
				continue;
			close(p[i].fd);
			p[i].fd = -1;
			when[i] = mono_s() - t0;
			if (first < 0)
				first = when[i];
			last = when[i];
			closed++;
			open_n--;
			if (when[i] < 1.0)
				early++;
		}
	}
	printf("closed %ld of %ld, first %.2f s, last %.2f s, within 1 s "
	       "%ld\n",
	       closed, n, first, last, early);
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	free(p);
	free(when);
	return (0);
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && strcmp(argv[1], "idle") == 0)
		return (idle(argc - 1, argv + 1));
	if (argc == 8 && strcmp(argv[1], "idle-tcp") == 0 &&
	    strcmp(argv[2], "--addr") == 0 &&
	    strcmp(argv[4], "--conns") == 0 &&
	    strcmp(argv[6], "--seconds") == 0)
		return (idle_tcp(argv[3], strtol(argv[5], NULL, 10),
				 strtol(argv[7], NULL, 10)));
	if (argc >= 2 && strcmp(argv[1], "impostor") == 0)
		return (impostor(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "forge") == 0)
		return (forge(argc - 1, argv + 1));
	if (argc == 6 && strcmp(argv[1], "send") == 0 &&
	    strcmp(argv[2], "--hub") == 0 && strcmp(argv[4], "--file") == 0)
		return (send_file(argv[3], argv[5], NULL));
	/* Over mutual TLS: send --hub URL --file F --cert C --key K --ca A. */
	if (argc == 12 && strcmp(argv[1], "send") == 0 &&
	    strcmp(argv[2], "--hub") == 0 && strcmp(argv[4], "--file") == 0 &&
	    strcmp(argv[6], "--cert") == 0 && strcmp(argv[8], "--key") == 0 &&
	    strcmp(argv[10], "--ca") == 0) {
		ibx_transport_opts tls = {argv[7], argv[9], argv[11],
					  NULL,	   NULL,    NULL};

		return (send_file(argv[3], argv[5], &tls));
	}
	if (argc == 4 && strcmp(argv[1], "oversize") == 0 &&
	    strcmp(argv[2], "--addr") == 0)
		return (oversize(argv[3], 0));
	if (argc == 6 && strcmp(argv[1], "oversize") == 0 &&
	    strcmp(argv[2], "--addr") == 0 && strcmp(argv[4], "--bytes") == 0)
		return (oversize(argv[3], strtoll(argv[5], NULL, 10)));
	fprintf(stderr, "usage: see the comment at the top of testpeer.c\n");
	return (2);
}
