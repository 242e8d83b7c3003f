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

	/* Two months at a time by default, each worker on its own
	 * connection (issue 18: both cores of the demo's machine). */
	if ((rv = hub_release_run_workers(
		 db, c->db, c->workers > 0 ? c->workers : 2, c->until, c->now,
		 &rep, err, sizeof(err))) != IBX_OK) {
		fprintf(stderr, "inboundctl: release: %s\n", err);
		return (rv == IBX_EINVAL ? 2 : 1);
	}
	if (rep.months == 0 && rep.years == 0 && rep.years_no_budget == 0) {
		printf("release: nothing to measure up to %s (now %s); rho "
		       "spent 0\n",
		       rep.until, rep.now);
		return (0);
	}
	/* Each month costs RHO_NUM/RHO_DEN, each closed year YEAR_RHO once
	 * more: at most CAP_RHO per calendar year. */
	printf("release: measured %d months %s..%s and %d years %s..%s "
	       "(now %s) in %.2f s, %lld values, %lld monthly values "
	       "adjusted to their years\n",
	       rep.months, rep.first, rep.last, rep.years, rep.year_first,
	       rep.year_last, rep.now, rep.seconds, rep.values, rep.adjusted);
	if (rep.months > 0)
		printf("release: the months measured by %d worker%s, each on "
		       "its own connection\n",
		       rep.workers, rep.workers == 1 ? "" : "s");
	printf("rho spent: %d x %d/%d + %d x %d/%d = %.4f (zCDP); rho per "
	       "calendar year at most %d (12 months + the year); year %.4s: "
	       "%d months measured, rho %.4f\n",
	       rep.months, HUB_RELEASE_RHO_NUM, HUB_RELEASE_RHO_DEN, rep.years,
	       HUB_RELEASE_YEAR_RHO_NUM, HUB_RELEASE_YEAR_RHO_DEN,
	       (double)rep.months * HUB_RELEASE_RHO_NUM / HUB_RELEASE_RHO_DEN +
		   (double)rep.years * HUB_RELEASE_YEAR_RHO_NUM /
		       HUB_RELEASE_YEAR_RHO_DEN,
	       HUB_RELEASE_CAP_RHO, rep.months > 0 ? rep.last : rep.year_last,
	       rep.measured_year, rep.year_rho);
	if (rep.years_no_budget > 0)
		printf("note: %d closed years not measured: their months had "
		       "spent the cap\n",
		       rep.years_no_budget);
	return (0);
}
