/*
 * The referral channel on the spoke's page (issue 15, docs/referrals.md):
 * the one place where a package is decrypted, since the hospital's private
 * key is here.  The work is the referral commands' (spoke_web_referral_ops,
 * handed over by serve); this file checks what the person typed, keeps
 * the files, and answers.
 *
 *   GET  /api/referrals          the hub's inbox (verified), the packages
 *                                opened here and the referrals sent from
 *                                here with their statuses
 *   POST /api/referrals/fetch    {"id"}: fetch, decrypt and verify into
 *                                STATE/received/ID; the files with their
 *                                sizes and SHA-256
 *   GET  /api/referrals/file     ?id=&name=: one of those files, as an
 *                                attachment (only a name of the verified
 *                                list: nothing else can be asked for)
 *   POST /api/referrals/answer   multipart: id, status and its fields, a
 *                                report file for opinion_returned
 *   POST /api/referrals/send     multipart: to, purpose, department,
 *                                nationality, age_band, languages,
 *                                urgency and the files (streamed to
 *                                STATE/uploads, never held in memory)
 *
 * Every refusal names the field, with the problem's code for the page's
 * language (i18n.js PROBLEMS).  Records kept beside the page's files:
 * STATE/received/ID.files.json (what was verified) and STATE/sent/ID.json
 * (what was sent: metadata and the files' names, sizes and SHA-256; never
 * the files, which the sender keeps where they came from).
 */
#define _GNU_SOURCE /* nftw, asprintf */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "codes.h"
#include "file.h"
#include "hex.h"
#include "listing.h"
#include "log.h"
#include "seal.h"
#include "text.h"
#include "web_int.h"

#define REF_PATH_LEN 4096 /* bytes of a path in the state folder */

/* STATE/part[/name] into out (n bytes); -1 when it does not fit. */
static int
state_path(const web_call *c, char *out, size_t n, const char *part,
	   const char *name)
{
	int len =
	    name != NULL
		? snprintf(out, n, "%s/%s/%s", c->w->o->state, part, name)
		: snprintf(out, n, "%s/%s", c->w->o->state, part);

	return (len < 0 || (size_t)len >= n ? -1 : 0);
}

static void
make_dir(const web_call *c, const char *part)
{
	char path[REF_PATH_LEN];

	if (state_path(c, path, sizeof(path), part, NULL) == 0 &&
	    mkdir(path, 0700) != 0 && errno != EEXIST)
		IBX_ERROR("%s: %s", path, strerror(errno));
}

/* Answer 400 with problems p. */
static void
refuse(ibx_http_response *resp, int status, const ibx_problems *p)
{
	web_json(resp, status,
		 json_pack("{s:s,s:o}", "error", "refused", "problems",
			   web_problems_coded(p)));
}

/* Answer one problem of field (code, English text). */
static void
refuse_one(ibx_http_response *resp, int status, const char *field,
	   const char *code, const char *text)
{
	ibx_problems p;

	ibx_problems_init(&p);
	ibx_problems_addc(&p, field, code, "%s", text);
	refuse(resp, status, &p);
	ibx_problems_fini(&p);
}

/* What the channel's work said when it failed: 503 when no hub answered,
 * else 422, with the reason as a problem of field. */
static void
refuse_work(ibx_http_response *resp, int status, const char *field,
	    const char *err)
{
	refuse_one(resp, status == 3 ? 503 : 422, field,
		   status == 3 ? "hub_unreachable" : "hub_refused", err);
}

/* Whether the page has the channel, and this role may do what: 0, or
 * answered. */
static int
need(const web_call *c, ibx_http_response *resp, const char *role)
{
	if (c->w->o->referral == NULL) {
		web_error(resp, 404, "referrals: not served by this spoke");
		return (-1);
	}
	if (role != NULL && strcmp(c->w->o->role, role) != 0) {
		web_error(resp, 403,
			  strcmp(role, "hospital") == 0
			      ? "role: only a receiving hospital fetches "
				"and answers referrals"
			      : "role: only a coordinator or a partner "
				"refers");
		return (-1);
	}
	return (0);
}

/* The purposes a referral may have (proto/domain's rule over the purpose
 * list): each to fn. */
