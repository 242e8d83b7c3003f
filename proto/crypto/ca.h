/*
 * The national CA's bulk issuance: what deploy/pki/issue.sh does with three
 * openssl processes per certificate, for thousands of organisations in one
 * process. The CA is the one openssl.cnf describes (its [ca] default_ca
 * section: dir, certificate, private_key, serial, database, new_certs_dir,
 * default_md, and the x509_extensions profile), so a change of profile in
 * openssl.cnf applies here as it does to issue.sh; the CA index and serial
 * file are kept as openssl ca keeps them, so revoke.sh and crl.sh work on
 * these certificates too. The caller holds the CA's lock (issue.sh's flock
 * on DIR/.lock) for the whole run.
 */
#ifndef IBX_CA_H
#define IBX_CA_H

#include "err.h"

typedef struct ibx_ca ibx_ca;

/* ibx_ca_open: load the CA of the OpenSSL configuration file cnf (which
 * may use $ENV::IBX_PKI, as deploy/pki/openssl.cnf does). *out is freed by
 * ibx_ca_close. IBX_EINVAL names the missing setting in err (errlen bytes);
 * IBX_EIO and IBX_ECRYPTO for files OpenSSL cannot read. */
ibx_err ibx_ca_open(const char *cnf, ibx_ca **out, char *err, size_t errlen);

/* ibx_ca_issue: a new ECDSA P-256 key and a certificate for organisation
 * code (10 digits) in role ("hospital", "coordinator"), subject
 * C=JP, O=Inbound Exchange, OU=role, CN=code as issue.sh writes it, valid
 * for days days from now, with the next serial and the CA's extension
 * profile. Writes key_path (mode 0600, PKCS#8 PEM), cert_path and the CA's
 * new_certs_dir/SERIAL.pem; the index line and serial are written by
 * ibx_ca_close. IBX_EIO or IBX_ECRYPTO with the reason in err. Threads may
 * call it at once on one ca (ibx-ca-bulk --jobs): each takes its own
 * serial under ca's lock, and the index lines follow in the order the
 * certificates were finished (openssl ca's index does not need the serials
 * in order); a serial taken by a call that failed is left unused. */
ibx_err ibx_ca_issue(ibx_ca *ca, const char *code, const char *role, int days,
		     const char *key_path, const char *cert_path, char *err,
		     size_t errlen);

/* ibx_ca_close: append the index lines of the certificates issued, write
 * the next serial, and free ca (NULL is fine). IBX_EIO when a file cannot
 * be written; ca is freed either way. */
ibx_err ibx_ca_close(ibx_ca *ca);

#endif /* IBX_CA_H */
