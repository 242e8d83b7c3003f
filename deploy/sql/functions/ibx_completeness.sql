-- ibx_completeness (first defined by migration 003).

-- Reporting completeness of one period: every hospital listed at some time
-- during the period (or reporting for it), whether it reported (cells or nil), when its first
-- submission for the period arrived, and whether that was by the deadline.
CREATE OR REPLACE FUNCTION ibx_completeness(p_period date)
RETURNS TABLE (org_code text, name_ja text, prefecture text, reported boolean,
	nil_report boolean, n_cells integer, first_received timestamptz,
	on_time boolean, deadline timestamptz)
LANGUAGE sql STABLE AS $$
	WITH d AS (
		SELECT (p_period + interval '1 month' +
			((SELECT value::integer FROM settings WHERE name = 'reporting_deadline_day') - 1)
			* interval '1 day' + interval '1 day')::timestamptz AS deadline
	), listed AS (
		-- listed at some time in the period, or reporting for it
		SELECT v.org_code
		FROM listing_versions v
		WHERE v.valid_from < p_period + interval '1 month'
		  AND (v.valid_to IS NULL OR v.valid_to >= p_period)
		UNION
		SELECT s.org_code FROM statistics_submissions s WHERE s.period = p_period
	), subs AS (
		SELECT s.org_code, min(s.received_at) AS first_received,
		       bool_or(s.nil_report AND s.superseded_at IS NULL) AS nil_report,
		       max(s.n_cells) FILTER (WHERE s.superseded_at IS NULL) AS n_cells
		FROM statistics_submissions s WHERE s.period = p_period
		GROUP BY s.org_code
	)
	SELECT l.org_code, h.name_ja, h.prefecture, s.org_code IS NOT NULL,
	       coalesce(s.nil_report, false), coalesce(s.n_cells, 0),
	       s.first_received, s.first_received <= d.deadline, d.deadline
	FROM listed l
	JOIN hospital_listings h ON h.org_code = l.org_code
	CROSS JOIN d
	LEFT JOIN subs s ON s.org_code = l.org_code
$$;

GRANT EXECUTE ON FUNCTION ibx_completeness(date) TO inbound_api;