static void
each_purpose(void (*fn)(void *, const char *), void *arg)
{
	const char *code;
	int i;

	for (i = 0; (code = ibx_code_at(IBX_LIST_PURPOSE, i)) != NULL; i++)
		if (ibx_referral_purpose_valid(code))
			fn(arg, code);
}

static void
purpose_json(void *arg, const char *code)
{
	json_array_append_new(arg, json_string(code));
}

struct text {
	char *out;
	size_t n, used;
};

static void
purpose_text(void *arg, const char *code)
{
	struct text *t = arg;
	int len;

	if (t->used >= t->n)
		return;
	len = snprintf(t->out + t->used, t->n - t->used, "%s%s",
		       t->used > 0 ? ", " : "", code);
	if (len > 0)
		t->used += (size_t)len;
}

/* The purposes as "a, b, c" into out (n bytes). */
static void
purposes_text(char *out, size_t n)
{
	struct text t = {out, n, 0};

	out[0] = '\0';
	each_purpose(purpose_text, &t);
}

/* The SHA-256 of a file as hex (65 bytes), read in pieces. */
static ibx_err
file_sha256(const char *path, char hex[2 * IBX_SHA256_BYTES + 1],
	    uint64_t *size)
{
	ibx_sha256_stream *h = NULL;
	uint8_t buf[65536], d[IBX_SHA256_BYTES];
	ssize_t got;
	uint64_t total = 0;
	ibx_err rv;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (IBX_EIO);
	if ((rv = ibx_sha256_stream_new(&h)) != IBX_OK)
		goto out;
	while ((got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rv = IBX_EIO;
			goto out;
		}
		ibx_sha256_stream_update(h, buf, (size_t)got);
		total += (uint64_t)got;
	}
	ibx_sha256_stream_final(h, d);
	ibx_hex_encode(d, sizeof(d), hex);
	*size = total;
out:
	ibx_sha256_stream_free(h);
	close(fd);
	return (rv);
}

/* nftw has no argument: the walk in progress (one at a time: nftw runs
 * under a lock of this file's). */
static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *walk_files;
static size_t walk_root;

static int
walk_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	char hex[2 * IBX_SHA256_BYTES + 1];
	uint64_t size;

	(void)sb;
	(void)f;
	if (type != FTW_F)
		return (0);
	if (file_sha256(path, hex, &size) != IBX_OK)
		return (1);
	json_array_append_new(
	    walk_files, json_pack("{s:s,s:I,s:s}", "name", path + walk_root,
				  "size", (json_int_t)size, "sha256", hex));
	return (0);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(
	    json_string_value(json_object_get(*(json_t *const *)a, "name")),
	    json_string_value(json_object_get(*(json_t *const *)b, "name"))));
}

/* Every file under dir: [{"name" (relative, '/'), "size", "sha256"}] by
 * name, or NULL when one cannot be read. */
static json_t *
files_of(const char *dir)
{
	json_t *out = NULL, **items = NULL;
	size_t i, n;
	int rv;

	pthread_mutex_lock(&walk_lock);
	walk_files = json_array();
	walk_root = strlen(dir) + 1;
	rv = nftw(dir, walk_one, 16, FTW_PHYS);
	n = json_array_size(walk_files);
	if (rv == 0 && (items = calloc(n + 1, sizeof(*items))) != NULL) {
		for (i = 0; i < n; i++)
			items[i] = json_array_get(walk_files, i);
		qsort(items, n, sizeof(items[0]), by_name);
		out = json_array();
		for (i = 0; i < n; i++)
			json_array_append(out, items[i]);
	}
	free(items);
	json_decref(walk_files);
	walk_files = NULL;
	pthread_mutex_unlock(&walk_lock);
	return (out);
}

/* STATE/received/ID.files.json, or NULL. */
static json_t *
received_files(const web_call *c, const char *id)
{
	char path[REF_PATH_LEN], name[64];

	snprintf(name, sizeof(name), "%s.files.json", id);
	if (state_path(c, path, sizeof(path), "received", name) != 0)
		return (NULL);
	return (json_load_file(path, 0, NULL));
}

/* The inbox, as GET /api/referrals gathers it. */
struct gather {
	const web_call *c;
	json_t *received; /* referrals addressed to us */
	json_t *statuses; /* every status, oldest first */
};

