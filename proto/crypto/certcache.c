/* Verified-certificate cache; see certcache.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "certcache.h"

struct entry {
	uint8_t key[IBX_CERTCACHE_KEY_LEN];
	void *value; /* NULL: free slot */
	int64_t from, until;
	uint64_t used; /* the tick of its last hit or store */
};

struct ibx_certcache {
	pthread_mutex_t lock;
	struct entry *entries; /* nsets * IBX_CERTCACHE_WAYS */
	size_t lo, hi;	       /* slots ever used: [lo, hi) */
	size_t nsets;
	uint64_t tick;
	ibx_certcache_ref_fn ref;
	ibx_certcache_release_fn release;
	ibx_certcache_stats stats;
};

ibx_err
ibx_certcache_new(size_t capacity, ibx_certcache_ref_fn ref,
		  ibx_certcache_release_fn release, ibx_certcache **out)
{
	ibx_certcache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (IBX_ENOMEM);
	c->nsets = (capacity + IBX_CERTCACHE_WAYS - 1) / IBX_CERTCACHE_WAYS;
	if (c->nsets > 0 &&
	    (c->entries = calloc(c->nsets * IBX_CERTCACHE_WAYS,
				 sizeof(*c->entries))) == NULL) {
		free(c);
		return (IBX_ENOMEM);
	}
	pthread_mutex_init(&c->lock, NULL);
	c->ref = ref;
	c->release = release;
	c->stats.capacity = c->nsets * IBX_CERTCACHE_WAYS;
	*out = c;
	return (IBX_OK);
}

void
ibx_certcache_free(ibx_certcache *c)
{
	if (c == NULL)
		return;
	ibx_certcache_clear(c);
	pthread_mutex_destroy(&c->lock);
	free(c->entries);
	free(c);
}

/* The set of key: the key is a SHA-256, so any 8 of its bytes spread. */
static struct entry *
set_of(ibx_certcache *c, const uint8_t *key)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h));
	return (&c->entries[(h % c->nsets) * IBX_CERTCACHE_WAYS]);
}

static void
drop(ibx_certcache *c, struct entry *e)
{
	c->release(e->value);
	e->value = NULL;
	c->stats.entries--;
}

int
ibx_certcache_get(ibx_certcache *c, const uint8_t *key, int64_t now,
		  void **value)
{
	struct entry *set;
	int i, hit = 0;

	if (c->nsets == 0)
		return (0);
	pthread_mutex_lock(&c->lock);
	set = set_of(c, key);
	for (i = 0; i < IBX_CERTCACHE_WAYS; i++) {
		struct entry *e = &set[i];

		if (e->value == NULL ||
		    memcmp(e->key, key, IBX_CERTCACHE_KEY_LEN) != 0)
			continue;
		if (now >= e->from && now < e->until) {
			e->used = ++c->tick;
			*value = c->ref(e->value);
			hit = 1;
		}
		break;
	}
	if (hit)
		c->stats.hits++;
	else
		c->stats.misses++;
	pthread_mutex_unlock(&c->lock);
	return (hit);
}

void
ibx_certcache_put(ibx_certcache *c, const uint8_t *key, void *value,
		  int64_t from, int64_t until)
{
	struct entry *set, *victim = NULL;
	int i;

	if (c->nsets == 0 || from >= until)
		return;
	pthread_mutex_lock(&c->lock);
	set = set_of(c, key);
	/* The same key, else a free slot, else one past its window, else
	 * the least recently used. */
	for (i = 0; i < IBX_CERTCACHE_WAYS && victim == NULL; i++)
		if (set[i].value != NULL &&
		    memcmp(set[i].key, key, IBX_CERTCACHE_KEY_LEN) == 0)
			victim = &set[i];
	for (i = 0; i < IBX_CERTCACHE_WAYS && victim == NULL; i++)
		if (set[i].value == NULL)
			victim = &set[i];
	for (i = 0; i < IBX_CERTCACHE_WAYS && victim == NULL; i++)
		if (set[i].until <= from)
			victim = &set[i];
	if (victim == NULL) {
		victim = &set[0];
		for (i = 1; i < IBX_CERTCACHE_WAYS; i++)
			if (set[i].used < victim->used)
				victim = &set[i];
	}
	if (victim->value != NULL) {
		if (memcmp(victim->key, key, IBX_CERTCACHE_KEY_LEN) != 0)
			c->stats.evictions++;
		drop(c, victim);
	}
	memcpy(victim->key, key, IBX_CERTCACHE_KEY_LEN);
	victim->value = c->ref(value);
	victim->from = from;
	victim->until = until;
	victim->used = ++c->tick;
	c->stats.entries++;
	if (c->hi == 0 || (size_t)(victim - c->entries) < c->lo)
		c->lo = (size_t)(victim - c->entries);
	if ((size_t)(victim - c->entries) + 1 > c->hi)
		c->hi = (size_t)(victim - c->entries) + 1;
	pthread_mutex_unlock(&c->lock);
}

void
ibx_certcache_clear(ibx_certcache *c)
{
	size_t i;

	pthread_mutex_lock(&c->lock);
	/* Only the slots ever used, not the whole table: a spoke's store
	 * holds one or two of its 100,000 slots, and reading the rest
	 * faulted in megabytes of zero pages on every exit (1.6 ms of a
	 * spoke's 22, perf). */
	for (i = c->lo; i < c->hi && c->stats.entries > 0; i++)
		if (c->entries[i].value != NULL)
			drop(c, &c->entries[i]);
	pthread_mutex_unlock(&c->lock);
}

void
ibx_certcache_stats_get(ibx_certcache *c, ibx_certcache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
}
