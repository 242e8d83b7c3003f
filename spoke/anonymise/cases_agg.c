/*
 * Cells and distinct patients; see cases_agg.h.
 *
 * A cell's keys pack into two words: k1 holds the coordinator's code (34
 * bits), nationality (10), purpose (3), age band (4), sex (2), channel
 * (2), remote second opinion (1) and visa (2); k2 the ICD-10 chapter or
 * the category (its three characters).  Cells live in an open-addressing
 * table (linear probing, one 88-byte slot each).  Distinct patients: a
 * set of 64-bit values, each the keyed hash of a patient reference XOR the
 * hash of the cell's keys, so one set serves every cell; an insert that
 * finds the value already there is the same patient's next episode in that
 * cell.  Two different (patient, cell) pairs share a value with
 * probability about 2^-64 each (around 10^-8 for a million pairs), which
 * would undercount by one.
 *
 * Beside each (patient, cell) value, a parallel array holds what that
 * patient has added to the cell so far, each measure already clipped at
 * its per-patient bound (statistics.h, IBX_STAT_*_PER_PATIENT_CELL),
 * packed into 32 bits: visits (5 bits, 0..16), inpatient days (5 bits,
 * 0..31), charge (22 bits, 0..3,000,000 JPY).  An episode adds to the
 * cell's clipped sums what it adds to the patient's clipped total, so the
 * clipped sums are the sums over the cell's patients of min(their total,
 * bound), whatever order the episodes come in.
 *
 * An episode whose patient is known to have no other (the contribution
 * caps count every patient's episodes first: spoke_cases_agg_add_alone)
 * is a new patient of its cell with its own measures clipped, and takes
 * no place in the set; the set is made only when the first episode that
 * needs it comes, as large as spoke_cases_agg_reserve or the rows' hint
 * asks, so a file of patients with one episode each never makes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cases_agg.h"
#include "cases_hash.h"

#define GOLDEN 0x9E3779B97F4A7C15ull
#define HUGE   (2u * 1024 * 1024) /* bytes of a huge page */

/* Rows held back so their table slots can be fetched from memory while
 * the next rows are parsed (a software pipeline: with tens of thousands
 * of cells and a million patients both tables outgrow the caches, and a
 * miss costs more than parsing a row). */
#define PIPELINE 16

/* A cell, stored in its slot of the open-addressing table. */
struct cell {
	uint64_t k1;
	uint32_t k2;
	uint32_t used; /* 0: empty slot */
	int64_t patients, episodes, inpatient_episodes, outpatient_visits,
	    inpatient_days, charge_jpy;
	int64_t visits_clipped, days_clipped, charge_clipped;
};

/* The packed clipped totals of one patient in one cell (see above). */
#define CLIP_VISITS(w) ((int64_t)((w)&0x1f))
#define CLIP_DAYS(w)   ((int64_t)(((w) >> 5) & 0x1f))
#define CLIP_CHARGE(w) ((int64_t)((w) >> 10))
#define CLIP_PACK(v, d, c)                                                    \
	((uint32_t)(v) | (uint32_t)(d) << 5 | (uint32_t)(c) << 10)
_Static_assert(IBX_STAT_VISITS_PER_PATIENT_CELL < 32 &&
		   IBX_STAT_DAYS_PER_PATIENT_CELL < 32 &&
		   IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL < (1 << 22),
	       "the per-patient bounds fit their packed fields");

/* A row on its way into the tables. */
struct pending {
	uint64_t k1, h, v;
	uint32_t k2;
	int32_t visits, days;
	int64_t charge;
	bool alone; /* the patient has no other episode: no set */
};

struct spoke_cases_agg {
	bool category;
	spoke_ref_key key;
	struct cell *cells; /* the cell table, a power of two */
	size_t ncells, cellcap;
	uint64_t *seen; /* patient-in-cell set, a power of two; 0: empty */
	uint32_t *clip; /* per seen slot: the patient's clipped totals */
	size_t nseen, seencap; /* seencap 0: the set is not made yet */
	size_t seenwant;       /* its size when it is made */
	struct pending ring[PIPELINE];
	size_t pending; /* rows added so far (the ring holds the last ones) */
	ibx_err failure;
};

