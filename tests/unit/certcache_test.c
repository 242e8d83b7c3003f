/* Unit tests for proto/crypto/certcache.c: the verified-certificate cache. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "certcache.h"

/* A value is a reference count the cache must keep balanced. */
struct counted {
	int refs;
};

static pthread_mutex_t refs_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
counted_ref(void *v)
{
	pthread_mutex_lock(&refs_lock);
	((struct counted *)v)->refs++;
	pthread_mutex_unlock(&refs_lock);
	return (v);
}

static void
counted_release(void *v)
{
	pthread_mutex_lock(&refs_lock);
	((struct counted *)v)->refs--;
	pthread_mutex_unlock(&refs_lock);
}

static void
key_of(int n, uint8_t key[IBX_CERTCACHE_KEY_LEN])
{
	memset(key, 0, IBX_CERTCACHE_KEY_LEN);
	memcpy(key, &n, sizeof(n));
	key[31] = 0xab;
}

static void
test_hit_within_window_only(void **state)
{
	ibx_certcache *c = NULL;
	struct counted v = {1};
	uint8_t k[IBX_CERTCACHE_KEY_LEN];
	void *got = NULL;
	ibx_certcache_stats st;

	(void)state;
	assert_int_equal(
	    ibx_certcache_new(16, counted_ref, counted_release, &c), IBX_OK);
	key_of(1, k);
	assert_int_equal(ibx_certcache_get(c, k, 100, &got), 0);
	ibx_certcache_put(c, k, &v, 100, 200);
	assert_int_equal(v.refs, 2);
	assert_int_equal(ibx_certcache_get(c, k, 150, &got), 1);
	assert_ptr_equal(got, &v);
	assert_int_equal(v.refs, 3); /* the caller's own reference */
	counted_release(got);
	/* notAfter (until) is exclusive; before from is no hit either */
	assert_int_equal(ibx_certcache_get(c, k, 200, &got), 0);
	assert_int_equal(ibx_certcache_get(c, k, 99, &got), 0);
	ibx_certcache_stats_get(c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 3);
	assert_int_equal(st.entries, 1);
	ibx_certcache_free(c);
	assert_int_equal(v.refs, 1);
}

static void
test_other_key_misses(void **state)
{
	ibx_certcache *c = NULL;
	struct counted v = {1};
	uint8_t k[IBX_CERTCACHE_KEY_LEN], other[IBX_CERTCACHE_KEY_LEN];
	void *got = NULL;

	(void)state;
	assert_int_equal(
	    ibx_certcache_new(16, counted_ref, counted_release, &c), IBX_OK);
	key_of(7, k);
	memcpy(other, k, sizeof(other));
	other[31] ^= 1; /* same set, different key */
	ibx_certcache_put(c, k, &v, 0, 1000);
	assert_int_equal(ibx_certcache_get(c, other, 10, &got), 0);
	ibx_certcache_free(c);
	assert_int_equal(v.refs, 1);
}

static void
test_clear_drops_everything(void **state)
{
	ibx_certcache *c = NULL;
	struct counted v[5] = {{1}, {1}, {1}, {1}, {1}};
	uint8_t k[IBX_CERTCACHE_KEY_LEN];
	void *got = NULL;
	ibx_certcache_stats st;
	int i;

	(void)state;
	assert_int_equal(
	    ibx_certcache_new(64, counted_ref, counted_release, &c), IBX_OK);
	for (i = 0; i < 5; i++) {
		key_of(i, k);
		ibx_certcache_put(c, k, &v[i], 0, 1000);
	}
	ibx_certcache_clear(c);
	ibx_certcache_stats_get(c, &st);
	assert_int_equal(st.entries, 0);
	for (i = 0; i < 5; i++) {
		key_of(i, k);
		assert_int_equal(v[i].refs, 1);
		assert_int_equal(ibx_certcache_get(c, k, 10, &got), 0);
	}
	ibx_certcache_free(c);
}

