/* Checking and sealing a statistics submission; see cases_submit.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "statistics_seal.h"

ibx_err
spoke_cases_check(const ibx_case_statistics *s, const char *now_period,
		  ibx_problems *problems)
{
	ibx_case_statistics checked = *s;
	size_t before = ibx_problems_count(problems);

	/* A dry run may not know the organisation; check the rest. */
	if (checked.organisation_code[0] == '\0')
		memcpy(checked.organisation_code, "0000000000", 11);
	(void)ibx_statistics_check(&checked, now_period, problems);
	if (s->n_cells > IBX_STATISTICS_MAX_CELLS)
		ibx_problems_add(problems, "cells",
				 "%zu cells, more than the %d one submission "
				 "may carry%s",
				 s->n_cells, IBX_STATISTICS_MAX_CELLS,
				 strcmp(s->icd10_level, "category") == 0
				     ? " (try --icd10-level chapter)"
				     : "");
	return (ibx_problems_count(problems) > before ? IBX_EINVAL : IBX_OK);
}

ibx_err
spoke_cases_seal(const spoke_identity *id, uint64_t sequence,
		 const ibx_case_statistics *s, ibx_bytes *env)
{
	ibx_bytes payload = {NULL, 0};
	ibx_err rv;

	if ((rv = ibx_statistics_encode(s, &payload)) != IBX_OK)
		return (rv);
	rv = spoke_envelope_seal(id, sequence, IBX_PAYLOAD_CASE_STATISTICS,
				 &payload, env);
	ibx_bytes_fini(&payload);
	return (rv);
}
