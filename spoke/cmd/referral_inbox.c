/*
 * inbound-spoke inbox: what the hub holds for this organisation on the
 * referral channel (referrals addressed to it, statuses on referrals it
 * sent or received), each envelope checked against the national CA as its
 * sender signed it; and, with --fetch, one referral's package: its chunks
 * pulled a window at a time (each checked to be the referrer's), kept in the
 * state folder as they come (a fetch cut short resumes where it stopped),
 * then decrypted and verified into --out, and 'delivered' sent: the hub
 * then deletes the ciphertext.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "referral_cli.h"

/* One page of the inbox after cursor after into *ir (decoded). */
static int
inbox_page(spoke_ref *r, uint64_t after, ibx_inbox_reply *ir)
{
	ibx_inbox_query q;
	ibx_bytes payload = {NULL, 0}, reply = {NULL, 0};
	int status;

	memset(&q, 0, sizeof(q));
	q.after = after;
	q.limit = IBX_INBOX_LIMIT_MAX;
	if (ibx_inbox_query_encode(&q, &payload) != IBX_OK)
		return (1);
	status = spoke_ref_query(r, IBX_PAYLOAD_INBOX_QUERY, &payload,
				 "inbox query", &reply);
	if (status == 0 && ibx_inbox_reply_decode(reply.data, reply.len, NULL,
						  ir) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: the hub's inbox reply does not "
			"decode\n");
		status = 1;
	}
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&reply);
	return (status);
}

/* Load STATE/referrals.tsv into *l (path into path); a warning and NULL
 * when it cannot be read. */
static void
ledger_open(spoke_ref *r, char *path, size_t n, spoke_referral_ledger **l)
{
	char err[512];

	*l = NULL;
	if (spoke_ref_path(r, path, n, SPOKE_REF_LEDGER) != 0 ||
	    spoke_referral_ledger_load(path, l, err, sizeof(err)) != IBX_OK)
		fprintf(spoke_ref_errf(),
			"inbound-spoke: warning: referral ledger not "
			"updated: %s\n",
			path);
}

/* Write *l back to path (the state folder made first); a warning when it
 * cannot be. */
static int
ledger_close(spoke_ref *r, const char *path, spoke_referral_ledger *l)
{
	int status = 0;

	if (l == NULL)
		return (1);
	if (spoke_ref_mkdirs(r, "") != IBX_OK ||
	    spoke_referral_ledger_save(l, path) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: warning: referral ledger %s not "
			"written: %s\n",
			path, strerror(errno));
		status = 1;
	}
	spoke_referral_ledger_free(l);
	return (status);
}

int
spoke_ref_ledger_note(spoke_ref *r, const char *id, spoke_referral_role role,
		      const char *state)
{
	spoke_referral_ledger *l;
	char path[4096];

	ledger_open(r, path, sizeof(path), &l);
	if (l != NULL &&
	    spoke_referral_ledger_note(l, id, role, state) != IBX_OK) {
		spoke_referral_ledger_free(l);
		return (1);
	}
	return (ledger_close(r, path, l));
}

/* Note a verified inbox item in the ledger l: a referral addressed to
 * this organisation is one it received; a status names a referral it sent
 * or received (the inbox lists a referral before its statuses, so one not
 * noted as received is one it sent).  The state is the referral's at the
 * hub now. */
static void
ledger_item(spoke_referral_ledger *l, const spoke_ref *r,
	    const ibx_inbox_item *it, const spoke_peer_env *pe)
{
	ibx_referral ref;
	ibx_referral_status s;
	spoke_referral_role role = SPOKE_REFERRAL_SENT;
	const char *id;

	if (l == NULL)
		return;
	if (pe->header.payload_type == IBX_PAYLOAD_REFERRAL) {
		if (ibx_referral_decode(pe->env.payload.data,
					pe->env.payload.len, NULL,
					&ref) != IBX_OK)
			return;
		id = ref.referral_id;
		if (strcmp(ref.receiver, r->id.code) == 0)
			role = SPOKE_REFERRAL_RECEIVED;
		(void)spoke_referral_ledger_note(
		    l, id, role, ibx_referral_state_name(it->state));
		return;
	}
	if (ibx_referral_status_decode(
		pe->env.payload.data, pe->env.payload.len, NULL, &s) != IBX_OK)
		return;
	(void)spoke_referral_ledger_find(l, s.referral_id, &role, NULL);
	(void)spoke_referral_ledger_note(l, s.referral_id, role,
					 ibx_referral_state_name(it->state));
}

