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
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cases_cap.h"

/* An episode as the caps see it: 40 bytes, since every episode of the
 * calendar year up to the period is held until the end (a million rows
 * are 40 MB, each page of it zeroed by the kernel on first touch).  The
 * row's checks bound the measures (cases_row.h), so visits and days fit
 * 16 bits; month is the period less January of its year.  Its place in
 * the array is its place in the export. */
struct ep {
	uint64_t patient, k1;
	int64_t charge;
	uint32_t k2;
	int32_t day;
	uint16_t visits, days;
	uint8_t month;
};

_Static_assert(SPOKE_VISITS_MAX <= UINT16_MAX && SPOKE_DAYS_MAX <= UINT16_MAX,
	       "visits and days fit an episode's 16 bits");

/* An episode a cap may touch, with its place in the export. */
struct hard {
	struct ep e;
	uint64_t ordinal;
};

/* A cell a patient was kept in: its month, its keys, episodes so far. */
struct kept {
	uint64_t k1;
	uint32_t k2;
	int32_t month; /* as in struct ep */
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

#define HUGE (2u * 1024 * 1024) /* bytes of a huge page */

/* bytes of memory, not zeroed.  2 MiB or more are aligned for huge pages
 * and asked to get them (as cases_agg.c's tables): the episodes' pages
 * are touched once each, and a fault a 4 KiB page cost more than writing
 * them; the counts are probed at random, and over 4 KiB pages the page
 * table walks cost more than the probes.  Freed with free(). */
static void *
big_alloc(size_t bytes)
{
	void *p;

	if (bytes < HUGE)
		return (malloc(bytes));
	if (posix_memalign(&p, HUGE, bytes) != 0)
		return (NULL);
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint only */
#endif
	return (p);
}

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
	    (c->eps = big_alloc(rows_hint * sizeof(struct ep))) != NULL)
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
		    int32_t day)
{
	struct ep *grown, *p;
	size_t n;

	if (period < c->first || period > c->period)
		return (IBX_OK); /* another year, or later: not counted */
	/* The row's checks keep them in range (cases_row.h). */
	assert(e->visits >= 0 && e->visits <= SPOKE_VISITS_MAX);
	assert(e->days >= 0 && e->days <= SPOKE_DAYS_MAX);
	if (c->n == c->cap) {
		n = c->cap == 0 ? 1024 : c->cap * 2;
		if ((grown = big_alloc(n * sizeof(*grown))) == NULL)
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
	p->day = day;
	p->month = (uint8_t)(period - c->first);
	p->visits = (uint16_t)e->visits;
	p->days = (uint16_t)e->days;
	p->charge = e->charge;
	c->earlier += period != c->period;
	return (IBX_OK);
}

/* The caps' order: patient, first visit, cell keys, row. */
static int
cmp_hard(const void *pa, const void *pb)
{
	const struct hard *x = pa, *y = pb;
	const struct ep *a = &x->e, *b = &y->e;

	if (a->patient != b->patient)
		return (a->patient < b->patient ? -1 : 1);
	if (a->day != b->day)
		return (a->day < b->day ? -1 : 1);
	if (a->k1 != b->k1)
		return (a->k1 < b->k1 ? -1 : 1);
	if (a->k2 != b->k2)
		return (a->k2 < b->k2 ? -1 : 1);
	return (x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal);
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
		if (k->month == p->month && k->k1 == p->k1 && k->k2 == p->k2) {
			if (c->lim.episodes > 0 &&
			    k->episodes >= c->lim.episodes)
				return (DROP_EPISODES);
			k->episodes++;
			return (KEEP);
		}
		in_month += k->month == p->month;
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
	k->month = p->month;
	k->episodes = 1;
	return (KEEP);
}

/* The patients' episode counts: an open-addressing table of 4 bytes a
 * patient, a tag of 24 bits of the keyed hash above a count of 8 bits
 * that stops at COUNT_MAX.  The slot comes from the hash's low bits and
 * the tag from its top 24, so two patients share a slot's word only when
 * they probe the same run of slots and share their tags (about 1 in 2^24
 * for each patient's few neighbours: a handful of patients in a million).
 * A shared word counts both patients together, and a stopped count is
 * taken as more than any cap: either can only send a patient through the
 * sort, which applies every cap exactly, or through the set of patients
 * in cells (cases_agg.c), which tells them apart, so the cells are the
 * same.  An occupied word has a count of 1 or more, so 0 is the empty
 * mark. */
typedef uint32_t count_word;

#define COUNT_BITS 8
#define COUNT_MAX  ((1u << COUNT_BITS) - 1)
#define COUNT_MASK ((count_word)COUNT_MAX)

static count_word
count_tag(uint64_t patient)
{
	return ((count_word)(patient >> 40) << COUNT_BITS);
}

static count_word *
count_slot(count_word *t, size_t mask, uint64_t patient)
{
	count_word tag = count_tag(patient);
	size_t j;

	for (j = patient & mask;; j = (j + 1) & mask)
		if ((t[j] & ~COUNT_MASK) == tag || t[j] == 0)
			return (&t[j]);
}

/* The count of a slot, COUNT_MAX meaning that many or more. */
static unsigned
count_n(count_word c)
{
	return ((unsigned)(c & COUNT_MASK));
}

/* The aggregation's episode of p. */
static void
episode(const struct ep *p, spoke_agg_episode *e)
{
	e->k1 = p->k1;
	e->k2 = p->k2;
	e->patient = p->patient;
	e->visits = p->visits;
	e->days = p->days;
	e->charge = p->charge;
}

/* Feed one kept episode of the period to the aggregation.  alone: its
 * patient has no other episode in the year, so none in its cell. */
static ibx_err
feed(spoke_cases_agg *a, const struct ep *p, bool alone)
{
	spoke_agg_episode e;
	ibx_err rv;

	episode(p, &e);
	rv = alone ? spoke_cases_agg_add_alone(a, &e)
		   : spoke_cases_agg_add_episode(a, &e);
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
	struct hard *hard = NULL;
	size_t i, cap = 16, nhard = 0, singles = 0, period_eps;
	unsigned n, least = least_cap(&c->lim);
	uint8_t month = (uint8_t)(c->period - c->first);
	bool capped = false;
	ibx_err rv = IBX_ENOMEM;

	memset(counts, 0, sizeof(*counts));
	counts->earlier_episodes = c->earlier;
	/* Most patients have at most `least` episodes in the year: every
	 * cap keeps them whole, whatever their order.  Count each
	 * patient's episodes first (prefetching a few ahead), keep those
	 * patients' episodes of the period at once, and sort only the
	 * others' into the caps' order.  Most patients have one episode
	 * only: alone in their cell, they need no place in the
	 * aggregation's set of patients in cells. */
	while (cap < c->n * 2)
		cap *= 2;
	if ((table = big_alloc(cap * sizeof(*table))) == NULL)
		goto out;
	memset(table, 0, cap * sizeof(*table));
	for (i = 0; i < c->n; i++) {
		count_word *t;

		if (i + 8 < c->n)
			__builtin_prefetch(
			    &table[c->eps[i + 8].patient & (cap - 1)], 1);
		t = count_slot(table, cap - 1, c->eps[i].patient);
		if (*t == 0) {
			*t = count_tag(c->eps[i].patient);
			singles++;
		} else if (count_n(*t) == 1)
			singles--;
		if (count_n(*t) < COUNT_MAX)
			(*t)++;
	}
	/* At most this many of the period's episodes have a patient with
	 * another episode: room for them in the set at once. */
	period_eps = c->n - c->earlier;
	if ((rv = spoke_cases_agg_reserve(a, c->n - singles < period_eps
						 ? c->n - singles
						 : period_eps)) != IBX_OK)
		goto out;
	for (i = 0; i < c->n; i++) {
		const struct ep *p = &c->eps[i];

		if (i + 8 < c->n)
			__builtin_prefetch(
			    &table[c->eps[i + 8].patient & (cap - 1)], 0);
		n = count_n(*count_slot(table, cap - 1, p->patient));
		if (least == 0 || (n <= least && n < COUNT_MAX)) {
			if (p->month == month) {
				if ((rv = feed(a, p, n == 1)) != IBX_OK)
					goto out;
				counts->kept++;
			}
			continue;
		}
		/* Packed to the front: i >= nhard, so nothing is lost. */
		c->eps[nhard++] = *p;
	}
	/* The episodes a cap may touch, with their places in the export
	 * (the packing kept their order), sorted into the caps' order. */
	if (nhard > 0 && (hard = malloc(nhard * sizeof(*hard))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < nhard; i++) {
		hard[i].e = c->eps[i];
		hard[i].ordinal = i;
	}
	if (nhard > 1)
		qsort(hard, nhard, sizeof(*hard), cmp_hard);
	for (i = 0; i < nhard; i++) {
		const struct ep *p = &hard[i].e;
		enum verdict v;

		if (i == 0 || p->patient != hard[i - 1].e.patient) {
			counts->patients_capped += capped;
			capped = false;
			c->nkept = 0;
		}
		rv = IBX_OK;
		v = decide(c, p, &rv);
		if (rv != IBX_OK)
			goto out;
		if (p->month != month)
			continue;
		switch (v) {
		case KEEP:
			if ((rv = feed(a, p, false)) != IBX_OK)
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
	if (hard != NULL)
		explicit_bzero(hard, nhard * sizeof(*hard));
	free(hard);
	if (table != NULL)
		explicit_bzero(table, cap * sizeof(*table));
	free(table);
	return (rv);
}
