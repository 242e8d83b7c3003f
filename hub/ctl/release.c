/*
 * inboundctl release: measure every closed month not measured yet
 * (hub/stats/release.h) and print what it cost in privacy loss.
 */
#include <stdio.h>

#include "ctl.h"
#include "release.h"

int
ctl_release(const struct ctl_config *c, ibx_db *db)
{
	hub_release_report rep;
	char err[256];
	ibx_err rv;

	if ((rv = hub_release_run(db, c->until, c->now, &rep, err,
				  sizeof(err))) != IBX_OK) {
		fprintf(stderr, "inboundctl: release: %s\n", err);
		return (rv == IBX_EINVAL ? 2 : 1);
	}
	if (rep.months == 0) {
		printf("release: nothing to measure up to %s (now %s); rho "
		       "spent 0\n",
		       rep.until, rep.now);
		return (0);
	}
	/* Each month costs RHO_NUM/RHO_DEN; a year holds twelve. */
	printf("release: measured %d months %s..%s (now %s) in %.2f s, "
	       "%lld values\n",
	       rep.months, rep.first, rep.last, rep.now, rep.seconds,
	       rep.values);
	printf("rho spent: %d x %d/%d = %.4f (zCDP); rho per calendar year "
	       "at most %.4f; year %.4s: %d months measured, rho %.4f\n",
	       rep.months, HUB_RELEASE_RHO_NUM, HUB_RELEASE_RHO_DEN,
	       (double)rep.months * HUB_RELEASE_RHO_NUM / HUB_RELEASE_RHO_DEN,
	       12.0 * HUB_RELEASE_RHO_NUM / HUB_RELEASE_RHO_DEN, rep.last,
	       rep.measured_year,
	       (double)rep.measured_year * HUB_RELEASE_RHO_NUM /
		   HUB_RELEASE_RHO_DEN);
	return (0);
}