static json_t *
status_json(const spoke_web_ref_item *it)
{
	const ibx_referral_status *s = &it->status;
	json_t *o =
	    json_pack("{s:s,s:s,s:s}", "referral_id", s->referral_id, "state",
		      ibx_referral_state_name(s->state), "by", it->sender);

	if (s->reason_code[0] != '\0')
		json_object_set_new(o, "reason_code",
				    json_string(s->reason_code));
	if (s->state == IBX_REFERRAL_QUOTE) {
		json_object_set_new(o, "price_min_jpy",
				    json_integer(s->price_min_jpy));
		json_object_set_new(o, "price_max_jpy",
				    json_integer(s->price_max_jpy));
		json_object_set_new(o, "earliest_date",
				    json_string(s->earliest_date));
	}
	if (s->report_referral_id[0] != '\0')
		json_object_set_new(o, "report_referral_id",
				    json_string(s->report_referral_id));
	if (s->visit_date[0] != '\0')
		json_object_set_new(o, "visit_date",
				    json_string(s->visit_date));
	return (o);
}

static void
gather_item(void *arg, const spoke_web_ref_item *it)
{
	struct gather *g = arg;
	const ibx_referral *r = &it->ref;
	json_t *langs, *o, *files;
	size_t i;

	if (it->is_status) {
		json_array_append_new(g->statuses, status_json(it));
		return;
	}
	if (strcmp(r->receiver, g->c->w->o->org_code) != 0)
		return;
	langs = json_array();
	for (i = 0; i < r->n_languages; i++)
		json_array_append_new(langs, json_string(r->languages[i]));
	o = json_pack(
	    "{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:I,s:i,s:s}", "referral_id",
	    r->referral_id, "from", it->sender, "purpose", r->purpose,
	    "department", r->department, "nationality", r->nationality,
	    "age_band", r->age_band, "languages", langs, "urgency", r->urgency,
	    "package_bytes", (json_int_t)r->package_bytes, "chunk_count",
	    (int)r->chunk_count, "state", ibx_referral_state_name(it->state));
	if (r->answers_referral_id[0] != '\0')
		json_object_set_new(o, "answers_referral_id",
				    json_string(r->answers_referral_id));
	files = received_files(g->c, r->referral_id);
	json_object_set_new(o, "files", files != NULL ? files : json_null());
	json_array_append_new(g->received, o);
}

/* Each referral of list (objects with "referral_id") gets its statuses
 * and its current state from the statuses seen. */
static void
attach_statuses(json_t *list, json_t *statuses)
{
	json_t *r, *s, *mine;
	size_t i, j;
	const char *id;

	json_array_foreach(list, i, r)
	{
		id = json_string_value(json_object_get(r, "referral_id"));
		mine = json_array();
		json_array_foreach(statuses, j, s) if (
		    strcmp(
			json_string_value(json_object_get(s, "referral_id")),
			id) == 0)
		{
			json_array_append(mine, s);
			json_object_set(r, "current",
					json_object_get(s, "state"));
		}
		json_object_set_new(r, "statuses", mine);
	}
}

/* STATE/sent/ *.json, newest first. */
static json_t *
sent_list(const web_call *c)
{
	char dir[REF_PATH_LEN], path[REF_PATH_LEN + 300];
	struct dirent *e;
	json_t *all = json_array(), *o;
	DIR *d;

	if (state_path(c, dir, sizeof(dir), "sent", NULL) != 0 ||
	    (d = opendir(dir)) == NULL)
		return (all);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n != IBX_REFERRAL_ID_HEX + 5 ||
		    strcmp(e->d_name + IBX_REFERRAL_ID_HEX, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((o = json_load_file(path, 0, NULL)) != NULL)
			json_array_append_new(all, o);
	}
	closedir(d);
	return (all);
}

