/* OpenSSL wrapper; see crypto.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>

#include "certcache.h"
#include "crypto.h"
#include "log.h"

struct ibx_key {
	EVP_PKEY *pkey;
};

struct ibx_cert {
	X509 *x509;
	uint8_t fp[IBX_SHA256_LEN]; /* when has_fp */
	int has_fp;
};

/* The store is replaced whole on reload (a new CRL); checks hold the read
 * lock, so a reload never frees a store in use.  [from, until) is when the
 * store's own certificates and CRL are all current (Unix seconds): a
 * verdict cached from it holds only within that window.  The cache is
 * cleared under the write lock with every reload, and filled only under
 * the read lock, so no verdict of an old store outlives it. */
struct ibx_trust {
	pthread_rwlock_t lock;
	X509_STORE *store;
	int64_t from, until;
	ibx_certcache *cache; /* values: X509 *, up-referenced */
	char *ca_path;
	char *crl_path;
};

/* Log and clear OpenSSL's error queue. */
static void
log_ssl(const char *what)
{
	unsigned long e;
	char buf[256];

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		IBX_DEBUG("crypto: %s: %s", what, buf);
	}
}

void
ibx_sha256(const uint8_t *data, size_t len, uint8_t out[IBX_SHA256_LEN])
{
	unsigned int n = IBX_SHA256_LEN;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

ibx_err
ibx_random(uint8_t *out, size_t n)
{
	return (RAND_bytes(out, (int)n) == 1 ? IBX_OK : IBX_ECRYPTO);
}

static int
is_p256(EVP_PKEY *pkey)
{
	char group[64];
	size_t len = 0;

	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC)
		return (0);
	if (EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof(group),
					   &len) != 1)
		return (0);
	return (strcmp(group, "prime256v1") == 0);
}

ibx_err
ibx_key_load(const char *path, ibx_key **out)
{
	FILE *f;
	EVP_PKEY *pkey;
	ibx_key *k;

	if ((f = fopen(path, "r")) == NULL) {
		IBX_ERROR("crypto: cannot open key %s", path);
		return (IBX_EIO);
	}
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (pkey == NULL || !is_p256(pkey)) {
		log_ssl("key");
		IBX_ERROR("crypto: %s is not an ECDSA P-256 private key",
			  path);
		EVP_PKEY_free(pkey);
		return (IBX_ECRYPTO);
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		EVP_PKEY_free(pkey);
		return (IBX_ENOMEM);
	}
	k->pkey = pkey;
	*out = k;
	return (IBX_OK);
}

void
ibx_key_free(ibx_key *k)
{
	if (k == NULL)
		return;
	/* EVP_PKEY_free clears the private scalar (BN_clear_free). */
	EVP_PKEY_free(k->pkey);
	OPENSSL_cleanse(k, sizeof(*k));
	free(k);
}

static ibx_err
cert_wrap(X509 *x, ibx_cert **out)
{
	ibx_cert *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		X509_free(x);
		return (IBX_ENOMEM);
	}
	c->x509 = x;
	*out = c;
	return (IBX_OK);
}

ibx_err
ibx_cert_load(const char *path, ibx_cert **out)
{
	FILE *f;
	X509 *x;

	if ((f = fopen(path, "r")) == NULL) {
		IBX_ERROR("crypto: cannot open certificate %s", path);
		return (IBX_EIO);
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x == NULL) {
		log_ssl("certificate");
		IBX_ERROR("crypto: %s is not a PEM certificate", path);
		return (IBX_ECRYPTO);
	}
	return (cert_wrap(x, out));
}

ibx_err
ibx_cert_from_der(const uint8_t *der, size_t len, ibx_cert **out)
{
	const unsigned char *p = der;
	X509 *x;

	if (len == 0 || len > 16384)
		return (IBX_EMALFORMED);
	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != der + len) {
		log_ssl("certificate");
		X509_free(x);
		return (IBX_EMALFORMED);
	}
	return (cert_wrap(x, out));
}

