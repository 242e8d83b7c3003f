/*
 * Ranking of hospital search results for coordinators.  Filters decide
 * which hospitals match; this decides their order, from facts only (never
 * from anything a hospital pays for), and says why:
 *
 *   experience   35  patients (of the requested purpose) in the last 12
 *                    released months, on a log scale up to 100 patients,
 *                    as released (hub/stats/release.h: every nationality;
 *                    a count under k, zero included, shows as "fewer than
 *                    k" and counts as k/2)
 *   freshness    15  days since the listing was last confirmed, falling to
 *                    0 at the stale limit (and the listing flagged stale)
 *   accreditation 15 a JMIP, JIH or JCI accreditation valid today; an
 *                    expired one counts nothing and is flagged
 *   second opinion 10 remote second opinion offered
 *   distance     15  from the requested point (near=), falling to 0 at the
 *                    search radius (within_km, 200 km by default; 500 km
 *                    when no radius is set); when no point is given, the 15
 *                    go to no one
 *   response time 10 the median hours from a referral sent to the
 *                    hospital's first answer over the last 90 days
 *                    (referral_response, migration 095): full at 24 h or
 *                    less, falling to 0 at 168 h (a week); a hospital whose
 *                    median rests on fewer than HUB_RANK_RESPONSE_MIN
 *                    referrals gets half (5), the points of 96 h: neither
 *                    rewarded nor punished for having no record
 *   name          +  with q, the name similarity breaks ties first
 *
 * Each factor is one component {name, weight, value, reason} of the score:
 * value is the points earned (0..weight) and the total is their sum, so a
 * coordinator sees why #1 ranks above #2 (docs/api.md, "Ranking").
 */
#ifndef HUB_RANK_H
#define HUB_RANK_H

#include <stdbool.h>
#include <stdint.h>

#define HUB_RANK_REASONS	  8
#define HUB_RANK_COMPONENTS	  6
#define HUB_RANK_DISTANCE_ZERO_KM 500.0

/* Referrals a response time must rest on to be shown or ranked: a median
 * of one or two referrals is noise, and it is the time of one
 * identifiable case (deploy/sql/functions/ibx_referral_response_refresh.sql
 * keeps the median NULL below it). */
#define HUB_RANK_RESPONSE_MIN 5
/* Response time: full points at or under FULL_H hours, none at ZERO_H. */
#define HUB_RANK_RESPONSE_FULL_H 24.0
#define HUB_RANK_RESPONSE_ZERO_H 168.0

typedef struct hub_rank_input {
	int age_days;		    /* since the listing was confirmed */
	int stale_days;		    /* the stale limit */
	const char *accreditations; /* "JMIP:2028-03-31,JCI:" (no expiry) */
	const char *today;	    /* YYYY-MM-DD */
	bool remote;		    /* remote second opinion offered */
	bool has_distance;
	double km;
	double radius_km;   /* distance scores 0 here; 0:
			       HUB_RANK_DISTANCE_ZERO_KM */
	int64_t experience; /* released patients, last 12 released months */
	int k;		    /* the NDB threshold */
	const char *nationality, *purpose; /* asked, or NULL */
	double name_match;		   /* 0..1 */
	/* The median hours to the first answer of a referral (last 90
	 * days), when it rests on HUB_RANK_RESPONSE_MIN referrals or more;
	 * has_response false otherwise (neutral points). */
	bool has_response;
	double response_hours;
	int response_n; /* the referrals it rests on */
} hub_rank_input;

/* One factor of the score: value points of weight earned, and why. */
typedef struct hub_rank_component {
	const char *name; /* experience, freshness, accreditation,
			     remote_second_opinion, distance, response_time
			     (static) */
	double weight;	  /* the most points it can give */
	double value;	  /* points earned, 0..weight */
	char reason[200]; /* its reasons, "; "-joined; "" for none */
} hub_rank_component;

typedef struct hub_rank_result {
	double score;	 /* 0..100 */
	double sort_key; /* score, with q the name match first */
	char reasons[HUB_RANK_REASONS][160];
	int nreasons;
	char flags[4][80];
	int nflags;
	bool stale;
	int64_t experience; /* published patients, or -1 when under k */
	char experience_display[32];
	hub_rank_component components[HUB_RANK_COMPONENTS];
	int ncomponents; /* HUB_RANK_COMPONENTS, in the order above */
} hub_rank_result;

/* hub_rank_score: score and explain one hospital. */
void hub_rank_score(const hub_rank_input *in, hub_rank_result *out);

/* hub_rank_sort_key: out->sort_key of hub_rank_score for the same input,
 * without the reasons and flags (no text is formatted): for ordering every
 * match before explaining only the page shown. */
double hub_rank_sort_key(const hub_rank_input *in);

/* hub_rank_response: the response_time component's points (0..10) for
 * in: 10 at HUB_RANK_RESPONSE_FULL_H hours or less, falling linearly to 0
 * at HUB_RANK_RESPONSE_ZERO_H, and 5 (neutral) without a median. */
double hub_rank_response(const hub_rank_input *in);

/* hub_rank_experience: the experience component's points (0..35) for in,
 * from the published (disclosure-controlled) count: what sort=experience
 * orders by. */
double hub_rank_experience(const hub_rank_input *in);

#endif /* HUB_RANK_H */
