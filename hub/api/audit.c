/* The API audit trail; see audit.h. */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "crypto.h"
#include "log.h"
#include "text.h"

static const char SQL_APPEND[] =
    "SELECT ibx_audit_record($1::bigint, $2, $3, $4, $5, $6, $7::integer, "
    "$8::integer, $9)";
/* The same text the append function hashed (by the entry's format), the
 * stored hashes. */
static const char SQL_CHAIN[] =
    "SELECT id, CASE format WHEN 1 THEN ibx_audit_text(id, at, token_id, "
    "role, org_code, method, path, params, status, cells) ELSE "
    "ibx_audit_text2(id, at, token_id, role, org_code, method, path, "
    "params, status, cells, client) END, prev_hash, hash FROM audit_log "
    "ORDER BY id";
static const char SQL_HEAD[] = "SELECT last_id, hash FROM audit_head";

/* ---- Group commit.  Every call waits until its entry is committed
 * before its answer goes out (nothing is answered that the chain may
 * lose), but the calls waiting at the same moment share one transaction:
 * the first to find no commit under way becomes the leader, takes every
 * entry queued (at most GROUP_MAX), appends them in queue order, each
 * through ibx_audit_record (so the chain and its lock are as for single
 * entries), and commits once; the others wait for its result.  A lone
 * call commits at once, as before: there is no timer.  One group per
 * process: every connection the API audits through reaches the same
 * database. */

/* Entries in one transaction at most. */
#define GROUP_MAX 64

struct pending {
	const char *v[9]; /* SQL_APPEND's parameters, the caller's memory */
	ibx_err rv;
	bool done;
	struct pending *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct pending *head, **tail; /* queued, not yet taken */
	bool leading;		      /* a leader is appending */
	int mode;		      /* 0 unread, 1 grouped, 2 one by one */
} group = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, false, 0};

/* IBX_API_TIMING: 0 unread, 1 set, 2 not. */
static int timing;

/* Microseconds since t0. */
static long long
since_us(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((long long)(t1.tv_sec - t0->tv_sec) * 1000000 +
		(t1.tv_nsec - t0->tv_nsec) / 1000);
}

/* Append the batch (n entries from first) on db in one transaction and
 * set each one's rv.  When an append fails, the transaction is rolled
 * back and each entry tried again alone, so that one entry the function
 * refuses fails alone; when the COMMIT itself fails, whether it took
 * effect is unknown, so every entry fails (as a single append's would),
 * never appended twice. */
static void
commit_batch(ibx_db *db, struct pending *first, int n)
{
	struct pending *e;
	ibx_err rv;
	int i;

	if (n == 1) {
		first->rv =
		    ibx_db_exec_prepared(db, SQL_APPEND, 9, first->v, NULL);
		return;
	}
	if ((rv = ibx_db_script(db, "BEGIN")) != IBX_OK)
		goto alone;
	for (e = first, i = 0; rv == IBX_OK && i < n; e = e->next, i++)
		rv = ibx_db_exec_prepared(db, SQL_APPEND, 9, e->v, NULL);
	if (rv != IBX_OK) {
		ibx_db_script(db, "ROLLBACK");
		goto alone;
	}
	rv = ibx_db_script(db, "COMMIT");
	for (e = first, i = 0; i < n; e = e->next, i++)
		e->rv = rv;
	return;
alone:
	for (e = first, i = 0; i < n; e = e->next, i++)
		e->rv = ibx_db_exec_prepared(db, SQL_APPEND, 9, e->v, NULL);
}

/* Queue e and return once it is committed (or failed), leading a batch
 * when no one is. */
static ibx_err
group_append(ibx_db *db, struct pending *e)
{
	struct pending *first, *last;
	int n;

	pthread_mutex_lock(&group.lock);
	if (group.tail == NULL)
		group.tail = &group.head;
	*group.tail = e;
	group.tail = &e->next;
	while (!e->done) {
		if (group.leading) {
			pthread_cond_wait(&group.done, &group.lock);
			continue;
		}
		/* Lead: take up to GROUP_MAX entries from the queue's head
		 * (e among them: it is queued and not done). */
		group.leading = true;
		first = last = group.head;
		for (n = 1; n < GROUP_MAX && last->next != NULL; n++)
			last = last->next;
		group.head = last->next;
		if (group.head == NULL)
			group.tail = &group.head;
		last->next = NULL;
		pthread_mutex_unlock(&group.lock);
		commit_batch(db, first, n);
		pthread_mutex_lock(&group.lock);
		for (; first != NULL; first = first->next)
			first->done = true;
		group.leading = false;
		pthread_cond_broadcast(&group.done);
	}
	pthread_mutex_unlock(&group.lock);
	return (e->rv);
}

