/* Disclosure control of one table; see disclosure.h for the method. */
#include <stdlib.h>
#include <string.h>

#include "disclosure.h"

int64_t
hub_sdc_perturb_count(int64_t n, uint32_t ckey, int k)
{
	/* The perturbation table: cumulative probabilities over 2^32. */
	static const uint64_t edge[] = {429496730ull, 1288490189ull,
					3006477107ull, 3865470566ull};
	static const int noise[] = {-2, -1, 0, 1, 2};
	int64_t out;
	int i;

	for (i = 0; i < 4 && (uint64_t)ckey >= edge[i]; i++)
		;
	out = n + noise[i];
	if (out < k)
		out = n + abs(noise[i]);
	return (out);
}

int64_t
hub_sdc_perturb_magnitude(int64_t v, uint32_t ckey)
{
	/* A second key from the first (Knuth's multiplicative hash), so the
	 * magnitude noise is not the count noise scaled. */
	uint32_t k2 = ckey * 2654435761u;
	double u = ((double)k2 / 4294967296.0) * 2.0 - 1.0; /* [-1, 1) */
	double out = (double)v * (1.0 + 0.05 * u);

	return ((int64_t)(out + 0.5));
}

static bool
primary(const hub_sdc_cell *c, const hub_sdc_params *p)
{
	return ((c->patients >= 1 && c->patients < p->k) ||
		c->hospitals < p->min_hospitals);
}

/* Cells a and b lie on the same line along dimension d: equal keys in
 * every other dimension. */
static bool
same_line(const hub_sdc_cell *a, const hub_sdc_cell *b, size_t ndims, size_t d)
{
	size_t i;

	for (i = 0; i < ndims; i++)
		if (i != d && strcmp(a->keys[i], b->keys[i]) != 0)
			return (false);
	return (true);
}

/* One pass of complementary suppression along dimension d (d == ndims:
 * the whole table, whose margin is the grand total).  Returns true when it
 * suppressed something. */
static bool
complement_pass(hub_sdc_cell *cells, size_t n, size_t ndims, size_t d)
{
	bool *seen = calloc(n, sizeof(*seen)), changed = false;
	size_t i, j, suppressed, best;

	if (seen == NULL)
		return (false);
	for (i = 0; i < n; i++) {
		if (seen[i])
			continue;
		suppressed = 0;
		best = n;
		for (j = i; j < n; j++) {
			if (seen[j] ||
			    (d < ndims &&
			     !same_line(&cells[i], &cells[j], ndims, d)))
				continue;
			seen[j] = true;
			if (cells[j].suppressed)
				suppressed++;
			else if (best == n ||
				 cells[j].value < cells[best].value ||
				 (cells[j].value == cells[best].value &&
				  cells[j].patients < cells[best].patients))
				best = j;
		}
		if (suppressed == 1 && best < n) {
			cells[best].suppressed = true;
			changed = true;
		}
	}
	free(seen);
	return (changed);
}

void
hub_sdc_apply(hub_sdc_cell *cells, size_t n, size_t ndims, hub_sdc_cell *total,
	      const hub_sdc_params *p)
{
	bool changed;
	size_t i, d;
	int rounds;

	for (i = 0; i < n; i++)
		cells[i].suppressed = primary(&cells[i], p);
	if (total != NULL)
		total->suppressed = primary(total, p);
	/* Lines along each dimension, and the table against its total when
	 * the total is shown.  Each pass only adds suppressions, so this
	 * ends; the bound is a guard. */
	for (rounds = 0; rounds < 64; rounds++) {
		changed = false;
		for (d = 0; d < ndims; d++)
			changed |= complement_pass(cells, n, ndims, d);
		if (ndims > 1 && total != NULL && !total->suppressed)
			changed |= complement_pass(cells, n, ndims, ndims);
		if (!changed)
			break;
	}
	for (i = 0; i < n; i++)
		if (!cells[i].suppressed)
			cells[i].published =
			    p->is_count
				? hub_sdc_perturb_count(
				      cells[i].value, cells[i].cell_key, p->k)
				: hub_sdc_perturb_magnitude(cells[i].value,
							    cells[i].cell_key);
	if (total != NULL && !total->suppressed)
		total->published =
		    p->is_count ? hub_sdc_perturb_count(total->value,
							total->cell_key, p->k)
				: hub_sdc_perturb_magnitude(total->value,
							    total->cell_key);
}
