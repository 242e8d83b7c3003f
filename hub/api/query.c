/* Hospital search parameters; see query.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "listing.h"
#include "query.h"
#include "text.h"

typedef bool (*code_fn)(const char *);

static bool
prefecture_known(const char *s)
{
	return (ibx_code_prefecture_name(s) != NULL);
}

static const struct {
	const char *name;
	size_t offset;
	code_fn known;
	const char *what;
} code_params[] = {
    {"treatment", offsetof(hub_hospital_query, treatment), ibx_code_treatment,
     "treatment code"},
    {"department", offsetof(hub_hospital_query, department),
     ibx_code_department, "national department code"},
    {"language", offsetof(hub_hospital_query, language), ibx_code_language,
     "ISO 639-1 code"},
    {"prefecture", offsetof(hub_hospital_query, prefecture), prefecture_known,
     "JIS X 0401 prefecture code"},
    {"accreditation", offsetof(hub_hospital_query, accreditation),
     ibx_code_accreditation, "accreditation scheme"},
    {"accepts", offsetof(hub_hospital_query, accepts), ibx_code_country,
     "ISO 3166-1 alpha-2 code"},
};

ibx_err
hub_query_long(const char *name, const char *s, long min, long max, long *out,
	       char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max ||
	    (*s < '0' || *s > '9')) {
		snprintf(
		    err, errlen,
		    "parameter \"%s\": must be a whole number from %ld to %ld",
		    name, min, max);
		return (IBX_EINVAL);
	}
	*out = v;
	return (IBX_OK);
}

static ibx_err
parse_one(ibx_http_request const *req, size_t i, hub_hospital_query *q,
	  char *err, size_t errlen)
{
	const char *key = req->args[i].key, *val = req->args[i].value;
	char shown[48];
	size_t k;

	for (k = 0; k < sizeof(code_params) / sizeof(code_params[0]); k++) {
		if (strcmp(key, code_params[k].name) != 0)
			continue;
		if (!code_params[k].known(val)) {
			ibx_text_quote_short(shown, sizeof(shown), val);
			snprintf(err, errlen,
				 "parameter \"%s\": unknown %s %s", key,
				 code_params[k].what, shown);
			return (IBX_EINVAL);
		}
		*(const char **)((char *)q + code_params[k].offset) = val;
		return (IBX_OK);
	}
	if (strcmp(key, "second_opinion") == 0) {
		if (strcmp(val, "remote") != 0) {
			snprintf(
			    err, errlen,
			    "parameter \"second_opinion\": only \"remote\" is "
			    "accepted");
			return (IBX_EINVAL);
		}
		q->remote_second_opinion = 1;
		return (IBX_OK);
	}
	if (strcmp(key, "registered") == 0) {
		if (strcmp(val, "true") != 0 && strcmp(val, "false") != 0) {
			snprintf(err, errlen,
				 "parameter \"registered\": must be true or "
				 "false");
			return (IBX_EINVAL);
		}
		q->registered = val;
		return (IBX_OK);
	}
	if (strcmp(key, "q") == 0) {
		if (*val == '\0' || strlen(val) > HUB_QUERY_TEXT_MAX ||
		    !ibx_text_utf8_valid(val)) {
			snprintf(
			    err, errlen,
			    "parameter \"q\": must be 1 to %d bytes of UTF-8 "
			    "text",
			    HUB_QUERY_TEXT_MAX);
			return (IBX_EINVAL);
		}
		q->q = val;
		return (IBX_OK);
	}
	if (strcmp(key, "nationality") == 0) {
		if (!ibx_code_country(val)) {
			ibx_text_quote_short(shown, sizeof(shown), val);
			snprintf(
			    err, errlen,
			    "parameter \"nationality\": unknown ISO 3166-1 "
			    "alpha-2 code %s",
			    shown);
			return (IBX_EINVAL);
		}
		q->nationality = val;
		return (IBX_OK);
	}
	if (strcmp(key, "purpose") == 0) {
		char codes[256];

		if (ibx_code_valid(IBX_LIST_PURPOSE, val)) {
			q->purpose = val;
			return (IBX_OK);
		}
		snprintf(err, errlen, "parameter \"purpose\": one of %s",
			 ibx_code_join(IBX_LIST_PURPOSE, ", ", codes,
				       sizeof(codes)));
		return (IBX_EINVAL);
	}
	if (strcmp(key, "as_of") == 0) {
		if (!ibx_date_valid(val)) {
			snprintf(
			    err, errlen,
			    "parameter \"as_of\": must be a YYYY-MM-DD date");
			return (IBX_EINVAL);
		}
		q->as_of = val;
		return (IBX_OK);
	}
	if (strcmp(key, "near") == 0) {
		char *end;

		if (strlen(val) == 3 && val[0] >= 'A' && val[0] <= 'Z' &&
		    val[1] >= 'A' && val[1] <= 'Z' && val[2] >= 'A' &&
		    val[2] <= 'Z') {
			q->near_iata = val;
			q->has_near = 1;
			return (IBX_OK);
		}
		q->near_lat = strtod(val, &end);
		if (*end != ',' ||
		    (q->near_lon = strtod(end + 1, &end), *end != '\0') ||
		    !(q->near_lat >= 20 && q->near_lat <= 46) ||
		    !(q->near_lon >= 122 && q->near_lon <= 154)) {
			snprintf(err, errlen,
				 "parameter \"near\": an airport's IATA code "
				 "or LAT,LON within Japan (20 to 46, 122 to "
				 "154)");
			return (IBX_EINVAL);
		}
		q->has_near = 1;
		return (IBX_OK);
	}
	if (strcmp(key, "within_km") == 0) {
		char *end;

		q->within_km = strtod(val, &end);
		if (*val < '0' || *val > '9' || *end != '\0' ||
		    !(q->within_km > 0 &&
		      q->within_km <= HUB_QUERY_WITHIN_KM_MAX)) {
			snprintf(err, errlen,
				 "parameter \"within_km\": must be a number "
				 "of km above 0, at most %d",
				 HUB_QUERY_WITHIN_KM_MAX);
			return (IBX_EINVAL);
		}
		return (IBX_OK);
	}
	if (strcmp(key, "service") == 0) {
		if (!ibx_code_treatment(val) &&
		    strcmp(val, "consultation") != 0 &&
		    strcmp(val, "second_opinion") != 0) {
			ibx_text_quote_short(shown, sizeof(shown), val);
			snprintf(err, errlen,
				 "parameter \"service\": unknown service %s "
				 "(a treatment code, consultation or "
				 "second_opinion)",
				 shown);
			return (IBX_EINVAL);
		}
		q->service = val;
		return (IBX_OK);
	}
	if (strcmp(key, "max_price_jpy") == 0)
		return (hub_query_long("max_price_jpy", val, 0,
				       HUB_QUERY_PRICE_MAX, &q->max_price_jpy,
				       err, errlen));
	if (strcmp(key, "sort") == 0) {
		static const char *const sorts[] = {"rank", "distance",
						    "price", "experience"};
		size_t k2;

		for (k2 = 0; k2 < 4; k2++)
			if (strcmp(val, sorts[k2]) == 0) {
				q->sort = (hub_query_sort)k2;
				return (IBX_OK);
			}
		snprintf(err, errlen,
			 "parameter \"sort\": rank, distance, price or "
			 "experience");
		return (IBX_EINVAL);
	}
	if (strcmp(key, "format") == 0) {
		if (strcmp(val, "json") != 0 && strcmp(val, "csv") != 0) {
			snprintf(err, errlen,
				 "parameter \"format\": json or csv");
			return (IBX_EINVAL);
		}
		q->csv = strcmp(val, "csv") == 0;
		return (IBX_OK);
	}
	if (strcmp(key, "limit") == 0)
		return (hub_query_long("limit", val, 1,
				       q->csv ? HUB_QUERY_CSV_LIMIT_MAX
					      : HUB_QUERY_LIMIT_MAX,
				       &q->limit, err, errlen));
	if (strcmp(key, "offset") == 0)
		return (hub_query_long("offset", val, 0, HUB_QUERY_OFFSET_MAX,
				       &q->offset, err, errlen));
	ibx_text_quote_short(shown, sizeof(shown), key);
	snprintf(err, errlen, "parameter %s: unknown parameter", shown);
	return (IBX_EINVAL);
}

ibx_err
hub_hospital_query_parse(const ibx_http_request *req, hub_hospital_query *q,
			 char *err, size_t errlen)
{
	const char *f;
	size_t i, j;
	ibx_err rv;

	memset(q, 0, sizeof(*q));
	q->limit = -1;
	q->max_price_jpy = -1;
	/* format first: it sets the bound of limit.  Without format, an
	 * Accept header that names text/csv asks for CSV. */
	f = ibx_http_arg_get(req, "format");
	q->csv = f != NULL ? strcmp(f, "csv") == 0
			   : req->accept != NULL &&
				 strstr(req->accept, "text/csv") != NULL;
	for (i = 0; i < req->nargs; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(req->args[i].key, req->args[j].key) == 0) {
				char shown[48];

				ibx_text_quote_short(shown, sizeof(shown),
						     req->args[i].key);
				snprintf(err, errlen,
					 "parameter %s: given more than once",
					 shown);
				return (IBX_EINVAL);
			}
		if ((rv = parse_one(req, i, q, err, errlen)) != IBX_OK)
			return (rv);
	}
	if (q->limit < 0)
		q->limit =
		    q->csv ? HUB_QUERY_CSV_LIMIT_MAX : HUB_QUERY_LIMIT_DEFAULT;
	if (q->within_km > 0 && !q->has_near) {
		snprintf(err, errlen,
			 "parameter \"within_km\": needs near (an airport or "
			 "a point)");
		return (IBX_EINVAL);
	}
	if (q->sort == HUB_SORT_DISTANCE && !q->has_near) {
		snprintf(err, errlen,
			 "parameter \"sort\": distance needs near (an "
			 "airport or a point)");
		return (IBX_EINVAL);
	}
	if (q->has_near && q->within_km == 0)
		q->within_km = HUB_QUERY_NEAR_KM;
	return (IBX_OK);
}
