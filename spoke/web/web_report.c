/*
 * The monthly report on the spoke's page: the case-record export is
 * uploaded as it came out of the hospital's system, recognised (UTF-8,
 * UTF-8 with Excel's byte order mark, or Shift_JIS, which is converted to
 * UTF-8 with glibc's iconv once the person agrees), and read by the
 * anonymiser exactly as the agent will read it (cases_anonymise.h, with
 * the column map): the page shows the cells that would leave the
 * hospital, and every refused row with its line and column.  Sending
 * writes the UTF-8 text into the export folder as page-YYYY-MM.csv (under
 * a dot name first) and pokes the agent, which seals and sends it; a nil
 * report is nil-YYYY-MM.csv (agent_scan.c).  Only a file whose every row
 * is good and of the chosen month is sent: a file with rows of other
 * months would replace those months' reports.
 *
 * The column map (cases_map.h) is built here too: the page is told the
 * file's header and the distinct values of the word columns (sex,
 * nationality, purpose, ...) that have refused rows, and sends back the
 * header lines (sex=性別) and value lines (sex:男=male) to add.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "cases_anonymise.h"
#include "cases_csv.h"
#include "cases_header.h"
#include "cases_map.h"
#include "cases_print.h"
#include "civil.h"
#include "file.h"
#include "log.h"
#include "statistics.h"
#include "web_int.h"

#define VALUES_MAX 40 /* distinct values listed per column */

/* The columns whose values are words a map may translate. */
static const spoke_case_col word_cols[] = {
    SPOKE_COL_NATIONALITY,
    SPOKE_COL_SEX,
    SPOKE_COL_PURPOSE,
    SPOKE_COL_REFERRAL_CHANNEL,
    SPOKE_COL_REMOTE_SECOND_OPINION_FIRST,
    SPOKE_COL_MEDICAL_STAY_VISA,
};

/* len bytes at in from encoding from to UTF-8, into a new *out (NUL
 * added) of *olen bytes; 0 when the text is not in that encoding. */
static int
convert(const char *from, const char *in, size_t len, char **out, size_t *olen)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = len * 3 / 2 + 16, left_in = len, left_out;
	char *buf, *pin = (char *)in, *pout;

	if (cd == (iconv_t)-1)
		return (0);
	if ((buf = malloc(cap + 1)) == NULL) {
		iconv_close(cd);
		return (0);
	}
	pout = buf;
	left_out = cap;
	while (left_in > 0) {
		if (iconv(cd, &pin, &left_in, &pout, &left_out) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(pout - buf);
			char *grown = realloc(buf, cap * 2 + 1);

			if (grown == NULL)
				break;
			buf = grown;
			cap *= 2;
			pout = buf + used;
			left_out = cap - used;
			continue;
		}
		break; /* EILSEQ, EINVAL: not this encoding */
	}
	iconv_close(cd);
	if (left_in > 0 || memchr(buf, '\0', (size_t)(pout - buf)) != NULL) {
		free(buf);
		return (0);
	}
	*pout = '\0';
	*out = buf;
	*olen = (size_t)(pout - buf);
	return (1);
}

/* The upload as UTF-8 text. */
struct upload {
	const char *encoding; /* "utf-8", "utf-8-bom", "shift_jis", NULL */
	int needs_conversion; /* Shift_JIS, not yet agreed to */
	char *text;	      /* UTF-8, new */
	size_t len;
};

static void
upload_fini(struct upload *u)
{
	free(u->text);
	memset(u, 0, sizeof(*u));
}

/* Recognise the body; with agree (the "convert=shift_jis" parameter) a
 * Shift_JIS file is converted.  0 when it is none of the three. */
static int
recognise(const ibx_http_request *req, int agree, struct upload *u)
{
	const char *b = req->body;
	size_t n = req->body_len;

	memset(u, 0, sizeof(*u));
	if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
		u->encoding = "utf-8-bom";
		return (convert("UTF-8", b + 3, n - 3, &u->text, &u->len));
	}
	if (convert("UTF-8", b, n, &u->text, &u->len)) {
		u->encoding = "utf-8";
		return (1);
	}
	/* CP932: Shift_JIS as Windows writes it (NEC and IBM extensions),
	 * what hospital systems on Windows export. */
	if (!convert("CP932", b, n, &u->text, &u->len))
		return (0);
	u->encoding = "shift_jis";
	u->needs_conversion = !agree;
	return (1);
}

