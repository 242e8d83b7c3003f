/*
 * Enrolment: registering an organisation and the certificate the national
 * CA issued it, so the hub accepts its envelopes.  Used by inboundctl.
 */
#ifndef HUB_ENROL_H
#define HUB_ENROL_H

#include <stddef.h>

#include "crypto.h"
#include "db.h"
#include "err.h"

/* hub_enrol_cert: check cert against trust (chain, dates, CRL) and record
 * its organisation (code and role from the subject) and the certificate,
 * in one transaction.  Enrolling the same certificate again changes
 * nothing.  IBX_EINVAL with a reason in err (n bytes) when the certificate
 * is refused or the organisation is enrolled with another role. */
ibx_err hub_enrol_cert(ibx_db *db, ibx_trust *trust, const ibx_cert *cert,
		       char *err, size_t n);

/* hub_revoke_cert: mark an enrolled certificate revoked at the hub (the
 * CRL is the national record; this takes effect even before the hub
 * reloads it).  IBX_ENOTFOUND when it is not enrolled. */
ibx_err hub_revoke_cert(ibx_db *db, const ibx_cert *cert);

#endif /* HUB_ENROL_H */
