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
#include <stddef.h>

#include "err.h"
#include "referral.h"

/* One item of the hub's inbox as the page shows it (issue 15): a referral
 * addressed to this organisation, or a status on one it sent or received;
 * each verified as its sender signed it before it gets here. */
typedef struct spoke_web_ref_item {
	bool is_status;
	char sender[32];	    /* the organisation that signed it */
	ibx_referral_state state;   /* a referral's state at the hub now */
	ibx_referral ref;	    /* when !is_status */
	ibx_referral_status status; /* when is_status */
} spoke_web_ref_item;

/* The referral channel as the page reaches it: the work of the referral
 * commands (spoke/cmd, referral_page.c), handed over by serve, which
 * links both (spoke/web cannot link spoke/cmd: cmd links web).  Each call
 * blocks until done and returns the command's exit status: 0 done, 1
 * refused or failed, 3 no hub answered (what was queued waits in the
 * outbox for the agent); on failure why, in English, into err (n bytes).
 * What goes to the hub goes through the agent's outbox. */
typedef struct spoke_web_referral_ops {
	void *arg;
	/* every verified item of the inbox, oldest first, to each */
	int (*inbox)(void *arg,
		     void (*each)(void *each_arg,
				  const spoke_web_ref_item *it),
		     void *each_arg, char *err, size_t n);
	/* fetch, decrypt and verify referral id into out_dir (which must
	 * not exist; made whole or not at all); 'delivered' sent */
	int (*fetch)(void *arg, const char *id, const char *out_dir, char *err,
		     size_t n);
	/* seal the files of dir for hospital to and send them with meta's
	 * purpose .. urgency; *id is the new referral's id */
	int (*refer)(void *arg, const char *to, const char *dir,
		     const ibx_referral *meta,
		     char id[IBX_REFERRAL_ID_HEX + 1], char *err, size_t n);
	/* send status s; report: a folder returned with opinion_returned,
	 * else NULL */
	int (*answer)(void *arg, const ibx_referral_status *s,
		      const char *report, char *err, size_t n);
} spoke_web_referral_ops;

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
	/* The referral channel (web_referral.c), or NULL for none: its
	 * work, and the largest upload of a referral's files (bytes; 0:
	 * SPOKE_WEB_UPLOAD_MAX), streamed to STATE/uploads. */
	const spoke_web_referral_ops *referral;
	unsigned long long upload_max;
} spoke_web_opts;

/* The default largest upload: 2 GiB, a package with CT and MRI series. */
#define SPOKE_WEB_UPLOAD_MAX (2ull << 30)

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
