/*
 * The referral commands' work handed to the spoke's page
 * (referral_page.c): serve fills a spoke_ref_page and gives its ops to
 * spoke_web_start.
 */
#ifndef SPOKE_REFERRAL_PAGE_H
#define SPOKE_REFERRAL_PAGE_H

#include "agent.h"
#include "web.h"

typedef struct spoke_ref_page {
	const spoke_agent_opts *o; /* serve's: hubs, TLS, time-outs */
	char state[4096];	   /* SERVE_STATE/referrals */
	spoke_web_referral_ops ops;
} spoke_ref_page;

/* spoke_ref_page_init: pg's ops over serve's agent options o (kept by
 * reference) and its state folder serve_state, whose referrals/ folder
 * holds the referral keys and work (as the commands' --state). */
void spoke_ref_page_init(spoke_ref_page *pg, const spoke_agent_opts *o,
			 const char *serve_state);

#endif /* SPOKE_REFERRAL_PAGE_H */
