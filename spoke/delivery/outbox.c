/*
 * The durable outbox; see outbox.h.  Every directory is held open and
 * files are named relative to it (openat, renameat, unlinkat), so the
 * directory fsynced is the one the name was changed in.  A rename within
 * one file system is atomic (POSIX rename(2)); it is durable only once
 * the directory holding the new name has been fsynced, which is why every
 * rename and unlink here is followed by an fsync of that directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "civil.h"
#include "log.h"
#include "outbox.h"

struct spoke_outbox {
	char *dir;
	int dirfd;	/* DIR */
	int tmpfd;	/* DIR/tmp */
	int pendingfd;	/* DIR/pending */
	int rejectedfd; /* DIR/rejected */
	int lockfd;	/* DIR/lock, flocked */
	uint64_t last;	/* the largest sequence handed out or found */
	uint64_t bound; /* what DIR/sequence holds (>= last once written) */
	int batch;	/* in a batch (spoke_outbox_batch_begin) */
	uint64_t *unsynced; /* appended in the batch, pending/ not fsynced */
	size_t nunsynced, capunsynced;
};

void
spoke_outbox_name(uint64_t seq, char name[SPOKE_OUTBOX_NAME_LEN])
{
	snprintf(name, SPOKE_OUTBOX_NAME_LEN, "%020" PRIu64 ".env", seq);
}

/* Parse an envelope file name; 0 and *seq when it is one. */
static int
parse_name(const char *name, uint64_t *seq)
{
	uint64_t v = 0;
	size_t i;

	if (strlen(name) != SPOKE_OUTBOX_NAME_LEN - 1 ||
	    strcmp(name + 20, ".env") != 0)
		return (-1);
	for (i = 0; i < 20; i++) {
		if (name[i] < '0' || name[i] > '9' ||
		    v > (UINT64_MAX - (uint64_t)(name[i] - '0')) / 10)
			return (-1);
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	*seq = v;
	return (0);
}

/* fsync directory fd dfd (named sub under the outbox, for messages). */
static ibx_err
sync_dir(const spoke_outbox *ob, int dfd, const char *sub)
{
	int e;

	if (fsync(dfd) != 0) {
		e = errno;
		IBX_ERROR("%s/%s: cannot fsync the directory: %s", ob->dir,
			  sub, strerror(e));
		return (IBX_EIO);
	}
	return (IBX_OK);
}

/* mkdir -p path with mode 0700 for what it creates. */
static ibx_err
make_dirs(const char *path)
{
	char *p = NULL, *s, c;
	ibx_err rv = IBX_OK;
	int e;

	if ((p = strdup(path)) == NULL)
		return (IBX_ENOMEM);
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			e = errno;
			IBX_ERROR("%s: cannot create the directory: %s", p,
				  strerror(e));
			rv = IBX_EIO;
			goto out;
		}
		if ((*s = c) == '\0')
			break;
	}
out:
	free(p);
	return (rv);
}

/* Open (making it if need be) the subdirectory sub of the outbox. */
static ibx_err
open_sub(const spoke_outbox *ob, const char *sub, int *fd)
{
	int e;

	if (mkdirat(ob->dirfd, sub, 0700) != 0 && errno != EEXIST) {
		e = errno;
		IBX_ERROR("%s/%s: cannot create the directory: %s", ob->dir,
			  sub, strerror(e));
		return (IBX_EIO);
	}
	if ((*fd = openat(ob->dirfd, sub,
			  O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = errno;
		IBX_ERROR("%s/%s: cannot open the directory: %s", ob->dir, sub,
			  strerror(e));
		return (IBX_EIO);
	}
	return (IBX_OK);
}

/* The sequences named in directory dfd (a new descriptor is read, dfd is
 * left alone), ascending; path names it in messages. */
static ibx_err
list_fd(int dfd, const char *path, uint64_t **seqs, size_t *n)
{
	DIR *d = NULL;
	struct dirent *de;
	uint64_t *v = NULL, *grown, seq;
	size_t len = 0, cap = 0, i, j;
	ibx_err rv = IBX_OK;
	int fd, e;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(fd)) == NULL) {
		e = errno;
		if (fd >= 0)
			close(fd);
		IBX_ERROR("%s: cannot read the directory: %s", path,
			  strerror(e));
		return (IBX_EIO);
	}
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		if (parse_name(de->d_name, &seq) != 0)
			continue;
		if (len == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL) {
				rv = IBX_ENOMEM;
				goto out;
			}
			v = grown;
		}
		v[len++] = seq;
	}
	if (errno != 0) {
		e = errno;
		IBX_ERROR("%s: cannot read the directory: %s", path,
			  strerror(e));
		rv = IBX_EIO;
		goto out;
	}
	/* Insertion sort: an outbox holds few envelopes. */
	for (i = 1; i < len; i++) {
		seq = v[i];
		for (j = i; j > 0 && v[j - 1] > seq; j--)
			v[j] = v[j - 1];
		v[j] = seq;
	}
	*seqs = v;
	*n = len;
	v = NULL;