ibx_err
hub_audit_append(ibx_db *db, const hub_principal *who, const char *method,
		 const char *path, const char *params, int status, int cells,
		 const char *client)
{
	char token[24], st[12], nc[12], m[24], cl[96];
	char p[HUB_AUDIT_ANSWERED_MAX], q[HUB_AUDIT_ANSWERED_MAX];
	size_t cap =
	    status >= 400 ? HUB_AUDIT_REFUSED_MAX : HUB_AUDIT_ANSWERED_MAX;
	struct pending e;
	struct timespec t0;
	ibx_err rv;

	/* At most cap - 1 bytes each, escapes and "..." included. */
	ibx_text_escape(m, sizeof(m), method, strlen(method));
	ibx_text_escape(p, cap, path, strlen(path));
	ibx_text_escape(q, cap, params, strlen(params));
	if (client != NULL)
		ibx_text_escape(cl, sizeof(cl), client, strlen(client));

	snprintf(token, sizeof(token), "%" PRId64, who->token_id);
	snprintf(st, sizeof(st), "%d", status);
	snprintf(nc, sizeof(nc), "%d", cells);
	memset(&e, 0, sizeof(e));
	e.v[0] = who->token_id > 0 ? token : NULL;
	e.v[1] = who->role != HUB_ROLE_NONE ? hub_role_name(who->role) : NULL;
	e.v[2] = who->org_code[0] != '\0' ? who->org_code : NULL;
	e.v[3] = m;
	e.v[4] = p;
	e.v[5] = q;
	e.v[6] = st;
	e.v[7] = nc;
	e.v[8] = client != NULL ? cl : NULL;
	/* Racy first reads set the same values: harmless. */
	if (timing == 0)
		timing = getenv("IBX_API_TIMING") != NULL ? 1 : 2;
	if (group.mode == 0) {
		const char *g = getenv("IBX_AUDIT_GROUP");

		group.mode = g != NULL && strcmp(g, "off") == 0 ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rv = group.mode == 1
		 ? group_append(db, &e)
		 : ibx_db_exec_prepared(db, SQL_APPEND, 9, e.v, NULL);
	if (timing == 1)
		IBX_INFO("audit timing: append_us=%lld", since_us(&t0));
	return (rv);
}

ibx_err
hub_audit_verify(ibx_db *db, int64_t *checked, char *report, size_t n)
{
	ibx_db_result *res = NULL, *head = NULL;
	uint8_t prev[IBX_SHA256_LEN], hash[IBX_SHA256_LEN];
	size_t prev_len = 0, tlen;
	uint8_t *buf = NULL;
	int rows, i;
	ibx_err rv;

	if ((rv = ibx_db_execp_binary(db, SQL_CHAIN, 0, NULL, &res)) !=
		IBX_OK ||
	    (rv = ibx_db_execp_binary(db, SQL_HEAD, 0, NULL, &head)) != IBX_OK)
		goto out;
	rows = ibx_db_result_rows(res);
	for (i = 0; i < rows; i++) {
		const char *text = ibx_db_result_value(res, i, 1);
		const uint8_t *sp =
		    (const uint8_t *)ibx_db_result_value(res, i, 2);
		const uint8_t *sh =
		    (const uint8_t *)ibx_db_result_value(res, i, 3);
		int64_t id = 0;
		int k;

		/* bigint in binary format: 8 bytes, network order. */
		for (k = 0; k < 8; k++)
			id = (id << 8) |
			     (uint8_t)ibx_db_result_value(res, i, 0)[k];
		if ((size_t)ibx_db_result_length(res, i, 2) != prev_len ||
		    (prev_len > 0 && memcmp(sp, prev, prev_len) != 0)) {
			snprintf(
			    report, n,
			    "audit entry %" PRId64
			    ": its previous hash is not "
			    "the hash of the entry before it (an entry was "
			    "removed, inserted or changed)",
			    id);
			rv = IBX_ECRYPTO;
			goto out;
		}
		tlen = (size_t)ibx_db_result_length(res, i, 1);
		free(buf);
		if ((buf = malloc(prev_len + tlen + 1)) == NULL) {
			rv = IBX_ENOMEM;
			goto out;
		}
		memcpy(buf, prev, prev_len);
		memcpy(buf + prev_len, text, tlen);
		ibx_sha256(buf, prev_len + tlen, hash);
		if (ibx_db_result_length(res, i, 3) != IBX_SHA256_LEN ||
		    memcmp(hash, sh, IBX_SHA256_LEN) != 0) {
			snprintf(report, n,
				 "audit entry %" PRId64
				 ": its fields do not match "
				 "its hash (the entry was changed)",
				 id);
			rv = IBX_ECRYPTO;
			goto out;
		}
		memcpy(prev, hash, IBX_SHA256_LEN);
		prev_len = IBX_SHA256_LEN;
	}
	if (ibx_db_result_rows(head) == 1 &&
	    (prev_len == 0 || memcmp(ibx_db_result_value(head, 0, 1), prev,
				     IBX_SHA256_LEN) != 0)) {
		snprintf(
		    report, n,
		    "the newest audit entries were removed: the head records "
		    "a later hash than the last entry");
		rv = IBX_ECRYPTO;
		goto out;
	}
	*checked = rows;
	snprintf(report, n, "audit chain intact: %d entries", rows);
	rv = IBX_OK;
out:
	free(buf);
	ibx_db_result_free(res);
	ibx_db_result_free(head);
	return (rv);
}