void
web_referral_list(web_call *c, const ibx_http_request *req,
		  ibx_http_response *resp)
{
	const spoke_web_referral_ops *ops = c->w->o->referral;
	struct gather g;
	char err[1024] = "";
	json_t *o, *sent;
	int status;

	(void)req;
	if (need(c, resp, NULL) != 0)
		return;
	g.c = c;
	g.received = json_array();
	g.statuses = json_array();
	status = ops->inbox(ops->arg, gather_item, &g, err, sizeof(err));
	sent = sent_list(c);
	attach_statuses(g.received, g.statuses);
	attach_statuses(sent, g.statuses);
	o = json_pack("{s:s,s:s,s:o,s:o}", "role", c->w->o->role,
		      "organisation_code", c->w->o->org_code, "received",
		      g.received, "sent", sent);
	/* The form's choices of purpose: the rule's, not a copy. */
	{
		json_t *purposes = json_array();

		each_purpose(purpose_json, purposes);
		json_object_set_new(o, "purposes", purposes);
	}
	json_object_set_new(
	    o, "upload_max",
	    json_integer((json_int_t)(c->w->o->upload_max != 0
					  ? c->w->o->upload_max
					  : SPOKE_WEB_UPLOAD_MAX)));
	/* Without a hub the page still shows what is here. */
	json_object_set_new(o, "hub_error",
			    status != 0 ? json_string(err) : json_null());
	json_decref(g.statuses);
	web_json(resp, 200, o);
}

/* The "id" of a JSON body or a form, checked; NULL when refused
 * (answered). */
static const char *
id_of(const char *id, ibx_http_response *resp)
{
	if (id == NULL || *id == '\0') {
		refuse_one(resp, 400, "id", "required", "is required");
		return (NULL);
	}
	if (!ibx_referral_id_valid(id)) {
		refuse_one(resp, 400, "id", "referral_id",
			   "must be 32 lowercase hex digits");
		return (NULL);
	}
	return (id);
}

void
web_referral_fetch(web_call *c, const ibx_http_request *req,
		   ibx_http_response *resp)
{
	const spoke_web_referral_ops *ops = c->w->o->referral;
	char out[REF_PATH_LEN], sums[REF_PATH_LEN], name[64], err[1024] = "";
	json_t *body = NULL, *files = NULL;
	const char *id;
	struct stat sb;
	int status;

	if (need(c, resp, "hospital") != 0)
		return;
	body = req->body != NULL
		   ? json_loadb(req->body, req->body_len, 0, NULL)
		   : NULL;
	if ((id = id_of(json_string_value(json_object_get(body, "id")),
			resp)) == NULL)
		goto out;
	make_dir(c, "received");
	snprintf(name, sizeof(name), "%s.files.json", id);
	if (state_path(c, out, sizeof(out), "received", id) != 0 ||
	    state_path(c, sums, sizeof(sums), "received", name) != 0) {
		web_error(resp, 500, "state: the folder's name is too long");
		goto out;
	}
	/* Opened before: the files as verified then. */
	if (stat(out, &sb) != 0) {
		status = ops->fetch(ops->arg, id, out, err, sizeof(err));
		if (status != 0) {
			refuse_work(resp, status, "id", err);
			goto out;
		}
	}
	if ((files = files_of(out)) == NULL ||
	    json_dump_file(files, sums, JSON_COMPACT) != 0) {
		web_error(resp, 500, "received: the files cannot be read");
		goto out;
	}
	IBX_INFO("referral %s opened by %s into %s", id, c->login, out);
	web_json(resp, 200,
		 json_pack("{s:s,s:O}", "referral_id", id, "files", files));
out:
	json_decref(files);
	json_decref(body);
}

/* The Content-Disposition of a file named base: attachment, an ASCII
 * fallback name and the UTF-8 name percent-encoded (RFC 6266, RFC 8187). */
static char *
disposition(const char *base)
{
	static const char hexd[] = "0123456789ABCDEF";
	char ascii[256], enc[3 * 256 + 1], *out = NULL;
	size_t i, a = 0, e = 0;
	unsigned char ch;

	for (i = 0; base[i] != '\0' && a + 1 < sizeof(ascii); i++) {
		ch = (unsigned char)base[i];
		ascii[a++] = (ch >= 0x20 && ch < 0x7f && ch != '"' &&
			      ch != '\\' && ch != ';')
				 ? (char)ch
				 : '_';
	}
	ascii[a] = '\0';
	for (i = 0; base[i] != '\0' && e + 4 < sizeof(enc); i++) {
		ch = (unsigned char)base[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch) != NULL)
			enc[e++] = (char)ch;
		else {
			enc[e++] = '%';
			enc[e++] = hexd[ch >> 4];
			enc[e++] = hexd[ch & 15];
		}
	}
	enc[e] = '\0';
	if (asprintf(&out, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
		     ascii, enc) < 0)
		return (NULL);
	return (out);
}