void
ibx_cert_free(ibx_cert *c)
{
	if (c == NULL)
		return;
	X509_free(c->x509);
	free(c);
}

ibx_err
ibx_cert_der(const ibx_cert *c, ibx_bytes *out)
{
	unsigned char *buf = NULL;
	int n = i2d_X509(c->x509, &buf);

	if (n <= 0)
		return (IBX_ECRYPTO);
	out->data = malloc((size_t)n);
	if (out->data == NULL) {
		OPENSSL_free(buf);
		return (IBX_ENOMEM);
	}
	memcpy(out->data, buf, (size_t)n);
	out->len = (size_t)n;
	OPENSSL_free(buf);
	return (IBX_OK);
}

void
ibx_cert_fingerprint(const ibx_cert *c, uint8_t out[IBX_SHA256_LEN])
{
	unsigned int n = IBX_SHA256_LEN;

	if (c->has_fp) {
		memcpy(out, c->fp, IBX_SHA256_LEN);
		return;
	}
	X509_digest(c->x509, EVP_sha256(), out, &n);
}

static int
subject_field(X509 *x, int nid, char *out, size_t n)
{
	X509_NAME *name = X509_get_subject_name(x);
	int len;

	if (name == NULL || X509_NAME_get_index_by_NID(name, nid, -1) < 0)
		return (-1);
	len = X509_NAME_get_text_by_NID(name, nid, out, (int)n);
	return (len > 0 && (size_t)len < n - 1 ? 0 : -1);
}

ibx_err
ibx_cert_identity(const ibx_cert *c, char code[32], char role[16])
{
	if (subject_field(c->x509, NID_commonName, code, 32) != 0 ||
	    subject_field(c->x509, NID_organizationalUnitName, role, 16) != 0)
		return (IBX_EINVAL);
	if (strcmp(role, "hospital") != 0 &&
	    strcmp(role, "coordinator") != 0 && strcmp(role, "partner") != 0)
		return (IBX_EINVAL);
	return (IBX_OK);
}

ibx_err
ibx_cert_key_pin(const ibx_cert *c, uint8_t out[IBX_SHA256_LEN])
{
	X509_PUBKEY *spki = X509_get_X509_PUBKEY(c->x509);
	unsigned char *der = NULL;
	int n;

	if (spki == NULL || (n = i2d_X509_PUBKEY(spki, &der)) <= 0)
		return (IBX_ECRYPTO);
	ibx_sha256(der, (size_t)n, out);
	OPENSSL_free(der);
	return (IBX_OK);
}

/* Does name (a host name or an IPv4/IPv6 address) appear in x's
 * subjectAltName?  OpenSSL's matchers follow RFC 6125: no wildcards are
 * issued by deploy/pki, and the subject CN is never used as a name. */
static int
cert_has_name(X509 *x, const char *name)
{
	if (X509_check_ip_asc(x, name, 0) == 1)
		return (1);
	return (X509_check_host(x, name, 0,
				X509_CHECK_FLAG_NEVER_CHECK_SUBJECT |
				    X509_CHECK_FLAG_NO_WILDCARDS,
				NULL) == 1);
}

ibx_err
ibx_cert_check_hub(const ibx_cert *c, const char *const *names, size_t nnames,
		   const uint8_t *pin, char *detail, size_t n)
{
	uint8_t have[IBX_SHA256_LEN];
	char role[16];
	size_t i;
	ibx_err rv = IBX_ECRYPTO;

	if (subject_field(c->x509, NID_organizationalUnitName, role,
			  sizeof(role)) != 0 ||
	    strcmp(role, "hub") != 0) {
		snprintf(detail, n,
			 "certificate role (subject OU) is not \"hub\"");
		goto out;
	}
	/* extendedKeyUsage must allow serverAuth (RFC 5280 4.2.1.12). */
	if (X509_check_purpose(c->x509, X509_PURPOSE_SSL_SERVER, 0) != 1) {
		snprintf(detail, n,
			 "certificate is not for TLS server authentication");
		goto out;
	}
	if (pin != NULL) {
		if (ibx_cert_key_pin(c, have) != IBX_OK ||
		    memcmp(have, pin, IBX_SHA256_LEN) != 0) {
			snprintf(detail, n,
				 "certificate key is not the pinned key");
			goto out;
		}
		rv = IBX_OK;
		goto out;
	}
	for (i = 0; i < nnames; i++)
		if (cert_has_name(c->x509, names[i])) {
			rv = IBX_OK;
			goto out;
		}
	snprintf(detail, n, "no hub name or pinned key to check against");
	if (nnames > 0)
		snprintf(detail, n,
			 "certificate's subjectAltName does not name hub "
			 "\"%s\"%s",
			 names[0], nnames > 1 ? " nor the others" : "");
out:
	ERR_clear_error();
	return (rv);
}

