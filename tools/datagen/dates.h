/*
 * dates.h - calendar dates as day numbers, for generated dates relative to
 * the fixed reference day DG_REFERENCE_DATE. Proleptic Gregorian calendar,
 * no time zones.
 */
#ifndef DG_DATES_H
#define DG_DATES_H

/*
 * dg_date_parse reads "YYYY-MM-DD" into *days (days since 1970-01-01).
 * Returns 1 for a valid date, else 0.
 */
int dg_date_parse(const char *s, long *days);

/* dg_date_format writes the day number days as "YYYY-MM-DD" to out. */
void dg_date_format(long days, char out[11]);

#endif /* DG_DATES_H */