void
web_referral_file(web_call *c, const ibx_http_request *req,
		  ibx_http_response *resp)
{
	const char *id = ibx_http_arg_get(req, "id"),
		   *name = ibx_http_arg_get(req, "name"), *base;
	char dir[REF_PATH_LEN], path[2 * REF_PATH_LEN], real[PATH_MAX],
	    rdir[PATH_MAX];
	json_t *files = NULL, *f;
	size_t i;
	int listed = 0;

	if (need(c, resp, "hospital") != 0 || (id = id_of(id, resp)) == NULL)
		return;
	if (name == NULL || *name == '\0') {
		refuse_one(resp, 400, "name", "required", "is required");
		return;
	}
	/* Only a name of the verified list: no path is made of anything
	 * else, so "../" and absolute names lead nowhere. */
	files = received_files(c, id);
	json_array_foreach(
	    files, i,
	    f) if (strcmp(json_string_value(json_object_get(f, "name")),
			  name) == 0) listed = 1;
	json_decref(files);
	if (!listed || strstr(name, "..") != NULL || name[0] == '/') {
		web_error(resp, 404,
			  "file: not among the verified files of this "
			  "referral");
		return;
	}
	if (state_path(c, dir, sizeof(dir), "received", id) != 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* And the file resolves inside the referral's folder (no link
	 * out of it). */
	if (realpath(path, real) == NULL || realpath(dir, rdir) == NULL ||
	    strncmp(real, rdir, strlen(rdir)) != 0 ||
	    real[strlen(rdir)] != '/') {
		web_error(resp, 404, "file: not found");
		return;
	}
	base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	resp->status = 200;
	resp->content_type = "application/octet-stream";
	resp->file = strdup(real);
	resp->disposition = disposition(base);
	IBX_INFO("referral %s: %s downloaded by %s", id, name, c->login);
}

/* A file name as the person's computer named it, made safe to be one
 * file's name: its last component, no control character, not "." or "..",
 * at most 200 bytes.  0, or -1 when nothing is left. */
static int
safe_name(const char *given, char *out, size_t n)
{
	const char *base = given;
	size_t i, o = 0;

	for (i = 0; given[i] != '\0'; i++)
		if (given[i] == '/' || given[i] == '\\')
			base = given + i + 1;
	for (i = 0; base[i] != '\0' && o + 1 < n && o < 200; i++)
		out[o++] = (unsigned char)base[i] < 0x20 ? '_' : base[i];
	out[o] = '\0';
	if (o == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		return (-1);
	return (0);
}

/* Remove folder dir and the files in it (one level). */
static void
remove_dir(const char *dir)
{
	DIR *d;
	struct dirent *e;
	char path[REF_PATH_LEN + 300];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(void)unlink(path);
	}
	closedir(d);
	(void)rmdir(dir);
}

/* The uploaded files of field into a new folder dir (renamed out of the
 * request's folder, under their own safe names): 0, or -1 with the
 * problem added to p. */
