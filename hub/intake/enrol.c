/* Enrolment of organisations and certificates; see enrol.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "enrol.h"

static const char SQL_ENROL[] =
    "WITH o AS (INSERT INTO organisations (code, role) VALUES ($1, $2)"
    " ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code"
    " RETURNING role)"
    " SELECT role FROM o";
enum { ENROL_ROLE };
static const char SQL_CERT[] =
    "INSERT INTO certificates (fingerprint, org_code, der, not_before,"
    " not_after) VALUES ($1, $2, $3, to_timestamp($4::bigint),"
    " to_timestamp($5::bigint)) ON CONFLICT (fingerprint) DO NOTHING";
static const char SQL_REVOKE[] =
    "WITH u AS (UPDATE certificates SET revoked_at ="
    " coalesce(revoked_at, now()) WHERE fingerprint = $1 RETURNING 1)"
    " SELECT count(*) FROM u";
enum { REVOKE_COUNT };

ibx_err
hub_enrol_cert(ibx_db *db, ibx_trust *trust, const ibx_cert *cert, char *err,
	       size_t n)
{
	char code[32], role[16], detail[128], nb[24], na[24];
	uint8_t fp[IBX_SHA256_LEN];
	ibx_bytes der = {NULL, 0};
	ibx_db_param p[5];
	ibx_db_result *res = NULL;
	int64_t not_before, not_after;
	ibx_err rv;

	if (ibx_trust_check(trust, cert, time(NULL), detail, sizeof(detail)) !=
	    IBX_CERT_OK) {
		snprintf(err, n, "certificate refused: %s", detail);
		return (IBX_EINVAL);
	}
	if (ibx_cert_identity(cert, code, role) != IBX_OK) {
		snprintf(err, n,
			 "certificate refused: the subject names no "
			 "organisation code (CN) and role (OU)");
		return (IBX_EINVAL);
	}
	if ((rv = ibx_cert_der(cert, &der)) != IBX_OK)
		return (rv);
	ibx_cert_fingerprint(cert, fp);
	ibx_cert_validity(cert, &not_before, &not_after);
	snprintf(nb, sizeof(nb), "%lld", (long long)not_before);
	snprintf(na, sizeof(na), "%lld", (long long)not_after);
	if ((rv = ibx_db_script(db, "BEGIN")) != IBX_OK)
		goto out;
	p[0] = (ibx_db_param){code, 0, false};
	p[1] = (ibx_db_param){role, 0, false};
	if ((rv = ibx_db_execp(db, SQL_ENROL, 2, p, &res)) != IBX_OK)
		goto out;
	if (strcmp(ibx_db_result_value(res, 0, ENROL_ROLE), role) != 0) {
		snprintf(err, n,
			 "organisation %s is enrolled as a %s, not a %s", code,
			 ibx_db_result_value(res, 0, ENROL_ROLE), role);
		rv = IBX_EINVAL;
		goto out;
	}
	p[0] = (ibx_db_param){(const char *)fp, IBX_SHA256_LEN, true};
	p[1] = (ibx_db_param){code, 0, false};
	p[2] = (ibx_db_param){(const char *)der.data, (int)der.len, true};
	p[3] = (ibx_db_param){nb, 0, false};
	p[4] = (ibx_db_param){na, 0, false};
	rv = ibx_db_execp(db, SQL_CERT, 5, p, NULL);
out:
	ibx_db_result_free(res);
	ibx_bytes_fini(&der);
	if (rv == IBX_OK)
		rv = ibx_db_script(db, "COMMIT");
	else
		(void)ibx_db_script(db, "ROLLBACK");
	if (rv != IBX_OK && rv != IBX_EINVAL)
		snprintf(err, n, "database: %s", ibx_db_last_error(db));
	return (rv);
}

ibx_err
hub_revoke_cert(ibx_db *db, const ibx_cert *cert)
{
	uint8_t fp[IBX_SHA256_LEN];
	ibx_db_param p;
	ibx_db_result *res = NULL;
	ibx_err rv;

	ibx_cert_fingerprint(cert, fp);
	p = (ibx_db_param){(const char *)fp, IBX_SHA256_LEN, true};
	rv = ibx_db_execp(db, SQL_REVOKE, 1, &p, &res);
	if (rv == IBX_OK &&
	    strcmp(ibx_db_result_value(res, 0, REVOKE_COUNT), "0") == 0)
		rv = IBX_ENOTFOUND;
	ibx_db_result_free(res);
	return (rv);
}
