/*
 * Which reporting periods a case-record export holds, so the agent can
 * send one submission per period a file covers: the YYYY-MM of every
 * first_visit (the column that decides an episode's period,
 * docs/case-records.md) that reads as a date.  Only that one column is
 * parsed; whether the rows are good is the anonymiser's to say when each
 * period is read (cases_file.h).
 */
#ifndef SPOKE_AGENT_PERIODS_H
#define SPOKE_AGENT_PERIODS_H

#include <stddef.h>

#include "cases_map.h"
#include "cases_report.h"
#include "err.h"

/* A reporting period, YYYY-MM and a NUL. */
typedef struct spoke_period {
	char s[8];
} spoke_period;

/* spoke_agent_periods: the distinct periods of the case file at path
 * (its header matched through map, or NULL for every column under its
 * own name), ascending, from 2000-01 (ibx_period_valid).  IBX_OK with
 * *periods a new array of *n entries the caller frees (NULL when no row
 * has a readable first_visit).  IBX_EINVAL when the file cannot be read
 * as case records (a header problem, malformed CSV), IBX_EIO when it
 * cannot be read at all, IBX_ETOOBIG, IBX_ENOMEM; the reasons are added
 * to problems. */
ibx_err spoke_agent_periods(const char *path, const spoke_cases_map *map,
			    spoke_period **periods, size_t *n,
			    spoke_msgs *problems);

#endif /* SPOKE_AGENT_PERIODS_H */
