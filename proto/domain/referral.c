/*
 * The referral channel's rules and its state machine; see referral.h.
 * Codes are checked against the lists of codes.h, never written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "listing.h"
#include "referral.h"
#include "text.h"

#define BIT(s) (1u << (s))

/* The table of referral.h, one row per state SENT .. WITHDRAWN. */
static const ibx_referral_transition transitions[] = {
    {IBX_REFERRAL_SENT, IBX_PARTY_HUB, BIT(IBX_REFERRAL_UNSPECIFIED)},
    {IBX_REFERRAL_DELIVERED, IBX_PARTY_RECEIVER, BIT(IBX_REFERRAL_SENT)},
    {IBX_REFERRAL_ACKNOWLEDGED, IBX_PARTY_RECEIVER,
     BIT(IBX_REFERRAL_DELIVERED)},
    {IBX_REFERRAL_DECLINED, IBX_PARTY_RECEIVER,
     BIT(IBX_REFERRAL_ACKNOWLEDGED) | BIT(IBX_REFERRAL_QUOTE) |
	 BIT(IBX_REFERRAL_OPINION_RETURNED)},
    {IBX_REFERRAL_QUOTE, IBX_PARTY_RECEIVER,
     BIT(IBX_REFERRAL_ACKNOWLEDGED) | BIT(IBX_REFERRAL_QUOTE) |
	 BIT(IBX_REFERRAL_OPINION_RETURNED)},
    {IBX_REFERRAL_OPINION_RETURNED, IBX_PARTY_RECEIVER,
     BIT(IBX_REFERRAL_ACKNOWLEDGED) | BIT(IBX_REFERRAL_QUOTE)},
    {IBX_REFERRAL_VISIT_SCHEDULED, IBX_PARTY_RECEIVER,
     BIT(IBX_REFERRAL_ACKNOWLEDGED) | BIT(IBX_REFERRAL_QUOTE) |
	 BIT(IBX_REFERRAL_OPINION_RETURNED) |
	 BIT(IBX_REFERRAL_VISIT_SCHEDULED)},
    {IBX_REFERRAL_VISITED, IBX_PARTY_RECEIVER,
     BIT(IBX_REFERRAL_VISIT_SCHEDULED)},
    {IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER,
     BIT(IBX_REFERRAL_UNSPECIFIED) | BIT(IBX_REFERRAL_SENT) |
	 BIT(IBX_REFERRAL_DELIVERED) | BIT(IBX_REFERRAL_ACKNOWLEDGED) |
	 BIT(IBX_REFERRAL_QUOTE) | BIT(IBX_REFERRAL_OPINION_RETURNED) |
	 BIT(IBX_REFERRAL_VISIT_SCHEDULED)},
};

_Static_assert(sizeof(transitions) / sizeof(transitions[0]) ==
		   IBX_REFERRAL_STATE_MAX,
	       "one transition row per state");
_Static_assert((int)IBX_REFERRAL_STATE_COUNT == (int)IBX_REFERRAL_STATE_MAX,
	       "deploy/data/ibx_referral_states.csv follows ReferralState");

static bool
hex_lower(const char *s, size_t n)
{
	size_t i;

	if (s == NULL || strlen(s) != n)
		return (false);
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return (false);
	return (true);
}

bool
ibx_referral_id_valid(const char *s)
{
	return (hex_lower(s, IBX_REFERRAL_ID_HEX));
}

bool
ibx_key_id_valid(const char *s)
{
	return (hex_lower(s, IBX_KEY_ID_HEX));
}

bool
ibx_referral_org_code_valid(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > IBX_ORG_CODE_MAX)
		return (false);
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
			return (false);
	return (true);
}

const char *
ibx_referral_state_name(ibx_referral_state s)
{
	const char *w;

	if (s == IBX_REFERRAL_UNSPECIFIED)
		return ("unspecified");
	if ((int)s < 0 || s > IBX_REFERRAL_STATE_MAX ||
	    (w = ibx_code_at(IBX_LIST_REFERRAL_STATE, (int)s - 1)) == NULL)
		return ("unknown");
	return (w);
}

ibx_referral_state
ibx_referral_state_parse(const char *word)
{
	int i = ibx_code_index(IBX_LIST_REFERRAL_STATE, word);

	return (i < 0 ? IBX_REFERRAL_UNSPECIFIED
		      : (ibx_referral_state)(i + 1));
}

