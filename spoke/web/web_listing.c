/*
 * The listing on the spoke's page: the listing file the agent watches,
 * read, checked and written back.  A check is proto/domain's
 * (ibx_listing_from_json, ibx_listing_check: the rules of `inbound-spoke
 * check`), plus that the organisation code is the certificate's; each
 * problem goes back with its field so the page puts it next to it.
 * Publishing confirms the listing (confirmed_at is today) and writes the
 * file; the agent seals and sends it.  The version the page compares a
 * change with is the hub's: the bytes of the last listing the hub
 * acknowledged, OUTBOX/listing.acknowledged.json, kept by the agent
 * (agent_listing.h); and the page says whether the newest sealed listing
 * is waiting for the hub or was refused, with the reason.
 * Warnings come ahead of staleness (a listing not confirmed for 365 days
 * is stale; from day 300) and of an accreditation's expiry (90 days).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "agent_listing.h"
#include "civil.h"
#include "coordinator.h"
#include "file.h"
#include "listing.h"
#include "listing_json.h"
#include "log.h"
#include "outbox.h"
#include "problems.h"
#include "web_int.h"

#define STALE_DAYS  365 /* docs/listing-format.md: confirmed_at */
#define WARN_DAYS   300
#define EXPIRY_WARN 90 /* days before an accreditation expires */

/* Days since 1970-01-01 of "YYYY-MM-DD", or -1. */
static long
day_of(const char *s)
{
	unsigned y, m, d;

	if (s == NULL || sscanf(s, "%4u-%2u-%2u", &y, &m, &d) != 3 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return (-1);
	return ((long)ibx_days_from_civil(y, m, d));
}

/* The problems of the listing text (len bytes): the rules (a
 * coordinator's listing when the certificate names a coordinator, else a
 * hospital's), and that it is this spoke's organisation.  A JSON array;
 * *out the hospital listing when it passed (else NULL), for the caller to
 * free; a coordinator's passes with *out NULL. */
static json_t *
check(const spoke_web *w, const char *text, size_t len, ibx_listing **out)
{
	ibx_problems p;
	ibx_listing *l = NULL;
	ibx_coordinator *k = NULL;
	const char *own = NULL;
	json_t *a;

	ibx_problems_init(&p);
	if (w->o->role != NULL && strcmp(w->o->role, "coordinator") == 0) {
		if (ibx_coordinator_from_json(text, len, &p, &k) == IBX_OK &&
		    ibx_coordinator_check(k, &p) == IBX_OK)
			own = k->organisation_code;
	} else if (ibx_listing_from_json(text, len, &p, &l) == IBX_OK &&
		   ibx_listing_check(l, &p) == IBX_OK)
		own = l->organisation_code;
	if (own != NULL && w->o->org_code != NULL &&
	    strcmp(own, w->o->org_code) != 0)
		ibx_problems_addc(&p, "organisation_code",
				  "not_this_organisation",
				  "%s is not this spoke's organisation (%s)",
				  own, w->o->org_code);
	a = web_problems_coded(&p);
	if (p.n > 0 || out == NULL) {
		ibx_listing_free(l);
		l = NULL;
	}
	if (out != NULL)
		*out = l;
	ibx_coordinator_free(k);
	ibx_problems_fini(&p);
	return (a);
}

/* A JSON file as a value, or JSON null. */
static json_t *
load_json(const char *path)
{
	json_error_t je;
	json_t *v = json_load_file(path, 0, &je);

	return (v != NULL ? v : json_null());
}

/* The warnings of listing l (a JSON object) today. */
static json_t *
warnings(json_t *l)
{
	char today[11];
	json_t *a = json_array(), *acc;
	long now, d;
	size_t i;

	web_today(today);
	now = day_of(today);
	d = day_of(json_string_value(json_object_get(l, "confirmed_at")));
	if (d < 0)
		json_array_append_new(a, json_pack("{s:s,s:s}", "kind",
						   "never_confirmed", "field",
						   "confirmed_at"));
	else if (now - d >= STALE_DAYS)
		json_array_append_new(a, json_pack("{s:s,s:s,s:I}", "kind",
						   "stale", "field",
						   "confirmed_at", "days",
						   (json_int_t)(now - d)));
	else if (now - d >= WARN_DAYS)
		json_array_append_new(
		    a, json_pack("{s:s,s:s,s:I,s:I}", "kind", "stale_soon",
				 "field", "confirmed_at", "days",
				 (json_int_t)(now - d), "days_left",
				 (json_int_t)(STALE_DAYS - (now - d))));
	json_array_foreach(json_object_get(l, "accreditations"), i, acc)
	{
		const char *scheme =
		    json_string_value(json_object_get(acc, "scheme"));

		d = day_of(json_string_value(json_object_get(acc, "expires")));
		if (d < 0 || scheme == NULL || d - now > EXPIRY_WARN)
			continue;
		json_array_append_new(
		    a, json_pack("{s:s,s:s,s:s,s:I}", "kind",
				 d < now ? "accreditation_expired"
					 : "accreditation_expiring",
				 "field", "accreditations", "scheme", scheme,
				 "days_left", (json_int_t)(d - now)));
	}
	return (a);
}

/* The last acknowledged listing in the outbox's journal: version and
 * time, or JSON null. */
static json_t *
last_listing_ack(const spoke_web *w)
{
	char path[4200], *text = NULL, *line, *save = NULL;
	json_t *last = json_null();
	size_t len;

	snprintf(path, sizeof(path), "%s/acknowledged.log", w->o->outbox);
	if (ibx_file_read(path, 64u * 1024 * 1024, &text, &len) != IBX_OK)
		return (last);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char payload[32] = "";
		unsigned long long seq, version, at;
		char status[16];

		if (sscanf(line,
			   "%llu\t%15s\t%31s\t%*s\t%*s\t%*s\t%*s\t%llu\t%*s\t%"
			   "llu",
			   &seq, status, payload, &version, &at) == 5 &&
		    strstr(payload, "listing") != NULL) {
			char when[40];

			ibx_time_format_ms((int64_t)at, when);
			json_decref(last);
			last = json_pack(
			    "{s:I,s:I,s:s}", "sequence", (json_int_t)seq,
			    "version", (json_int_t)version, "acked_at", when);
		}
	}
	free(text);
	return (last);
}

