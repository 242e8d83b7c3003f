/*
 * Statistical disclosure control for every statistic that leaves the hub
 * (except a hospital's own figures), applied to one table at a time:
 *
 *  1. Primary suppression: a cell whose patient count is 1 to k-1 (k = 10
 *     by default: the rule of the NDB third-party provision guidelines,
 *     MHLW), or that is built from fewer than 3 hospitals, is not shown.
 *  2. Complementary suppression: along every line of the table (the cells
 *     that share all keys but one, and the whole table for the grand
 *     total), a lone suppressed cell is joined by the smallest published
 *     cell of the line, until no line has exactly one (Hundepool et al.,
 *     Statistical Disclosure Control, Wiley 2012, ch. 4), so no suppressed
 *     cell follows from a margin.
 *  3. Consistent perturbation by the cell-key method (Fraser and Wooton,
 *     ABS 2005; Thompson, Broadfoot and Elazar, ABS 2013): every stored
 *     cell carries a random record key; a published cell's key is the sum
 *     of its records' keys modulo 2^32, so the same records always give
 *     the same noise and asking again reveals nothing new.  Counts get
 *     d in {-2,-1,0,+1,+2} with probabilities 0.1, 0.2, 0.4, 0.2, 0.1
 *     (mean 0, variance 1.2); a result below k is reflected upward
 *     (n + |d|), which adds a small upward bias for n = k, k+1 only.
 *     Magnitudes (JPY, days, visits) get a multiplicative noise of up to
 *     +/-5% from a second key derived from the cell key (mean 0).
 *
 * Pure functions over arrays: no database, no I/O.
 */
#ifndef HUB_DISCLOSURE_H
#define HUB_DISCLOSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HUB_SDC_MAX_DIMS      4
#define HUB_SDC_K_DEFAULT     10
#define HUB_SDC_K_MIN	      3
#define HUB_SDC_MIN_HOSPITALS 3
#define HUB_SDC_COUNT_NOISE   2

/* One cell of a table: its keys (one per dimension; owned by the caller),
 * what it sums to, the patients and hospitals behind it, its cell key. */
typedef struct hub_sdc_cell {
	const char *keys[HUB_SDC_MAX_DIMS];
	int64_t value;	   /* the measure, before control */
	int64_t patients;  /* patients behind the cell (threshold basis) */
	int64_t hospitals; /* distinct hospitals behind the cell */
	uint32_t cell_key; /* sum of record keys mod 2^32 */
	/* results */
	bool suppressed;
	int64_t published; /* perturbed value; meaningless when suppressed */
} hub_sdc_cell;

typedef struct hub_sdc_params {
	int k;		   /* smallest patient count shown (>= 3) */
	int min_hospitals; /* smallest number of hospitals behind a cell */
	bool is_count;	   /* the measure is a count (patients, episodes) */
} hub_sdc_params;

/* hub_sdc_perturb_count: the published value of count n with cell key
 * ckey under threshold k (n >= k). */
int64_t hub_sdc_perturb_count(int64_t n, uint32_t ckey, int k);

/* hub_sdc_perturb_magnitude: the published value of magnitude v (JPY,
 * days, visits) with cell key ckey. */
int64_t hub_sdc_perturb_magnitude(int64_t v, uint32_t ckey);

/* hub_sdc_apply: primary and complementary suppression over the table
 * cells[0..n-1] with ndims key columns, then perturbation of what is
 * published.  total (may be NULL) is the table's grand total, controlled
 * with the table: it is a margin of every cell. */
void hub_sdc_apply(hub_sdc_cell *cells, size_t n, size_t ndims,
		   hub_sdc_cell *total, const hub_sdc_params *p);

#endif /* HUB_DISCLOSURE_H */