out:
	free(v);
	closedir(d);
	return (rv);
}

/* Remove every entry of tmp/: an envelope there was never renamed into
 * pending/, so it was never sent. */
static ibx_err
clean_tmp(const spoke_outbox *ob)
{
	DIR *d = NULL;
	struct dirent *de;
	size_t removed = 0;
	ibx_err rv = IBX_OK;
	int fd, e;

	if ((fd = openat(ob->tmpfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
		0 ||
	    (d = fdopendir(fd)) == NULL) {
		e = errno;
		if (fd >= 0)
			close(fd);
		IBX_ERROR("%s/tmp: cannot read the directory: %s", ob->dir,
			  strerror(e));
		return (IBX_EIO);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(ob->tmpfd, de->d_name, 0) != 0) {
			e = errno;
			IBX_ERROR("%s/tmp/%s: cannot remove: %s", ob->dir,
				  de->d_name, strerror(e));
			rv = IBX_EIO;
			goto out;
		}
		removed++;
	}
	if (removed > 0) {
		IBX_INFO("%s/tmp: removed %zu unfinished file%s (never sent)",
			 ob->dir, removed, removed == 1 ? "" : "s");
		rv = sync_dir(ob, ob->tmpfd, "tmp");
	}
out:
	closedir(d);
	return (rv);
}

/* Read DIR/sequence into *seq (0 when there is none). */
static ibx_err
read_sequence(const spoke_outbox *ob, uint64_t *seq)
{
	char buf[32], *end;
	ssize_t got;
	unsigned long long v;
	int fd, e;

	*seq = 0;
	if ((fd = openat(ob->dirfd, "sequence", O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return (IBX_OK);
		e = errno;
		IBX_ERROR("%s/sequence: cannot open: %s", ob->dir,
			  strerror(e));
		return (IBX_EIO);
	}
	got = read(fd, buf, sizeof(buf) - 1);
	e = errno;
	close(fd);
	if (got < 0) {
		IBX_ERROR("%s/sequence: cannot read: %s", ob->dir,
			  strerror(e));
		return (IBX_EIO);
	}
	buf[got] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (got == 0 || buf[0] < '0' || buf[0] > '9' || errno != 0 ||
	    (*end != '\0' && *end != '\n')) {
		IBX_ERROR(
		    "%s/sequence: not a sequence number (remove the file "
		    "only if no envelope of this organisation was ever "
		    "sent with a later clock)",
		    ob->dir);
		return (IBX_EINVAL);
	}
	*seq = (uint64_t)v;
	return (IBX_OK);
}

/* The largest sequence in directory dfd into *max (unchanged if none). */
static ibx_err
max_in(const spoke_outbox *ob, int dfd, const char *sub, uint64_t *max)
{
	char path[4096];
	uint64_t *seqs = NULL;
	size_t n = 0;
	ibx_err rv;

	snprintf(path, sizeof(path), "%s/%s", ob->dir, sub);
	if ((rv = list_fd(dfd, path, &seqs, &n)) != IBX_OK)
		return (rv);
	if (n > 0 && seqs[n - 1] > *max)
		*max = seqs[n - 1];
	free(seqs);
	return (IBX_OK);
}

ibx_err
spoke_outbox_open(const char *dir, spoke_outbox **out)
{
	spoke_outbox *ob = NULL;
	uint64_t last = 0;
	ibx_err rv;
	int e;

	if ((ob = calloc(1, sizeof(*ob))) == NULL ||
	    (ob->dir = strdup(dir)) == NULL) {
		free(ob);
		return (IBX_ENOMEM);
	}
	ob->dirfd = ob->tmpfd = ob->pendingfd = ob->rejectedfd = ob->lockfd =
	    -1;
	if ((rv = make_dirs(dir)) != IBX_OK)
		goto fail;
	rv = IBX_EIO;
	if ((ob->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = errno;
		IBX_ERROR("%s: cannot open the outbox: %s", dir, strerror(e));
		goto fail;
	}
	if ((ob->lockfd = openat(ob->dirfd, "lock",
				 O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		e = errno;
		IBX_ERROR("%s/lock: cannot open: %s", dir, strerror(e));
		goto fail;
	}
	if (flock(ob->lockfd, LOCK_EX | LOCK_NB) != 0) {
		e = errno;
		if (e == EWOULDBLOCK)
			IBX_ERROR("%s: the outbox is in use by another "
				  "inbound-spoke process",
				  dir);
		else
			IBX_ERROR("%s/lock: cannot lock: %s", dir,
				  strerror(e));
		goto fail;
	}
	if ((rv = open_sub(ob, "tmp", &ob->tmpfd)) != IBX_OK ||
	    (rv = open_sub(ob, SPOKE_OUTBOX_PENDING, &ob->pendingfd)) !=
		IBX_OK ||
	    (rv = open_sub(ob, SPOKE_OUTBOX_REJECTED, &ob->rejectedfd)) !=
		IBX_OK ||
	    (rv = sync_dir(ob, ob->dirfd, ".")) != IBX_OK ||
	    (rv = clean_tmp(ob)) != IBX_OK ||
	    (rv = read_sequence(ob, &last)) != IBX_OK ||
	    (rv = max_in(ob, ob->pendingfd, SPOKE_OUTBOX_PENDING, &last)) !=
		IBX_OK ||
	    (rv = max_in(ob, ob->rejectedfd, SPOKE_OUTBOX_REJECTED, &last)) !=
		IBX_OK)
		goto fail;
	ob->last = last;
	ob->bound = last;
	*out = ob;
	return (IBX_OK);
fail:
	spoke_outbox_close(ob);
	return (rv);
}

void
spoke_outbox_close(spoke_outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->tmpfd >= 0)
		close(ob->tmpfd);
	if (ob->pendingfd >= 0)
		close(ob->pendingfd);
	if (ob->rejectedfd >= 0)
		close(ob->rejectedfd);
	if (ob->lockfd >= 0)
		close(ob->lockfd); /* releases the flock */
	if (ob->dirfd >= 0)
		close(ob->dirfd);
	free(ob->unsynced);
	free(ob->dir);
	free(ob);
}

const char *
spoke_outbox_dir(const spoke_outbox *ob)
{
	return (ob->dir);
}

/* Write len bytes of data to tmp/name (created or truncated) and fsync
 * it.  On failure nothing is left in tmp/. */
static ibx_err
write_tmp(const spoke_outbox *ob, const char *name, const void *data,
	  size_t len, int durable)
{
	const uint8_t *p = data;
	ssize_t w;
	int fd, e;

	if ((fd = openat(ob->tmpfd, name,
			 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0) {
		e = errno;
		IBX_ERROR("%s/tmp/%s: cannot create: %s", ob->dir, name,
			  strerror(e));
		return (IBX_EIO);
	}
	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			IBX_ERROR("%s/tmp/%s: cannot write: %s", ob->dir, name,
				  strerror(e));
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (durable && fsync(fd) != 0) {
		e = errno;
		IBX_ERROR("%s/tmp/%s: cannot fsync: %s", ob->dir, name,
			  strerror(e));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		e = errno;
		IBX_ERROR("%s/tmp/%s: cannot close: %s", ob->dir, name,
			  strerror(e));
		goto fail;
	}
	return (IBX_OK);
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(ob->tmpfd, name, 0);
	return (IBX_EIO);
}

/* Rename tmp/name to name in directory dfd (sub in messages). */
static ibx_err
move_from_tmp(const spoke_outbox *ob, const char *name, int dfd,
	      const char *sub)
{
	int e;

	if (renameat(ob->tmpfd, name, dfd, name) != 0) {
		e = errno;
		IBX_ERROR("%s/tmp/%s: cannot rename into %s/: %s", ob->dir,
			  name, sub, strerror(e));
		unlinkat(ob->tmpfd, name, 0);
		return (IBX_EIO);
	}
	return (IBX_OK);
}

ibx_err
spoke_outbox_put(spoke_outbox *ob, const char *name, const void *data,
		 size_t len, int durable)
{
	ibx_err rv;

	if ((rv = write_tmp(ob, name, data, len, durable)) != IBX_OK ||
	    (rv = move_from_tmp(ob, name, ob->dirfd, ".")) != IBX_OK)
		return (rv);
	return (durable ? sync_dir(ob, ob->dirfd, ".") : IBX_OK);
}

ibx_err
spoke_outbox_sequence(spoke_outbox *ob, uint64_t now_us, uint64_t *seq)
{
	char text[32];
	uint64_t s, bound;
	int n;
	ibx_err rv;

	if (ob->last >= (uint64_t)INT64_MAX) {
		IBX_ERROR("%s/sequence: no sequence number is left", ob->dir);
		return (IBX_ETOOBIG);
	}
	/* In a batch, the next number of the block DIR/sequence already
	 * covers, without the clock and without a write. */
	if (ob->batch && ob->last < ob->bound) {
		ob->last++;
		*seq = ob->last;
		return (IBX_OK);
	}
	s = now_us > ob->last ? now_us : ob->last + 1;
	if (s > (uint64_t)INT64_MAX)
		s = (uint64_t)INT64_MAX;
	bound = s;
	if (ob->batch)
		bound = s > (uint64_t)INT64_MAX - SPOKE_OUTBOX_SEQUENCE_BLOCK
			    ? (uint64_t)INT64_MAX
			    : s + SPOKE_OUTBOX_SEQUENCE_BLOCK;
	n = snprintf(text, sizeof(text), "%" PRIu64 "\n", bound);
	if ((rv = spoke_outbox_put(ob, "sequence", text, (size_t)n, 1)) !=
	    IBX_OK)
		return (rv);
	ob->bound = bound;
	ob->last = s;
	*seq = s;
	return (IBX_OK);
}

ibx_err
spoke_outbox_append(spoke_outbox *ob, uint64_t seq, const ibx_bytes *envelope)
{
	char name[SPOKE_OUTBOX_NAME_LEN];
	ibx_err rv;

	if (envelope->len > IBX_WIRE_MAX_MESSAGE) {
		IBX_ERROR(
		    "%s: an envelope of %zu bytes is more than a message "
		    "may carry (%d)",
		    ob->dir, envelope->len, IBX_WIRE_MAX_MESSAGE);
		return (IBX_ETOOBIG);
	}
	spoke_outbox_name(seq, name);
	if ((rv = write_tmp(ob, name, envelope->data, envelope->len, 1)) !=
		IBX_OK ||
	    (rv = move_from_tmp(ob, name, ob->pendingfd,
				SPOKE_OUTBOX_PENDING)) != IBX_OK)
		return (rv);
	spoke_outbox_crash_point("after-rename");
	if (ob->batch) {
		if (ob->nunsynced == ob->capunsynced) {
			size_t cap =
			    ob->capunsynced ? ob->capunsynced * 2 : 32;
			uint64_t *v = realloc(ob->unsynced, cap * sizeof(*v));

			if (v == NULL) {
				unlinkat(ob->pendingfd, name, 0);
				return (IBX_ENOMEM);
			}
			ob->unsynced = v;
			ob->capunsynced = cap;
		}
		ob->unsynced[ob->nunsynced++] = seq;
	} else if ((rv = sync_dir(ob, ob->pendingfd, SPOKE_OUTBOX_PENDING)) !=
		   IBX_OK) {
		/* Not known to be durable: do not send it. */
		unlinkat(ob->pendingfd, name, 0);
		return (rv);
	}
	if (seq > ob->last)
		ob->last = seq;
	return (IBX_OK);
}

void
spoke_outbox_batch_begin(spoke_outbox *ob)
{
	ob->batch = 1;
	ob->nunsynced = 0;
}

ibx_err
spoke_outbox_batch_end(spoke_outbox *ob)
{
	char name[SPOKE_OUTBOX_NAME_LEN];
	size_t i;
	ibx_err rv = IBX_OK;

	ob->batch = 0;
	if (ob->nunsynced == 0)
		return (IBX_OK);
	if ((rv = sync_dir(ob, ob->pendingfd, SPOKE_OUTBOX_PENDING)) != IBX_OK)
		/* Not known to be durable: none of them may be sent. */
		for (i = 0; i < ob->nunsynced; i++) {
			spoke_outbox_name(ob->unsynced[i], name);
			unlinkat(ob->pendingfd, name, 0);
		}
	ob->nunsynced = 0;
	return (rv);
}

ibx_err
spoke_outbox_pending(spoke_outbox *ob, uint64_t **seqs, size_t *n)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", ob->dir, SPOKE_OUTBOX_PENDING);
	return (list_fd(ob->pendingfd, path, seqs, n));
}

ibx_err
spoke_outbox_list(const char *dir, const char *sub, uint64_t **seqs, size_t *n)
{
	char path[4096];
	ibx_err rv;
	int fd, e;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT) {
			*seqs = NULL;
			*n = 0;
			return (IBX_OK);
		}
		e = errno;
		IBX_ERROR("%s: cannot open the directory: %s", path,
			  strerror(e));
		return (IBX_EIO);
	}
	rv = list_fd(fd, path, seqs, n);
	close(fd);
	return (rv);
}

ibx_err
spoke_outbox_read(spoke_outbox *ob, uint64_t seq, ibx_bytes *envelope)
{
	char name[SPOKE_OUTBOX_NAME_LEN];
	struct stat st;
	uint8_t *buf = NULL;
	size_t have = 0;
	ssize_t got;
	ibx_err rv = IBX_EIO;
	int fd, e;

	spoke_outbox_name(seq, name);
	if ((fd = openat(ob->pendingfd, name, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		if (e == ENOENT)
			return (IBX_ENOTFOUND);
		IBX_ERROR("%s/pending/%s: cannot open: %s", ob->dir, name,
			  strerror(e));
		return (IBX_EIO);
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		IBX_ERROR("%s/pending/%s: cannot stat: %s", ob->dir, name,
			  strerror(e));
		goto out;
	}
	if (st.st_size > IBX_WIRE_MAX_MESSAGE) {
		IBX_ERROR("%s/pending/%s: %lld bytes, more than a message may "
			  "carry",
			  ob->dir, name, (long long)st.st_size);
		rv = IBX_ETOOBIG;
		goto out;
	}
	if ((buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	while (have < (size_t)st.st_size) {
		got = read(fd, buf + have, (size_t)st.st_size - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			e = got < 0 ? errno : EIO;
			IBX_ERROR("%s/pending/%s: cannot read: %s", ob->dir,
				  name, strerror(e));
			goto out;
		}
		have += (size_t)got;
	}
	envelope->data = buf;
	envelope->len = have;
	buf = NULL;
	rv = IBX_OK;
out:
	free(buf);
	close(fd);
	return (rv);
}

ibx_err
spoke_outbox_remove(spoke_outbox *ob, uint64_t seq)
{
	char name[SPOKE_OUTBOX_NAME_LEN];
	int e;

	spoke_outbox_name(seq, name);
	if (unlinkat(ob->pendingfd, name, 0) != 0) {
		e = errno;
		if (e == ENOENT)
			return (IBX_ENOTFOUND);
		IBX_ERROR("%s/pending/%s: cannot remove: %s", ob->dir, name,
			  strerror(e));
		return (IBX_EIO);
	}
	/* pending/ is not fsynced (outbox.h): what a crash of the machine
	 * brings back is sent again and answered as a duplicate. */
	return (IBX_OK);
}

ibx_err
spoke_outbox_reject(spoke_outbox *ob, uint64_t seq, const ibx_ack *ack)
{
	char name[SPOKE_OUTBOX_NAME_LEN], reason_name[40], when[32];
	char text[sizeof(ack->error) + 256];
	struct timespec ts;
	int n, e;
	ibx_err rv;

	spoke_outbox_name(seq, name);
	snprintf(reason_name, sizeof(reason_name), "%020" PRIu64 ".reason",
		 seq);
	clock_gettime(CLOCK_REALTIME, &ts);
	ibx_time_format_ms((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
			   when);
	n = snprintf(text, sizeof(text),
		     "sequence: %" PRIu64 "\nstatus: %s\ncode: %d\ntime: "
		     "%s\nerror: %.*s\n",
		     seq, ibx_ack_status_name(ack->status), (int)ack->status,
		     when, (int)strnlen(ack->error, sizeof(ack->error)),
		     ack->error);
	if (n < 0 || (size_t)n >= sizeof(text))
		n = (int)strlen(text);
	/* The reason first: a crash before the envelope moves leaves it
	 * pending, to be sent and refused again. */
	if ((rv = write_tmp(ob, reason_name, text, (size_t)n, 1)) != IBX_OK ||
	    (rv = move_from_tmp(ob, reason_name, ob->rejectedfd,
				SPOKE_OUTBOX_REJECTED)) != IBX_OK)
		return (rv);
	if (renameat(ob->pendingfd, name, ob->rejectedfd, name) != 0) {
		e = errno;
		if (e == ENOENT)
			return (IBX_ENOTFOUND);
		IBX_ERROR("%s/pending/%s: cannot move to rejected/: %s",
			  ob->dir, name, strerror(e));
		return (IBX_EIO);
	}
	if ((rv = sync_dir(ob, ob->rejectedfd, SPOKE_OUTBOX_REJECTED)) !=
	    IBX_OK)
		return (rv);
	return (sync_dir(ob, ob->pendingfd, SPOKE_OUTBOX_PENDING));
}

#ifdef IBX_TEST_HOOKS
void
spoke_outbox_crash_point(const char *point)
{
	const char *at = getenv("IBX_SPOKE_CRASH_AT");

	if (at != NULL && strcmp(at, point) == 0) {
		IBX_WARN("IBX_SPOKE_CRASH_AT=%s: crashing on purpose", point);
		_exit(137);
	}
}
#endif