static int64_t
asn1_time_unix(const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return (0);
	return ((int64_t)timegm(&tm));
}

ibx_err
ibx_cert_validity(const ibx_cert *c, int64_t *not_before, int64_t *not_after)
{
	*not_before = asn1_time_unix(X509_get0_notBefore(c->x509));
	*not_after = asn1_time_unix(X509_get0_notAfter(c->x509));
	return (IBX_OK);
}

int
ibx_key_matches(const ibx_key *k, const ibx_cert *c)
{
	return (X509_check_private_key(c->x509, k->pkey) == 1);
}

ibx_err
ibx_sign(const ibx_key *k, const ibx_bytes *a, const ibx_bytes *b,
	 ibx_bytes *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	ibx_err rv = IBX_ECRYPTO;

	if (ctx == NULL)
		return (IBX_ENOMEM);
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k->pkey) != 1 ||
	    EVP_DigestSignUpdate(ctx, a->data, a->len) != 1 ||
	    EVP_DigestSignUpdate(ctx, b->data, b->len) != 1 ||
	    EVP_DigestSignFinal(ctx, NULL, &n) != 1)
		goto out;
	if ((sig->data = malloc(n)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if (EVP_DigestSignFinal(ctx, sig->data, &n) != 1) {
		ibx_bytes_fini(sig);
		goto out;
	}
	sig->len = n;
	rv = IBX_OK;
out:
	if (rv != IBX_OK)
		log_ssl("sign");
	EVP_MD_CTX_free(ctx);
	return (rv);
}

ibx_err
ibx_verify(const ibx_cert *c, const ibx_bytes *a, const ibx_bytes *b,
	   const ibx_bytes *sig)
{
	EVP_PKEY *pkey = X509_get0_pubkey(c->x509);
	EVP_MD_CTX *ctx;
	ibx_err rv = IBX_ECRYPTO;

	if (pkey == NULL || !is_p256(pkey) || sig->len == 0)
		return (IBX_ECRYPTO);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return (IBX_ENOMEM);
	if (EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pkey) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, a->data, a->len) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, b->data, b->len) == 1 &&
	    EVP_DigestVerifyFinal(ctx, sig->data, sig->len) == 1)
		rv = IBX_OK;
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return (rv);
}

/* The window in which every certificate and CRL of store is current:
 * [latest notBefore / lastUpdate, earliest notAfter / nextUpdate). */
static void
store_window(X509_STORE *store, int64_t *from, int64_t *until)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
	int i;

	*from = INT64_MIN;
	*until = INT64_MAX;
	for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
		X509_OBJECT *o = sk_X509_OBJECT_value(objs, i);
		X509 *x = X509_OBJECT_get0_X509(o);
		X509_CRL *crl = X509_OBJECT_get0_X509_CRL(o);
		const ASN1_TIME *a = NULL, *b = NULL;

		if (x != NULL) {
			a = X509_get0_notBefore(x);
			b = X509_get0_notAfter(x);
		} else if (crl != NULL) {
			a = X509_CRL_get0_lastUpdate(crl);
			b = X509_CRL_get0_nextUpdate(crl);
		}
		if (a != NULL && asn1_time_unix(a) > *from)
			*from = asn1_time_unix(a);
		if (b != NULL && asn1_time_unix(b) < *until)
			*until = asn1_time_unix(b);
	}
}