/* Called for every verified item of the inbox (referral_cli.h). */
typedef spoke_ref_item_fn item_fn;

/* Walk the whole inbox, oldest first, verifying each item.  An item that
 * does not verify is reported and skipped (the hub cannot make one up).
 * Returns 0, the callback's nonzero value, or the query's status. */
static int
inbox_walk(spoke_ref *r, item_fn fn, void *arg)
{
	ibx_inbox_reply ir;
	spoke_peer_env pe;
	spoke_referral_ledger *ledger;
	ibx_payload_type t;
	uint64_t after = 0;
	char err[512], path[4096];
	size_t i;
	int status, pages = 0;

	/* Every verified item is noted in the referral ledger on the way
	 * (cases_referrals.h): inbound-spoke stats reads it. */
	ledger_open(r, path, sizeof(path), &ledger);
	do {
		memset(&ir, 0, sizeof(ir));
		if ((status = inbox_page(r, after, &ir)) != 0) {
			spoke_referral_ledger_free(ledger);
			return (status);
		}
		for (i = 0; i < ir.n; i++) {
			after = ir.items[i].cursor;
			t = ibx_envelope_payload_type(
			    ir.items[i].envelope.data,
			    ir.items[i].envelope.len);
			if ((t != IBX_PAYLOAD_REFERRAL &&
			     t != IBX_PAYLOAD_REFERRAL_STATUS) ||
			    spoke_peer_open(
				r->trust, ir.items[i].envelope.data,
				ir.items[i].envelope.len, t, NULL, time(NULL),
				&pe, err, sizeof(err)) != IBX_OK) {
				fprintf(spoke_ref_errf(),
					"inbound-spoke: inbox item %" PRIu64
					" does not verify: %s (skipped)\n",
					ir.items[i].cursor,
					t == IBX_PAYLOAD_REFERRAL ||
						t ==
						    IBX_PAYLOAD_REFERRAL_STATUS
					    ? err
					    : "not a referral or status");
				continue;
			}
			ledger_item(ledger, r, &ir.items[i], &pe);
			status = fn(arg, &ir.items[i], &pe);
			spoke_peer_fini(&pe);
			if (status != 0) {
				ibx_inbox_reply_fini(&ir);
				(void)ledger_close(r, path, ledger);
				return (status);
			}
		}
		/* Bounded: 100 pages of 100 items per walk. */
	} while (ir.more && ir.n > 0 && ++pages < 100 &&
		 (ibx_inbox_reply_fini(&ir), 1));
	ibx_inbox_reply_fini(&ir);
	(void)ledger_close(r, path, ledger);
	return (0);
}

static int
print_item(void *arg, const ibx_inbox_item *it, const spoke_peer_env *pe)
{
	spoke_ref *r = arg;
	ibx_referral ref;
	ibx_referral_status s;
	size_t i;

	if (pe->header.payload_type == IBX_PAYLOAD_REFERRAL) {
		if (ibx_referral_decode(pe->env.payload.data,
					pe->env.payload.len, NULL,
					&ref) != IBX_OK)
			return (0);
		printf("%s  %s  from %s to %s  %s%s%s  %s %s", ref.referral_id,
		       ref.answers_referral_id[0] ? "report " : "referral",
		       pe->header.sender_id, ref.receiver, ref.purpose,
		       ref.department[0] ? "/" : "", ref.department,
		       ref.nationality, ref.age_band);
		for (i = 0; i < ref.n_languages; i++)
			printf("%s%s", i ? "," : "  ", ref.languages[i]);
		printf("  %s  %" PRIu32 " chunk(s) %" PRIu64 " bytes  "
		       "now %s%s%s\n",
		       ref.urgency, ref.chunk_count, ref.package_bytes,
		       ibx_referral_state_name(it->state),
		       ref.answers_referral_id[0] ? "  answers " : "",
		       ref.answers_referral_id);
		return (0);
	}
	if (ibx_referral_status_decode(
		pe->env.payload.data, pe->env.payload.len, NULL, &s) != IBX_OK)
		return (0);
	printf("%s  status    %s by %s", s.referral_id,
	       ibx_referral_state_name(s.state), pe->header.sender_id);
	if (s.reason_code[0])
		printf("  reason %s", s.reason_code);
	if (s.state == IBX_REFERRAL_QUOTE)
		printf("  JPY %" PRId64 "-%" PRId64 " from %s",
		       s.price_min_jpy, s.price_max_jpy, s.earliest_date);
	if (s.report_referral_id[0])
		printf("  report %s", s.report_referral_id);
	if (s.visit_date[0])
		printf("  visit %s", s.visit_date);
	printf("%s\n", strcmp(pe->header.sender_id, r->id.code) == 0
			   ? "  (ours)"
			   : "");
	return (0);
}