const char *
ibx_referral_party_name(ibx_referral_party p)
{
	switch (p) {
	case IBX_PARTY_REFERRER:
		return ("referrer");
	case IBX_PARTY_RECEIVER:
		return ("receiver");
	case IBX_PARTY_HUB:
		return ("hub");
	}
	return ("unknown");
}

bool
ibx_referral_purpose_valid(const char *purpose)
{
	int i = ibx_code_index(IBX_LIST_PURPOSE, purpose);

	return (i == IBX_PURPOSE_SECOND_OPINION ||
		i == IBX_PURPOSE_TREATMENT || i == IBX_PURPOSE_HEALTH_CHECKUP);
}

/* Add "unknown <what> "<s>"" for field. */
static void
unknown(ibx_problems *p, const char *field, const char *what, const char *s)
{
	char shown[48];

	ibx_text_quote_short(shown, sizeof(shown), s);
	ibx_problems_add(p, field, "unknown %s %s", what, shown);
}

static void
check_id(ibx_problems *p, const char *field, const char *s, bool required)
{
	if (*s == '\0') {
		if (required)
			ibx_problems_add(p, field, "is required");
	} else if (!ibx_referral_id_valid(s))
		ibx_problems_add(p, field, "must be %d lowercase hex digits",
				 IBX_REFERRAL_ID_HEX);
}

static void
check_org(ibx_problems *p, const char *field, const char *s)
{
	if (*s == '\0')
		ibx_problems_add(p, field, "is required");
	else if (!ibx_referral_org_code_valid(s))
		ibx_problems_add(p, field,
				 "must be 1 to %d letters, digits or '-'",
				 IBX_ORG_CODE_MAX);
}

static void
check_key_id(ibx_problems *p, const char *s)
{
	if (*s == '\0')
		ibx_problems_add(p, "key_id", "is required");
	else if (!ibx_key_id_valid(s))
		ibx_problems_add(p, "key_id",
				 "must be %d lowercase hex digits",
				 IBX_KEY_ID_HEX);
}

static void
check_code(ibx_problems *p, const char *field, ibx_code_list_id list,
	   const char *s, bool required)
{
	if (*s == '\0') {
		if (required)
			ibx_problems_add(p, field, "is required");
	} else if (!ibx_code_valid(list, s))
		unknown(p, field, ibx_code_list_name(list), s);
}

ibx_err
ibx_encryption_key_check(const ibx_encryption_key *k, ibx_problems *p)
{
	size_t before = ibx_problems_count(p), i;
	uint8_t any = 0;

	check_org(p, "organisation_code", k->organisation_code);
	check_key_id(p, k->key_id);
	for (i = 0; i < sizeof(k->public_key); i++)
		any |= k->public_key[i];
	if (any == 0)
		ibx_problems_add(p, "public_key", "is all zero");
	if (k->created_at_ms <= 0)
		ibx_problems_add(p, "created_at_ms", "must be positive");
	if (k->use_until_ms < 0 ||
	    (k->use_until_ms != 0 && k->use_until_ms <= k->created_at_ms))
		ibx_problems_add(p, "use_until_ms",
				 "must be 0 or after created_at_ms");
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}

