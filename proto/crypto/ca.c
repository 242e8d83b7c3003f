/*
 * Bulk issuance by the national CA; see ca.h. The steps follow openssl ca
 * (apps/ca.c): serial from the serial file, subject and validity, the
 * extension section named by x509_extensions applied with
 * X509V3_EXT_add_nconf, signature with default_md, the certificate copied to
 * new_certs_dir, and a line "V, notAfter, (no revocation date), serial,
 * unknown, subject" in the index.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca.h"

struct ibx_ca {
	CONF *conf;
	X509 *cert;
	EVP_PKEY *key;
	const EVP_MD *md;
	BIGNUM *serial;	      /* the next serial */
	char *serial_path;    /* serial file */
	char *index_path;     /* database */
	char *newcerts;	      /* new_certs_dir */
	const char *ext_sect; /* x509_extensions; NULL: none */
	FILE *index_lines;    /* lines to append, in memory */
	char *index_text;
	size_t index_len;
	int issued;
	int taken;	      /* serials handed out, issued or not */
	pthread_mutex_t lock; /* serial, index_lines, issued, taken */
};

/* Copies OpenSSL's last error reason into err. */
static void
ssl_reason(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s: %s", what, e != 0 ? buf : "failed");
	ERR_clear_error();
}

/* A setting of section sect, or NULL after naming it in err. */
static const char *
setting(ibx_ca *ca, const char *sect, const char *name, char *err,
	size_t errlen)
{
	const char *v = NCONF_get_string(ca->conf, sect, name);

	ERR_clear_error();
	if (v == NULL)
		snprintf(err, errlen, "openssl.cnf: [%s] has no %s", sect,
			 name);
	return (v);
}