/* Distinct values of the word columns, from the file's header (through
 * the map) on. */
struct values {
	const spoke_cases_map *map;
	char *names[SPOKE_HEADER_FIELDS_MAX];
	size_t nnames, col;
	int in_header;
	spoke_cases_header h;
	int bound;
	json_t *seen[SPOKE_COL_COUNT]; /* column -> object of values */
};

static void
values_field(void *s, size_t len, void *arg)
{
	struct values *v = arg;
	size_t i = v->col++;
	char buf[256];
	int c;

	if (v->in_header) {
		if (i < SPOKE_HEADER_FIELDS_MAX)
			v->names[i] = strndup(s, len);
		v->nnames = i + 1;
		return;
	}
	if (!v->bound || i >= v->h.nfields || (c = v->h.col[i]) < 0 ||
	    v->seen[c] == NULL || len == 0 || len >= sizeof(buf))
		return;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (json_object_size(v->seen[c]) < VALUES_MAX)
		json_object_set_new(v->seen[c], buf, json_true());
}

static void
values_record(int ch, void *arg)
{
	struct values *v = arg;
	spoke_msgs m;
	size_t i;

	(void)ch;
	v->col = 0;
	if (!v->in_header)
		return;
	v->in_header = 0;
	memset(&m, 0, sizeof(m));
	for (i = 0; i < v->nnames; i++)
		if (i >= SPOKE_HEADER_FIELDS_MAX || v->names[i] == NULL)
			return;
	v->bound =
	    spoke_cases_header_bind((const char *const *)v->names, v->nnames,
				    v->map, &v->h, &m) == IBX_OK;
	spoke_msgs_fini(&m);
}

/* {"sex": ["男", "女"], ...} for the columns in wanted; the file's header
 * names as a list into *header. */
static json_t *
distinct_values(const struct upload *u, const spoke_cases_map *map,
		const int wanted[SPOKE_COL_COUNT], json_t **header)
{
	spoke_csv_sink sink = {values_field, values_record, NULL, NULL, NULL};
	spoke_csv_error err;
	struct values *v = calloc(1, sizeof(*v));
	json_t *out = json_object();
	const char *k;
	json_t *x;
	FILE *f;
	size_t i;

	if (v == NULL || out == NULL) {
		free(v);
		*header = json_array();
		return (out);
	}
	v->map = map;
	v->in_header = 1;
	for (i = 0; i < SPOKE_COL_COUNT; i++)
		if (wanted[i])
			v->seen[i] = json_object();
	sink.arg = v;
	if ((f = fmemopen(u->text, u->len, "rb")) != NULL) {
		(void)spoke_csv_read(f, &sink, &err);
		fclose(f);
	}
	for (i = 0; i < SPOKE_COL_COUNT; i++) {
		json_t *list;

		if (v->seen[i] == NULL)
			continue;
		list = json_array();
		json_object_foreach(v->seen[i], k, x)
		    json_array_append_new(list, json_string(k));
		json_object_set_new(
		    out, spoke_case_col_name((spoke_case_col)i), list);
		json_decref(v->seen[i]);
	}
	*header = json_array();
	for (i = 0; i < v->nnames && i < SPOKE_HEADER_FIELDS_MAX; i++) {
		if (v->names[i] != NULL && i < VALUES_MAX * 4)
			json_array_append_new(*header,
					      json_string(v->names[i]));
		free(v->names[i]);
	}
	free(v);
	return (out);
}

/* The reason codes of one row's problems (spoke_case_row's codes: each
 * "column US code US value US arg ...", separated by RS) onto the n
 * entries at a: "code", "value" and "args" on each, when the row has as
 * many coded problems as entries (else the English alone). */
