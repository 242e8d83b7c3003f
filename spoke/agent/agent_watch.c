/* Fingerprints of the watched sources; see agent_watch.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "agent_watch.h"
#include "crypto.h"
#include "log.h"

struct record {
	char *key;
	char fingerprint[SPOKE_FINGERPRINT_LEN];
};

struct spoke_agent_watch {
	struct record *r;
	size_t n, cap;
	bool held;  /* spoke_agent_watch_hold: writes wait */
	bool dirty; /* a write waited */
};

void
spoke_agent_watch_free(spoke_agent_watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++)
		free(w->r[i].key);
	free(w->r);
	free(w);
}

/* Set key's fingerprint in memory only. */
static ibx_err
put(spoke_agent_watch *w, const char *key, const char *fingerprint)
{
	struct record *grown;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->r[i].key, key) == 0)
			break;
	if (i == w->n) {
		if (w->n == w->cap) {
			w->cap = w->cap == 0 ? 8 : w->cap * 2;
			if ((grown = realloc(w->r, w->cap * sizeof(*grown))) ==
			    NULL)
				return (IBX_ENOMEM);
			w->r = grown;
		}
		if ((w->r[i].key = strdup(key)) == NULL)
			return (IBX_ENOMEM);
		w->n++;
	}
	snprintf(w->r[i].fingerprint, SPOKE_FINGERPRINT_LEN, "%s",
		 fingerprint);
	return (IBX_OK);
}

ibx_err
spoke_agent_watch_load(const char *dir, spoke_agent_watch **out)
{
	spoke_agent_watch *w = NULL;
	char path[4096], *line = NULL, *sp;
	size_t cap = 0;
	ssize_t len;
	FILE *f = NULL;
	ibx_err rv = IBX_OK;
	int e;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return (IBX_ENOMEM);
	snprintf(path, sizeof(path), "%s/agent.state", dir);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			goto done;
		e = errno;
		IBX_ERROR("%s: cannot open: %s", path, strerror(e));
		rv = IBX_EIO;
		goto out;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || (sp = strchr(line, ' ')) == NULL ||
		    (size_t)(sp - line) >= SPOKE_FINGERPRINT_LEN ||
		    sp[1] == '\0')
			continue; /* a comment, or not a record */
		*sp = '\0';
		if ((rv = put(w, sp + 1, line)) != IBX_OK)
			goto out;
	}
	if (ferror(f)) {
		e = errno;
		IBX_ERROR("%s: cannot read: %s", path, strerror(e));
		rv = IBX_EIO;
		goto out;
	}
done:
	*out = w;
	w = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(line);
	spoke_agent_watch_free(w);
	return (rv);
}

const char *
spoke_agent_watch_get(const spoke_agent_watch *w, const char *key)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->r[i].key, key) == 0)
			return (w->r[i].fingerprint);
	return (NULL);
}

/* Write every record to DIR/agent.state (held: later). */
static ibx_err
save(spoke_agent_watch *w, spoke_outbox *ob)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;
	ibx_err rv;

	if (w->held) {
		w->dirty = true;
		return (IBX_OK);
	}

	if ((f = open_memstream(&text, &len)) == NULL)
		return (IBX_ENOMEM);
	fprintf(f, "# inbound-spoke run: what was last sealed from each "
		   "source\n");
	for (i = 0; i < w->n; i++)
		fprintf(f, "%s %s\n", w->r[i].fingerprint, w->r[i].key);
	if (fclose(f) != 0) {
		free(text);
		return (IBX_ENOMEM);
	}
	rv = spoke_outbox_put(ob, "agent.state", text, len, 1);
	free(text);
	return (rv);
}

ibx_err
spoke_agent_watch_put(spoke_agent_watch *w, const char *key,
		      const char *fingerprint)
{
	return (put(w, key, fingerprint));
}

ibx_err
spoke_agent_watch_save(spoke_agent_watch *w, spoke_outbox *ob)
{
	return (save(w, ob));
}

void
spoke_agent_watch_hold(spoke_agent_watch *w)
{
	w->held = true;
	w->dirty = false;
}

ibx_err
spoke_agent_watch_release(spoke_agent_watch *w, spoke_outbox *ob, bool keep)
{
	spoke_agent_watch *disk = NULL, tmp;
	ibx_err rv;

	w->held = false;
	if (!w->dirty)
		return (IBX_OK);
	w->dirty = false;
	if (keep)
		return (save(w, ob));
	/* Back to what the file holds. */
	if ((rv = spoke_agent_watch_load(spoke_outbox_dir(ob), &disk)) !=
	    IBX_OK)
		return (rv);
	tmp = *w;
	*w = *disk;
	*disk = tmp;
	spoke_agent_watch_free(disk);
	return (IBX_OK);
}

ibx_err
spoke_agent_watch_set(spoke_agent_watch *w, spoke_outbox *ob, const char *key,
		      const char *fingerprint)
{
	ibx_err rv;

	if ((rv = put(w, key, fingerprint)) != IBX_OK)
		return (rv);
	return (save(w, ob));
}

ibx_err
spoke_agent_watch_forget_cases(spoke_agent_watch *w, spoke_outbox *ob,
			       bool (*present)(const char *name, void *arg),
			       void *arg)
{
	size_t i, kept = 0;
	bool dropped = false;

	for (i = 0; i < w->n; i++) {
		if (strncmp(w->r[i].key, "cases/", 6) == 0 &&
		    !present(w->r[i].key + 6, arg)) {
			free(w->r[i].key);
			dropped = true;
			continue;
		}
		w->r[kept++] = w->r[i];
	}
	w->n = kept;
	return (dropped ? save(w, ob) : IBX_OK);
}

ibx_err
spoke_agent_fingerprint_stat(const char *path, char out[SPOKE_FINGERPRINT_LEN])
{
	struct stat st;
	int e;

	if (stat(path, &st) != 0) {
		e = errno;
		if (e == ENOENT)
			return (IBX_ENOTFOUND);
		IBX_ERROR("%s: cannot stat: %s", path, strerror(e));
		return (IBX_EIO);
	}
	snprintf(out, SPOKE_FINGERPRINT_LEN, "stat:%lld:%lld%09ld:%llu",
		 (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 (long)st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
	return (IBX_OK);
}

ibx_err
spoke_agent_fingerprint_content(const char *path, size_t max_bytes,
				char out[SPOKE_FINGERPRINT_LEN])
{
	uint8_t digest[IBX_SHA256_LEN], *buf = NULL;
	struct stat st;
	size_t have = 0;
	ssize_t got;
	ibx_err rv = IBX_EIO;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		if (e == ENOENT) {
			snprintf(out, SPOKE_FINGERPRINT_LEN, "missing");
			return (IBX_OK);
		}
		IBX_ERROR("%s: cannot open: %s", path, strerror(e));
		return (IBX_EIO);
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		IBX_ERROR("%s: cannot stat: %s", path, strerror(e));
		goto out;
	}
	if ((size_t)st.st_size > max_bytes) {
		close(fd);
		return (spoke_agent_fingerprint_stat(path, out));
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	while (have < (size_t)st.st_size) {
		got = read(fd, buf + have, (size_t)st.st_size - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			IBX_ERROR("%s: cannot read: %s", path, strerror(e));
			goto out;
		}
		if (got == 0)
			break; /* shrank meanwhile: hash what is there */
		have += (size_t)got;
	}
	ibx_sha256(buf, have, digest);
	memcpy(out, "sha256:", 7);
	ibx_hex_encode(digest, IBX_SHA256_LEN, out + 7);
	rv = IBX_OK;
out:
	free(buf);
	close(fd);
	return (rv);
}
