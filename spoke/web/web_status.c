/*
 * The status on the spoke's page: what the outbox holds (pending/), every
 * acknowledgement of the journal (acknowledged.log, journal.h) and every
 * refusal with its reason (rejected/SEQ.reason), the agent's last error
 * (status.json) and the next monthly report due: the last closed month's,
 * due on the 15th of the month after it (the hub's
 * settings.reporting_deadline_day), until it is acknowledged.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_status.h"
#include "civil.h"
#include "file.h"
#include "journal.h"
#include "outbox.h"
#include "web_int.h"

#define DEADLINE_DAY 15
#define ACKS_SHOWN   200 /* the newest acknowledgements listed */

/* The pending envelopes' count and the rejected ones with reasons. */
static void
outbox_json(const char *dir, json_t *o)
{
	char path[4200], *text;
	struct dirent *e;
	json_t *rejected = json_array();
	size_t len, pending = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_OUTBOX_PENDING);
	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (strstr(e->d_name, ".env") != NULL)
				pending++;
		closedir(d);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_OUTBOX_REJECTED);
	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);

			if (n < 8 || strcmp(e->d_name + n - 7, ".reason") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", dir,
				 SPOKE_OUTBOX_REJECTED, e->d_name);
			text = NULL;
			if (ibx_file_read(path, 8192, &text, &len) != IBX_OK)
				continue;
			while (len > 0 && text[len - 1] == '\n')
				text[--len] = '\0';
			json_array_append_new(
			    rejected, json_pack("{s:I,s:s%}", "sequence",
						(json_int_t)strtoull(e->d_name,
								     NULL, 10),
						"reason", text, len));
			free(text);
		}
		closedir(d);
	}
	json_object_set_new(o, "pending", json_integer((json_int_t)pending));
	json_object_set_new(o, "rejected", rejected);
}

/* The journal's lines, newest first, and the periods acknowledged. */
static json_t *
acks_json(const char *dir, json_t *periods)
{
	char path[4200], *text = NULL, *line, *save = NULL;
	json_t *all = json_array(), *out = json_array();
	size_t len, i, n;

	snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_JOURNAL_NAME);
	if (ibx_file_read(path, 64u * 1024 * 1024, &text, &len) != IBX_OK)
		return (out);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long seq, cells, patients, charge, version, at;
		char status[16], payload[32], period[16], when[40];

		if (sscanf(
			line,
			"%llu\t%15s\t%31s\t%15s\t%llu\t%llu\t%llu\t%llu\t%*s"
			"\t%llu",
			&seq, status, payload, period, &cells, &patients,
			&charge, &version, &at) != 9)
			continue;
		ibx_time_format_ms((int64_t)at, when);
		json_array_append_new(
		    all, json_pack("{s:I,s:s,s:s,s:s?,s:I,s:I,s:I,s:I,s:s}",
				   "sequence", (json_int_t)seq, "status",
				   status, "payload", payload, "period",
				   strcmp(period, "-") == 0 ? NULL : period,
				   "cells", (json_int_t)cells, "patients",
				   (json_int_t)patients, "charge_jpy",
				   (json_int_t)charge, "listing_version",
				   (json_int_t)version, "acked_at", when));
		if (strcmp(payload, "case_statistics") == 0)
			json_object_set_new(periods, period, json_true());
	}
	free(text);
	n = json_array_size(all);
	for (i = 0; i < n && i < ACKS_SHOWN; i++)
		json_array_append(out, json_array_get(all, n - 1 - i));
	json_decref(all);
	return (out);
}

void
web_status_get(web_call *c, const ibx_http_request *req,
	       ibx_http_response *resp)
{
	spoke_web *w = c->w;
	spoke_agent_status st;
	json_t *o = json_object(), *periods = json_object();
	char now[8], due_period[32], due_date[48];
	int y, m;

	(void)req;
	outbox_json(w->o->outbox, o);
	json_object_set_new(o, "acknowledged",
			    acks_json(w->o->outbox, periods));
	spoke_agent_status_load(w->o->outbox, &st);
	json_object_set_new(o, "last_error",
			    st.error[0] != '\0' ? json_string(st.error)
						: json_null());
	/* The last closed month, due on the 15th after it; once it is
	 * acknowledged, this month, due next month. */
	ibx_period_now(now);
	sscanf(now, "%4d-%2d", &y, &m);
	if (--m == 0) {
		m = 12;
		y--;
	}
	snprintf(due_period, sizeof(due_period), "%04d-%02d", y, m);
	if (json_object_get(periods, due_period) != NULL) {
		if (++m == 13) {
			m = 1;
			y++;
		}
		snprintf(due_period, sizeof(due_period), "%04d-%02d", y, m);
	}
	{
		int dy = y, dm = m + 1;

		if (dm == 13) {
			dm = 1;
			dy++;
		}
		snprintf(due_date, sizeof(due_date), "%04d-%02d-%02d", dy, dm,
			 DEADLINE_DAY);
	}
	json_object_set_new(
	    o, "next_report",
	    json_pack("{s:s,s:s}", "period", due_period, "due", due_date));
	json_object_set_new(o, "periods_acknowledged", periods);
	web_json(resp, 200, o);
}