static void
row_codes(json_t *a, size_t first, const char *codes)
{
	size_t n = json_array_size(a) - first, k = 0, i;
	char *copy, *entry, *part, *s1 = NULL, *s2 = NULL;

	if (codes == NULL || *codes == '\0' || (copy = strdup(codes)) == NULL)
		return;
	for (i = 0; copy[i] != '\0'; i++)
		k += copy[i] == '\x1e';
	if (k + 1 != n) {
		free(copy);
		return;
	}
	k = 0;
	for (entry = strtok_r(copy, "\x1e", &s1); entry != NULL && k < n;
	     entry = strtok_r(NULL, "\x1e", &s1), k++) {
		json_t *o = json_array_get(a, first + k), *args = json_array();
		int part_no = 0;

		/* strsep keeps empty parts (a row's problem has no
		 * column, a missing value no value). */
		s2 = entry;
		while ((part = strsep(&s2, "\x1f")) != NULL) {
			if (part_no == 1)
				json_object_set_new(o, "code",
						    json_string(part));
			else if (part_no == 2)
				json_object_set_new(o, "value",
						    json_string(part));
			else if (part_no > 2)
				json_array_append_new(args, json_string(part));
			part_no++;
		}
		json_object_set_new(o, "args", args);
	}
	free(copy);
}

/* "line 7: column \"sex\": reason; column \"age\": reason" as one entry
 * per column: {"line": 7, "column": "sex", "message": "reason"}, with the
 * reason codes of codes (row_codes); the columns with a problem are
 * marked in cols. */
static void
row_errors(json_t *a, const char *msg, const char *codes,
	   int cols[SPOKE_COL_COUNT])
{
	unsigned long long line = 0;
	const char *p, *next, *end;
	size_t first = json_array_size(a);
	char column[64];

	if (sscanf(msg, "line %llu: ", &line) != 1 ||
	    (p = strstr(msg, ": ")) == NULL) {
		json_array_append_new(a,
				      json_pack("{s:n,s:s,s:s}", "line",
						"column", "", "message", msg));
		row_codes(a, first, codes);
		return;
	}
	for (p += 2; *p != '\0'; p = next + 2) {
		next = strstr(p, "; column \"");
		end = next != NULL ? next : p + strlen(p);
		column[0] = '\0';
		if (strncmp(p, "column \"", 8) == 0) {
			const char *q = strstr(p + 8, "\": ");

			if (q != NULL && q < end &&
			    (size_t)(q - p - 8) < sizeof(column)) {
				spoke_case_col c;

				snprintf(column, sizeof(column), "%.*s",
					 (int)(q - p - 8), p + 8);
				p = q + 3;
				c = spoke_case_col_by_name(column);
				if (c != SPOKE_COL_COUNT)
					cols[c] = 1;
			}
		}
		json_array_append_new(a, json_pack("{s:I,s:s,s:s%}", "line",
						   (json_int_t)line, "column",
						   column, "message", p,
						   (size_t)(end - p)));
		if (next == NULL)
			break;
	}
	row_codes(a, first, codes);
}

/* The period parameter, checked: YYYY-MM, not after this month. */
static const char *
period_of(const ibx_http_request *req, ibx_http_response *resp)
{
	const char *p = ibx_http_arg_get(req, "period");
	char now[8];

	ibx_period_now(now);
	if (p == NULL || !ibx_period_valid(p) || strcmp(p, now) > 0) {
		web_error(resp, 400,
			  "period: the month reported, YYYY-MM, not after "
			  "this month");
		return (NULL);
	}
	return (p);
}

/* Read the upload as the agent will; the answer into *out (a new
 * object); 1 when it may be sent. */
