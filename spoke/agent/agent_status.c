/* The agent's status and status.json; see agent_status.h. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "agent_status.h"
#include "log.h"

int64_t
spoke_agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* A time as a JSON string, or null for 0. */
static json_t *
time_json(int64_t ms)
{
	char buf[32];

	if (ms == 0)
		return (json_null());
	ibx_time_format_ms(ms, buf);
	return (json_string(buf));
}

static ibx_ack_status
status_by_name(const char *name)
{
	int s;

	for (s = 0; s <= IBX_ACK_RETRY_LATER; s++)
		if (name != NULL &&
		    strcmp(ibx_ack_status_name((ibx_ack_status)s), name) == 0)
			return ((ibx_ack_status)s);
	return (IBX_ACK_UNSPECIFIED);
}

void
spoke_agent_status_load(const char *dir, spoke_agent_status *st)
{
	char path[4096];
	json_t *root = NULL, *ack, *err;
	json_error_t jerr;
	const char *s;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/status.json", dir);
	if ((root = json_load_file(path, 0, &jerr)) == NULL)
		return;
	if ((ack = json_object_get(root, "last_ack")) != NULL &&
	    json_is_object(ack)) {
		st->ack_sequence = (uint64_t)json_integer_value(
		    json_object_get(ack, "sequence"));
		st->ack_status = status_by_name(
		    json_string_value(json_object_get(ack, "status")));
		st->ack_ms = ibx_time_parse_ms(
		    json_string_value(json_object_get(ack, "time")));
	}
	st->send_ms = ibx_time_parse_ms(
	    json_string_value(json_object_get(root, "last_send")));
	if ((err = json_object_get(root, "last_error")) != NULL &&
	    json_is_object(err) &&
	    (s = json_string_value(json_object_get(err, "message"))) != NULL) {
		snprintf(st->error, sizeof(st->error), "%s", s);
		st->error_ms = ibx_time_parse_ms(
		    json_string_value(json_object_get(err, "time")));
	}
	json_decref(root);
}

ibx_err
spoke_agent_status_count(const char *dir, spoke_agent_status *st)
{
	uint64_t *seqs = NULL;
	size_t n = 0;
	ibx_err rv;

	if ((rv = spoke_outbox_list(dir, SPOKE_OUTBOX_PENDING, &seqs, &n)) !=
	    IBX_OK)
		return (rv);
	free(seqs);
	st->pending = n;
	seqs = NULL;
	if ((rv = spoke_outbox_list(dir, SPOKE_OUTBOX_REJECTED, &seqs, &n)) !=
	    IBX_OK)
		return (rv);
	free(seqs);
	st->rejected = n;
	return (IBX_OK);
}

/* st as the JSON object of status.json (new reference, or NULL). */
static json_t *
status_json(const char *dir, const spoke_agent_status *st)
{
	json_t *ack = json_null(), *err = json_null();

	if (st->ack_sequence != 0)
		ack = json_pack("{s:I, s:s, s:o}", "sequence",
				(json_int_t)st->ack_sequence, "status",
				ibx_ack_status_name(st->ack_status), "time",
				time_json(st->ack_ms));
	if (st->error_ms != 0)
		err = json_pack("{s:s, s:o}", "message", st->error, "time",
				time_json(st->error_ms));
	return (json_pack(
	    "{s:s, s:i, s:o, s:I, s:I, s:o, s:o, s:o}", "outbox", dir, "pid",
	    (int)getpid(), "updated_at", time_json(spoke_agent_now_ms()),
	    "pending", (json_int_t)st->pending, "rejected",
	    (json_int_t)st->rejected, "last_ack", ack, "last_send",
	    time_json(st->send_ms), "last_error", err));
}

ibx_err
spoke_agent_status_save(spoke_outbox *ob, const spoke_agent_status *st)
{
	json_t *root = NULL;
	char *text = NULL, *line = NULL;
	size_t len;
	ibx_err rv = IBX_ENOMEM;

	if ((root = status_json(spoke_outbox_dir(ob), st)) == NULL ||
	    (text = json_dumps(root, JSON_INDENT(2))) == NULL)
		goto out;
	/* json_dumps ends without a newline; a text file has one. */
	len = strlen(text);
	if ((line = malloc(len + 1)) == NULL)
		goto out;
	memcpy(line, text, len);
	line[len] = '\n';
	rv = spoke_outbox_put(ob, "status.json", line, len + 1, 0);
out:
	free(line);
	free(text);
	json_decref(root);
	return (rv);
}

