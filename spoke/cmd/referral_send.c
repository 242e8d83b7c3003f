/*
 * inbound-spoke keys, refer, answer and withdraw: what a referrer and a
 * receiving hospital send on the referral channel (docs/referrals.md).
 * Everything stored at the hub goes through the durable outbox, in order
 * (a referral before its chunks, a returned report before the status that
 * names it), and leaves it only on the hub's verified Ack: an acknowledged
 * chunk is never sent again, and a command cut short is finished by the
 * next one or by the agent.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "hex.h"
#include "log.h"
#include "referral_cli.h"

/* The referral commands wait longer than listings: a chunk is 1 MiB. */
static void
ref_defaults(spoke_ref *r)
{
	memset(r, 0, sizeof(*r));
	r->net.timeout_ms = 30000;
	r->net.attempts = 3;
}

/* The key a referrer seals to: the receiver's announcements, as the hub
 * forwards them, each checked (its signature, its certificate's chain to
 * the national CA and the CRL, that it names the receiver, that the key
 * id is the key's); the newest still in use is taken.  One announcement
 * that fails means the hub (or someone) put it there: nothing is sent.
 * role_required: the receiver's role ("hospital"), or NULL for any. */
static int
fetch_key(spoke_ref *r, const char *code, const char *role_required,
	  ibx_encryption_key *out)
{
	ibx_key_query q;
	ibx_key_reply kr;
	ibx_bytes payload = {NULL, 0}, reply = {NULL, 0};
	ibx_encryption_key k;
	ibx_problems problems;
	spoke_peer_env pe;
	uint8_t digest[IBX_SHA256_LEN];
	char err[512], expect[IBX_KEY_ID_HEX + 1];
	int64_t now = spoke_ref_now_ms();
	bool found = false;
	size_t i;
	int status;

	memset(&kr, 0, sizeof(kr));
	memset(&pe, 0, sizeof(pe));
	ibx_problems_init(&problems);
	memset(&q, 0, sizeof(q));
	snprintf(q.organisation_code, sizeof(q.organisation_code), "%s", code);
	if (ibx_key_query_encode(&q, &payload) != IBX_OK) {
		status = 1;
		goto out;
	}
	if ((status = spoke_ref_query(r, IBX_PAYLOAD_KEY_QUERY, &payload,
				      "key query", &reply)) != 0)
		goto out;
	status = 1;
	if (ibx_key_reply_decode(reply.data, reply.len, &problems, &kr) !=
	    IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: the hub's key reply does not "
			"decode\n");
		goto out;
	}
	if (kr.n == 0) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s has announced no key for "
			"referrals (its spoke runs 'inbound-spoke keys "
			"rotate')\n",
			code);
		goto out;
	}
	for (i = 0; i < kr.n; i++) {
		spoke_peer_fini(&pe);
		if (spoke_peer_open(
			r->trust, kr.announcements[i].data,
			kr.announcements[i].len, IBX_PAYLOAD_ENCRYPTION_KEY,
			code, time(NULL), &pe, err, sizeof(err)) != IBX_OK) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: key announcement %zu of %s "
				"refused: %s; nothing is sent (a key the "
				"hospital did not sign is a substituted "
				"key)\n",
				i + 1, code, err);
			goto out;
		}
		if (role_required != NULL &&
		    strcmp(pe.role, role_required) != 0) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: %s is a %s, not a %s: "
				"nothing is sent\n",
				code, pe.role, role_required);
			goto out;
		}
		ibx_problems_fini(&problems);
		ibx_problems_init(&problems);
		if (ibx_encryption_key_decode(pe.env.payload.data,
					      pe.env.payload.len, &problems,
					      &k) != IBX_OK ||
		    ibx_encryption_key_check(&k, &problems) != IBX_OK ||
		    strcmp(k.organisation_code, code) != 0) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: key announcement %zu of %s "
				"is not a valid key for %s: nothing is "
				"sent\n",
				i + 1, code, code);
			goto out;
		}
		ibx_sha256(k.public_key, sizeof(k.public_key), digest);
		ibx_hex_encode(digest, IBX_KEY_ID_HEX / 2, expect);
		if (strcmp(expect, k.key_id) != 0) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: key announcement %zu of %s: "
				"key id %s is not its key's: nothing is "
				"sent\n",
				i + 1, code, k.key_id);
			goto out;
		}
		if (!found && (k.use_until_ms == 0 || k.use_until_ms > now)) {
			*out = k;
			found = true;
		}
	}
	if (!found) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: every key of %s is past its "
			"use: nothing is sent\n",
			code);
		goto out;
	}
	status = 0;