/* Where the newest listing the agent sealed stands, after the
 * acknowledged one (sequence acked, 0 for none): {"state": "waiting"} while
 * its envelope is pending, {"state": "refused", "reason"} when the hub
 * refused it (rejected/SEQ.reason), else {"state": "acknowledged"} (or
 * "none" before any).  The copies are the agent's (agent_listing.h). */
static json_t *
publication(const spoke_web *w, unsigned long long acked)
{
	char path[4400], *text = NULL;
	unsigned long long seq, newest = 0;
	int refused = 0;
	struct dirent *e;
	size_t len = 0;
	json_t *o;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", w->o->outbox,
		 SPOKE_LISTING_COPIES);
	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char kind[16] = "";
			int waiting = 0;

			if (sscanf(e->d_name, "%llu.%15s", &seq, kind) != 2 ||
			    seq <= acked || seq <= newest)
				continue;
			if (strcmp(kind, "json") == 0) {
				/* Only while its envelope is pending: a copy
				 * whose envelope is gone waits for nothing. */
				snprintf(path, sizeof(path),
					 "%s/%s/%020llu.env", w->o->outbox,
					 SPOKE_OUTBOX_PENDING, seq);
				waiting = access(path, F_OK) == 0;
			}
			if (!waiting && strcmp(kind, "refused") != 0)
				continue;
			newest = seq;
			refused = !waiting;
		}
		closedir(d);
	}
	if (newest == 0)
		return (json_pack("{s:s}", "state",
				  acked > 0 ? "acknowledged" : "none"));
	if (!refused)
		return (json_pack("{s:s,s:I}", "state", "waiting", "sequence",
				  (json_int_t)newest));
	snprintf(path, sizeof(path), "%s/%s/%020llu.reason", w->o->outbox,
		 SPOKE_OUTBOX_REJECTED, newest);
	if (ibx_file_read(path, 8192, &text, &len) != IBX_OK)
		text = NULL;
	while (text != NULL && len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	o = json_pack("{s:s,s:I,s:s%}", "state", "refused", "sequence",
		      (json_int_t)newest, "reason", text != NULL ? text : "",
		      text != NULL ? len : 0);
	free(text);
	return (o);
}

