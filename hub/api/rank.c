/* Search ranking; see rank.h for the weights. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

#define W_EXPERIENCE	35.0
#define W_FRESHNESS	15.0
#define W_ACCREDITATION 15.0
#define W_REMOTE	10.0
#define W_DISTANCE	15.0
#define W_RESPONSE	10.0

static void reason(hub_rank_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(hub_rank_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r == NULL || r->nreasons == HUB_RANK_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->reasons[r->nreasons++], sizeof(r->reasons[0]), fmt, ap);
	va_end(ap);
}

static void
flag(hub_rank_result *r, const char *text)
{
	if (r != NULL && r->nflags < 4)
		snprintf(r->flags[r->nflags++], sizeof(r->flags[0]), "%s",
			 text);
}

/* Valid and expired accreditations from "SCHEME:YYYY-MM-DD,..." */
static double
accreditations(const hub_rank_input *in, hub_rank_result *r)
{
	char buf[256], *tok, *save = NULL, *colon, text[80];
	double points = 0;

	snprintf(buf, sizeof(buf), "%s",
		 in->accreditations != NULL ? in->accreditations : "");
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strchr(tok, ':')) == NULL)
			continue;
		*colon = '\0';
		if (colon[1] != '\0' && strcmp(colon + 1, in->today) < 0) {
			if (r == NULL)
				continue;
			snprintf(text, sizeof(text),
				 "accreditation %.8s expired %.10s", tok,
				 colon + 1);
			flag(r, text);
			continue;
		}
		if (points == 0 && r != NULL)
			reason(r, "%s accredited%s%.10s", tok,
			       colon[1] != '\0' ? ", valid to " : "",
			       colon + 1);
		points = W_ACCREDITATION;
	}
	return (points);
}

/* Experience from the released count: under k, zero included, it shows
 * as "fewer than k" and counts as k/2, so a zero and a small count rank
 * and read alike (the NDB rule). */
static double
experience(const hub_rank_input *in, hub_rank_result *r)
{
	char what[64];
	double n;
	bool small = in->experience < in->k;

	n = small ? in->k / 2.0 : (double)in->experience;
	if (r != NULL) {
		snprintf(what, sizeof(what), "%s%s",
			 in->purpose != NULL ? " for " : "",
			 in->purpose != NULL ? in->purpose : "");
		if (small) {
			r->experience = -1;
			snprintf(r->experience_display,
				 sizeof(r->experience_display),
				 "fewer than %d", in->k);
			reason(r,
			       "fewer than %d patients%s in the last 12 "
			       "released months",
			       in->k, what);
		} else {
			r->experience = in->experience;
			snprintf(r->experience_display,
				 sizeof(r->experience_display), "%lld",
				 (long long)in->experience);
			reason(r,
			       "%lld patients%s in the last 12 released "
			       "months",
			       (long long)in->experience, what);
		}
	}
	return (W_EXPERIENCE * fmin(1.0, log10(1.0 + n) / log10(101.0)));
}

/* Response time from the precomputed median (referral_response): full at
 * FULL_H or less, 0 at ZERO_H or more, linear between; without a median
 * resting on enough referrals, half the weight, so that having no record
 * neither helps nor harms. */
static double
response(const hub_rank_input *in, hub_rank_result *r)
{
	double h = in->response_hours, f;

	if (!in->has_response) {
		reason(r,
		       "fewer than %d referrals in the last 90 days: response "
		       "time not known, counted as neutral",
		       HUB_RANK_RESPONSE_MIN);
		return (W_RESPONSE / 2.0);
	}
	if (h < 48.0)
		reason(
		    r,
		    "answers referrals in a median of %.0f h (%d referrals, "
		    "last 90 days)",
		    h, in->response_n);
	else
		reason(r,
		       "answers referrals in a median of %.1f days (%d "
		       "referrals, last 90 days)",
		       h / 24.0, in->response_n);
	f = (HUB_RANK_RESPONSE_ZERO_H - h) /
	    (HUB_RANK_RESPONSE_ZERO_H - HUB_RANK_RESPONSE_FULL_H);
	return (W_RESPONSE * fmax(0.0, fmin(1.0, f)));
}