out:
	spoke_peer_fini(&pe);
	ibx_key_reply_fini(&kr);
	ibx_problems_fini(&problems);
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&reply);
	return (status);
}

/* Queue referral ref (its chunks in chunk_dir) in the outbox: the
 * Referral first, then every chunk in order, one in memory at a time. */
static int
queue_referral(spoke_ref *r, const ibx_referral *ref, const char *chunk_dir)
{
	ibx_bytes payload = {NULL, 0}, body = {NULL, 0};
	ibx_referral_chunk c;
	char path[4096], *text;
	uint64_t seq;
	uint32_t i;
	int status = 1;

	if (ibx_referral_encode(ref, &payload) != IBX_OK ||
	    spoke_ref_queue(r, IBX_PAYLOAD_REFERRAL, &payload, &seq) != IBX_OK)
		goto out;
	for (i = 0; i < ref->chunk_count; i++) {
		ibx_bytes_fini(&payload);
		ibx_bytes_fini(&body);
		spoke_ref_chunk_path(chunk_dir, i, path, sizeof(path));
		if (ibx_file_read(path, IBX_CHUNK_CIPHER_MAX, &text,
				  &body.len) != IBX_OK) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: %s: cannot read\n", path);
			goto out;
		}
		body.data = (uint8_t *)text;
		memset(&c, 0, sizeof(c));
		snprintf(c.referral_id, sizeof(c.referral_id), "%s",
			 ref->referral_id);
		c.index = i;
		c.ciphertext = body.data;
		c.ciphertext_len = body.len;
		if (ibx_referral_chunk_encode(&c, &payload) != IBX_OK ||
		    spoke_ref_queue(r, IBX_PAYLOAD_REFERRAL_CHUNK, &payload,
				    &seq) != IBX_OK)
			goto out;
		/* Queued durably: the sealed chunk is not needed again, so
		 * the package is on disk once, not twice (it_referral_2gib:
		 * 2 GiB less at the peak). */
		(void)unlink(path);
	}
	status = 0;
out:
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&body);
	return (status);
}

/* What refer asks for. */
struct refer_args {
	const char *to, *package, *answers;
	ibx_referral meta; /* purpose .. urgency from the options */
};

/* Seal and queue a referral of the files in a->package to a->to, then
 * deliver the outbox.  *id receives its id. */
static int
refer_run(spoke_ref *r, struct refer_args *a, const char *role_required,
	  char id[IBX_REFERRAL_ID_HEX + 1])
{
	ibx_encryption_key key;
	ibx_referral ref = a->meta;
	ibx_problems problems;
	char part[64], dir[4096], *joined;
	int status;

	ibx_problems_init(&problems);
	if ((status = fetch_key(r, a->to, role_required, &key)) != 0)
		goto out;
	status = 1;
	if (spoke_ref_new_id(id) != IBX_OK)
		goto out;
	snprintf(ref.referral_id, sizeof(ref.referral_id), "%s", id);
	snprintf(ref.receiver, sizeof(ref.receiver), "%s", a->to);
	snprintf(ref.key_id, sizeof(ref.key_id), "%s", key.key_id);
	if (a->answers != NULL)
		snprintf(ref.answers_referral_id,
			 sizeof(ref.answers_referral_id), "%s", a->answers);
	/* The package writer makes the folder itself (whole or not at
	 * all): only its parent is made here. */
	snprintf(part, sizeof(part), "outgoing/%s", id);
	if (spoke_ref_mkdirs(r, "outgoing") != IBX_OK ||
	    spoke_ref_path(r, dir, sizeof(dir), part) != 0)
		goto out;
	if (spoke_ref_package_seal(r, a->package, &key, dir, &ref) != 0)
		goto out;
	if (ibx_referral_check(&ref, &problems) != IBX_OK) {
		joined = ibx_problems_join(&problems, "; ");
		fprintf(spoke_ref_errf(),
			"inbound-spoke: referral refused: %s\n",
			joined ? joined : "out of memory");
		free(joined);
		spoke_ref_chunks_remove(dir);
		goto out;
	}
	if (queue_referral(r, &ref, dir) != 0)
		goto out;
	spoke_ref_chunks_remove(dir);
	/* Noted before delivery: case records may name it at once. */
	(void)spoke_ref_ledger_note(r, id, SPOKE_REFERRAL_SENT, "sending");
	printf("referral %s to %s: %" PRIu32 " chunk(s), %" PRIu64
	       " bytes sealed to key %s, queued\n",
	       id, a->to, ref.chunk_count, ref.package_bytes, key.key_id);
	fflush(stdout);
	status = spoke_ref_drain(r);
	if (status == 0)
		printf("referral %s sent\n", id);
out:
	ibx_problems_fini(&problems);
	return (status);
}

