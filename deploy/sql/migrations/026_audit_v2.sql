-- 026: the audit trail, second format (issue 14, finding 5).
--
-- Format 1 (004) hashed the fields joined with '|': two different entries
-- could hash alike (a '|' moved from one field to the next), and a refused
-- call stored its whole query string (64 KB each: 100 unauthenticated
-- requests made 6.7 MB).  Format 2:
--
--  * hashes every field length-prefixed (ibx_audit_text2): "N:<N bytes>;"
--    per field, "-;" for NULL, after the tag "ibx-audit-2;", so no two
--    different entries have the same text;
--  * records the client's address (client);
--  * caps what is stored: path and params at 256 characters for a refused
--    call (status 400 and above, unauthenticated ones included) and 4,096
--    otherwise, with the length that was cut ("...[N bytes]"); the hub
--    cuts and escapes them before (hub/api/audit.c), this is the
--    database's own bound for any other caller.
--
-- Old entries keep format 1 and verify by the old rule; the chain runs
-- through both (inboundctl audit verify picks the rule by the format
-- column).  Nothing is rewritten.

ALTER TABLE audit_log ADD COLUMN format smallint NOT NULL DEFAULT 1
	CHECK (format IN (1, 2));
ALTER TABLE audit_log ADD COLUMN client text;