static uint64_t
mix(uint64_t h)
{
	/* The MurmurHash3 64-bit finaliser (Appleby, public domain). */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (h);
}

/* A zeroed table of n entries of size bytes, on a cache line.  A table
 * of 2 MiB or more is aligned for huge pages and asked to get them (Linux
 * transparent huge pages in "madvise" mode): probing a million random
 * slots over 4 KiB pages spends more time walking page tables than
 * reading the slots.  Freed with free(). */
static void *
table(size_t n, size_t size)
{
	size_t bytes = n * size, align = bytes >= HUGE ? HUGE : 64;
	void *p;

	if (posix_memalign(&p, align, bytes) != 0)
		return (NULL);
#ifdef MADV_HUGEPAGE
	if (align == HUGE)
		(void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint only */
#endif
	memset(p, 0, bytes);
	return (p);
}

/* Slots of a set of patients in cells that holds n at most 70% full. */
static size_t
seen_size(uint64_t n)
{
	size_t cap = 4096;

	while (cap * 7 < n * 10)
		cap *= 2;
	return (cap);
}

ibx_err
spoke_cases_agg_new(bool icd10_category, uint64_t rows_hint,
		    spoke_cases_agg **out)
{
	spoke_cases_agg *a;
	ibx_err rv;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return (IBX_ENOMEM);
	a->category = icd10_category;
	a->cellcap = 1024;
	/* Room for every row's patient at most 70% full: no rehashing. */
	if (rows_hint > SPOKE_AGG_HINT_MAX)
		rows_hint = SPOKE_AGG_HINT_MAX;
	a->seenwant = seen_size(rows_hint);
	/* Cells: far fewer than rows; start large enough for a big file
	 * (a million rows of one month made 63,406 cells in figure 6 of
	 * docs/PERFORMANCE.md: 131,072 slots hold them without growing). */
	while (a->cellcap * 8 < rows_hint && a->cellcap < 131072)
		a->cellcap *= 2;
	a->cells = table(a->cellcap, sizeof(*a->cells));
	if (a->cells == NULL) {
		spoke_cases_agg_free(a);
		return (IBX_ENOMEM);
	}
	if ((rv = spoke_ref_key_new(&a->key)) != IBX_OK) {
		spoke_cases_agg_free(a);
		return (rv);
	}
	*out = a;
	return (IBX_OK);
}

void
spoke_cases_agg_free(spoke_cases_agg *a)
{
	if (a == NULL)
		return;
	spoke_ref_key_wipe(&a->key);
	explicit_bzero(a->ring, sizeof(a->ring));
	free(a->cells);
	free(a->seen);
	free(a->clip);
	free(a);
}

static uint64_t
cell_hash(uint64_t k1, uint32_t k2)
{
	return (mix(k1 ^ ((uint64_t)k2 * GOLDEN)));
}

static ibx_err
grow_cells(spoke_cases_agg *a)
{
	size_t n = a->cellcap * 2, i, j;
	struct cell *t;

	if ((t = table(n, sizeof(*t))) == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < a->cellcap; i++) {
		if (!a->cells[i].used)
			continue;
		j = cell_hash(a->cells[i].k1, a->cells[i].k2) & (n - 1);
		while (t[j].used)
			j = (j + 1) & (n - 1);
		t[j] = a->cells[i];
	}
	free(a->cells);
	a->cells = t;
	a->cellcap = n;
	return (IBX_OK);
}

/* Make the set of patients in cells (seenwant slots), or double it. */
static ibx_err
grow_seen(spoke_cases_agg *a)
{
	size_t n = a->seencap == 0 ? a->seenwant : a->seencap * 2, i, j;
	uint64_t *t;
	uint32_t *u;

	if ((t = table(n, sizeof(*t))) == NULL)
		return (IBX_ENOMEM);
	if ((u = table(n, sizeof(*u))) == NULL) {
		free(t);
		return (IBX_ENOMEM);
	}
	for (i = 0; i < a->seencap; i++) {
		if (a->seen[i] == 0)
			continue;
		j = a->seen[i] & (n - 1);
		while (t[j] != 0)
			j = (j + 1) & (n - 1);
		t[j] = a->seen[i];
		u[j] = a->clip[i];
	}
	free(a->seen);
	free(a->clip);
	a->seen = t;
	a->clip = u;
	a->seencap = n;
	return (IBX_OK);
}

/* What x adds to a patient's clipped total t (0 <= t <= bound): the
 * total is min(their sum, bound). */
static int64_t
clip_step(int64_t t, int64_t x, int64_t bound)
{
	if (x <= 0 || t >= bound)
		return (0);
	return (x < bound - t ? x : bound - t);
}

/* Add episode p to its patient's packed clipped totals *w in cell c, and
 * what it adds to them to the cell's clipped sums. */
static void
clip_add(struct cell *c, uint32_t *w, const struct pending *p)
{
	int64_t v = CLIP_VISITS(*w), d = CLIP_DAYS(*w), ch = CLIP_CHARGE(*w);
	int64_t dv = clip_step(v, p->visits, IBX_STAT_VISITS_PER_PATIENT_CELL);
	int64_t dd = clip_step(d, p->days, IBX_STAT_DAYS_PER_PATIENT_CELL);
	int64_t dc =
	    clip_step(ch, p->charge, IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL);

	c->visits_clipped += dv;
	c->days_clipped += dd;
	c->charge_clipped += dc;
	*w = CLIP_PACK(v + dv, d + dd, ch + dc);
}

/* Count row p in its cell: the tables grow first, so a failure leaves
 * nothing half counted.  Cells at most half full, patients 70%. */
static ibx_err
apply(spoke_cases_agg *a, const struct pending *p)
{
	struct cell *c;
	size_t j;

	if ((a->ncells + 1) * 2 > a->cellcap && grow_cells(a) != IBX_OK)
		return (IBX_ENOMEM);
	if (!p->alone && (a->nseen + 1) * 10 > a->seencap * 7 &&
	    grow_seen(a) != IBX_OK)
		return (IBX_ENOMEM);
	for (j = p->h & (a->cellcap - 1);; j = (j + 1) & (a->cellcap - 1)) {
		c = &a->cells[j];
		if (!c->used) {
			c->k1 = p->k1;
			c->k2 = p->k2;
			c->used = 1;
			a->ncells++;
			break;
		}
		if (c->k1 == p->k1 && c->k2 == p->k2)
			break;
	}
	c->episodes++;
	c->inpatient_episodes += p->days > 0;
	c->outpatient_visits += p->visits;
	c->inpatient_days += p->days;
	c->charge_jpy += p->charge;
	if (p->alone) {
		uint32_t w = 0;

		c->patients++;
		clip_add(c, &w, p);
		return (IBX_OK);
	}
	for (j = p->v & (a->seencap - 1);; j = (j + 1) & (a->seencap - 1)) {
		if (a->seen[j] == p->v) {
			clip_add(c, &a->clip[j], p); /* the next episode */
			return (IBX_OK);
		}
		if (a->seen[j] == 0)
			break;
	}
	a->seen[j] = p->v;
	a->clip[j] = 0;
	a->nseen++;
	c->patients++;
	clip_add(c, &a->clip[j], p);
	return (IBX_OK);
}

size_t
spoke_cases_agg_cells(const spoke_cases_agg *a)
{
	return (a->ncells);
}

void
spoke_cases_agg_episode(const spoke_cases_agg *a, const spoke_case_row *r,
			spoke_agg_episode *e)
{
	int nat = (r->nationality[0] - 'A') * 26 + (r->nationality[1] - 'A');

	e->k1 = r->referral_org | (uint64_t)nat << 34 |
		(uint64_t)r->purpose << 44 | (uint64_t)r->age_band << 47 |
		(uint64_t)r->sex << 51 | (uint64_t)r->channel << 53 |
		(uint64_t)r->remote_second_opinion_first << 55 |
		(uint64_t)r->visa << 56;
	if (a->category)
		e->k2 = (uint32_t)((r->icd10_category[0] - 'A') << 16 |
				   (r->icd10_category[1] & 0xff) << 8 |
				   (r->icd10_category[2] & 0xff));
	else
		e->k2 = (uint32_t)r->icd10_chapter;
	e->patient = spoke_ref_hash(&a->key, r->ref, r->ref_len);
	e->visits = r->outpatient_visits;
	e->days = r->inpatient_days;
	e->charge = r->charge_jpy;
}

/* Hold episode e back in the pipeline (see spoke_cases_agg_add_episode). */
static ibx_err
add(spoke_cases_agg *a, const spoke_agg_episode *e, bool alone)
{
	struct pending *p = &a->ring[a->pending % PIPELINE];
	ibx_err rv;

	if (a->failure != IBX_OK)
		return (a->failure);
	/* The slot is taken by the row PIPELINE rows back: count it now
	 * that its table slots had time to arrive. */
	if (a->pending >= PIPELINE && (rv = apply(a, p)) != IBX_OK)
		return (a->failure = rv);
	p->k1 = e->k1;
	p->k2 = e->k2;
	p->h = cell_hash(p->k1, p->k2);
	/* The patient in this cell: the keyed hash of the reference XOR the
	 * cell's own hash, never 0 (the empty mark). */
	p->v = e->patient ^ p->h;
	if (p->v == 0)
		p->v = 1;
	p->visits = e->visits;
	p->days = e->days;
	p->charge = e->charge;
	p->alone = alone;
	/* A cell's 88 bytes span two cache lines: fetch both. */
	__builtin_prefetch(&a->cells[p->h & (a->cellcap - 1)], 1);
	__builtin_prefetch(
	    (const char *)&a->cells[p->h & (a->cellcap - 1)] + 64, 1);
	if (!alone && a->seencap > 0) {
		__builtin_prefetch(&a->seen[p->v & (a->seencap - 1)], 1);
		__builtin_prefetch(&a->clip[p->v & (a->seencap - 1)], 1);
	}
	a->pending++;
	return (IBX_OK);
}

ibx_err
spoke_cases_agg_add_episode(spoke_cases_agg *a, const spoke_agg_episode *e)
{
	return (add(a, e, false));
}

ibx_err
spoke_cases_agg_add_alone(spoke_cases_agg *a, const spoke_agg_episode *e)
{
	return (add(a, e, true));
}

ibx_err
spoke_cases_agg_reserve(spoke_cases_agg *a, uint64_t n)
{
	if (a->seencap > 0)
		return (IBX_OK); /* made already: it grows as it must */
	if (n > SPOKE_AGG_HINT_MAX)
		n = SPOKE_AGG_HINT_MAX;
	a->seenwant = seen_size(n);
	return (IBX_OK);
}

ibx_err
spoke_cases_agg_add(spoke_cases_agg *a, const spoke_case_row *r)
{
	spoke_agg_episode e;

	spoke_cases_agg_episode(a, r, &e);
	return (spoke_cases_agg_add_episode(a, &e));
}

/* Count the rows still in the pipeline, oldest first. */
static ibx_err
drain(spoke_cases_agg *a)
{
	size_t i, from = a->pending > PIPELINE ? a->pending - PIPELINE : 0;
	ibx_err rv;

	if (a->failure != IBX_OK)
		return (a->failure);
	for (i = from; i < a->pending; i++)
		if ((rv = apply(a, &a->ring[i % PIPELINE])) != IBX_OK)
			return (a->failure = rv);
	explicit_bzero(a->ring, sizeof(a->ring));
	a->pending = 0;
	return (IBX_OK);
}

/* Field f of k1 (shift, width). */
static unsigned
field(uint64_t k1, int shift, int width)
{
	return ((unsigned)(k1 >> shift) & ((1u << width) - 1));
}

/* A cell and its place in the printed order: nationality, purpose,
 * ICD-10, age band, sex, channel, coordinator, remote second opinion,
 * visa, packed most significant first into two words. */
struct order {
	uint64_t hi, lo;
	const struct cell *c;
};

static void
order_key(const struct cell *c, struct order *o)
{
	o->hi = (uint64_t)field(c->k1, 34, 10) << 53 |
		(uint64_t)field(c->k1, 44, 3) << 50 | (uint64_t)c->k2 << 26 |
		(uint64_t)field(c->k1, 47, 4) << 22 |
		(uint64_t)field(c->k1, 51, 2) << 20 |
		(uint64_t)field(c->k1, 53, 2) << 18;
	o->lo = (c->k1 & ((1ull << 34) - 1)) << 3 |
		(uint64_t)field(c->k1, 55, 1) << 2 | field(c->k1, 56, 2);
	o->c = c;
}

static int
cmp_order(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;

	if (a->hi != b->hi)
		return (a->hi < b->hi ? -1 : 1);
	return (a->lo < b->lo ? -1 : a->lo > b->lo);
}

/* The 10 digits of an organisation code kept as a number. */
static void
org_code(uint64_t v, char out[11])
{
	int i;

	for (i = 9; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	out[10] = '\0';
}

/* ICD-10 chapters 1..22 as the wire writes them. */
static const char *const chapters[23] = {
    "0",  "1",	"2",  "3",  "4",  "5",	"6",  "7",  "8",  "9",	"10", "11",
    "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22"};

/* Copy the static word src into dst (n bytes), cut to fit. */
static void
put(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The wire form of a cell's keys and measures. */
static void
to_wire(const spoke_cases_agg *a, const struct cell *c, ibx_stat_cell *w)
{
	unsigned nat = field(c->k1, 34, 10);
	unsigned channel = field(c->k1, 53, 2);

	memset(w, 0, sizeof(*w));
	w->nationality[0] = (char)('A' + nat / 26);
	w->nationality[1] = (char)('A' + nat % 26);
	put(w->purpose, sizeof(w->purpose),
	    spoke_purpose_name((int)field(c->k1, 44, 3)));
	if (a->category) {
		w->icd10[0] = (char)('A' + (c->k2 >> 16));
		w->icd10[1] = (char)((c->k2 >> 8) & 0xff);
		w->icd10[2] = (char)(c->k2 & 0xff);
	} else
		put(w->icd10, sizeof(w->icd10), chapters[c->k2 % 23]);
	put(w->age_band, sizeof(w->age_band),
	    spoke_age_band_name((int)field(c->k1, 47, 4)));
	put(w->sex, sizeof(w->sex), spoke_sex_name((int)field(c->k1, 51, 2)));
	put(w->referral_channel, sizeof(w->referral_channel),
	    spoke_channel_name((int)channel));
	if (channel == SPOKE_CHANNEL_COORDINATOR)
		org_code(c->k1 & ((1ull << 34) - 1), w->referral_org);
	put(w->remote_second_opinion_first,
	    sizeof(w->remote_second_opinion_first),
	    spoke_ynu_name((int)field(c->k1, 55, 1)));
	put(w->medical_stay_visa, sizeof(w->medical_stay_visa),
	    spoke_ynu_name((int)field(c->k1, 56, 2)));
	w->patients = c->patients;
	w->episodes = c->episodes;
	w->inpatient_episodes = c->inpatient_episodes;
	w->outpatient_visits = c->outpatient_visits;
	w->inpatient_days = c->inpatient_days;
	w->charge_jpy = c->charge_jpy;
	w->outpatient_visits_clipped = c->visits_clipped;
	w->inpatient_days_clipped = c->days_clipped;
	w->charge_jpy_clipped = c->charge_clipped;
}

ibx_err
spoke_cases_agg_finish(spoke_cases_agg *a)
{
	return (drain(a));
}

ibx_err
spoke_cases_agg_statistics(const spoke_cases_agg *a, const char *period,
			   ibx_case_statistics **out)
{
	struct order *order = NULL;
	ibx_case_statistics *s = NULL;
	ibx_err rv = IBX_ENOMEM;
	size_t i, n = 0;

	if (a->pending > 0)
		return (IBX_EINVAL); /* spoke_cases_agg_finish first */
	if ((s = ibx_statistics_new()) == NULL)
		goto out;
	snprintf(s->period, sizeof(s->period), "%s", period);
	snprintf(s->icd10_level, sizeof(s->icd10_level), "%s",
		 a->category ? "category" : "chapter");
	if (a->ncells > 0) {
		order = malloc(a->ncells * sizeof(*order));
		s->cells = calloc(a->ncells, sizeof(*s->cells));
		if (order == NULL || s->cells == NULL)
			goto out;
		for (i = 0; i < a->cellcap; i++)
			if (a->cells[i].used)
				order_key(&a->cells[i], &order[n++]);
		qsort(order, n, sizeof(*order), cmp_order);
		for (i = 0; i < n; i++)
			to_wire(a, order[i].c, &s->cells[i]);
		s->n_cells = n;
	}
	*out = s;
	s = NULL;
	rv = IBX_OK;
out:
	free(order);
	ibx_statistics_free(s);
	return (rv);
}