/* Split a comma-separated list of languages into ref. */
static int
set_languages(ibx_referral *ref, const char *list)
{
	const char *p = list;
	size_t len;

	while (*p != '\0') {
		len = strcspn(p, ",");
		if (ref->n_languages == IBX_REFERRAL_LANGUAGES_MAX ||
		    len == 0 || len > 3) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: --languages: a list of at "
				"most %d ISO 639-1 codes, comma-separated\n",
				IBX_REFERRAL_LANGUAGES_MAX);
			return (-1);
		}
		snprintf(ref->languages[ref->n_languages++], 4, "%.*s",
			 (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
	return (0);
}

/* Copy text option value into a fixed field of size n, or fail naming
 * the option. */
static int
set_text(char *field, size_t n, const char *option, const char *value)
{
	if (strlen(value) >= n) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: longer than %zu bytes\n", option,
			n - 1);
		return (-1);
	}
	snprintf(field, n, "%s", value);
	return (0);
}

/* Options parsed with the shared ones; own[] are the command's rows. */
static int
parse(int argc, char **argv, spoke_ref *r, const struct option *own,
      size_t nown, int (*take)(void *, int, const char *), void *arg)
{
	struct option longopts[40];
	size_t i;
	int ch, rv;

	for (i = 0; i < nown; i++)
		longopts[i] = own[i];
	for (i = 0; i < SPOKE_REF_LONGOPTS; i++)
		longopts[nown + i] = spoke_ref_longopts[i];
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			spoke_cmd_help(stdout, argv[0]);
			exit(0);
		}
		if ((rv = take(arg, ch, optarg)) == 1)
			continue;
		if (rv == 0 && (rv = spoke_ref_option(r, ch, optarg)) == 1)
			continue;
		if (rv == 0)
			spoke_cmd_usage(stderr, argv[0]);
		return (-1);
	}
	return (0);
}

struct refer_opts {
	spoke_ref *r;
	struct refer_args *a;
};

static int
refer_take(void *arg, int ch, const char *v)
{
	struct refer_opts *o = arg;
	ibx_referral *m = &o->a->meta;

	switch (ch) {
	case 1:
		o->a->to = v;
		return (1);
	case 2:
		o->a->package = v;
		return (1);
	case 3:
		return (
		    set_text(m->purpose, sizeof(m->purpose), "--purpose", v)
			? -1
			: 1);
	case 4:
		return (set_text(m->department, sizeof(m->department),
				 "--department", v)
			    ? -1
			    : 1);
	case 5:
		return (set_text(m->treatment, sizeof(m->treatment),
				 "--treatment", v)
			    ? -1
			    : 1);
	case 6:
		return (set_text(m->nationality, sizeof(m->nationality),
				 "--nationality", v)
			    ? -1
			    : 1);
	case 7:
		return (
		    set_text(m->age_band, sizeof(m->age_band), "--age-band", v)
			? -1
			: 1);
	case 8:
		return (set_languages(m, v) ? -1 : 1);
	case 9:
		return (
		    set_text(m->urgency, sizeof(m->urgency), "--urgency", v)
			? -1
			: 1);
	}
	return (0);
}

int
spoke_cmd_refer(int argc, char **argv)
{
	static const struct option own[] = {
	    {"to", required_argument, NULL, 1},
	    {"package", required_argument, NULL, 2},
	    {"purpose", required_argument, NULL, 3},
	    {"department", required_argument, NULL, 4},
	    {"treatment", required_argument, NULL, 5},
	    {"nationality", required_argument, NULL, 6},
	    {"age-band", required_argument, NULL, 7},
	    {"languages", required_argument, NULL, 8},
	    {"urgency", required_argument, NULL, 9},
	};
	spoke_ref r;
	struct refer_args a;
	struct refer_opts o = {&r, &a};
	char id[IBX_REFERRAL_ID_HEX + 1];
	int status;

	ref_defaults(&r);
	memset(&a, 0, sizeof(a));
	snprintf(a.meta.urgency, sizeof(a.meta.urgency), "routine");
	if (parse(argc, argv, &r, own, sizeof(own) / sizeof(own[0]),
		  refer_take, &o) != 0)
		return (2);
	if (a.to == NULL || a.package == NULL || a.meta.purpose[0] == '\0') {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: --to, --package and --purpose are "
			"required\n");
		spoke_cmd_usage(stderr, argv[0]);
		return (2);
	}
	if ((status = spoke_ref_open(&r, true)) == 0)
		status = refer_run(&r, &a, "hospital", id);
	spoke_ref_close(&r);
	return (status);
}