/* Record in r a component of value points out of weight, its reason the
 * reasons added since reason index from, or none when there are none;
 * returns value.  r NULL: value. */
static double
component(hub_rank_result *r, const char *name, double weight, double value,
	  int from, const char *none)
{
	hub_rank_component *c;
	char reason[sizeof(c->reason)];
	size_t len = 0;
	int i;

	if (r == NULL || r->ncomponents == HUB_RANK_COMPONENTS)
		return (value);
	c = &r->components[r->ncomponents++];
	c->name = name;
	c->weight = weight;
	c->value = value;
	/* Written apart, then copied: r holds both the reasons and the
	 * component. */
	reason[0] = '\0';
	for (i = from; i < r->nreasons && len < sizeof(reason); i++)
		len += (size_t)snprintf(reason + len, sizeof(reason) - len,
					"%s%s", i > from ? "; " : "",
					r->reasons[i]);
	snprintf(c->reason, sizeof(c->reason), "%s",
		 reason[0] != '\0' ? reason : none);
	return (value);
}

/* The score, explained into r; r NULL: the score alone. */
static double
score_of(const hub_rank_input *in, hub_rank_result *r)
{
	double score = 0, fresh, radius;
	int from = 0;

	score += component(r, "experience", W_EXPERIENCE, experience(in, r),
			   from, "");
	from = r != NULL ? r->nreasons : 0;
	fresh = 1.0 - fmin(1.0, (double)in->age_days / (double)in->stale_days);
	if (r != NULL && in->age_days > in->stale_days) {
		r->stale = true;
		flag(r, "stale listing");
		reason(r,
		       "listing last confirmed %d days ago (stale after %d)",
		       in->age_days, in->stale_days);
	} else if (r != NULL)
		reason(r, "listing confirmed %d days ago", in->age_days);
	score += component(r, "freshness", W_FRESHNESS,
			   W_FRESHNESS * fmax(0.0, fresh), from, "");
	from = r != NULL ? r->nreasons : 0;
	score +=
	    component(r, "accreditation", W_ACCREDITATION,
		      accreditations(in, r), from, "no valid accreditation");
	from = r != NULL ? r->nreasons : 0;
	if (in->remote)
		reason(r, "remote second opinion offered");
	score += component(r, "remote_second_opinion", W_REMOTE,
			   in->remote ? W_REMOTE : 0.0, from,
			   "no remote second opinion");
	from = r != NULL ? r->nreasons : 0;
	radius = in->radius_km > 0 ? in->radius_km : HUB_RANK_DISTANCE_ZERO_KM;
	if (in->has_distance)
		reason(r, "%.0f km from the given point", in->km);
	score += component(r, "distance", W_DISTANCE,
			   in->has_distance
			       ? W_DISTANCE * fmax(0.0, 1.0 - in->km / radius)
			       : 0.0,
			   from, "no point given");
	from = r != NULL ? r->nreasons : 0;
	score += component(r, "response_time", W_RESPONSE, response(in, r),
			   from, "");
	return (score);
}

void
hub_rank_score(const hub_rank_input *in, hub_rank_result *r)
{
	memset(r, 0, sizeof(*r));
	r->score = score_of(in, r);
	/* A name search puts the best name matches first. */
	r->sort_key = r->score + 100.0 * in->name_match;
}

double
hub_rank_sort_key(const hub_rank_input *in)
{
	return (score_of(in, NULL) + 100.0 * in->name_match);
}

double
hub_rank_response(const hub_rank_input *in)
{
	return (response(in, NULL));
}

double
hub_rank_experience(const hub_rank_input *in)
{
	return (experience(in, NULL));
}
