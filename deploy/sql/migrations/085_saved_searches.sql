-- 085: people's saved searches at the hub (issue 17): a signed-in person
-- names the filters of a search page and runs them again later, from any
-- tab or day.  Kept per account; only the account's own are listed, run
-- or deleted (through the functions, which take the account from the
-- hub's session, never from the request).  The query is the page's own
-- address text (filters, sort, page), checked again by the API each time
-- it runs, so nothing here is trusted as SQL.

CREATE TABLE saved_searches (
	id bigserial PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	page text NOT NULL CHECK (page IN ('search', 'coordinators')),
	query text NOT NULL CHECK (length(query) <= 2000
		AND query !~ '[[:cntrl:]]'),
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (account_id, name)
);

REVOKE ALL ON saved_searches FROM inbound_api;
-- ibx_saved_searches, ibx_saved_search_add, ibx_saved_search_remove:
-- deploy/sql/functions/.  ibx_statistics_refusals: the refused statistics
-- envelopes a hospital sent (message_log is not the API's to read).
