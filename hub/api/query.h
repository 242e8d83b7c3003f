/*
 * Parsing and checking the query parameters of the hospital search
 * (GET /api/v1/hospitals).  Pure functions of the decoded arguments, so the
 * rules are unit-tested and fuzzed without a server.  Every value is checked
 * against its code list; an unknown parameter is refused so that a
 * misspelt filter never silently widens a search.
 */
#ifndef HUB_QUERY_H
#define HUB_QUERY_H

#include <stddef.h>

#include "err.h"
#include "http.h"

#define HUB_QUERY_LIMIT_DEFAULT 50
#define HUB_QUERY_LIMIT_MAX	200
#define HUB_QUERY_OFFSET_MAX	100000
#define HUB_QUERY_TEXT_MAX	100
#define HUB_QUERY_CSV_LIMIT_MAX 5000 /* rows of one CSV download */
#define HUB_QUERY_NEAR_KM	200 /* the radius of near= without within_km */
#define HUB_QUERY_WITHIN_KM_MAX 3000
#define HUB_QUERY_PRICE_MAX	1000000000 /* JPY, as listing-format.md */

/* The order of the results (sort=); every order ends with the rank and then
 * the organisation code, so equal keys keep one order. */
typedef enum hub_query_sort {
	HUB_SORT_RANK =
	    0, /* score, highest first (with q: name match first) */
	HUB_SORT_DISTANCE,  /* km from near, nearest first */
	HUB_SORT_PRICE,	    /* the price shown, lowest first; none last */
	HUB_SORT_EXPERIENCE /* experience points, most first */
} hub_query_sort;

/* A hospital search.  Strings point into the request (NULL: no filter). */
typedef struct hub_hospital_query {
	const char *treatment;	   /* treatment vocabulary code */
	const char *department;	   /* national department code */
	const char *language;	   /* ISO 639-1 */
	const char *prefecture;	   /* JIS X 0401 */
	const char *accreditation; /* JMIP, JIH, JCI */
	const char *accepts;	   /* ISO 3166-1 alpha-2 */
	const char *q;		/* name in any language, reading or address */
	const char *registered; /* "true"/"false": in the code register */
	int remote_second_opinion; /* 1: only remote, 0: no filter */
	const char *nationality;   /* ranking: experience with this country */
	const char *purpose;	   /* ranking: experience with this purpose */
	const char *as_of;	   /* YYYY-MM-DD: listings current that day */
	int has_near;		   /* ranking: distance from near */
	double near_lat, near_lon; /* WGS 84 degrees (unset for an airport) */
	const char *near_iata;	   /* near=NRT: the handler looks it up */
	double within_km;	   /* radius; HUB_QUERY_NEAR_KM unless given */
	const char *service;	   /* price of: treatment code, consultation,
				      second_opinion; else treatment */
	long max_price_jpy;	   /* -1: no price filter */
	hub_query_sort sort;
	int csv;     /* format=csv (the handler also honours Accept) */
	long limit;  /* 1..HUB_QUERY_LIMIT_MAX */
	long offset; /* 0..HUB_QUERY_OFFSET_MAX */
} hub_hospital_query;

/* hub_hospital_query_parse: fill *q from req's arguments.  On IBX_EINVAL,
 * err (errlen bytes) holds a message naming the parameter and the reason:
 * 'parameter "language": unknown ISO 639-1 code "xx"'.  near= is an IATA
 * code (three capitals; near_iata set, has_near 1, the point unset) or
 * LAT,LON in Japan; within_km and sort=distance need near; limit may reach
 * HUB_QUERY_CSV_LIMIT_MAX only with format=csv. */
ibx_err hub_hospital_query_parse(const ibx_http_request *req,
				 hub_hospital_query *q, char *err,
				 size_t errlen);

/* hub_query_long: parse a decimal integer in [min, max] for parameter name;
 * IBX_EINVAL with a message in err otherwise. */
ibx_err hub_query_long(const char *name, const char *s, long min, long max,
		       long *out, char *err, size_t errlen);

#endif /* HUB_QUERY_H */
