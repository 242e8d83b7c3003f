/*
 * Calendar dates of case records: reading YYYY-MM-DD (or YYYY/MM/DD, as
 * Japanese spreadsheets write them) without the C library, ages in
 * completed years, reporting periods and age bands.  Proleptic Gregorian
 * calendar, no time zones: a date in the export is the hospital's local
 * date and stays one.
 */
#ifndef SPOKE_CASES_DATE_H
#define SPOKE_CASES_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct spoke_date {
	int32_t days; /* days since 1970-01-01 */
	int16_t year; /* 1900..2999 */
	int8_t month; /* 1..12 */
	int8_t day;   /* 1..31 */
} spoke_date;

/* spoke_date_parse: read exactly len bytes of s (no NUL needed) as
 * YYYY-MM-DD or YYYY/MM/DD, year 1900 to 2999, a day that exists
 * (2024-02-29 yes, 2023-02-29 no).  true and *out on success; false leaves
 * *out alone. */
bool spoke_date_parse(const char *s, size_t len, spoke_date *out);

/* spoke_date_age: completed years from birth to on (on >= birth): the
 * years since the birth year, less one when on falls before the birthday
 * in its year.  Someone born on 29 February turns a year older on 1 March
 * in common years. */
int spoke_date_age(const spoke_date *birth, const spoke_date *on);

/* spoke_date_period: the reporting period index of d, year * 12 + month - 1
 * (the same numbering as ibx_period_index). */
int spoke_date_period(const spoke_date *d);

/* spoke_age_band: the 10-year band of an age in years (0..SPOKE_AGE_MAX):
 * 0 for 0-9 ... 8 for 80-89, and 9 (90+) for 90 and over. */
int spoke_age_band(int age);

/* spoke_date_format: d as YYYY-MM-DD into out (11 bytes). */
void spoke_date_format(const spoke_date *d, char out[11]);

#endif /* SPOKE_CASES_DATE_H */
