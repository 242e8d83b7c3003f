-- 070: the calendar year's own measurement (hub/stats/release.c,
-- docs/disclosure-control.md sections 3 and 5).
--
-- Once a year's December is measured, the year is measured once over a
-- small yearly workload (patients: total, nationality, purpose, hospital,
-- nationality x purpose) with rho = 1, beside its twelve months at 1/12
-- each: 2 per calendar year.  The yearly figures combine it with the sum
-- of the months; the months' released patients are then adjusted
-- (post-processing) to add up to them.  A year is never measured twice:
-- its release_years row is the lock.

CREATE TABLE release_years (
	year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9998),
	measured_at timestamptz NOT NULL DEFAULT now(),
	measured_now date NOT NULL CHECK (measured_now >= make_date(year + 1, 1, 1)),
	-- zCDP spent on the yearly measurement: rho_num / rho_den; 0 when its
	-- months had spent the cap already (months measured at 1/6 before
	-- the yearly measurement existed): the year is then not measured
	rho_num bigint NOT NULL CHECK (rho_num >= 0),
	rho_den bigint NOT NULL CHECK (rho_den > 0),
	months integer NOT NULL CHECK (months BETWEEN 0 AND 12)
);

-- One row per yearly query: the accounting.
CREATE TABLE release_year_queries (
	year integer NOT NULL REFERENCES release_years (year),
	measure text NOT NULL,
	dims text NOT NULL,
	sensitivity bigint NOT NULL, -- L2 sensitivity (one patient, a year)
	sigma2_num bigint NOT NULL,
	sigma2_den bigint NOT NULL,
	share_permille integer NOT NULL, -- of the year's rho
	cells integer NOT NULL,
	PRIMARY KEY (year, measure, dims)
);

-- The yearly measurements (noisy) and the year's consistent figures
-- (value), which the adjusted months add up to.
CREATE TABLE release_year_values (
	year integer NOT NULL,
	measure text NOT NULL,
	dims text NOT NULL,
	key1 text NOT NULL,
	key2 text NOT NULL,
	noisy bigint NOT NULL,
	value bigint NOT NULL CHECK (value >= 0),
	PRIMARY KEY (year, measure, dims, key1, key2),
	FOREIGN KEY (year, measure, dims) REFERENCES release_year_queries
);

GRANT SELECT ON release_years, release_year_queries, release_year_values TO inbound_api;