static X509_STORE *
store_load(const char *ca_path, const char *crl_path)
{
	X509_STORE *store = X509_STORE_new();

	if (store == NULL || X509_STORE_load_file(store, ca_path) != 1) {
		log_ssl("trust");
		IBX_ERROR("crypto: cannot load CA certificate %s", ca_path);
		X509_STORE_free(store);
		return (NULL);
	}
	if (crl_path != NULL) {
		if (X509_STORE_load_file(store, crl_path) != 1) {
			log_ssl("trust");
			IBX_ERROR("crypto: cannot load CRL %s", crl_path);
			X509_STORE_free(store);
			return (NULL);
		}
		X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
	}
	return (store);
}

ibx_err
ibx_crl_dates(const char *path, int64_t *last_update, int64_t *next_update)
{
	FILE *f;
	X509_CRL *crl;

	if ((f = fopen(path, "r")) == NULL)
		return (IBX_EIO);
	crl = PEM_read_X509_CRL(f, NULL, NULL, NULL);
	fclose(f);
	if (crl == NULL) {
		log_ssl("crl");
		return (IBX_EMALFORMED);
	}
	*last_update = asn1_time_unix(X509_CRL_get0_lastUpdate(crl));
	/* A CRL without nextUpdate (RFC 5280 5.1.2.5 allows it) never goes
	 * stale by itself: INT64_MAX. */
	*next_update = X509_CRL_get0_nextUpdate(crl) != NULL
			   ? asn1_time_unix(X509_CRL_get0_nextUpdate(crl))
			   : INT64_MAX;
	X509_CRL_free(crl);
	return (IBX_OK);
}

static void *
cache_ref(void *x)
{
	X509_up_ref(x);
	return (x);
}

static void
cache_release(void *x)
{
	X509_free(x);
}

ibx_err
ibx_trust_load(const char *ca_path, const char *crl_path, ibx_trust **out)
{
	ibx_trust *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (IBX_ENOMEM);
	pthread_rwlock_init(&t->lock, NULL);
	t->ca_path = strdup(ca_path);
	t->crl_path = crl_path != NULL ? strdup(crl_path) : NULL;
	if (t->ca_path == NULL || (crl_path != NULL && t->crl_path == NULL) ||
	    ibx_certcache_new(IBX_TRUST_CACHE_ENTRIES, cache_ref,
			      cache_release, &t->cache) != IBX_OK) {
		ibx_trust_free(t);
		return (IBX_ENOMEM);
	}
	if ((t->store = store_load(ca_path, crl_path)) == NULL) {
		ibx_trust_free(t);
		return (IBX_ECRYPTO);
	}
	store_window(t->store, &t->from, &t->until);
	*out = t;
	return (IBX_OK);
}

ibx_err
ibx_trust_reload(ibx_trust *t)
{
	X509_STORE *fresh = store_load(t->ca_path, t->crl_path), *old;

	if (fresh == NULL)
		return (IBX_ECRYPTO);
	pthread_rwlock_wrlock(&t->lock);
	old = t->store;
	t->store = fresh;
	store_window(fresh, &t->from, &t->until);
	/* Every verdict was the old store's: a revocation in the new CRL
	 * takes effect with the next message. */
	ibx_certcache_clear(t->cache);
	pthread_rwlock_unlock(&t->lock);
	X509_STORE_free(old);
	return (IBX_OK);
}

void
ibx_trust_free(ibx_trust *t)
{
	if (t == NULL)
		return;
	ibx_certcache_free(t->cache);
	X509_STORE_free(t->store);
	pthread_rwlock_destroy(&t->lock);
	free(t->ca_path);
	free(t->crl_path);
	free(t);
}