/* What spoke_ref_find looks for. */
struct finding {
	const char *id;
	ibx_referral *ref;
	char *referrer;
	ibx_referral_state *state;
	bool found;
};

static int
find_item(void *arg, const ibx_inbox_item *it, const spoke_peer_env *pe)
{
	struct finding *f = arg;
	ibx_referral ref;

	if (pe->header.payload_type != IBX_PAYLOAD_REFERRAL)
		return (0);
	if (ibx_referral_decode(pe->env.payload.data, pe->env.payload.len,
				NULL, &ref) != IBX_OK ||
	    strcmp(ref.referral_id, f->id) != 0)
		return (0);
	*f->ref = ref;
	snprintf(f->referrer, 32, "%s", pe->header.sender_id);
	*f->state = it->state;
	f->found = true;
	return (1);
}

int
spoke_ref_find(spoke_ref *r, const char *id, ibx_referral *ref,
	       char referrer[32], ibx_referral_state *state)
{
	struct finding f = {id, ref, referrer, state, false};
	int status = inbox_walk(r, find_item, &f);

	if (f.found)
		return (0);
	if (status == 0 || status == 1) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: referral %s is not in the inbox of "
			"%s\n",
			id, r->id.code);
		return (1);
	}
	return (status);
}

/* A ChunkQuery in flight: a window of them is on the wire at once. */
struct asked {
	uint32_t index;
	ibx_bytes env;	       /* the query, sealed (sequence 0) */
	spoke_send_call *call; /* NULL: asked with spoke_query when due */
};

#define FETCH_WINDOW SPOKE_DRAIN_WINDOW

/* Seal the query for chunk i of ref into a and put it on the wire. 0, or
 * 1 when it cannot be sealed (printed). */
static int
ask_chunk(spoke_ref *r, const ibx_referral *ref, uint32_t i, struct asked *a)
{
	ibx_chunk_query q;
	ibx_bytes payload = {NULL, 0};
	ibx_err rv;

	memset(a, 0, sizeof(*a));
	memset(&q, 0, sizeof(q));
	a->index = i;
	snprintf(q.referral_id, sizeof(q.referral_id), "%s", ref->referral_id);
	q.index = i;
	if ((rv = ibx_chunk_query_encode(&q, &payload)) != IBX_OK ||
	    (rv = spoke_envelope_seal(&r->id, 0, IBX_PAYLOAD_CHUNK_QUERY,
				      &payload, &a->env)) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: chunk %" PRIu32
			" of %s: cannot seal: %s\n",
			i, ref->referral_id, ibx_strerror(rv));
		ibx_bytes_fini(&payload);
		return (1);
	}
	ibx_bytes_fini(&payload);
	if (spoke_send_start(&r->so, &a->env, &a->call) != IBX_OK)
		a->call = NULL;
	return (0);
}

/* Forget a (its answer, if any, is not used). */
static void
asked_drop(struct asked *a)
{
	ibx_ack ack;

	if (a->call != NULL)
		(void)spoke_send_finish(a->call, false, &ack);
	a->call = NULL;
	ibx_bytes_fini(&a->env);
}

/* The answer to a into *reply, as spoke_ref_query: 0, 1 refused, 3 no
 * answer (printed). */
static int
answer_chunk(spoke_ref *r, struct asked *a, const char *what, ibx_bytes *reply)
{
	ibx_ack ack;
	ibx_err rv;
	int status = 1;

	memset(&ack, 0, sizeof(ack));
	if (a->call != NULL)
		rv = spoke_query_finish(a->call, &ack, reply);
	else
		rv = spoke_query(&r->so, &a->env, &ack, reply);
	a->call = NULL;
	if (rv != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: no answer from the hub: %s\n",
			what, ibx_strerror(rv));
		status = 3;
	} else if (ack.status != IBX_ACK_ACCEPTED)
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: hub refused (%s): %s\n", what,
			ibx_ack_status_name(ack.status), ack.error);
	else
		status = 0;
	ibx_bytes_fini(&a->env);
	return (status);
}