/* A full cache gives up the least recently used entry, first one whose
 * window is past; its size never exceeds the capacity. */
static void
test_bounded_eviction(void **state)
{
	ibx_certcache *c = NULL;
	struct counted v[6];
	uint8_t k[IBX_CERTCACHE_KEY_LEN];
	void *got = NULL;
	ibx_certcache_stats st;
	int i;

	(void)state;
	/* capacity 4: one set of IBX_CERTCACHE_WAYS entries */
	assert_int_equal(
	    ibx_certcache_new(4, counted_ref, counted_release, &c), IBX_OK);
	for (i = 0; i < 6; i++)
		v[i].refs = 1;
	for (i = 0; i < 4; i++) {
		key_of(i, k);
		ibx_certcache_put(c, k, &v[i], 0, i == 2 ? 50 : 1000);
	}
	/* key 0 used recently; key 2 is past its window by 60 */
	key_of(0, k);
	assert_int_equal(ibx_certcache_get(c, k, 10, &got), 1);
	counted_release(got);
	key_of(4, k);
	ibx_certcache_put(c, k, &v[4], 60, 1000);
	assert_int_equal(v[2].refs, 1); /* the expired one went */
	/* now 1 is the least recently used */
	key_of(5, k);
	ibx_certcache_put(c, k, &v[5], 60, 1000);
	assert_int_equal(v[1].refs, 1);
	ibx_certcache_stats_get(c, &st);
	assert_int_equal(st.entries, 4);
	assert_int_equal(st.capacity, 4);
	assert_int_equal(st.evictions, 2);
	for (i = 0; i < 6; i++) {
		key_of(i, k);
		assert_int_equal(ibx_certcache_get(c, k, 70, &got),
				 i == 1 || i == 2 ? 0 : 1);
		if (i != 1 && i != 2)
			counted_release(got);
	}
	ibx_certcache_free(c);
	for (i = 0; i < 6; i++)
		assert_int_equal(v[i].refs, 1);
}

static void
test_zero_capacity_holds_nothing(void **state)
{
	ibx_certcache *c = NULL;
	struct counted v = {1};
	uint8_t k[IBX_CERTCACHE_KEY_LEN];
	void *got = NULL;

	(void)state;
	assert_int_equal(
	    ibx_certcache_new(0, counted_ref, counted_release, &c), IBX_OK);
	key_of(1, k);
	ibx_certcache_put(c, k, &v, 0, 1000);
	assert_int_equal(ibx_certcache_get(c, k, 10, &got), 0);
	assert_int_equal(v.refs, 1);
	ibx_certcache_free(c);
}

/* Several threads putting, getting and clearing at once: every reference
 * taken is given back (run under -fsanitize=thread as well). */
struct worker {
	ibx_certcache *c;
	struct counted *v;
	int id;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t k[IBX_CERTCACHE_KEY_LEN];
	void *got = NULL;
	int i;

	for (i = 0; i < 2000; i++) {
		key_of((w->id * 7 + i) % 40, k);
		if (ibx_certcache_get(w->c, k, 10, &got))
			counted_release(got);
		else
			ibx_certcache_put(w->c, k, w->v, 0, 1000);
		if (i % 500 == 499 && w->id == 0)
			ibx_certcache_clear(w->c);
	}
	return (NULL);
}

static void
test_threads(void **state)
{
	ibx_certcache *c = NULL;
	struct counted v = {1};
	struct worker w[4];
	pthread_t th[4];
	int i;

	(void)state;
	assert_int_equal(
	    ibx_certcache_new(16, counted_ref, counted_release, &c), IBX_OK);
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){c, &v, i};
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	ibx_certcache_free(c);
	assert_int_equal(v.refs, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_within_window_only),
	    cmocka_unit_test(test_other_key_misses),
	    cmocka_unit_test(test_clear_drops_everything),
	    cmocka_unit_test(test_bounded_eviction),
	    cmocka_unit_test(test_zero_capacity_holds_nothing),
	    cmocka_unit_test(test_threads),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
