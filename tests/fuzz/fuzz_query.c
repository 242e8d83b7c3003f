/*
 * libFuzzer target: the hospital search's query string.  The input is the
 * part of a URL after '?'; it is split and decoded here the way
 * libmicrohttpd 0.9.75 does before it hands the arguments to proto/http/http.c
 * (MHD_parse_arguments_: split at '&', then at the first '=', '+' to space,
 * then %XX, an invalid escape kept as it is), collected as collect_arg does
 * (a value given without '=' is "", more than IBX_HTTP_MAX_ARGS arguments
 * is answered 400 before any parsing), and given to
 * hub_hospital_query_parse (hub/api/query.c).
 *
 * Properties: the parser answers OK or EINVAL; on OK every filter points at
 * one of the request's values and the numbers are in range; on EINVAL the
 * message is non-empty printable ASCII (an untrusted key or value is quoted
 * and escaped, never copied raw into the 400 answer).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "query.h"

/* Longest query string tried; libmicrohttpd refuses far longer lines. */
#define QUERY_MAX 8192

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz_query");
	return (0);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decode in place: MHD_unescape_plus, then MHD_http_unescape.  A %00
 * makes the C string end there, as it does for the handler. */
static void
unescape(char *s)
{
	char *w = s;
	const char *r = s;
	int hi, lo;

	while (*r != '\0') {
		if (*r == '+') {
			*w++ = ' ';
			r++;
		} else if (*r == '%' && (hi = hex_value(r[1])) >= 0 &&
			   (lo = hex_value(r[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

/* Split s (modified) into req's arguments.  False when there are more than
 * IBX_HTTP_MAX_ARGS (the server answers 400 itself). */
static bool
split_query(char *s, ibx_http_request *req)
{
	char *amp, *eq;

	while (*s != '\0') {
		if (req->nargs == IBX_HTTP_MAX_ARGS)
			return (false);
		if ((amp = strchr(s, '&')) != NULL)
			*amp = '\0';
		if ((eq = strchr(s, '=')) != NULL)
			*eq = '\0';
		unescape(s);
		req->args[req->nargs].key = s;
		if (eq != NULL) {
			unescape(eq + 1);
			req->args[req->nargs].value = eq + 1;
		} else
			req->args[req->nargs].value = "";
		req->nargs++;
		if (amp == NULL)
			break;
		s = amp + 1;
	}
	return (true);
}

/* A filter is NULL or one of the request's own values. */
static bool
from_request(const ibx_http_request *req, const char *filter)
{
	size_t i;

	if (filter == NULL)
		return (true);
	for (i = 0; i < req->nargs; i++)
		if (filter == req->args[i].value)
			return (true);
	return (false);
}

static bool
printable_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return (false);
	return (true);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ibx_http_request req;
	hub_hospital_query q;
	char *text, err[256];
	ibx_err rv;

	if (size > QUERY_MAX || (text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/api/v1/hospitals";
	if (!split_query(text, &req))
		goto out;
	/* The size hub/api/api_hospitals.c gives it. */
	memset(err, 0, sizeof(err));
	rv = hub_hospital_query_parse(&req, &q, err, sizeof(err));
	FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_EINVAL);
	if (rv == IBX_OK) {
		FUZZ_REQUIRE(q.limit >= 1 && q.limit <= HUB_QUERY_LIMIT_MAX);
		FUZZ_REQUIRE(q.offset >= 0 &&
			     q.offset <= HUB_QUERY_OFFSET_MAX);
		FUZZ_REQUIRE(from_request(&req, q.treatment));
		FUZZ_REQUIRE(from_request(&req, q.department));
		FUZZ_REQUIRE(from_request(&req, q.language));
		FUZZ_REQUIRE(from_request(&req, q.prefecture));
		FUZZ_REQUIRE(from_request(&req, q.accreditation));
		FUZZ_REQUIRE(from_request(&req, q.accepts));
		FUZZ_REQUIRE(from_request(&req, q.q));
		FUZZ_REQUIRE(
		    q.q == NULL ||
		    (strlen(q.q) >= 1 && strlen(q.q) <= HUB_QUERY_TEXT_MAX));
	} else {
		FUZZ_REQUIRE(err[0] != '\0');
		FUZZ_REQUIRE(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_REQUIRE(printable_ascii(err));
	}
out:
	free(text);
	return (0);
}
