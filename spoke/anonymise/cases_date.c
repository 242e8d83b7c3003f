/*
 * Date arithmetic for case records; see cases_date.h.  Day numbers are
 * proto/base's (civil.h, after Howard Hinnant's days_from_civil), taken
 * once for the first day of every year a case record may name and kept
 * in a table, so a date is a table look-up plus the days before its month
 * (two dates a row, a million rows: the call and its divisions were 2.7 %
 * of figure 6).  Parsing is by hand for the same reason.
 */
#include <pthread.h>
#include <stdint.h>

#include "civil.h"
#include "cases_date.h"

#define YEAR_FIRST 1900
#define YEAR_LAST  2999

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool ready; /* the table is built (set last, read with acquire) */
static int32_t year_start[YEAR_LAST - YEAR_FIRST + 1]; /* days of 1 Jan */

static void
build(void)
{
	int y;

	for (y = YEAR_FIRST; y <= YEAR_LAST; y++)
		year_start[y - YEAR_FIRST] =
		    (int32_t)ibx_days_from_civil(y, 1, 1);
	__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
}

static bool
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static unsigned
digit(char c)
{
	return ((unsigned)(unsigned char)c - '0');
}

bool
spoke_date_parse(const char *s, size_t len, spoke_date *out)
{
	static const unsigned char mdays[13] = {0,  31, 28, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31};
	/* Days of the year before month m, in a common year. */
	static const unsigned short before[13] = {
	    0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	unsigned d0, d1, d2, d3, d5, d6, d8, d9, y, m, d;
	bool is_leap;

	if (len != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4])
		return (false);
	d0 = digit(s[0]);
	d1 = digit(s[1]);
	d2 = digit(s[2]);
	d3 = digit(s[3]);
	d5 = digit(s[5]);
	d6 = digit(s[6]);
	d8 = digit(s[8]);
	d9 = digit(s[9]);
	/* One test for eight digits: each is 0..9 only if none is over. */
	if ((d0 > 9) | (d1 > 9) | (d2 > 9) | (d3 > 9) | (d5 > 9) | (d6 > 9) |
	    (d8 > 9) | (d9 > 9))
		return (false);
	y = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
	m = d5 * 10 + d6;
	d = d8 * 10 + d9;
	if (y < YEAR_FIRST || y > YEAR_LAST || m < 1 || m > 12 || d < 1)
		return (false);
	is_leap = leap((int)y);
	if (d > mdays[m] + (unsigned)(m == 2 && is_leap))
		return (false);
	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		pthread_once(&once, build);
	out->days = year_start[y - YEAR_FIRST] + (int32_t)before[m] +
		    (int32_t)(m > 2 && is_leap) + (int32_t)d - 1;
	out->year = (int16_t)y;
	out->month = (int8_t)m;
	out->day = (int8_t)d;
	return (true);
}

int
spoke_date_age(const spoke_date *birth, const spoke_date *on)
{
	int age = on->year - birth->year;

	if (on->month < birth->month ||
	    (on->month == birth->month && on->day < birth->day))
		age--;
	return (age);
}

int
spoke_date_period(const spoke_date *d)
{
	return (d->year * 12 + d->month - 1);
}

/* Ninety and over form one band, as the HIPAA Safe Harbor method
 * aggregates ages over 89 (45 CFR 164.514(b)(2)(i)(C)): few people are
 * that old, so an exact decade would single them out. */
int
spoke_age_band(int age)
{
	return (age >= 90 ? 9 : age / 10);
}

void
spoke_date_format(const spoke_date *d, char out[11])
{
	unsigned y = (unsigned)d->year % 10000, m = (unsigned)d->month % 100,
		 day = (unsigned)d->day % 100;

	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + day / 10);
	out[9] = (char)('0' + day % 10);
	out[10] = '\0';
}
