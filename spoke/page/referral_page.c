/*
 * The referral channel's work for the spoke's page (spoke/web,
 * web_referral.c; issue 15): the page calls what the referral commands
 * call (spoke_ref_refer, _fetch, _answer, _walk), never a copy.  Each call
 * opens the commands' context from serve's options (identity, national
 * CA, a client for the hubs) with the referral state folder STATE/referrals
 * (the commands' default beside /var/lib/inbound-spoke), and what it
 * stores at the hub it queues in the agent's own outbox, borrowed for the
 * call (one organisation, one outbox, one sequence): the agent neither
 * scans nor drains meanwhile.  What a command would print as its reason
 * is caught (spoke_ref_errf) and handed to the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "referral_cli.h"
#include "referral_page.h"

/* The reason text of a call into err (n bytes): the lines written to
 * spoke_ref_errf, each without the program's prefix, joined by "; ". */
static void
reason(const char *text, char *err, size_t n)
{
	const char *p = text, *end;
	size_t used = 0, len;

	if (n == 0)
		return;
	err[0] = '\0';
	while (p != NULL && *p != '\0' && used + 1 < n) {
		end = strchr(p, '\n');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (strncmp(p, "inbound-spoke: ", 15) == 0 && len >= 15) {
			p += 15;
			len -= 15;
		}
		if (len > 0)
			used += (size_t)snprintf(
			    err + used, n - used, "%s%.*s",
			    used > 0 ? "; " : "", (int)len, p);
		p = end != NULL ? end + 1 : NULL;
	}
	if (used >= n)
		err[n - 1] = '\0';
}

/* One call: the commands' context, its caught reasons, the outbox. */
struct call {
	spoke_ref r;
	FILE *errf;
	char *text;
	size_t len;
	bool borrowed;
};

/* Open the context of pg (need_outbox: borrow the agent's outbox).  0,
 * or the status (the reason caught). */
static int
call_open(const spoke_ref_page *pg, struct call *c, bool need_outbox)
{
	spoke_outbox *ob;
	size_t i;
	int status;

	memset(c, 0, sizeof(*c));
	if ((c->errf = open_memstream(&c->text, &c->len)) != NULL)
		spoke_ref_errf_set(c->errf);
	c->r.net.timeout_ms =
	    pg->o->timeout_ms > 0 ? pg->o->timeout_ms : 30000;
	/* A chunk is 1 MiB: at least the commands' wait. */
	if (c->r.net.timeout_ms < 30000)
		c->r.net.timeout_ms = 30000;
	c->r.net.attempts = pg->o->attempts > 0 ? pg->o->attempts : 3;
	for (i = 0; i < pg->o->nhubs && i < HUBS_MAX; i++) {
		c->r.net.hubs[i] = pg->o->hubs[i];
		/* serve's own parser already took or refused tcp:// */
		if (strncmp(pg->o->hubs[i], "tcp://", 6) == 0)
			c->r.net.insecure_tcp = 1;
	}
	c->r.net.nhubs = i;
	c->r.net.tls = pg->o->tls;
	c->r.net.hub_pin = pg->o->hub_pin;
	c->r.state = pg->state;
	if ((status = spoke_ref_open(&c->r, false)) != 0)
		return (status);
	if (need_outbox) {
		if (spoke_agent_outbox_borrow(&ob) != IBX_OK) {
			fprintf(spoke_ref_errf(),
				"the agent is not running: nothing can be "
				"queued\n");
			return (1);
		}
		c->r.ob = ob;
		c->borrowed = true;
	}
	return (0);
}

/* Close c, the reason (when status is not 0) into err. */
static int
call_close(struct call *c, int status, char *err, size_t n)
{
	if (c->borrowed) {
		c->r.ob = NULL; /* the agent's: not closed here */
		spoke_agent_outbox_return();
		/* What a drain left (no hub) goes with the agent's. */
		spoke_agent_poke();
	}
	spoke_ref_close(&c->r);
	spoke_ref_errf_set(NULL);
	if (c->errf != NULL)
		fclose(c->errf);
	if (status != 0)
		reason(c->text != NULL ? c->text : "", err, n);
	if (status != 0 && err[0] == '\0')
		snprintf(err, n, "failed (exit status %d)", status);
	free(c->text);
	return (status);
}

/* The walk's callback, turning the verified envelope into an item. */
struct walk {
	void (*each)(void *, const spoke_web_ref_item *);
	void *arg;
};

static int
walk_item(void *arg, const ibx_inbox_item *it, const spoke_peer_env *pe)
{
	struct walk *w = arg;
	spoke_web_ref_item item;

	memset(&item, 0, sizeof(item));
	snprintf(item.sender, sizeof(item.sender), "%s", pe->header.sender_id);
	item.state = it->state;
	if (pe->header.payload_type == IBX_PAYLOAD_REFERRAL) {
		if (ibx_referral_decode(pe->env.payload.data,
					pe->env.payload.len, NULL,
					&item.ref) != IBX_OK)
			return (0);
	} else {
		item.is_status = true;
		if (ibx_referral_status_decode(pe->env.payload.data,
					       pe->env.payload.len, NULL,
					       &item.status) != IBX_OK)
			return (0);
	}
	w->each(w->arg, &item);
	return (0);
}

static int
op_inbox(void *arg, void (*each)(void *, const spoke_web_ref_item *),
	 void *each_arg, char *err, size_t n)
{
	struct call c;
	struct walk w = {each, each_arg};
	int status;

	if ((status = call_open(arg, &c, false)) == 0)
		status = spoke_ref_walk(&c.r, walk_item, &w);
	return (call_close(&c, status, err, n));
}

static int
op_fetch(void *arg, const char *id, const char *out_dir, char *err, size_t n)
{
	struct call c;
	int status;

	if ((status = call_open(arg, &c, true)) == 0)
		status = spoke_ref_fetch(&c.r, id, out_dir);
	return (call_close(&c, status, err, n));
}

static int
op_refer(void *arg, const char *to, const char *dir, const ibx_referral *meta,
	 char id[IBX_REFERRAL_ID_HEX + 1], char *err, size_t n)
{
	struct call c;
	int status;

	if ((status = call_open(arg, &c, true)) == 0)
		status = spoke_ref_refer(&c.r, to, dir, meta, id);
	return (call_close(&c, status, err, n));
}

static int
op_answer(void *arg, const ibx_referral_status *s, const char *report,
	  char *err, size_t n)
{
	struct call c;
	int status;

	if ((status = call_open(arg, &c, true)) == 0)
		status = spoke_ref_answer(&c.r, s, report);
	return (call_close(&c, status, err, n));
}

void
spoke_ref_page_init(spoke_ref_page *pg, const spoke_agent_opts *o,
		    const char *serve_state)
{
	memset(pg, 0, sizeof(*pg));
	pg->o = o;
	snprintf(pg->state, sizeof(pg->state), "%s/referrals", serve_state);
	pg->ops.arg = pg;
	pg->ops.inbox = op_inbox;
	pg->ops.fetch = op_fetch;
	pg->ops.refer = op_refer;
	pg->ops.answer = op_answer;
}
