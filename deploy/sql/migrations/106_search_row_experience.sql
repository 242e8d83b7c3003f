-- 106: search's experience in the search row (issue 18, figure 4).
--
-- The match query joined search_experience (migration 100) for every
-- match: a hash join that read all of its rows on every search, about a
-- quarter of the match's CPU (docs/PERFORMANCE.md, figure 4's notes).  The
-- same figures are now also columns of the hospital's search row, so the
-- match reads them with the row it has already found:
--  * experience_patients: search_experience.patients (0 without a row);
--  * experience_by_purpose: search_experience.by_purpose ('{}' without).
-- search_experience stays the source: ibx_search_experience_refresh()
-- rebuilds it and then copies it here in the same transaction, and a
-- search row inserted later takes its figures from it
-- (ibx_listing_registered_row, the search row's BEFORE INSERT trigger).
-- No index reads these columns, so the copy is a heap-only update.
ALTER TABLE hospital_listings
	ADD COLUMN experience_patients bigint NOT NULL DEFAULT 0
		CHECK (experience_patients >= 0),
	ADD COLUMN experience_by_purpose jsonb NOT NULL DEFAULT '{}';

-- ibx:after-functions
UPDATE hospital_listings h SET experience_patients = x.patients,
	experience_by_purpose = x.by_purpose
FROM search_experience x WHERE x.org_code = h.org_code;