/* The check itself; the caller holds the read lock. */
static ibx_cert_verdict
trust_check_locked(ibx_trust *t, X509 *x, time_t now, char *detail, size_t n)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	ibx_cert_verdict v = IBX_CERT_UNTRUSTED;
	int err;

	snprintf(detail, n, "cannot check");
	if (ctx == NULL || X509_STORE_CTX_init(ctx, t->store, x, NULL) != 1)
		goto out;
	X509_STORE_CTX_set_time(ctx, 0, now);
	if (X509_verify_cert(ctx) == 1) {
		v = IBX_CERT_OK;
		snprintf(detail, n, "ok");
		goto out;
	}
	err = X509_STORE_CTX_get_error(ctx);
	snprintf(detail, n, "%s", X509_verify_cert_error_string(err));
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		v = IBX_CERT_EXPIRED;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		v = IBX_CERT_NOT_YET_VALID;
		break;
	case X509_V_ERR_CERT_REVOKED:
		v = IBX_CERT_REVOKED;
		break;
	default:
		v = IBX_CERT_UNTRUSTED;
		break;
	}
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return (v);
}

ibx_cert_verdict
ibx_trust_check(ibx_trust *t, const ibx_cert *c, time_t now, char *detail,
		size_t n)
{
	ibx_cert_verdict v;

	pthread_rwlock_rdlock(&t->lock);
	v = trust_check_locked(t, c->x509, now, detail, n);
	pthread_rwlock_unlock(&t->lock);
	return (v);
}

/* A cached certificate as a new ibx_cert sharing x (reference taken). */
static ibx_err
cert_from_cache(X509 *x, const uint8_t fp[IBX_SHA256_LEN], ibx_cert **out)
{
	ibx_err rv;

	if ((rv = cert_wrap(x, out)) != IBX_OK)
		return (rv);
	memcpy((*out)->fp, fp, IBX_SHA256_LEN);
	(*out)->has_fp = 1;
	return (IBX_OK);
}

int
ibx_trust_cached(ibx_trust *t, const uint8_t fp[IBX_SHA256_LEN], time_t now,
		 ibx_cert **out)
{
	void *x = NULL;

	if (!ibx_certcache_get(t->cache, fp, (int64_t)now, &x))
		return (0);
	return (cert_from_cache(x, fp, out) == IBX_OK);
}

ibx_err
ibx_trust_check_der(ibx_trust *t, const uint8_t *der, size_t len, time_t now,
		    ibx_cert **out, ibx_cert_verdict *verdict, char *detail,
		    size_t n)
{
	uint8_t key[IBX_SHA256_LEN];
	int64_t nb, na;
	ibx_cert *c = NULL;
	ibx_err rv;

	if (len == 0 || len > 16384)
		return (IBX_EMALFORMED);
	ibx_sha256(der, len, key);
	if (ibx_trust_cached(t, key, now, out)) {
		*verdict = IBX_CERT_OK;
		snprintf(detail, n, "ok");
		return (IBX_OK);
	}
	if ((rv = ibx_cert_from_der(der, len, &c)) != IBX_OK)
		return (rv);
	ibx_cert_fingerprint(c, c->fp);
	c->has_fp = 1;
	pthread_rwlock_rdlock(&t->lock);
	*verdict = trust_check_locked(t, c->x509, now, detail, n);
	/* Only a strict DER encoding is cached, so the key is the
	 * certificate's fingerprint, and only a good verdict, for as long as
	 * the certificate, the CA and the CRL are all current. */
	if (*verdict == IBX_CERT_OK &&
	    memcmp(key, c->fp, IBX_SHA256_LEN) == 0) {
		ibx_cert_validity(c, &nb, &na);
		ibx_certcache_put(t->cache, key, c->x509,
				  nb > t->from ? nb : t->from,
				  na < t->until ? na : t->until);
	}
	pthread_rwlock_unlock(&t->lock);
	*out = c;
	return (IBX_OK);
}

void
ibx_trust_cache_stats(ibx_trust *t, uint64_t *hits, uint64_t *misses,
		      size_t *entries)
{
	ibx_certcache_stats st;

	ibx_certcache_stats_get(t->cache, &st);
	*hits = st.hits;
	*misses = st.misses;
	*entries = st.entries;
}