/* keys rotate: a new key pair, announced through the outbox. */
static int
keys_rotate(spoke_ref *r)
{
	ibx_encryption_key k;
	ibx_bytes payload = {NULL, 0};
	uint64_t seq;
	int status = 1;

	if (spoke_ref_key_create(r, &k) != 0)
		goto out;
	if (ibx_encryption_key_encode(&k, &payload) != IBX_OK ||
	    spoke_ref_queue(r, IBX_PAYLOAD_ENCRYPTION_KEY, &payload, &seq) !=
		IBX_OK)
		goto out;
	printf("key %s made (private key in %s/keys/%s.key), announcement "
	       "queued\n",
	       k.key_id, r->state, k.key_id);
	fflush(stdout);
	status = spoke_ref_drain(r);
	if (status == 0)
		printf("key %s announced\n", k.key_id);
out:
	ibx_bytes_fini(&payload);
	return (status);
}

/* keys show: the announcements the hub holds for this organisation, each
 * checked as a referrer checks it, and whether the private key is here. */
static int
keys_show(spoke_ref *r)
{
	ibx_key_query q;
	ibx_key_reply kr;
	ibx_bytes payload = {NULL, 0}, reply = {NULL, 0};
	ibx_encryption_key k;
	spoke_peer_env pe;
	char err[512];
	size_t i;
	int status;

	memset(&kr, 0, sizeof(kr));
	memset(&q, 0, sizeof(q));
	snprintf(q.organisation_code, sizeof(q.organisation_code), "%s",
		 r->id.code);
	if (ibx_key_query_encode(&q, &payload) != IBX_OK)
		return (1);
	if ((status = spoke_ref_query(r, IBX_PAYLOAD_KEY_QUERY, &payload,
				      "key query", &reply)) != 0)
		goto out;
	status = 1;
	if (ibx_key_reply_decode(reply.data, reply.len, NULL, &kr) != IBX_OK)
		goto out;
	printf("%zu key(s) of %s at the hub, newest first:\n", kr.n,
	       r->id.code);
	for (i = 0; i < kr.n; i++) {
		if (spoke_peer_open(r->trust, kr.announcements[i].data,
				    kr.announcements[i].len,
				    IBX_PAYLOAD_ENCRYPTION_KEY, r->id.code,
				    time(NULL), &pe, err,
				    sizeof(err)) != IBX_OK) {
			printf("  (announcement %zu does not verify: %s)\n",
			       i + 1, err);
			continue;
		}
		if (ibx_encryption_key_decode(pe.env.payload.data,
					      pe.env.payload.len, NULL,
					      &k) == IBX_OK)
			printf("  %s  created %" PRId64 "  private key %s\n",
			       k.key_id, k.created_at_ms,
			       spoke_ref_key_have(r, k.key_id) ? "here"
							       : "MISSING");
		spoke_peer_fini(&pe);
	}
	status = 0;
out:
	ibx_key_reply_fini(&kr);
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&reply);
	return (status);
}

static int
no_own(void *arg, int ch, const char *v)
{
	(void)arg;
	(void)ch;
	(void)v;
	return (0);
}

int
spoke_cmd_keys(int argc, char **argv)
{
	spoke_ref r;
	const char *action;
	int status;

	ref_defaults(&r);
	if (argc < 2 ||
	    (strcmp(argv[1], "rotate") != 0 && strcmp(argv[1], "show") != 0)) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
				  strcmp(argv[1], "-h") == 0)) {
			spoke_cmd_help(stdout, "keys");
			return (0);
		}
		spoke_cmd_usage(stderr, "keys");
		return (2);
	}
	action = argv[1];
	argv[1] = argv[0];
	if (parse(argc - 1, argv + 1, &r, NULL, 0, no_own, NULL) != 0)
		return (2);
	if ((status = spoke_ref_open(&r, strcmp(action, "rotate") == 0)) == 0)
		status = strcmp(action, "rotate") == 0 ? keys_rotate(&r)
						       : keys_show(&r);
	spoke_ref_close(&r);
	return (status);
}

