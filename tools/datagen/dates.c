/*
 * dates.c - dates as text and day numbers; the arithmetic is proto/base's
 * (civil.h, after Howard Hinnant's days_from_civil and civil_from_days).
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "dates.h"

int
dg_date_parse(const char *s, long *days)
{
	unsigned m, d, cm, cd;
	int64_t y, cy, n;
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
	n = ibx_days_from_civil(y, m, d);
	ibx_civil_from_days(n, &cy, &cm, &cd);
	if (cy != y || cm != m || cd != d)
		return (0); /* 2026-02-30 and the like */
	*days = (long)n;
	return (1);
}

void
dg_date_format(long days, char out[11])
{
	char buf[32];
	unsigned m, d;
	int64_t y;

	ibx_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* outside the YYYY form */
	snprintf(buf, sizeof(buf), "%04ld-%02u-%02u", (long)y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}