static int
files_into(const ibx_http_request *req, const char *field, const char *dir,
	   ibx_problems *p, json_t *listing)
{
	char name[256], path[REF_PATH_LEN + 300],
	    hex[2 * IBX_SHA256_BYTES + 1];
	uint64_t size;
	size_t i, k = 0;

	for (i = 0; i < req->nfiles; i++) {
		if (strcmp(req->files[i].field, field) != 0)
			continue;
		if (req->files[i].filename[0] == '\0' &&
		    req->files[i].size == 0)
			continue; /* an empty file input */
		if (safe_name(req->files[i].filename, name, sizeof(name)) !=
		    0) {
			ibx_problems_addc(p, field, "file_name",
					  "a file has no usable name");
			return (-1);
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (access(path, F_OK) == 0) {
			ibx_problems_addc(p, field, "file_twice",
					  "the file \"%s\" is given twice",
					  name);
			return (-1);
		}
		if (rename(req->files[i].path, path) != 0) {
			IBX_ERROR("%s: %s", path, strerror(errno));
			ibx_problems_addc(p, field, "file_store",
					  "cannot be stored");
			return (-1);
		}
		if (listing != NULL && file_sha256(path, hex, &size) == IBX_OK)
			json_array_append_new(
			    listing,
			    json_pack("{s:s,s:I,s:s}", "name", name, "size",
				      (json_int_t)size, "sha256", hex));
		k++;
	}
	if (k == 0) {
		ibx_problems_addc(p, field, "required", "is required");
		return (-1);
	}
	return (0);
}

/* A form field, or "" when absent. */
static const char *
form(const ibx_http_request *req, const char *key)
{
	const char *v = ibx_http_form_get(req, key);

	return (v != NULL ? v : "");
}

/* Copy a form field into a fixed field (n bytes), or add too_long. */
static void
take(const ibx_http_request *req, const char *key, char *out, size_t n,
     ibx_problems *p)
{
	const char *v = form(req, key);

	if (strlen(v) >= n)
		ibx_problems_addc(p, key, "too_long", "longer than %zu bytes",
				  n - 1);
	else
		snprintf(out, n, "%s", v);
}

/* A code of list in field: required or not; unknown_code otherwise. */
static void
code_field(ibx_problems *p, const char *field, ibx_code_list_id list,
	   const char *v, bool required)
{
	char shown[48];

	if (*v == '\0') {
		if (required)
			ibx_problems_addc(p, field, "required", "is required");
		return;
	}
	if (!ibx_code_valid(list, v)) {
		ibx_text_quote_short(shown, sizeof(shown), v);
		ibx_problems_addc(p, field, "unknown_code", "unknown %s %s",
				  ibx_code_list_name(list), shown);
	}
}

/* The fields of a referral from the send form into *m (checked with
 * proto/domain's own rule afterwards).  The problems go to p. */
static void
referral_form(const ibx_http_request *req, ibx_referral *m, ibx_problems *p)
{
	const char *langs = form(req, "languages"), *q;
	size_t len;

	take(req, "purpose", m->purpose, sizeof(m->purpose), p);
	take(req, "department", m->department, sizeof(m->department), p);
	take(req, "nationality", m->nationality, sizeof(m->nationality), p);
	take(req, "age_band", m->age_band, sizeof(m->age_band), p);
	take(req, "urgency", m->urgency, sizeof(m->urgency), p);
	if (m->urgency[0] == '\0')
		snprintf(m->urgency, sizeof(m->urgency), "routine");
	if (m->purpose[0] == '\0')
		ibx_problems_addc(p, "purpose", "required", "is required");
	else if (!ibx_referral_purpose_valid(m->purpose)) {
		char list[128];

		purposes_text(list, sizeof(list));
		ibx_problems_addc(p, "purpose", "one_of", "must be one of %s",
				  list);
	}
	code_field(p, "department", IBX_LIST_DEPARTMENT, m->department, false);
	code_field(p, "nationality", IBX_LIST_COUNTRY, m->nationality, true);
	code_field(p, "age_band", IBX_LIST_AGE_BAND, m->age_band, true);
	code_field(p, "urgency", IBX_LIST_URGENCY, m->urgency, true);
	for (q = langs; *q != '\0';) {
		len = strcspn(q, ", ");
		if (len > 0) {
			if (m->n_languages == IBX_REFERRAL_LANGUAGES_MAX) {
				ibx_problems_addc(p, "languages", "too_many",
						  "more than %d entries",
						  IBX_REFERRAL_LANGUAGES_MAX);
				break;
			}
			if (len > 3) {
				ibx_problems_addc(
				    p, "languages", "unknown_code",
				    "unknown %s %.*s", "ISO 639-1 code",
				    (int)len, q);
				break;
			}
			snprintf(m->languages[m->n_languages++], 4, "%.*s",
				 (int)len, q);
		}
		q += len;
		q += strspn(q, ", ");
	}
}

void
web_referral_send(web_call *c, const ibx_http_request *req,
		  ibx_http_response *resp)
{
	const spoke_web_referral_ops *ops = c->w->o->referral;
	ibx_referral m, probe;
	ibx_problems p;
	char dir[REF_PATH_LEN], rec[REF_PATH_LEN], name[64], when[40],
	    id[IBX_REFERRAL_ID_HEX + 1], err[1024] = "";
	const char *to = form(req, "to");
	json_t *files = json_array(), *o = NULL, *langs;
	size_t i;
	int status;

	ibx_problems_init(&p);
	dir[0] = '\0';
	if (need(c, resp, NULL) != 0)
		goto out;
	if (strcmp(c->w->o->role, "hospital") == 0) {
		web_error(resp, 403,
			  "role: only a coordinator or a partner refers");
		goto out;
	}
	if (req->upload_dir == NULL) {
		refuse_one(resp, 400, "files", "upload_form",
			   "send the form as multipart/form-data");
		goto out;
	}
	memset(&m, 0, sizeof(m));
	if (*to == '\0')
		ibx_problems_addc(&p, "to", "required", "is required");
	else if (!ibx_digits(to, 10))
		ibx_problems_addc(&p, "to", "digits_10", "must be 10 digits");
	referral_form(req, &m, &p);
	/* proto/domain's rule on the metadata (one source of rules), with
	 * the package's fields stood in for until it is sealed. */
	if (ibx_problems_count(&p) == 0) {
		probe = m;
		snprintf(probe.referral_id, sizeof(probe.referral_id), "%032d",
			 0);
		snprintf(probe.receiver, sizeof(probe.receiver), "%s", to);
		snprintf(probe.key_id, sizeof(probe.key_id), "%016d", 0);
		probe.chunk_count = 1;
		probe.package_bytes = IBX_CHUNK_ABYTES + 1;
		(void)ibx_referral_check(&probe, &p);
	}
	/* The files into a folder of their own: the package. */
	make_dir(c, "uploads");
	if (state_path(c, dir, sizeof(dir), "uploads", "package-XXXXXX") !=
		0 ||
	    mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		web_error(resp, 500, "uploads: cannot make a folder");
		goto out;
	}
	if (files_into(req, "files", dir, &p, files) != 0 ||
	    ibx_problems_count(&p) > 0) {
		refuse(resp, 400, &p);
		goto out;
	}
	id[0] = '\0';
	status = ops->refer(ops->arg, to, dir, &m, id, err, sizeof(err));
	/* 3 with no id: no hub answered the key query, nothing is queued;
	 * 3 with an id: queued, the agent delivers it. */
	if (status != 0 && (status != 3 || id[0] == '\0')) {
		refuse_work(resp, status, "to", err);
		goto out;
	}
	/* Sent, or queued for the agent (no hub now): kept either way. */
	langs = json_array();
	for (i = 0; i < m.n_languages; i++)
		json_array_append_new(langs, json_string(m.languages[i]));
	ibx_time_format_ms((int64_t)time(NULL) * 1000, when);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:O,s:s,s:b}",
		      "referral_id", id, "to", to, "purpose", m.purpose,
		      "department", m.department, "nationality", m.nationality,
		      "age_band", m.age_band, "languages", langs, "urgency",
		      m.urgency, "files", files, "sent_at", when, "queued",
		      status == 3);
	make_dir(c, "sent");
	snprintf(name, sizeof(name), "%s.json", id);
	if (state_path(c, rec, sizeof(rec), "sent", name) == 0 &&
	    json_dump_file(o, rec, JSON_COMPACT) != 0)
		IBX_ERROR("%s: cannot be written", rec);
	IBX_INFO("referral %s to %s sent by %s", id, to, c->login);
	web_json(resp, status == 3 ? 202 : 200, json_incref(o));
