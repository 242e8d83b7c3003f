-- 010: the protected statistics release (hub/stats/release.c,
-- docs/disclosure-control.md).
--
-- Each closed reporting month is measured once: a fixed workload of
-- marginals over that month's current cells, each with discrete Gaussian
-- noise (proto/crypto/dp.c), under a zero-concentrated differential privacy
-- budget of rho = 1/6 per month (2 per calendar year).  The noisy
-- measurements are stored (noisy) beside their post-processed values
-- (value: consistent, non-negative integers), and every statistic that
-- leaves the hub, a hospital's own figures apart, is read from value.
-- A month is never measured twice: its release_months row is the lock.

CREATE TABLE release_months (
	period date PRIMARY KEY CHECK (extract(day FROM period) = 1),
	measured_at timestamptz NOT NULL DEFAULT now(),
	-- the clock the rule "closed: before the current month" was read from
	measured_now date NOT NULL CHECK (measured_now >= period + interval '1 month'),
	-- zCDP spent on this month: rho_num / rho_den
	rho_num bigint NOT NULL CHECK (rho_num > 0),
	rho_den bigint NOT NULL CHECK (rho_den > 0),
	-- the public domains measured over (sizes): hospitals and coordinators
	-- registered when the month was measured
	hospitals integer NOT NULL,
	coordinators integer NOT NULL
);

-- One row per measured query and month: the accounting.
CREATE TABLE release_queries (
	period date NOT NULL REFERENCES release_months (period),
	measure text NOT NULL,
	dims text NOT NULL,          -- '' for the total, 'nationality,purpose'
	sensitivity bigint NOT NULL, -- L2 sensitivity (one patient)
	sigma2_num bigint NOT NULL,  -- the noise's sigma^2 as a rational
	sigma2_den bigint NOT NULL,
	share_permille integer NOT NULL, -- of the month's rho
	cells integer NOT NULL,      -- size of the (fixed) domain
	PRIMARY KEY (period, measure, dims)
);

-- The measurements and their post-processed values.  key1, key2: the
-- values of dims' first and second dimension ('' when absent).
CREATE TABLE release_values (
	period date NOT NULL,
	measure text NOT NULL,
	dims text NOT NULL,
	key1 text NOT NULL,
	key2 text NOT NULL,
	noisy bigint NOT NULL,
	value bigint NOT NULL CHECK (value >= 0),
	PRIMARY KEY (measure, dims, period, key1, key2),
	FOREIGN KEY (period, measure, dims) REFERENCES release_queries
) PARTITION BY RANGE (period);

DO $$
BEGIN
	FOR y IN 2000..2040 LOOP
		EXECUTE format('CREATE TABLE release_values_%s PARTITION OF release_values'
			' FOR VALUES FROM (%L) TO (%L)', y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
	END LOOP;
END
$$;

-- The clock of the release rule, for tests and demos (YYYY-MM-DD; absent:
-- current_date).  inboundctl release --now overrides it.
-- INSERT INTO settings VALUES ('release_now', '2025-01-20');

-- The API reads the release (never writes it: only inboundctl release does).
GRANT SELECT ON release_months, release_queries, release_values TO inbound_api;
