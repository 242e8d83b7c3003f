/*
 * The contribution caps; see cases_cap.h.  The episodes of the calendar
 * year up to the period are kept in one array, and each patient's
 * episodes counted (a table of keyed hashes).  A patient with no more
 * episodes than the smallest cap is kept whole, in file order: no cap can
 * touch them.  The others' episodes are sorted by patient, first visit,
 * cell keys and row, then walked patient by patient: each patient's kept
 * cells are a short list, and each episode either joins one of them, opens
 * a new one within the caps, or is dropped.  Only the period's kept
 * episodes reach the aggregation.  Sorting only the few patients a cap
 * can touch spares sorting a million rows that are mostly one patient's
 * only episode.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cases_cap.h"

/* An episode as the caps see it. */
struct ep {
	uint64_t patient, k1, ordinal;
	uint32_t k2;
	int32_t day, period, visits, days;
	int64_t charge;
};

/* A cell a patient was kept in: its month, its keys, episodes so far. */
struct kept {
	uint64_t k1;
	uint32_t k2;
	int32_t period;
	unsigned episodes;
};

struct spoke_cases_cap {
	int period, first; /* the period; January of its year */
	spoke_cap_limits lim;
	struct ep *eps;
	size_t n, cap;
	struct kept *kept; /* one patient's cells, reused */
	size_t nkept, keptcap;
	uint64_t earlier;
};

ibx_err
spoke_cases_cap_new(int period, const spoke_cap_limits *lim,
		    uint64_t rows_hint, spoke_cases_cap **out)
{
	spoke_cases_cap *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (IBX_ENOMEM);
	c->period = period;
	c->first = period - period % 12;
	c->lim = *lim;
	if (rows_hint > SPOKE_CAP_HINT_MAX)
		rows_hint = SPOKE_CAP_HINT_MAX;
	/* Room for the rows the file may hold, grown if it holds more. */
	if (rows_hint > 0 &&
	    (c->eps = malloc(rows_hint * sizeof(*c->eps))) != NULL)
		c->cap = rows_hint;
	*out = c;
	return (IBX_OK);
}

void
spoke_cases_cap_free(spoke_cases_cap *c)
{
	if (c == NULL)
		return;
	if (c->eps != NULL) /* the rows used; the rest was never written */
		explicit_bzero(c->eps, c->n * sizeof(*c->eps));
	free(c->eps);
	free(c->kept);
	free(c);
}

ibx_err
spoke_cases_cap_add(spoke_cases_cap *c, const spoke_agg_episode *e, int period,
		    int32_t day, uint64_t ordinal)
{
	struct ep *grown, *p;
	size_t n;

	if (period < c->first || period > c->period)
		return (IBX_OK); /* another year, or later: not counted */
	if (c->n == c->cap) {
		n = c->cap == 0 ? 1024 : c->cap * 2;
		if ((grown = malloc(n * sizeof(*grown))) == NULL)
			return (IBX_ENOMEM);
		if (c->n > 0) {
			memcpy(grown, c->eps, c->n * sizeof(*grown));
			explicit_bzero(c->eps, c->n * sizeof(*grown));
		}
		free(c->eps);
		c->eps = grown;
		c->cap = n;
	}
	p = &c->eps[c->n++];
	p->patient = e->patient;
	p->k1 = e->k1;
	p->k2 = e->k2;
	p->ordinal = ordinal;
	p->day = day;
	p->period = period;
	p->visits = e->visits;
	p->days = e->days;
	p->charge = e->charge;
	c->earlier += period != c->period;
	return (IBX_OK);
}