void
web_listing_get(web_call *c, const ibx_http_request *req,
		ibx_http_response *resp)
{
	spoke_web *w = c->w;
	char path[4200], *text = NULL;
	json_t *l, *problems, *published, *acked, *state;
	size_t len = 0;

	(void)req;
	l = load_json(w->o->listing);
	problems = ibx_file_read(w->o->listing, IBX_LISTING_JSON_MAX, &text,
				 &len) == IBX_OK
		       ? check(w, text, len, NULL)
		       : json_array();
	free(text);
	/* The hub's version: the listing it last acknowledged. */
	snprintf(path, sizeof(path), "%s/%s", w->o->outbox,
		 SPOKE_LISTING_ACKNOWLEDGED);
	published = load_json(path);
	acked = last_listing_ack(w);
	state = publication(w, (unsigned long long)json_integer_value(
				   json_object_get(acked, "sequence")));
	web_json(resp, 200,
		 json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s}", "listing", l,
			   "published", published, "problems", problems,
			   "warnings", warnings(l), "acknowledged", acked,
			   "publication", state, "organisation_code",
			   w->o->org_code != NULL ? w->o->org_code : "",
			   "kind",
			   w->o->role != NULL &&
				   strcmp(w->o->role, "coordinator") == 0
			       ? "coordinator"
			       : "hospital"));
}

void
web_listing_check(web_call *c, const ibx_http_request *req,
		  ibx_http_response *resp)
{
	json_t *p;

	if (req->body == NULL) {
		web_error(resp, 400, "body: the listing as JSON is required");
		return;
	}
	p = check(c->w, req->body, req->body_len, NULL);
	web_json(resp, 200,
		 json_pack("{s:b,s:o}", "ok", json_array_size(p) == 0,
			   "problems", p));
}

/* Check text as the listing, confirmed today; when it passes, write it
 * where the agent reads it and as the published copy, and poke the
 * agent. */
static void
publish(web_call *c, json_t *root, ibx_http_response *resp, const char *what)
{
	spoke_web *w = c->w;
	char today[11], *text = NULL;
	ibx_listing *l = NULL;
	json_t *p;

	web_today(today);
	json_object_set_new(root, "confirmed_at", json_string(today));
	if ((text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ==
	    NULL) {
		web_error(resp, 500, "out of memory");
		return;
	}
	p = check(w, text, strlen(text), &l);
	if (json_array_size(p) > 0) {
		web_json(resp, 422,
			 json_pack("{s:s,s:o}", "error",
				   "listing refused: fix the fields marked",
				   "problems", p));
		goto out;
	}
	json_decref(p);
	pthread_mutex_lock(&w->lock);
	if (web_write_file(w->o->listing, text, strlen(text), 0640) !=
	    IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 500,
			  "listing: cannot write the file (see the spoke's "
			  "log)");
		goto out;
	}
	pthread_mutex_unlock(&w->lock);
	spoke_agent_poke();
	IBX_INFO("page: %s: listing %s by %s", what,
		 w->o->org_code != NULL ? w->o->org_code : "?", c->login);
	web_json(resp, 200,
		 json_pack("{s:s,s:s,s:s}", "status", "queued", "confirmed_at",
			   today, "message",
			   "the listing is signed and queued in the outbox; "
			   "the agent sends it"));
out:
	ibx_listing_free(l);
	free(text);
}

void
web_listing_publish(web_call *c, const ibx_http_request *req,
		    ibx_http_response *resp)
{
	json_error_t je;
	json_t *root;

	if (req->body == NULL ||
	    (root = json_loadb(req->body, req->body_len, 0, &je)) == NULL ||
	    !json_is_object(root)) {
		web_error(resp, 400,
			  "body: the listing as a JSON object is required");
		return;
	}
	publish(c, root, resp, "published");
	json_decref(root);
}

void
web_listing_confirm(web_call *c, const ibx_http_request *req,
		    ibx_http_response *resp)
{
	json_error_t je;
	json_t *root;

	(void)req;
	if ((root = json_load_file(c->w->o->listing, 0, &je)) == NULL ||
	    !json_is_object(root)) {
		json_decref(root);
		web_error(resp, 409,
			  "listing: there is no listing to confirm yet; fill "
			  "in the form and publish it");
		return;
	}
	publish(c, root, resp, "confirmed unchanged");
	json_decref(root);
}