ibx_err
ibx_referral_check(const ibx_referral *r, ibx_problems *p)
{
	size_t before = ibx_problems_count(p), i, j;
	char path[32];

	check_id(p, "referral_id", r->referral_id, true);
	check_org(p, "receiver", r->receiver);
	check_key_id(p, r->key_id);
	if (r->purpose[0] == '\0')
		ibx_problems_add(p, "purpose", "is required");
	else if (!ibx_referral_purpose_valid(r->purpose))
		ibx_problems_add(
		    p, "purpose", "must be %s, %s or %s",
		    ibx_code_at(IBX_LIST_PURPOSE, IBX_PURPOSE_SECOND_OPINION),
		    ibx_code_at(IBX_LIST_PURPOSE, IBX_PURPOSE_TREATMENT),
		    ibx_code_at(IBX_LIST_PURPOSE, IBX_PURPOSE_HEALTH_CHECKUP));
	check_code(p, "department", IBX_LIST_DEPARTMENT, r->department, false);
	check_code(p, "treatment", IBX_LIST_TREATMENT, r->treatment, false);
	check_code(p, "nationality", IBX_LIST_COUNTRY, r->nationality, true);
	check_code(p, "age_band", IBX_LIST_AGE_BAND, r->age_band, true);
	if (r->n_languages > IBX_REFERRAL_LANGUAGES_MAX)
		ibx_problems_add(p, "languages", "more than %d entries",
				 IBX_REFERRAL_LANGUAGES_MAX);
	for (i = 0; i < r->n_languages && i < IBX_REFERRAL_LANGUAGES_MAX;
	     i++) {
		snprintf(path, sizeof(path), "languages[%zu]", i);
		if (!ibx_code_language(r->languages[i])) {
			unknown(p, path, "ISO 639-1 code", r->languages[i]);
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(r->languages[i], r->languages[j]) == 0) {
				ibx_problems_add(
				    p, path, "repeats \"%s\" (first at [%zu])",
				    r->languages[i], j);
				break;
			}
	}
	check_code(p, "urgency", IBX_LIST_URGENCY, r->urgency, true);
	if (r->chunk_count == 0 || r->chunk_count > IBX_REFERRAL_CHUNKS_MAX)
		ibx_problems_add(p, "chunk_count", "must be 1 to %u",
				 IBX_REFERRAL_CHUNKS_MAX);
	else if (r->package_bytes <
		     (uint64_t)r->chunk_count * (IBX_CHUNK_ABYTES + 1) ||
		 r->package_bytes >
		     (uint64_t)r->chunk_count * IBX_CHUNK_CIPHER_MAX)
		ibx_problems_add(
		    p, "package_bytes",
		    "%llu does not fit %u chunks of %d to %d bytes",
		    (unsigned long long)r->package_bytes, r->chunk_count,
		    IBX_CHUNK_ABYTES + 1, IBX_CHUNK_CIPHER_MAX);
	check_id(p, "answers_referral_id", r->answers_referral_id, false);
	if (r->answers_referral_id[0] != '\0' &&
	    strcmp(r->answers_referral_id, r->referral_id) == 0)
		ibx_problems_add(p, "answers_referral_id",
				 "is the referral's own id");
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}

ibx_err
ibx_referral_chunk_check(const ibx_referral_chunk *c, const ibx_referral *r,
			 ibx_problems *p)
{
	size_t before = ibx_problems_count(p);

	check_id(p, "referral_id", c->referral_id, true);
	if (c->ciphertext_len <= IBX_CHUNK_ABYTES ||
	    c->ciphertext_len > IBX_CHUNK_CIPHER_MAX)
		ibx_problems_add(p, "ciphertext", "%zu bytes, not %d to %d",
				 c->ciphertext_len, IBX_CHUNK_ABYTES + 1,
				 IBX_CHUNK_CIPHER_MAX);
	if (r != NULL) {
		if (strcmp(c->referral_id, r->referral_id) != 0)
			ibx_problems_add(p, "referral_id",
					 "is not the referral's");
		if (c->index >= r->chunk_count)
			ibx_problems_add(p, "index",
					 "%u past the referral's %u chunks",
					 c->index, r->chunk_count);
	} else if (c->index >= IBX_REFERRAL_CHUNKS_MAX)
		ibx_problems_add(p, "index", "must be below %u",
				 IBX_REFERRAL_CHUNKS_MAX);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}

void
ibx_referral_chunk_fini(ibx_referral_chunk *c)
{
	if (c == NULL)
		return;
	free(c->ciphertext);
	c->ciphertext = NULL;
	c->ciphertext_len = 0;
}

/* A field that belongs to another state: present is refused. */
static void
absent(ibx_problems *p, const char *field, bool present, const char *state)
{
	if (present)
		ibx_problems_add(p, field, "not allowed with state \"%s\"",
				 state);
}

static void
check_date(ibx_problems *p, const char *field, const char *s)
{
	if (*s == '\0')
		ibx_problems_add(p, field, "is required");
	else if (!ibx_date_valid(s))
		ibx_problems_add(p, field, "must be a date YYYY-MM-DD");
}