/* The caps' order: patient, first visit, cell keys, row. */
static int
cmp_ep(const void *pa, const void *pb)
{
	const struct ep *a = pa, *b = pb;

	if (a->patient != b->patient)
		return (a->patient < b->patient ? -1 : 1);
	if (a->day != b->day)
		return (a->day < b->day ? -1 : 1);
	if (a->k1 != b->k1)
		return (a->k1 < b->k1 ? -1 : 1);
	if (a->k2 != b->k2)
		return (a->k2 < b->k2 ? -1 : 1);
	return (a->ordinal < b->ordinal ? -1 : a->ordinal > b->ordinal);
}

/* Room for one more kept cell of the current patient. */
static ibx_err
kept_room(spoke_cases_cap *c)
{
	struct kept *grown;
	size_t n;

	if (c->nkept < c->keptcap)
		return (IBX_OK);
	n = c->keptcap == 0 ? 8 : c->keptcap * 2;
	if ((grown = realloc(c->kept, n * sizeof(*grown))) == NULL)
		return (IBX_ENOMEM);
	c->kept = grown;
	c->keptcap = n;
	return (IBX_OK);
}

/* What happens to episode p of the current patient. */
enum verdict { KEEP, DROP_EPISODES, DROP_MONTH, DROP_YEAR };

static enum verdict
decide(spoke_cases_cap *c, const struct ep *p, ibx_err *rv)
{
	size_t i, in_month = 0;
	struct kept *k;

	for (i = 0; i < c->nkept; i++) {
		k = &c->kept[i];
		if (k->period == p->period && k->k1 == p->k1 &&
		    k->k2 == p->k2) {
			if (c->lim.episodes > 0 &&
			    k->episodes >= c->lim.episodes)
				return (DROP_EPISODES);
			k->episodes++;
			return (KEEP);
		}
		in_month += k->period == p->period;
	}
	if (c->lim.month > 0 && in_month >= c->lim.month)
		return (DROP_MONTH);
	if (c->lim.year > 0 && c->nkept >= c->lim.year)
		return (DROP_YEAR);
	if ((*rv = kept_room(c)) != IBX_OK)
		return (DROP_YEAR);
	k = &c->kept[c->nkept++];
	k->k1 = p->k1;
	k->k2 = p->k2;
	k->period = p->period;
	k->episodes = 1;
	return (KEEP);
}

/* The patients' episode counts: an open-addressing table of one word a
 * patient, the top 56 bits of the keyed hash above a count of 8 bits
 * that stops at COUNT_MAX (8 bytes a slot, half the memory and cache
 * misses of a hash beside a count).  0 is the empty mark, so top bits of 0
 * are taken as 1.  Two patients whose hashes share their top 56 bits (or
 * are 0 and 1) are counted together, and a stopped count is taken as
 * more than any cap: either can only send a patient through the sort,
 * which applies every cap exactly, so the cells are the same. */
typedef uint64_t count_word;

#define COUNT_BITS 8
#define COUNT_MAX  ((1u << COUNT_BITS) - 1)
#define COUNT_MASK ((uint64_t)COUNT_MAX)

static uint64_t
count_key(uint64_t patient)
{
	uint64_t k = patient & ~COUNT_MASK;

	return (k != 0 ? k : 1ull << COUNT_BITS);
}

static count_word *
count_slot(count_word *t, size_t mask, uint64_t key)
{
	size_t j;

	for (j = (key ^ key >> 29) & mask;; j = (j + 1) & mask)
		if ((t[j] & ~COUNT_MASK) == key || t[j] == 0)
			return (&t[j]);
}

/* The count of a slot, COUNT_MAX meaning that many or more. */
static unsigned
count_n(count_word c)
{
	return ((unsigned)(c & COUNT_MASK));
}

/* Feed one kept episode of the period to the aggregation. */
static ibx_err
feed(spoke_cases_agg *a, const struct ep *p)
{
	spoke_agg_episode e;
	ibx_err rv;

	e.k1 = p->k1;
	e.k2 = p->k2;
	e.patient = p->patient;
	e.visits = p->visits;
	e.days = p->days;
	e.charge = p->charge;
	rv = spoke_cases_agg_add_episode(a, &e);
	explicit_bzero(&e, sizeof(e));
	return (rv);
}