static int
dry_run(spoke_web *w, const char *period, struct upload *u, json_t **out)
{
	spoke_cases_report rep;
	spoke_cases_opts o;
	spoke_cases_map map;
	spoke_msgs mp;
	ibx_case_statistics *s = NULL;
	json_t *errors = json_array(), *file = json_array(), *cells = NULL;
	int cols[SPOKE_COL_COUNT] = {0}, wanted[SPOKE_COL_COUNT] = {0};
	char *js = NULL;
	size_t jlen = 0, i;
	json_t *header = NULL, *values;
	FILE *f;
	int ok = 0;
	ibx_err rv = IBX_EINVAL;

	spoke_cases_report_init(&rep);
	spoke_cases_map_init(&map);
	memset(&mp, 0, sizeof(mp));
	memset(&o, 0, sizeof(o));
	o.period = period;
	o.icd10_category = w->o->icd10_category;
	if (w->o->map != NULL && access(w->o->map, F_OK) == 0 &&
	    spoke_cases_map_load(w->o->map, &map, &mp) != IBX_OK) {
		for (i = 0; i < mp.n; i++)
			json_array_append_new(
			    file, json_sprintf("column map: %s", mp.items[i]));
		goto answer;
	}
	o.map = &map;
	if ((f = fmemopen(u->text, u->len > 0 ? u->len : 1, "rb")) == NULL)
		goto answer;
	if (u->len == 0) {
		fclose(f);
		json_array_append_new(file,
				      json_string("the file is empty (no "
						  "header line)"));
		goto answer;
	}
	rv = spoke_cases_anonymise(f, &o, &rep, &s);
	fclose(f);
	for (i = 0; i < rep.file.n; i++)
		json_array_append_new(file, json_string(rep.file.items[i]));
	for (i = 0; i < rep.bad.n; i++)
		row_errors(errors, rep.bad.items[i],
			   rep.bad_codes.n == rep.bad.n
			       ? rep.bad_codes.items[i]
			       : NULL,
			   cols);
	if (rv == IBX_OK) {
		FILE *m = open_memstream(&js, &jlen);
		json_error_t je;

		if (m != NULL) {
			snprintf(s->organisation_code,
				 sizeof(s->organisation_code), "%.10s",
				 w->o->org_code != NULL ? w->o->org_code : "");
			(void)spoke_cases_print_json(m, s);
			fclose(m);
			cells = json_loads(js, 0, &je);
		}
	}
	ok = rv == IBX_OK && rep.bad_rows == 0 && rep.other_periods == 0 &&
	     rep.in_period > 0;
	for (i = 0; i < sizeof(word_cols) / sizeof(word_cols[0]); i++)
		wanted[word_cols[i]] = cols[word_cols[i]];
answer:
	values = distinct_values(u, o.map, wanted, &header);
	*out = json_pack(
	    "{s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:b}", "period",
	    period, "converted", strcmp(u->encoding, "shift_jis") == 0, "rows",
	    (json_int_t)rep.rows, "blank_rows", (json_int_t)rep.blank_rows,
	    "bad_rows", (json_int_t)rep.bad_rows, "bad_rows_not_listed",
	    (json_int_t)rep.bad.more, "in_period", (json_int_t)rep.in_period,
	    "other_periods", (json_int_t)rep.other_periods, "file_problems",
	    file, "errors", errors, "submission",
	    cells != NULL ? cells : json_null(), "values", values, "ok", ok);
	json_object_set_new(*out, "encoding", json_string(u->encoding));
	json_object_set_new(*out, "header", header);
	free(js);
	ibx_statistics_free(s);
	spoke_cases_report_fini(&rep);
	spoke_cases_map_fini(&map);
	spoke_msgs_fini(&mp);
	return (ok);
}

/* The common start of check and send: the period and the text. */
static int
prepare(const spoke_web *w, const ibx_http_request *req,
	ibx_http_response *resp, const char **period, struct upload *u)
{
	const char *agree = ibx_http_arg_get(req, "convert");

	if (w->o->cases == NULL) {
		web_error(resp, 409,
			  "report: monthly reports come from hospitals; this "
			  "spoke's certificate names a coordinator");
		return (0);
	}
	if ((*period = period_of(req, resp)) == NULL)
		return (0);
	if (req->body == NULL) {
		web_error(resp, 400,
			  "body: the case-record export (CSV) is required");
		return (0);
	}
	if (!recognise(req, agree != NULL && strcmp(agree, "shift_jis") == 0,
		       u)) {
		web_error(resp, 422,
			  "file: neither UTF-8 nor Shift_JIS text; save it "
			  "from the hospital system as CSV");
		return (0);
	}
	if (u->needs_conversion) {
		char head[400];
		size_t n = u->len < 300 ? u->len : 300;

		/* The first lines converted, so the person can tell. */
		while (n > 0 && (u->text[n] & 0xC0) == 0x80)
			n--;
		snprintf(head, sizeof(head), "%.*s", (int)n, u->text);
		web_json(resp, 200,
			 json_pack("{s:s,s:b,s:s,s:b}", "encoding",
				   "shift_jis", "needs_conversion", 1,
				   "preview", head, "ok", 0));
		upload_fini(u);
		return (0);
	}
	return (1);
}

