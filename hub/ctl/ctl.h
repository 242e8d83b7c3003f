/*
 * inboundctl's commands.  ctl_main.c parses arguments into a ctl_config and
 * calls one of these; each returns the exit status (0 done, 1 failed,
 * 2 usage).
 */
#ifndef HUB_CTL_H
#define HUB_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

#define CTL_CERTS_MAX 64

struct ctl_config {
	const char *db;
	const char *ca;
	const char *crl;
	const char *certs[CTL_CERTS_MAX];
	size_t ncerts;
	const char *cert_dir;
	long long message;
	/* tokens */
	const char *role;
	const char *org;
	const char *expires; /* YYYY-MM-DD or N days ("30d") */
	const char *label;
	long long id;
	const char *token;
	/* series */
	const char *name;
	const char *file;
	const char *period_column;
	const char *nationality_column;
	const char *value_column;
	/* release */
	const char *until; /* YYYY-MM */
	const char *now;   /* YYYY-MM-DD */
	int workers;	   /* months measured at once (--workers, 2) */
	/* accounts */
	const char *login;
	const char *password_file;
	/* referrals purge (--days), partner set (--country, --languages) */
	long days;
	bool days_set;
	const char *country;
	const char *languages;
	/* register import: every --file given */
	const char *files[CTL_CERTS_MAX];
	size_t nfiles;
};

int ctl_token_create(const struct ctl_config *c, ibx_db *db);
int ctl_token_revoke(const struct ctl_config *c, ibx_db *db);
int ctl_token_list(const struct ctl_config *c, ibx_db *db);
int ctl_audit_verify(const struct ctl_config *c, ibx_db *db);
int ctl_series_import(const struct ctl_config *c, ibx_db *db);
int ctl_release(const struct ctl_config *c, ibx_db *db);
/* users.c: people's accounts (issue 17). */
int ctl_user_create(const struct ctl_config *c, ibx_db *db);
int ctl_user_disable(const struct ctl_config *c, ibx_db *db);
int ctl_user_reset(const struct ctl_config *c, ibx_db *db);
int ctl_user_list(const struct ctl_config *c, ibx_db *db);
int ctl_register_import(const struct ctl_config *c, ibx_db *db);
/* referrals.c: inboundctl referrals purge [--days N], partner set. */
int ctl_referrals_purge(const struct ctl_config *c, ibx_db *db);
int ctl_partner_set(const struct ctl_config *c, ibx_db *db);

#endif /* HUB_CTL_H */