/* Check reply, the answer for chunk i of ref, to be the referrer's and to
 * belong to ref at index i, and write its ciphertext to path.  0, or 1
 * (printed). */
static int
store_chunk(spoke_ref *r, const ibx_referral *ref, const char *referrer,
	    uint32_t i, const ibx_bytes *reply, const char *path,
	    const char *what)
{
	ibx_referral_chunk c;
	ibx_problems problems;
	spoke_peer_env pe;
	char err[512];
	int status = 1;

	memset(&c, 0, sizeof(c));
	memset(&pe, 0, sizeof(pe));
	ibx_problems_init(&problems);
	if (spoke_peer_open(r->trust, reply->data, reply->len,
			    IBX_PAYLOAD_REFERRAL_CHUNK, referrer, time(NULL),
			    &pe, err, sizeof(err)) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s refused: %s (not the "
			"referrer's)\n",
			what, err);
		goto out;
	}
	if (ibx_referral_chunk_decode(pe.env.payload.data, pe.env.payload.len,
				      &problems, &c) != IBX_OK ||
	    ibx_referral_chunk_check(&c, ref, &problems) != IBX_OK ||
	    c.index != i) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s refused: not chunk %" PRIu32
			" of this referral\n",
			what, i);
		goto out;
	}
	if (spoke_ref_write(path, c.ciphertext, c.ciphertext_len, 0600) !=
	    IBX_OK)
		goto out;
	status = 0;
out:
	ibx_referral_chunk_fini(&c);
	spoke_peer_fini(&pe);
	ibx_problems_fini(&problems);
	return (status);
}

/* Pull the chunks of ref not yet here into dir, FETCH_WINDOW queries in
 * flight at once (memory: the window x one chunk), each answer checked in
 * index order to be the referrer's and to belong to ref at its index.
 * After a failure nothing more is asked and the answers in flight are
 * dropped: a fetch run again resumes with the chunks written. */
static int
fetch_chunks(spoke_ref *r, const ibx_referral *ref, const char *referrer,
	     const char *dir, uint32_t *fetched)
{
	struct asked win[FETCH_WINDOW];
	ibx_bytes reply = {NULL, 0};
	struct stat sb;
	char path[4096], what[96];
	size_t head = 0, count = 0;
	uint32_t next = 0;
	int status = 0;

	*fetched = 0;
	for (;;) {
		while (status == 0 && count < FETCH_WINDOW &&
		       next < ref->chunk_count) {
			spoke_ref_chunk_path(dir, next, path, sizeof(path));
			if (stat(path, &sb) == 0) {
				next++; /* fetched before this run */
				continue;
			}
			if ((status = ask_chunk(
				 r, ref, next,
				 &win[(head + count) % FETCH_WINDOW])) != 0)
				break;
			count++;
			next++;
		}
		if (count == 0)
			break;
		{
			struct asked *a = &win[head];

			head = (head + 1) % FETCH_WINDOW;
			count--;
			if (status != 0) {
				asked_drop(a);
				continue;
			}
			snprintf(what, sizeof(what), "chunk %" PRIu32 " of %s",
				 a->index, ref->referral_id);
			spoke_ref_chunk_path(dir, a->index, path,
					     sizeof(path));
			if ((status = answer_chunk(r, a, what, &reply)) == 0 &&
			    (status = store_chunk(r, ref, referrer, a->index,
						  &reply, path, what)) == 0)
				(*fetched)++;
			ibx_bytes_fini(&reply);
		}
	}
	return (status);
}