/* The fewest episodes a cap can drop from: a patient with fewer is kept
 * whole, in any order (0: no cap at all). */
static unsigned
least_cap(const spoke_cap_limits *l)
{
	unsigned v[3] = {l->month, l->year, l->episodes}, m = 0, i;

	for (i = 0; i < 3; i++)
		if (v[i] > 0 && (m == 0 || v[i] < m))
			m = v[i];
	return (m);
}

ibx_err
spoke_cases_cap_run(spoke_cases_cap *c, spoke_cases_agg *a,
		    spoke_cap_counts *counts)
{
	count_word *table = NULL;
	struct ep *hard = NULL;
	size_t i, cap = 16, nhard = 0;
	unsigned n, least = least_cap(&c->lim);
	bool capped = false;
	ibx_err rv = IBX_ENOMEM;

	memset(counts, 0, sizeof(*counts));
	counts->earlier_episodes = c->earlier;
	/* Most patients have at most `least` episodes in the year: every
	 * cap keeps them whole, whatever their order.  Count each
	 * patient's episodes first (prefetching a few ahead), keep those
	 * patients' episodes of the period at once, and sort only the
	 * others' into the caps' order. */
	while (cap < c->n * 2)
		cap *= 2;
	if ((table = calloc(cap, sizeof(*table))) == NULL)
		goto out;
	for (i = 0; i < c->n; i++) {
		count_word *t;

		if (i + 8 < c->n)
			__builtin_prefetch(
			    &table[(count_key(c->eps[i + 8].patient) ^
				    count_key(c->eps[i + 8].patient) >> 29) &
				   (cap - 1)],
			    1);
		t = count_slot(table, cap - 1, count_key(c->eps[i].patient));
		if (*t == 0)
			*t = count_key(c->eps[i].patient);
		if (count_n(*t) < COUNT_MAX)
			(*t)++;
	}
	for (i = 0; i < c->n; i++) {
		const struct ep *p = &c->eps[i];

		if (i + 8 < c->n)
			__builtin_prefetch(
			    &table[(count_key(c->eps[i + 8].patient) ^
				    count_key(c->eps[i + 8].patient) >> 29) &
				   (cap - 1)],
			    0);
		n = count_n(
		    *count_slot(table, cap - 1, count_key(p->patient)));
		if (least == 0 || (n <= least && n < COUNT_MAX)) {
			if (p->period == c->period) {
				if ((rv = feed(a, p)) != IBX_OK)
					goto out;
				counts->kept++;
			}
			continue;
		}
		/* Packed to the front: i >= nhard, so nothing is lost. */
		c->eps[nhard++] = *p;
	}
	hard = c->eps;
	if (nhard > 1)
		qsort(hard, nhard, sizeof(*hard), cmp_ep);
	for (i = 0; i < nhard; i++) {
		const struct ep *p = &hard[i];
		enum verdict v;

		if (i == 0 || p->patient != hard[i - 1].patient) {
			counts->patients_capped += capped;
			capped = false;
			c->nkept = 0;
		}
		rv = IBX_OK;
		v = decide(c, p, &rv);
		if (rv != IBX_OK)
			goto out;
		if (p->period != c->period)
			continue;
		switch (v) {
		case KEEP:
			if ((rv = feed(a, p)) != IBX_OK)
				goto out;
			counts->kept++;
			continue;
		case DROP_EPISODES:
			counts->dropped_episodes++;
			break;
		case DROP_MONTH:
			counts->dropped_month++;
			break;
		case DROP_YEAR:
			counts->dropped_year++;
			break;
		}
		capped = true;
	}
	counts->patients_capped += capped;
	rv = IBX_OK;
out:
	if (table != NULL)
		explicit_bzero(table, cap * sizeof(*table));
	free(table);
	return (rv);
}