/* What answer asks for. */
struct answer_args {
	const char *report;
	ibx_referral_status s;
};

static int
answer_take(void *arg, int ch, const char *v)
{
	struct answer_args *a = arg;
	char *end;
	long long n;

	switch (ch) {
	case 1:
		a->s.state = ibx_referral_state_parse(v);
		if (a->s.state < IBX_REFERRAL_ACKNOWLEDGED ||
		    a->s.state == IBX_REFERRAL_WITHDRAWN) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: --status: acknowledged, "
				"declined, quote, opinion_returned, "
				"visit_scheduled or visited\n");
			return (-1);
		}
		return (1);
	case 2:
		return (set_text(a->s.reason_code, sizeof(a->s.reason_code),
				 "--reason", v)
			    ? -1
			    : 1);
	case 3:
	case 4:
		n = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 0) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: %s: a price in JPY\n",
				ch == 3 ? "--price-min" : "--price-max");
			return (-1);
		}
		*(ch == 3 ? &a->s.price_min_jpy : &a->s.price_max_jpy) = n;
		return (1);
	case 5:
		return (set_text(a->s.earliest_date,
				 sizeof(a->s.earliest_date), "--earliest", v)
			    ? -1
			    : 1);
	case 6:
		a->report = v;
		return (1);
	case 7:
		return (set_text(a->s.visit_date, sizeof(a->s.visit_date),
				 "--visit-date", v)
			    ? -1
			    : 1);
	}
	return (0);
}

/* A report file made into a package folder of its own (a copy), in the
 * state folder; dir receives its path. */
static int
report_dir(spoke_ref *r, const char *report, char *dir, size_t n)
{
	struct stat sb;
	char part[128], path[4096];
	const char *base;
	char *data = NULL;
	size_t len;
	int status = 1;

	if (stat(report, &sb) != 0) {
		fprintf(spoke_ref_errf(), "inbound-spoke: --report %s: %s\n",
			report, strerror(errno));
		return (1);
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(dir, n, "%s", report);
		return (0);
	}
	snprintf(part, sizeof(part), "outgoing/report-%ld", (long)getpid());
	if (spoke_ref_mkdirs(r, part) != IBX_OK ||
	    spoke_ref_path(r, dir, n, part) != 0)
		return (1);
	base = strrchr(report, '/') ? strrchr(report, '/') + 1 : report;
	snprintf(path, sizeof(path), "%.3800s/%.255s", dir, base);
	if (ibx_file_read(report, (size_t)64 << 20, &data, &len) != IBX_OK ||
	    spoke_ref_write(path, data, len, 0600) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: --report %s: cannot copy (a single "
			"file of at most 64 MiB; give a folder for more)\n",
			report);
		goto out;
	}
	status = 0;
out:
	free(data);
	return (status);
}

/* Queue one status and deliver the outbox. */
static int
send_status(spoke_ref *r, const ibx_referral_status *s)
{
	ibx_bytes payload = {NULL, 0};
	ibx_problems problems;
	char *joined;
	uint64_t seq;
	int status = 1;

	ibx_problems_init(&problems);
	if (ibx_referral_status_check(s, &problems) != IBX_OK) {
		joined = ibx_problems_join(&problems, "; ");
		fprintf(spoke_ref_errf(),
			"inbound-spoke: status refused: %s\n",
			joined ? joined : "out of memory");
		free(joined);
		goto out;
	}
	if (ibx_referral_status_encode(s, &payload) != IBX_OK ||
	    spoke_ref_queue(r, IBX_PAYLOAD_REFERRAL_STATUS, &payload, &seq) !=
		IBX_OK)
		goto out;
	status = spoke_ref_drain(r);
	if (status == 0)
		printf("referral %s: %s sent\n", s->referral_id,
		       ibx_referral_state_name(s->state));
out:
	ibx_problems_fini(&problems);
	ibx_bytes_fini(&payload);
	return (status);
}

/* opinion_returned with --report: the report goes back to the referrer as
 * a referral of its own (answers_referral_id), sealed to the referrer's
 * key, before the status that names it. */