static int
fetch(spoke_ref *r, const char *id, const char *out)
{
	ibx_referral ref;
	ibx_referral_state state;
	ibx_referral_status s;
	ibx_bytes payload = {NULL, 0};
	char referrer[32], part[96], dir[4096], opened[4200];
	struct stat sb;
	uint32_t fetched = 0;
	uint64_t seq;
	int status;

	if ((status = spoke_ref_find(r, id, &ref, referrer, &state)) != 0)
		return (status);
	if (strcmp(ref.receiver, r->id.code) != 0) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: referral %s is addressed to %s, "
			"not to %s\n",
			id, ref.receiver, r->id.code);
		return (1);
	}
	if (!spoke_ref_key_have(r, ref.key_id)) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: referral %s is sealed to key %s, "
			"which is not in %s/keys\n",
			id, ref.key_id, r->state);
		return (1);
	}
	snprintf(part, sizeof(part), "incoming/%s", id);
	if (spoke_ref_mkdirs(r, part) != IBX_OK ||
	    spoke_ref_path(r, dir, sizeof(dir), part) != 0)
		return (1);
	snprintf(opened, sizeof(opened), "%s.opened", dir);
	/* Opened before, and 'delivered' not yet queued: only that is left
	 * (the package is never written twice). */
	if (stat(opened, &sb) != 0) {
		if (state != IBX_REFERRAL_SENT) {
			fprintf(spoke_ref_errf(),
				"inbound-spoke: referral %s is %s: its "
				"package is no longer at the hub\n",
				id, ibx_referral_state_name(state));
			return (1);
		}
		if ((status =
			 fetch_chunks(r, &ref, referrer, dir, &fetched)) != 0)
			return (status);
		printf("referral %s: %" PRIu32 " chunk(s) fetched, %" PRIu32
		       " here before\n",
		       id, fetched, ref.chunk_count - fetched);
		if (spoke_ref_package_open(r, &ref, dir, out) != 0)
			return (1);
		if (spoke_ref_write(opened, out, strlen(out), 0600) != IBX_OK)
			return (1);
		printf("referral %s: package decrypted and verified into %s\n",
		       id, out);
	}
	spoke_ref_chunks_remove(dir);
	memset(&s, 0, sizeof(s));
	snprintf(s.referral_id, sizeof(s.referral_id), "%s", id);
	s.state = IBX_REFERRAL_DELIVERED;
	if (ibx_referral_status_encode(&s, &payload) != IBX_OK ||
	    spoke_ref_queue(r, IBX_PAYLOAD_REFERRAL_STATUS, &payload, &seq) !=
		IBX_OK) {
		ibx_bytes_fini(&payload);
		return (1);
	}
	ibx_bytes_fini(&payload);
	(void)unlink(opened);
	status = spoke_ref_drain(r);
	if (status == 0)
		printf("referral %s: delivered\n", id);
	return (status);
}

static int
inbox_take(void *arg, int ch, const char *v)
{
	const char **o = arg;

	if (ch == 1) {
		o[0] = v;
		return (1);
	}
	if (ch == 2) {
		o[1] = v;
		return (1);
	}
	return (0);
}

int
spoke_cmd_inbox(int argc, char **argv)
{
	static const struct option own[] = {
	    {"fetch", required_argument, NULL, 1},
	    {"out", required_argument, NULL, 2},
	};
	struct option longopts[SPOKE_REF_LONGOPTS + 2];
	const char *o[2] = {NULL, NULL};
	spoke_ref r;
	size_t i;
	int ch, rv, status;

	memset(&r, 0, sizeof(r));
	r.net.timeout_ms = 30000;
	r.net.attempts = 3;
	longopts[0] = own[0];
	longopts[1] = own[1];
	for (i = 0; i < SPOKE_REF_LONGOPTS; i++)
		longopts[2 + i] = spoke_ref_longopts[i];
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			spoke_cmd_help(stdout, argv[0]);
			return (0);
		}
		if (inbox_take(o, ch, optarg) == 1)
			continue;
		if ((rv = spoke_ref_option(&r, ch, optarg)) == 1)
			continue;
		if (rv == 0)
			spoke_cmd_usage(stderr, argv[0]);
		return (2);
	}
	if ((o[0] == NULL) != (o[1] == NULL) ||
	    (o[0] != NULL && !ibx_referral_id_valid(o[0]))) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: inbox: --fetch REF (32 hex "
			"digits) and --out DIR go together\n");
		return (2);
	}
	if ((status = spoke_ref_open(&r, o[0] != NULL)) == 0)
		status = o[0] != NULL ? fetch(&r, o[0], o[1])
				      : inbox_walk(&r, print_item, &r);
	spoke_ref_close(&r);
	return (status);
}

int
spoke_ref_walk(spoke_ref *r, spoke_ref_item_fn fn, void *arg)
{
	return (inbox_walk(r, fn, arg));
}

int
spoke_ref_fetch(spoke_ref *r, const char *id, const char *out_dir)
{
	return (fetch(r, id, out_dir));
}
