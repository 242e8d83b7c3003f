-- 102: whether a listed hospital is in the institution-code register
-- (migration 040), materialised in its search row, so search reads a
-- column instead of looking each match up in the register (issue 18).
-- Kept by triggers: a search row written takes its flag from the
-- register (ibx_listing_registered_row), and a change to the register
-- sets the flag of the rows whose codes it touched (ibx_register_changed).
-- ibx:after-functions
ALTER TABLE hospital_listings ADD COLUMN registered boolean NOT NULL DEFAULT false;
UPDATE hospital_listings h SET registered = true
WHERE EXISTS (SELECT 1 FROM institution_register r WHERE r.org_code = h.org_code);
CREATE TRIGGER hospital_listings_registered BEFORE INSERT OR UPDATE OF org_code
	ON hospital_listings FOR EACH ROW EXECUTE FUNCTION ibx_listing_registered_row();
CREATE TRIGGER institution_register_inserted AFTER INSERT ON institution_register
	REFERENCING NEW TABLE AS changed_new
	FOR EACH STATEMENT EXECUTE FUNCTION ibx_register_changed();
CREATE TRIGGER institution_register_updated AFTER UPDATE ON institution_register
	REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
	FOR EACH STATEMENT EXECUTE FUNCTION ibx_register_changed();
CREATE TRIGGER institution_register_deleted AFTER DELETE ON institution_register
	REFERENCING OLD TABLE AS changed_old
	FOR EACH STATEMENT EXECUTE FUNCTION ibx_register_changed();
CREATE TRIGGER institution_register_truncated AFTER TRUNCATE ON institution_register
	FOR EACH STATEMENT EXECUTE FUNCTION ibx_register_changed();