void
spoke_agent_status_ack(spoke_agent_status *st, uint64_t seq,
		       const ibx_ack *ack)
{
	st->ack_sequence = seq;
	st->ack_status = ack->status;
	st->ack_ms = spoke_agent_now_ms();
}

void
spoke_agent_status_error(spoke_agent_status *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->error, sizeof(st->error), fmt, ap);
	va_end(ap);
	st->error_ms = spoke_agent_now_ms();
	IBX_ERROR("%s", st->error);
}

/* The value of the line "key: value" in the text of a .reason file, into
 * out (n bytes); "" when there is none. */
static void
reason_field(const char *text, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key), len;
	const char *p = text, *end;

	out[0] = '\0';
	for (; p != NULL && *p != '\0'; p = end ? end + 1 : NULL) {
		end = strchr(p, '\n');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len > klen + 1 && strncmp(p, key, klen) == 0 &&
		    p[klen] == ':' && p[klen + 1] == ' ') {
			len -= klen + 2;
			snprintf(out, n, "%.*s", (int)len, p + klen + 2);
			return;
		}
		if (end == NULL)
			break;
	}
}

/* One line per rejected envelope: its name, status and error. */
static void
print_rejected(FILE *f, const char *dir, uint64_t seq)
{
	char path[4096], text[2048], status[64], error[1100];
	FILE *r;
	size_t got = 0;

	snprintf(path, sizeof(path), "%s/%s/%020" PRIu64 ".reason", dir,
		 SPOKE_OUTBOX_REJECTED, seq);
	if ((r = fopen(path, "r")) != NULL) {
		got = fread(text, 1, sizeof(text) - 1, r);
		fclose(r);
	}
	text[got] = '\0';
	reason_field(text, "status", status, sizeof(status));
	reason_field(text, "error", error, sizeof(error));
	fprintf(f, "  %020" PRIu64 ".env  %s: %s\n", seq,
		status[0] ? status : "(no reason file)", error);
}

ibx_err
spoke_agent_status_print(FILE *f, const char *dir)
{
	spoke_agent_status st;
	uint64_t *pending = NULL, *rejected = NULL;
	size_t npending = 0, nrejected = 0, i;
	char when[32], path[4096];
	struct stat sb;
	ibx_err rv;

	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "%s: no outbox here\n", dir);
		return (IBX_ENOTFOUND);
	}
	spoke_agent_status_load(dir, &st);
	if ((rv = spoke_outbox_list(dir, SPOKE_OUTBOX_PENDING, &pending,
				    &npending)) != IBX_OK ||
	    (rv = spoke_outbox_list(dir, SPOKE_OUTBOX_REJECTED, &rejected,
				    &nrejected)) != IBX_OK)
		goto out;
	fprintf(f, "outbox: %s\npending: %zu\nrejected: %zu\n", dir, npending,
		nrejected);
	if (st.ack_sequence != 0) {
		ibx_time_format_ms(st.ack_ms, when);
		fprintf(f, "last ack: sequence %" PRIu64 " %s at %s\n",
			st.ack_sequence, ibx_ack_status_name(st.ack_status),
			when);
	} else
		fprintf(f, "last ack: none\n");
	if (st.send_ms != 0) {
		ibx_time_format_ms(st.send_ms, when);
		fprintf(f, "last send: %s\n", when);
	} else
		fprintf(f, "last send: never\n");
	if (st.error_ms != 0) {
		ibx_time_format_ms(st.error_ms, when);
		fprintf(f, "last error: %s: %s\n", when, st.error);
	} else
		fprintf(f, "last error: none\n");
	if (npending > 0)
		fprintf(f, "pending envelopes (sent in this order):\n");
	for (i = 0; i < npending; i++) {
		snprintf(path, sizeof(path), "%s/%s/%020" PRIu64 ".env", dir,
			 SPOKE_OUTBOX_PENDING, pending[i]);
		if (stat(path, &sb) != 0)
			continue; /* sent meanwhile */
		ibx_time_format_ms((int64_t)sb.st_mtim.tv_sec * 1000 +
				       sb.st_mtim.tv_nsec / 1000000,
				   when);
		fprintf(f, "  %020" PRIu64 ".env  %lld bytes, sealed %s\n",
			pending[i], (long long)sb.st_size, when);
	}
	if (nrejected > 0)
		fprintf(f, "rejected envelopes (refused by the hub for "
			   "good):\n");
	for (i = 0; i < nrejected; i++)
		print_rejected(f, dir, rejected[i]);
out:
	free(pending);
	free(rejected);
	return (rv);
}