ibx_err
ibx_referral_status_check(const ibx_referral_status *s, ibx_problems *p)
{
	size_t before = ibx_problems_count(p);
	const char *name = ibx_referral_state_name(s->state);
	ibx_referral_state st = s->state;

	check_id(p, "referral_id", s->referral_id, true);
	if (st < IBX_REFERRAL_DELIVERED || st > IBX_REFERRAL_STATE_MAX)
		ibx_problems_add(
		    p, "state", "%d is not a state a party sends (%s to %s)",
		    (int)st, ibx_referral_state_name(IBX_REFERRAL_DELIVERED),
		    ibx_referral_state_name(IBX_REFERRAL_WITHDRAWN));
	if (st == IBX_REFERRAL_DECLINED)
		check_code(p, "reason_code", IBX_LIST_DECLINE_REASON,
			   s->reason_code, true);
	else
		absent(p, "reason_code", s->reason_code[0] != '\0', name);
	if (st == IBX_REFERRAL_QUOTE) {
		if (s->price_min_jpy < 0 ||
		    s->price_min_jpy > IBX_REFERRAL_PRICE_JPY_MAX)
			ibx_problems_add(p, "price_min_jpy",
					 "must be 0 to %lld",
					 IBX_REFERRAL_PRICE_JPY_MAX);
		if (s->price_max_jpy < 1 ||
		    s->price_max_jpy > IBX_REFERRAL_PRICE_JPY_MAX)
			ibx_problems_add(p, "price_max_jpy",
					 "must be 1 to %lld",
					 IBX_REFERRAL_PRICE_JPY_MAX);
		else if (s->price_max_jpy < s->price_min_jpy)
			ibx_problems_add(p, "price_max_jpy",
					 "is below price_min_jpy");
		check_date(p, "earliest_date", s->earliest_date);
	} else {
		absent(p, "price_min_jpy", s->price_min_jpy != 0, name);
		absent(p, "price_max_jpy", s->price_max_jpy != 0, name);
		absent(p, "earliest_date", s->earliest_date[0] != '\0', name);
	}
	if (st == IBX_REFERRAL_OPINION_RETURNED) {
		check_id(p, "report_referral_id", s->report_referral_id, true);
		if (strcmp(s->report_referral_id, s->referral_id) == 0)
			ibx_problems_add(p, "report_referral_id",
					 "is the referral's own id");
	} else
		absent(p, "report_referral_id",
		       s->report_referral_id[0] != '\0', name);
	if (st == IBX_REFERRAL_VISIT_SCHEDULED)
		check_date(p, "visit_date", s->visit_date);
	else
		absent(p, "visit_date", s->visit_date[0] != '\0', name);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}

const ibx_referral_transition *
ibx_referral_transitions(size_t *n)
{
	if (n != NULL)
		*n = sizeof(transitions) / sizeof(transitions[0]);
	return (transitions);
}

bool
ibx_referral_state_final(ibx_referral_state s)
{
	return (s == IBX_REFERRAL_DECLINED || s == IBX_REFERRAL_VISITED ||
		s == IBX_REFERRAL_WITHDRAWN);
}

ibx_err
ibx_referral_transition_check(ibx_referral_state from, ibx_referral_state to,
			      ibx_referral_party party, char *detail, size_t n)
{
	const ibx_referral_transition *t;

	if (to < IBX_REFERRAL_SENT || to > IBX_REFERRAL_STATE_MAX) {
		snprintf(detail, n, "state %d: not a state", (int)to);
		return (IBX_EINVAL);
	}
	if (from < IBX_REFERRAL_UNSPECIFIED || from > IBX_REFERRAL_STATE_MAX) {
		snprintf(detail, n, "state \"%s\": current state %d unknown",
			 ibx_referral_state_name(to), (int)from);
		return (IBX_EINVAL);
	}
	t = &transitions[to - IBX_REFERRAL_SENT];
	if (t->party != party) {
		snprintf(detail, n,
			 "state \"%s\": only the %s may set it, not the %s",
			 ibx_referral_state_name(to),
			 ibx_referral_party_name(t->party),
			 ibx_referral_party_name(party));
		return (IBX_EINVAL);
	}
	if ((t->after & BIT(from)) == 0) {
		snprintf(detail, n, "state \"%s\": not allowed after \"%s\"",
			 ibx_referral_state_name(to),
			 ibx_referral_state_name(from));
		return (IBX_EINVAL);
	}
	return (IBX_OK);
}

ibx_err
ibx_key_query_check(const ibx_key_query *q, ibx_problems *p)
{
	size_t before = ibx_problems_count(p);

	check_org(p, "organisation_code", q->organisation_code);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}

ibx_err
ibx_inbox_query_check(const ibx_inbox_query *q, ibx_problems *p)
{
	if (q->limit > IBX_INBOX_LIMIT_MAX) {
		ibx_problems_add(p, "limit", "%u is more than %d", q->limit,
				 IBX_INBOX_LIMIT_MAX);
		return (IBX_EINVAL);
	}
	return (IBX_OK);
}

ibx_err
ibx_chunk_query_check(const ibx_chunk_query *q, ibx_problems *p)
{
	size_t before = ibx_problems_count(p);

	check_id(p, "referral_id", q->referral_id, true);
	if (q->index >= IBX_REFERRAL_CHUNKS_MAX)
		ibx_problems_add(p, "index", "must be below %u",
				 IBX_REFERRAL_CHUNKS_MAX);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}