static int
return_report(spoke_ref *r, struct answer_args *a)
{
	struct refer_args ra;
	ibx_referral orig;
	ibx_referral_state state;
	char referrer[32], dir[4096], id[IBX_REFERRAL_ID_HEX + 1];
	int status;

	if ((status = spoke_ref_find(r, a->s.referral_id, &orig, referrer,
				     &state)) != 0)
		return (status);
	if ((status = report_dir(r, a->report, dir, sizeof(dir))) != 0)
		return (status);
	memset(&ra, 0, sizeof(ra));
	ra.to = referrer;
	ra.package = dir;
	ra.answers = a->s.referral_id;
	ra.meta = orig;
	memset(ra.meta.referral_id, 0, sizeof(ra.meta.referral_id));
	memset(ra.meta.answers_referral_id, 0,
	       sizeof(ra.meta.answers_referral_id));
	status = refer_run(r, &ra, NULL, id);
	if (strcmp(dir, a->report) != 0)
		spoke_ref_chunks_remove(dir);
	if (status != 0)
		return (status);
	snprintf(a->s.report_referral_id, sizeof(a->s.report_referral_id),
		 "%s", id);
	return (0);
}

int
spoke_cmd_answer(int argc, char **argv)
{
	static const struct option own[] = {
	    {"status", required_argument, NULL, 1},
	    {"reason", required_argument, NULL, 2},
	    {"price-min", required_argument, NULL, 3},
	    {"price-max", required_argument, NULL, 4},
	    {"earliest", required_argument, NULL, 5},
	    {"report", required_argument, NULL, 6},
	    {"visit-date", required_argument, NULL, 7},
	};
	spoke_ref r;
	struct answer_args a;
	int status;

	ref_defaults(&r);
	memset(&a, 0, sizeof(a));
	if (parse(argc, argv, &r, own, sizeof(own) / sizeof(own[0]),
		  answer_take, &a) != 0)
		return (2);
	if (optind != argc - 1 || !ibx_referral_id_valid(argv[optind]) ||
	    a.s.state == IBX_REFERRAL_UNSPECIFIED) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: answer: give one referral id "
			"(32 hex digits) and --status\n");
		spoke_cmd_usage(stderr, argv[0]);
		return (2);
	}
	snprintf(a.s.referral_id, sizeof(a.s.referral_id), "%s", argv[optind]);
	if (a.s.state == IBX_REFERRAL_OPINION_RETURNED && a.report == NULL) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: --status opinion_returned "
			"needs --report FILE|DIR\n");
		return (2);
	}
	if ((status = spoke_ref_open(&r, true)) != 0)
		goto out;
	if (a.report != NULL && (status = return_report(&r, &a)) != 0)
		goto out;
	status = send_status(&r, &a.s);
out:
	spoke_ref_close(&r);
	return (status);
}

int
spoke_cmd_withdraw(int argc, char **argv)
{
	spoke_ref r;
	ibx_referral_status s;
	int status;

	ref_defaults(&r);
	memset(&s, 0, sizeof(s));
	if (parse(argc, argv, &r, NULL, 0, no_own, NULL) != 0)
		return (2);
	if (optind != argc - 1 || !ibx_referral_id_valid(argv[optind])) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: withdraw: give one referral "
			"id (32 hex digits)\n");
		spoke_cmd_usage(stderr, argv[0]);
		return (2);
	}
	snprintf(s.referral_id, sizeof(s.referral_id), "%s", argv[optind]);
	s.state = IBX_REFERRAL_WITHDRAWN;
	if ((status = spoke_ref_open(&r, true)) == 0)
		status = send_status(&r, &s);
	spoke_ref_close(&r);
	return (status);
}

int
spoke_ref_refer(spoke_ref *r, const char *to, const char *dir,
		const ibx_referral *meta, char id[IBX_REFERRAL_ID_HEX + 1])
{
	struct refer_args a;

	memset(&a, 0, sizeof(a));
	a.to = to;
	a.package = dir;
	a.meta = *meta;
	return (refer_run(r, &a, "hospital", id));
}

int
spoke_ref_answer(spoke_ref *r, const ibx_referral_status *s,
		 const char *report)
{
	struct answer_args a;
	int status;

	memset(&a, 0, sizeof(a));
	a.report = report;
	a.s = *s;
	if (report != NULL && (status = return_report(r, &a)) != 0)
		return (status);
	return (send_status(r, &a.s));
}
