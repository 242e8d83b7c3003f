-- 100: search's experience, precomputed from the protected release
-- (docs/disclosure-control.md; hub/api/api_hospitals.c).
--
-- One row per hospital in the release: its released patients over the
-- twelve months through the newest measured month (the 'hospital'
-- marginal), and the same by purpose (the 'hospital,purpose' marginal),
-- summed from release_values by ibx_search_experience_refresh().  Search
-- over the current listings reads this row for each match and never
-- release_values (before this, adding up twelve months of release_values
-- per match cost seconds a search: issue 18).  Rebuilt at the end of each
-- release run that measured something (hub/stats/release.c), in one
-- statement, so a search sees either the old or the new figures.
CREATE TABLE search_experience (
	org_code text PRIMARY KEY,
	-- the newest released month counted; the window is the 12 months
	-- ending with it
	through date NOT NULL,
	patients bigint NOT NULL CHECK (patients >= 0),
	-- {"treatment": n, ...}: released patients by purpose, same window
	by_purpose jsonb NOT NULL DEFAULT '{}'
);
GRANT SELECT ON search_experience TO inbound_api;

-- ibx:after-functions
-- The releases measured before this migration.
SELECT ibx_search_experience_refresh();
