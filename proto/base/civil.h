/*
 * Civil dates and times in UTC: day numbers of the proleptic Gregorian
 * calendar after Howard Hinnant's "chrono-compatible low-level date
 * algorithms" (days_from_civil, civil_from_days), RFC 3339 timestamps with
 * milliseconds, and the current reporting period.  Pure functions except
 * ibx_period_now, which reads the clock.
 */
#ifndef IBX_CIVIL_H
#define IBX_CIVIL_H

#include <stdint.h>

/* Room for "2024-05-01T10:00:00.123Z" and its NUL. */
#define IBX_TIME_TEXT_LEN 32

/* ibx_days_from_civil: days since 1970-01-01 of year y, month m (1-12),
 * day d (1-31; not checked against the month: 2026-02-30 is 2026-03-02). */
int64_t ibx_days_from_civil(int64_t y, unsigned m, unsigned d);

/* ibx_civil_from_days: the year, month (1-12) and day of day number z
 * (days since 1970-01-01), the inverse of ibx_days_from_civil. */
void ibx_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* ibx_time_format_ms: Unix time ms (milliseconds since 1970, >= 0) as RFC
 * 3339 UTC with milliseconds, "2024-05-01T10:00:00.123Z", into out. */
void ibx_time_format_ms(int64_t ms, char out[IBX_TIME_TEXT_LEN]);

/* ibx_time_parse_ms: the inverse of ibx_time_format_ms; 0 for NULL or any
 * other text. */
int64_t ibx_time_parse_ms(const char *s);

/* ibx_period_now: the reporting period of now in UTC, "YYYY-MM", into out
 * (8 bytes with the NUL).  A submission for a later period is refused. */
void ibx_period_now(char out[8]);

#endif /* IBX_CIVIL_H */
