/*
 * inboundctl referrals purge and inboundctl partner set: the hub
 * administrator's side of the referral channel (docs/referrals.md).
 *
 * purge deletes the ciphertext chunks of referrals older than the
 * retention period (--days, default 30) that their receiver never
 * acknowledged as delivered, and marks each referral with when and why
 * (chunks_deleted_reason 'retention'); metadata and statuses stay.
 * partner set writes a partner's (a hospital abroad's) minimal listing:
 * its name, country and languages; the partner must be enrolled with a
 * certificate of role partner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const char SQL_PURGE[] =
    "SELECT referrals_purged, chunks_deleted FROM ibx_referral_purge($1)";
enum { PURGE_REFERRALS, PURGE_CHUNKS };

static const char SQL_PARTNER[] =
    "INSERT INTO partner_listings (org_code, name, country, languages)"
    " SELECT code, $2, $3, string_to_array(nullif($4, ''), ',')"
    " FROM organisations WHERE code = $1 AND role = 'partner'"
    " ON CONFLICT (org_code) DO UPDATE SET name = EXCLUDED.name,"
    " country = EXCLUDED.country, languages = EXCLUDED.languages,"
    " updated_at = now() RETURNING org_code";

int
ctl_referrals_purge(const struct ctl_config *c, ibx_db *db)
{
	const char *v[1];
	char days[16];
	ibx_db_result *res = NULL;

	if (c->days < 0 || c->days > 3650) {
		fprintf(stderr, "inboundctl: --days: 0 to 3650\n");
		return (2);
	}
	snprintf(days, sizeof(days), "%ld",
		 c->days == 0 && !c->days_set ? 30L : c->days);
	v[0] = days;
	if (ibx_db_exec(db, SQL_PURGE, 1, v, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: referrals purge: %s\n",
			ibx_db_last_error(db));
		return (1);
	}
	printf("referrals purge: ciphertext older than %s days deleted: %s "
	       "referral(s), %s chunk(s)\n",
	       days, ibx_db_result_value(res, 0, PURGE_REFERRALS),
	       ibx_db_result_value(res, 0, PURGE_CHUNKS));
	ibx_db_result_free(res);
	return (0);
}

int
ctl_partner_set(const struct ctl_config *c, ibx_db *db)
{
	const char *v[4];
	ibx_db_result *res = NULL;
	int status = 1;

	if (c->org == NULL || c->name == NULL || c->country == NULL) {
		fprintf(stderr, "inboundctl: partner set needs --org, --name "
				"and --country\n");
		return (2);
	}
	v[0] = c->org;
	v[1] = c->name;
	v[2] = c->country;
	v[3] = c->languages != NULL ? c->languages : "";
	if (ibx_db_exec(db, SQL_PARTNER, 4, v, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: partner set: %s\n",
			ibx_db_last_error(db));
		return (1);
	}
	if (ibx_db_result_rows(res) == 0)
		fprintf(stderr,
			"inboundctl: partner set: %s is not enrolled as a "
			"partner (inboundctl enrol with its certificate)\n",
			c->org);
	else {
		printf("partner %s: %s (%s)\n", c->org, c->name, c->country);
		status = 0;
	}
	ibx_db_result_free(res);
	return (status);
}
