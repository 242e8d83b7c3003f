/*
 * The spoke's own page (issue 17, docs/spoke-page.md): the web page a
 * hospital's international department uses inside the hospital to sign in
 * (password and TOTP, accounts.h), edit and publish its listing, check and
 * send its monthly report, and see what the hub acknowledged or refused.
 * It serves on loopback by default, over proto/http, and changes nothing
 * the agent does not already do: it writes the listing file and the
 * case-record exports the agent watches (agent_scan.h) and pokes it
 * (spoke_agent_poke), so every envelope is sealed, queued in the outbox
 * and sent by the agent alone.  Rules are proto/domain's (listing_check.c)
 * and the anonymiser's (cases_anonymise.h): one source of rules.
 */
#ifndef SPOKE_WEB_H
#define SPOKE_WEB_H

#include <stdbool.h>

#include "err.h"

typedef struct spoke_web_opts {
	const char *addr;     /* IPv4 address to bind ("127.0.0.1") */
	int port;	      /* TCP port */
	bool allow_remote;    /* addr may be other than loopback */
	const char *state;    /* the state folder: accounts.json, ... */
	const char *listing;  /* the listing file the agent watches */
	const char *cases;    /* the export folder the agent watches */
	const char *map;      /* the column map the agent reads */
	const char *outbox;   /* the outbox (status, acknowledgements) */
	const char *page;     /* the page's files (spoke/web/page) */
	const char *web;      /* the hub's web folder (ui/codes.js, ...) */
	const char *org_code; /* the certificate's organisation code */
	const char *role;     /* "hospital" or "coordinator" */
	bool icd10_category;  /* the agent's --icd10-level */
	int session_idle;     /* seconds (0: 1800) */
	int session_max;      /* seconds (0: 43200) */
	int signin_lock;      /* seconds of the first lock (0: 60) */
} spoke_web_opts;

typedef struct spoke_web spoke_web;

/* spoke_web_start: serve the page with o (kept by reference until
 * spoke_web_stop).  IBX_EINVAL for an address that is not IPv4, or not
 * loopback without o->allow_remote (the message says so); IBX_EIO when
 * it cannot be bound; IBX_ENOMEM. */
ibx_err spoke_web_start(const spoke_web_opts *o, spoke_web **out);

/* spoke_web_stop: stop serving and free; NULL is fine. */
void spoke_web_stop(spoke_web *w);

/* spoke_web_loopback: whether addr is an IPv4 loopback address
 * (127.0.0.0/8). */
bool spoke_web_loopback(const char *addr);

#endif /* SPOKE_WEB_H */
