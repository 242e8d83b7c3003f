/*
 * dates.c - conversions between civil dates and day numbers, after Howard
 * Hinnant's "chrono-compatible low-level date algorithms"
 * (days_from_civil and civil_from_days).
 */
#include <stdio.h>
#include <string.h>

#include "dates.h"

/* Days since 1970-01-01 of year y, month m (1-12), day d. */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + (long)doe - 719468);
}

/* The civil date of day number z. */
static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

int
dg_date_parse(const char *s, long *days)
{
	unsigned m, d, cm, cd;
	long y, cy, n;
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return (0);
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return (0);
	n = days_from_civil(y, m, d);
	civil_from_days(n, &cy, &cm, &cd);
	if (cy != y || cm != m || cd != d)
		return (0); /* 2026-02-30 and the like */
	*days = n;
	return (1);
}

void
dg_date_format(long days, char out[11])
{
	char buf[32];
	unsigned m, d;
	long y;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* outside the YYYY form */
	snprintf(buf, sizeof(buf), "%04ld-%02u-%02u", y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}