ibx_err
ibx_ca_open(const char *cnf, ibx_ca **out, char *err, size_t errlen)
{
	ibx_ca *ca = NULL;
	const char *sect, *v, *md;
	FILE *f = NULL;
	long line = 0;
	char buf[128];
	ibx_err rv = IBX_EINVAL;

	if ((ca = calloc(1, sizeof(*ca))) == NULL)
		return (IBX_ENOMEM);
	pthread_mutex_init(&ca->lock, NULL);
	if ((ca->conf = NCONF_new(NULL)) == NULL ||
	    NCONF_load(ca->conf, cnf, &line) <= 0) {
		ssl_reason(err, errlen, cnf);
		rv = IBX_EIO;
		goto out;
	}
	if ((sect = setting(ca, "ca", "default_ca", err, errlen)) == NULL ||
	    (v = setting(ca, sect, "certificate", err, errlen)) == NULL)
		goto out;
	if ((f = fopen(v, "r")) == NULL ||
	    (ca->cert = PEM_read_X509(f, NULL, NULL, NULL)) == NULL) {
		snprintf(err, errlen, "%s: %s", v,
			 f == NULL ? strerror(errno) : "not a certificate");
		rv = IBX_EIO;
		goto out;
	}
	fclose(f);
	f = NULL;
	if ((v = setting(ca, sect, "private_key", err, errlen)) == NULL)
		goto out;
	if ((f = fopen(v, "r")) == NULL ||
	    (ca->key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL) {
		snprintf(err, errlen, "%s: %s", v,
			 f == NULL ? strerror(errno) : "not a private key");
		rv = IBX_EIO;
		goto out;
	}
	fclose(f);
	f = NULL;
	if ((md = setting(ca, sect, "default_md", err, errlen)) == NULL)
		goto out;
	if ((ca->md = EVP_get_digestbyname(md)) == NULL) {
		snprintf(err, errlen, "openssl.cnf: unknown default_md %s",
			 md);
		goto out;
	}
	if ((v = setting(ca, sect, "serial", err, errlen)) == NULL ||
	    (ca->serial_path = strdup(v)) == NULL ||
	    (v = setting(ca, sect, "database", err, errlen)) == NULL ||
	    (ca->index_path = strdup(v)) == NULL ||
	    (v = setting(ca, sect, "new_certs_dir", err, errlen)) == NULL ||
	    (ca->newcerts = strdup(v)) == NULL)
		goto out;
	ca->ext_sect = NCONF_get_string(ca->conf, sect, "x509_extensions");
	ERR_clear_error();
	if ((f = fopen(ca->serial_path, "r")) == NULL ||
	    fgets(buf, sizeof(buf), f) == NULL) {
		snprintf(err, errlen, "%s: %s", ca->serial_path,
			 f == NULL ? strerror(errno) : "empty");
		rv = IBX_EIO;
		goto out;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	if (BN_hex2bn(&ca->serial, buf) == 0) {
		snprintf(err, errlen, "%s: not a hex serial", ca->serial_path);
		goto out;
	}
	if ((ca->index_lines =
		 open_memstream(&ca->index_text, &ca->index_len)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	*out = ca;
	ca = NULL;
	rv = IBX_OK;
out:
	if (f != NULL)
		fclose(f);
	if (ca != NULL) {
		ca->taken = 0;
		(void)ibx_ca_close(ca);
	}
	return (rv);
}

/* Writes PEM of x or k to path with mode; 0 on success. */
static int
write_pem(const char *path, mode_t mode, X509 *x, EVP_PKEY *k)
{
	int fd, ok;
	FILE *f;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0)
		return (-1);
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return (-1);
	}
	ok = x != NULL ? PEM_write_X509(f, x)
		       : PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	if (fclose(f) != 0)
		ok = 0;
	return (ok ? 0 : -1);
}

ibx_err
ibx_ca_issue(ibx_ca *ca, const char *code, const char *role, int days,
	     const char *key_path, const char *cert_path, char *err,
	     size_t errlen)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	X509_NAME *name = NULL;
	X509V3_CTX ctx;
	ASN1_INTEGER *sn = NULL;
	const ASN1_TIME *na;
	char *hex = NULL, *subject = NULL, path[4096];
	ibx_err rv = IBX_ECRYPTO;

	/* This certificate's serial, taken under the lock: a serial that a
	 * failure below leaves unused is never handed out again. */
	pthread_mutex_lock(&ca->lock);
	if ((sn = BN_to_ASN1_INTEGER(ca->serial, NULL)) == NULL ||
	    (hex = BN_bn2hex(ca->serial)) == NULL ||
	    BN_add_word(ca->serial, 1) != 1) {
		pthread_mutex_unlock(&ca->lock);
		ssl_reason(err, errlen, "serial");
		goto out;
	}
	ca->taken++;
	pthread_mutex_unlock(&ca->lock);
	if ((key = EVP_EC_gen("P-256")) == NULL) {
		ssl_reason(err, errlen, "key generation");
		goto out;
	}
	if ((x = X509_new()) == NULL || X509_set_version(x, 2) != 1 ||
	    X509_set_serialNumber(x, sn) != 1 ||
	    X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), days, 0, NULL) == NULL ||
	    X509_set_pubkey(x, key) != 1) {
		ssl_reason(err, errlen, "certificate");
		goto out;
	}
	/* The subject issue.sh gives openssl req: /C=JP/O=.../OU=ROLE/CN=CODE
	 */
	if ((name = X509_NAME_new()) == NULL ||
	    !X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
					(const unsigned char *)"JP", -1, -1,
					0) ||
	    !X509_NAME_add_entry_by_txt(
		name, "O", MBSTRING_ASC,
		(const unsigned char *)"Inbound Exchange", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC,
					(const unsigned char *)role, -1, -1,
					0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)code, -1, -1,
					0) ||
	    X509_set_subject_name(x, name) != 1) {
		ssl_reason(err, errlen, "subject");
		goto out;
	}
	if (ca->ext_sect != NULL) {
		X509V3_set_ctx(&ctx, ca->cert, x, NULL, NULL, 0);
		X509V3_set_nconf(&ctx, ca->conf);
		if (!X509V3_EXT_add_nconf(ca->conf, &ctx, ca->ext_sect, x)) {
			ssl_reason(err, errlen, ca->ext_sect);
			goto out;
		}
	}
	if (X509_sign(x, ca->key, ca->md) == 0) {
		ssl_reason(err, errlen, "signature");
		goto out;
	}
	if ((subject = X509_NAME_oneline(name, NULL, 0)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s.pem", ca->newcerts, hex);
	rv = IBX_EIO;
	if (write_pem(key_path, 0600, NULL, key) != 0 ||
	    write_pem(path, 0644, x, NULL) != 0 ||
	    write_pem(cert_path, 0644, x, NULL) != 0) {
		snprintf(err, errlen, "%s: %s", code, strerror(errno));
		goto out;
	}
	na = X509_get0_notAfter(x);
	pthread_mutex_lock(&ca->lock);
	fprintf(ca->index_lines, "V\t%.*s\t\t%s\tunknown\t%s\n",
		ASN1_STRING_length(na),
		(const char *)ASN1_STRING_get0_data(na), hex, subject);
	ca->issued++;
	pthread_mutex_unlock(&ca->lock);
	rv = IBX_OK;
out:
	OPENSSL_free(hex);
	OPENSSL_free(subject);
	ASN1_INTEGER_free(sn);
	X509_NAME_free(name);
	X509_free(x);
	EVP_PKEY_free(key);
	return (rv);
}

ibx_err
ibx_ca_close(ibx_ca *ca)
{
	ibx_err rv = IBX_OK;
	char *hex = NULL;
	FILE *f;

	if (ca == NULL)
		return (IBX_OK);
	if (ca->index_lines != NULL && fclose(ca->index_lines) != 0)
		rv = IBX_EIO;
	ca->index_lines = NULL;
	if (ca->taken > 0 && rv == IBX_OK) {
		/* The index first: a serial never goes backwards. */
		if ((f = fopen(ca->index_path, "a")) == NULL ||
		    fwrite(ca->index_text, 1, ca->index_len, f) !=
			ca->index_len ||
		    fclose(f) != 0)
			rv = IBX_EIO;
		if (rv == IBX_OK &&
		    ((hex = BN_bn2hex(ca->serial)) == NULL ||
		     (f = fopen(ca->serial_path, "w")) == NULL ||
		     fprintf(f, "%s\n", hex) < 0 || fclose(f) != 0))
			rv = IBX_EIO;
	}
	OPENSSL_free(hex);
	free(ca->index_text);
	free(ca->serial_path);
	free(ca->index_path);
	free(ca->newcerts);
	BN_free(ca->serial);
	EVP_PKEY_free(ca->key);
	X509_free(ca->cert);
	NCONF_free(ca->conf);
	pthread_mutex_destroy(&ca->lock);
	free(ca);
	return (rv);
}