out:
	if (dir[0] != '\0')
		remove_dir(dir);
	json_decref(o);
	json_decref(files);
	ibx_problems_fini(&p);
}

/* A whole number of JPY in field into *out, or a problem. */
static void
yen_field(const ibx_http_request *req, const char *field, int64_t *out,
	  ibx_problems *p)
{
	const char *v = form(req, field);
	char *end;
	long long n;

	if (*v == '\0') {
		ibx_problems_addc(p, field, "required", "is required");
		return;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*end != '\0' || errno != 0 || n < 0) {
		ibx_problems_addc(p, field, "price_negative",
				  "must be a whole number of yen, 0 or "
				  "more");
		return;
	}
	*out = n;
}

void
web_referral_answer(web_call *c, const ibx_http_request *req,
		    ibx_http_response *resp)
{
	const spoke_web_referral_ops *ops = c->w->o->referral;
	ibx_referral_status s;
	ibx_problems p;
	const char *id, *word = form(req, "status");
	char dir[REF_PATH_LEN], err[1024] = "";
	int status;

	ibx_problems_init(&p);
	dir[0] = '\0';
	if (need(c, resp, "hospital") != 0)
		goto out;
	if ((id = id_of(ibx_http_form_get(req, "id"), resp)) == NULL)
		goto out;
	memset(&s, 0, sizeof(s));
	snprintf(s.referral_id, sizeof(s.referral_id), "%s", id);
	s.state = ibx_referral_state_parse(word);
	if (*word == '\0')
		ibx_problems_addc(&p, "status", "required", "is required");
	else if (s.state < IBX_REFERRAL_ACKNOWLEDGED ||
		 s.state == IBX_REFERRAL_WITHDRAWN)
		ibx_problems_addc(&p, "status", "one_of", "must be one of %s",
				  "acknowledged, declined, quote, "
				  "opinion_returned, visit_scheduled, "
				  "visited");
	else if (s.state == IBX_REFERRAL_DECLINED) {
		take(req, "reason", s.reason_code, sizeof(s.reason_code), &p);
		code_field(&p, "reason", IBX_LIST_DECLINE_REASON,
			   s.reason_code, true);
	} else if (s.state == IBX_REFERRAL_QUOTE) {
		yen_field(req, "price_min", &s.price_min_jpy, &p);
		yen_field(req, "price_max", &s.price_max_jpy, &p);
		if (ibx_problems_count(&p) == 0 &&
		    s.price_min_jpy > s.price_max_jpy)
			ibx_problems_addc(&p, "price_max",
					  "price_min_over_max",
					  "the lower bound %lld is above the "
					  "upper %lld",
					  (long long)s.price_min_jpy,
					  (long long)s.price_max_jpy);
		take(req, "earliest", s.earliest_date, sizeof(s.earliest_date),
		     &p);
		if (s.earliest_date[0] == '\0')
			ibx_problems_addc(&p, "earliest", "required",
					  "is required");
		else if (!ibx_date_valid(s.earliest_date))
			ibx_problems_addc(&p, "earliest", "not_date",
					  "must be a date YYYY-MM-DD");
	} else if (s.state == IBX_REFERRAL_VISIT_SCHEDULED) {
		take(req, "visit_date", s.visit_date, sizeof(s.visit_date),
		     &p);
		if (s.visit_date[0] == '\0')
			ibx_problems_addc(&p, "visit_date", "required",
					  "is required");
		else if (!ibx_date_valid(s.visit_date))
			ibx_problems_addc(&p, "visit_date", "not_date",
					  "must be a date YYYY-MM-DD");
	}
	if (s.state == IBX_REFERRAL_OPINION_RETURNED) {
		make_dir(c, "uploads");
		if (state_path(c, dir, sizeof(dir), "uploads",
			       "report-XXXXXX") != 0 ||
		    mkdtemp(dir) == NULL) {
			dir[0] = '\0';
			web_error(resp, 500, "uploads: cannot make a folder");
			goto out;
		}
		(void)files_into(req, "report", dir, &p, NULL);
	}
	if (ibx_problems_count(&p) > 0) {
		refuse(resp, 400, &p);
		goto out;
	}
	status = ops->answer(ops->arg, &s, dir[0] != '\0' ? dir : NULL, err,
			     sizeof(err));
	/* 3 is "queued" for a status alone; with a report the hub may not
	 * have answered the query that comes before anything is queued. */
	if (status != 0 &&
	    (status != 3 || s.state == IBX_REFERRAL_OPINION_RETURNED)) {
		refuse_work(resp, status, "status", err);
		goto out;
	}
	IBX_INFO("referral %s: %s answered by %s", id,
		 ibx_referral_state_name(s.state), c->login);
	web_json(resp, status == 3 ? 202 : 200,
		 json_pack("{s:s,s:s,s:b}", "referral_id", id, "status",
			   ibx_referral_state_name(s.state), "queued",
			   status == 3));
out:
	if (dir[0] != '\0')
		remove_dir(dir);
	ibx_problems_fini(&p);
}

int
web_referral_upload_admit(web_call *c, const ibx_http_request *req)
{
	ibx_http_response scratch;
	int ok;

	if (c->w->o->referral == NULL ||
	    (strcmp(req->path, "/api/referrals/send") != 0 &&
	     strcmp(req->path, "/api/referrals/answer") != 0))
		return (0);
	/* Only a signed-in person's upload with its CSRF token is taken to
	 * disk; any other is refused on its first bytes. */
	memset(&scratch, 0, sizeof(scratch));
	ok = web_session_identify(c, req, &scratch) == 0;
	free(scratch.body);
	return (ok);
}
