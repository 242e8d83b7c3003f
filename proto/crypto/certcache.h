/*
 * A bounded, thread-safe cache of verified certificates, keyed by the
 * SHA-256 of the certificate's DER.  It knows nothing of X.509: a value is
 * an opaque pointer the owner counts references to (crypto.c stores an
 * up-referenced X509 and keeps OpenSSL to itself), valid over a window of
 * time [from, until) in Unix seconds that the owner computed (the
 * certificate's dates, narrowed by the CA's and the CRL's).  The owner
 * clears it whenever what a verdict rested on changes (a new CA or CRL).
 *
 * Sets of IBX_CERTCACHE_WAYS entries (set-associative): a full set gives up
 * an entry whose window is past, else its least recently used one, so the
 * memory is fixed at creation and no request waits on a rehash.
 */
#ifndef IBX_CERTCACHE_H
#define IBX_CERTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IBX_CERTCACHE_KEY_LEN 32
#define IBX_CERTCACHE_WAYS    4

typedef struct ibx_certcache ibx_certcache;

/* How a value's references are taken and dropped (both never NULL). */
typedef void *(*ibx_certcache_ref_fn)(void *value);
typedef void (*ibx_certcache_release_fn)(void *value);

typedef struct ibx_certcache_stats {
	uint64_t hits;
	uint64_t misses;    /* lookups that found nothing valid */
	uint64_t evictions; /* entries given up for a new one */
	size_t entries;	    /* entries held now */
	size_t capacity;    /* at most this many */
} ibx_certcache_stats;

/* ibx_certcache_new: a cache of at most capacity entries (rounded up to a
 * multiple of IBX_CERTCACHE_WAYS; 0 makes a cache that holds nothing).
 * ref takes a new reference to a value, release drops one.  IBX_ENOMEM.
 * Free with ibx_certcache_free. */
ibx_err ibx_certcache_new(size_t capacity, ibx_certcache_ref_fn ref,
			  ibx_certcache_release_fn release,
			  ibx_certcache **out);

/* ibx_certcache_free: release every held value and the cache; NULL is
 * fine. */
void ibx_certcache_free(ibx_certcache *c);

/* ibx_certcache_get: the value stored under key whose window holds now
 * (Unix seconds): 1 and a new reference in *value (the caller releases it),
 * or 0 (nothing, or only an entry whose window does not hold now). */
int ibx_certcache_get(ibx_certcache *c, const uint8_t *key, int64_t now,
		      void **value);

/* ibx_certcache_put: store value (the cache takes its own reference) under
 * key (IBX_CERTCACHE_KEY_LEN bytes) for [from, until), replacing an entry
 * with the same key.  An empty window stores nothing. */
void ibx_certcache_put(ibx_certcache *c, const uint8_t *key, void *value,
		       int64_t from, int64_t until);

/* ibx_certcache_clear: drop every entry (after the trust store changed). */
void ibx_certcache_clear(ibx_certcache *c);

/* ibx_certcache_stats: counters since creation, and the size now. */
void ibx_certcache_stats_get(ibx_certcache *c, ibx_certcache_stats *out);

#endif /* IBX_CERTCACHE_H */