void
web_report_check(web_call *c, const ibx_http_request *req,
		 ibx_http_response *resp)
{
	struct upload u;
	const char *period;
	json_t *o;

	if (!prepare(c->w, req, resp, &period, &u))
		return;
	(void)dry_run(c->w, period, &u, &o);
	web_json(resp, 200, o);
	upload_fini(&u);
}

void
web_report_send(web_call *c, const ibx_http_request *req,
		ibx_http_response *resp)
{
	spoke_web *w = c->w;
	struct upload u;
	const char *period;
	char path[4200];
	json_t *o;

	if (!prepare(c->w, req, resp, &period, &u))
		return;
	if (!dry_run(w, period, &u, &o)) {
		json_object_set_new(
		    o, "error",
		    json_string("report refused: fix the rows marked (every "
				"row good and of the month chosen), or send "
				"a nil report when there was no foreign "
				"patient"));
		web_json(resp, 422, o);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/page-%s.csv", w->o->cases, period);
	pthread_mutex_lock(&w->lock);
	if (web_write_file(path, u.text, u.len, 0640) != IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		json_decref(o);
		web_error(resp, 500,
			  "report: cannot write the export folder (see the "
			  "spoke's log)");
		goto out;
	}
	pthread_mutex_unlock(&w->lock);
	spoke_agent_poke();
	IBX_INFO("page: report for %s queued by %s", period, c->login);
	json_object_set_new(o, "status", json_string("queued"));
	web_json(resp, 200, o);
out:
	upload_fini(&u);
}

void
web_report_nil(web_call *c, const ibx_http_request *req,
	       ibx_http_response *resp)
{
	spoke_web *w = c->w;
	const char *period;
	char path[4200];

	if (w->o->cases == NULL) {
		web_error(resp, 409,
			  "report: monthly reports come from hospitals; this "
			  "spoke's certificate names a coordinator");
		return;
	}
	if ((period = period_of(req, resp)) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/nil-%s.csv", w->o->cases, period);
	pthread_mutex_lock(&w->lock);
	if (web_write_file(path, "nil\n", 4, 0640) != IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 500,
			  "report: cannot write the export folder (see the "
			  "spoke's log)");
		return;
	}
	pthread_mutex_unlock(&w->lock);
	spoke_agent_poke();
	IBX_INFO("page: nil report for %s queued by %s", period, c->login);
	web_json(resp, 200,
		 json_pack("{s:s,s:s}", "status", "queued", "period", period));
}

void
web_map_get(web_call *c, const ibx_http_request *req, ibx_http_response *resp)
{
	spoke_cases_map map;
	spoke_msgs mp;
	json_t *values = json_array();
	size_t i;

	(void)req;
	spoke_cases_map_init(&map);
	memset(&mp, 0, sizeof(mp));
	if (c->w->o->map != NULL && access(c->w->o->map, F_OK) == 0)
		(void)spoke_cases_map_load(c->w->o->map, &map, &mp);
	for (i = 0; i < map.nvalues; i++)
		json_array_append_new(
		    values, json_pack("{s:s,s:s,s:s}", "column",
				      spoke_case_col_name(map.values[i].col),
				      "theirs", map.values[i].theirs, "ours",
				      map.values[i].ours));
	{
		json_t *headers = json_object();
		int col;

		for (col = 0; col < SPOKE_COL_COUNT; col++)
			if (map.header[col] != NULL)
				json_object_set_new(
				    headers,
				    spoke_case_col_name((spoke_case_col)col),
				    json_string(map.header[col]));
		web_json(resp, 200,
			 json_pack("{s:o,s:o,s:o}", "values", values,
				   "headers", headers, "problems",
				   web_problems_json(mp.items, mp.n)));
	}
	spoke_cases_map_fini(&map);
	spoke_msgs_fini(&mp);
}

void
web_map_add(web_call *c, const ibx_http_request *req, ibx_http_response *resp)
{
	spoke_web *w = c->w;
	json_error_t je;
	json_t *root = NULL, *v;
	spoke_cases_map map;
	spoke_msgs mp;
	char *old = NULL, *text = NULL;
	size_t olen = 0, len = 0, i;
	FILE *m = NULL;

	spoke_cases_map_init(&map);
	memset(&mp, 0, sizeof(mp));
	if (w->o->map == NULL) {
		web_error(resp, 409, "map: the spoke runs without --map");
		return;
	}
	if (req->body == NULL ||
	    (root = json_loadb(req->body, req->body_len, 0, &je)) == NULL ||
	    (!json_is_array(json_object_get(root, "values")) &&
	     !json_is_array(json_object_get(root, "headers")))) {
		web_error(resp, 400,
			  "body: {\"values\": [{\"column\", \"theirs\", "
			  "\"ours\"}], \"headers\": [{\"column\", "
			  "\"theirs\"}]} is required");
		goto out;
	}
	pthread_mutex_lock(&w->lock);
	if (access(w->o->map, F_OK) == 0 &&
	    ibx_file_read(w->o->map, SPOKE_MAP_FILE_MAX, &old, &olen) !=
		IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 500, "map: cannot read the column map");
		goto out;
	}
	if ((m = open_memstream(&text, &len)) == NULL) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 500, "out of memory");
		goto out;
	}
	fwrite(old != NULL ? old : "", 1, olen, m);
	if (olen > 0 && old[olen - 1] != '\n')
		fputc('\n', m);
	json_array_foreach(json_object_get(root, "values"), i, v)
	{
		const char *col =
		    json_string_value(json_object_get(v, "column"));
		const char *theirs =
		    json_string_value(json_object_get(v, "theirs"));
		const char *ours =
		    json_string_value(json_object_get(v, "ours"));

		if (col == NULL || theirs == NULL || ours == NULL ||
		    strpbrk(theirs, "\r\n") != NULL ||
		    strpbrk(ours, "\r\n=") != NULL) {
			fclose(m);
			m = NULL;
			pthread_mutex_unlock(&w->lock);
			web_error(resp, 400,
				  "values: each needs column, theirs and "
				  "ours, on one line");
			goto out;
		}
		fprintf(m, "%s:%s=%s\n", col, theirs, ours);
	}
	/* Header lines: "our_column=their header". */
	json_array_foreach(json_object_get(root, "headers"), i, v)
	{
		const char *col =
		    json_string_value(json_object_get(v, "column"));
		const char *theirs =
		    json_string_value(json_object_get(v, "theirs"));

		if (col == NULL || theirs == NULL ||
		    strpbrk(col, ":=\r\n") != NULL ||
		    strpbrk(theirs, "\r\n") != NULL) {
			fclose(m);
			m = NULL;
			pthread_mutex_unlock(&w->lock);
			web_error(resp, 400,
				  "headers: each needs column and theirs, on "
				  "one line");
			goto out;
		}
		fprintf(m, "%s=%s\n", col, theirs);
	}
	fclose(m);
	m = NULL;
	/* The whole map as the agent will read it. */
	if (spoke_cases_map_parse(text, len, "column map", &map, &mp) !=
	    IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		web_json(resp, 422,
			 json_pack("{s:s,s:o}", "error",
				   "map refused: nothing was written",
				   "problems",
				   web_problems_json(mp.items, mp.n)));
		goto out;
	}
	if (web_write_file(w->o->map, text, len, 0640) != IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 500, "map: cannot write the column map");
		goto out;
	}
	pthread_mutex_unlock(&w->lock);
	IBX_INFO("page: %zu value and %zu header lines added to the column "
		 "map by %s",
		 json_array_size(json_object_get(root, "values")),
		 json_array_size(json_object_get(root, "headers")), c->login);
	web_json(resp, 200,
		 json_pack("{s:s,s:I}", "status", "saved", "values",
			   (json_int_t)map.nvalues));
out:
	if (m != NULL)
		fclose(m);
	free(old);
	free(text);
	json_decref(root);
	spoke_cases_map_fini(&map);
	spoke_msgs_fini(&mp);
}
