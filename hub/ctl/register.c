/*
 * inboundctl register import: load the institution-code register that
 * hospital listings are checked against (hub/stats/register.h).
 */
#include <stdio.h>

#include "ctl.h"
#include "register.h"

int
ctl_register_import(const struct ctl_config *c, ibx_db *db)
{
	hub_register_counts n = {0, 0, 0, 0};
	char err[512];

	if (c->nfiles == 0) {
		fprintf(stderr, "inboundctl: register import needs --file\n");
		return (2);
	}
	if (hub_register_import(db, c->files, c->nfiles, &n, err,
				sizeof(err)) != IBX_OK) {
		fprintf(stderr, "register not imported: %s\n", err);
		return (1);
	}
	printf("register: %zu rows from %zu files, %zu repeated rows merged, "
	       "%zu institutions (%zu hospitals)\n",
	       n.rows, c->nfiles, n.merged, n.stored, n.hospitals);
	return (0);
}
