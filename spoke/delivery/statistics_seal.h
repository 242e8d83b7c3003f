/*
 * Getting a statistics submission ready to leave the hospital: the rules
 * it must keep (ibx_statistics_check against the current period, and the
 * cell limit), and sealing it as the organisation's signed envelope.
 * Sending is spoke_send's (send.h).
 */
#ifndef SPOKE_STATISTICS_SEAL_H
#define SPOKE_STATISTICS_SEAL_H

#include "envelope.h"
#include "err.h"
#include "problems.h"
#include "statistics.h"
#include "wire.h"

/* spoke_cases_check: add to problems every rule s breaks:
 * ibx_statistics_check with now_period (YYYY-MM), and at most
 * IBX_STATISTICS_MAX_CELLS cells.  An empty organisation code (a dry run
 * without --cert) is not a problem: a stand-in is checked.  IBX_OK or
 * IBX_EINVAL. */
ibx_err spoke_cases_check(const ibx_case_statistics *s, const char *now_period,
			  ibx_problems *problems);

/* spoke_cases_seal: encode s (ibx_statistics_encode) and seal it as id's
 * envelope of type IBX_PAYLOAD_CASE_STATISTICS with sequence.  On IBX_OK
 * *env holds new bytes the caller frees with ibx_bytes_fini. */
ibx_err spoke_cases_seal(const spoke_identity *id, uint64_t sequence,
			 const ibx_case_statistics *s, ibx_bytes *env);

#endif /* SPOKE_STATISTICS_SEAL_H */
