/*
 * The package writer (package.h): a directory -> the clear stream
 * (manifest, then the files) -> encrypted chunk files.  Two passes over
 * the files: the first hashes them for the manifest, which comes first in
 * the stream; the second streams them into the encryptor, checking that
 * each is still the file it hashed (inode, size, times), so a file that
 * changed in between is refused rather than sent with a manifest that does
 * not match it.  One chunk in memory at a time.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "package.h"
#include "package_int.h"

struct entry {
	char *name; /* relative */
	uint64_t size;
	uint8_t sha256[IBX_SHA256_BYTES];
	struct stat seen; /* when it was hashed */
};

struct walk {
	const char *root;
	struct entry *v;
	size_t n, cap;
	char *err;
	size_t errn;
};

/* The encrypting end of the stream. */
struct emit {
	const char *dir; /* the .part folder */
	uint8_t *clear;	 /* IBX_CHUNK_CLEAR_MAX */
	uint8_t *ct;	 /* IBX_CHUNK_CIPHER_MAX */
	size_t fill;
	uint64_t emitted, total; /* clear bytes */
	ibx_seal_stream *enc;
	ibx_sha256_stream *chunks; /* over the chunks' SHA-256 */
	uint32_t index;
	uint64_t package_bytes;
};

static int
entry_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct entry *)a)->name,
		       ((const struct entry *)b)->name));
}

static void
entries_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].name);
	free(w->v);
	w->v = NULL;
	w->n = w->cap = 0;
}

static ibx_err
walk_add(struct walk *w, const char *rel, uint64_t size)
{
	char shown[64];

	if (w->n >= IBX_PACKAGE_FILES_MAX) {
		snprintf(w->err, w->errn,
			 "file %s: more than %d files in the package",
			 pkg_shown(rel, strlen(rel), shown, sizeof(shown)),
			 IBX_PACKAGE_FILES_MAX);
		return (IBX_EINVAL);
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct entry *v = realloc(w->v, cap * sizeof(*v));

		if (v == NULL)
			return (IBX_ENOMEM);
		w->v = v;
		w->cap = cap;
	}
	if ((w->v[w->n].name = strdup(rel)) == NULL)
		return (IBX_ENOMEM);
	w->v[w->n].size = size;
	w->n++;
	return (IBX_OK);
}

/* Every regular file under root/rel ("" for root itself). */
static ibx_err
walk_dir(struct walk *w, const char *rel)
{
	char path[PATH_MAX], child[IBX_PACKAGE_NAME_MAX + 2], shown[64];
	struct dirent *de;
	struct stat sb;
	DIR *d = NULL;
	ibx_err rv = IBX_OK;
	int len;

	snprintf(path, sizeof(path), "%s%s%s", w->root, *rel ? "/" : "", rel);
	if ((d = opendir(path)) == NULL) {
		snprintf(w->err, w->errn, "folder \"%s\": %s", path,
			 strerror(errno));
		return (IBX_EIO);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		len = snprintf(child, sizeof(child), "%s%s%s", rel,
			       *rel ? "/" : "", de->d_name);
		if (len < 0 || (size_t)len > IBX_PACKAGE_NAME_MAX) {
			snprintf(w->err, w->errn,
				 "file %s: name longer than %d bytes",
				 pkg_shown(child, strlen(child), shown,
					   sizeof(shown)),
				 IBX_PACKAGE_NAME_MAX);
			rv = IBX_EINVAL;
			goto out;
		}
		if (!ibx_package_name_valid(child, (size_t)len)) {
			snprintf(w->err, w->errn,
				 "file %s: name has a control character",
				 pkg_shown(child, (size_t)len, shown,
					   sizeof(shown)));
			rv = IBX_EINVAL;
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", w->root, child);
		if (lstat(path, &sb) != 0) {
			snprintf(w->err, w->errn, "file \"%s\": %s", child,
				 strerror(errno));
			rv = IBX_EIO;
			goto out;
		}
		if (S_ISLNK(sb.st_mode)) {
			snprintf(w->err, w->errn,
				 "file \"%s\": is a symbolic link (packages "
				 "hold regular files only)",
				 child);
			rv = IBX_EINVAL;
		} else if (S_ISDIR(sb.st_mode))
			rv = walk_dir(w, child);
		else if (S_ISREG(sb.st_mode))
			rv = walk_add(w, child, (uint64_t)sb.st_size);
		else {
			snprintf(w->err, w->errn,
				 "file \"%s\": is not a regular file", child);
			rv = IBX_EINVAL;
		}
		if (rv != IBX_OK)
			goto out;
	}
out:
	closedir(d);
	return (rv);
}

/* Open root/name for reading, refusing a link put there since the walk. */
static int
open_entry(const char *root, const struct entry *e, struct stat *sbp,
	   char *err, size_t n)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, e->name);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		snprintf(err, n, "file \"%s\": %s", e->name, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, n, "file \"%s\": is not a regular file",
			 e->name);
		close(fd);
		return (-1);
	}
	*sbp = sb;
	return (fd);
}

/* True when a and b are the same file, unchanged: inode, size, and the
 * modification and change times (nanoseconds), as rsync and git judge. */
static bool
same_file(const struct stat *a, const struct stat *b)
{
	return (a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
		a->st_size == b->st_size &&
		a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
		a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
		a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
		a->st_ctim.tv_nsec == b->st_ctim.tv_nsec);
}

/* Pass 1: the SHA-256 of every file, in buf (IBX_CHUNK_CLEAR_MAX). */
static ibx_err
hash_files(struct walk *w, ibx_sha256_stream *h, uint8_t *buf)
{
	struct stat after;
	size_t i;
	uint64_t got;
	ssize_t r;
	int fd;

	for (i = 0; i < w->n; i++) {
		struct entry *e = &w->v[i];

		if ((fd = open_entry(w->root, e, &e->seen, w->err, w->errn)) <
		    0)
			return (IBX_EIO);
		got = 0;
		while ((r = read(fd, buf, IBX_CHUNK_CLEAR_MAX)) > 0) {
			ibx_sha256_stream_update(h, buf, (size_t)r);
			got += (uint64_t)r;
		}
		if (fstat(fd, &after) != 0 || !same_file(&after, &e->seen))
			got = UINT64_MAX; /* changed while it was read */
		close(fd);
		if (r < 0) {
			snprintf(w->err, w->errn, "file \"%s\": %s", e->name,
				 strerror(errno));
			return (IBX_EIO);
		}
		ibx_sha256_stream_final(h, e->sha256);
		e->size = got;
		if (got != (uint64_t)e->seen.st_size) {
			snprintf(w->err, w->errn,
				 "file \"%s\": changed while it was read",
				 e->name);
			return (IBX_EINVAL);
		}
	}
	return (IBX_OK);
}

/* Encrypt the buffer as the next chunk and write its file. */
static ibx_err
emit_flush(struct emit *e, char *err, size_t n)
{
	char path[PATH_MAX];
	uint8_t sha[IBX_SHA256_LEN];
	size_t len, off = 0;
	ssize_t w;
	ibx_err rv;
	int fd;

	if (e->fill == 0)
		return (IBX_OK);
	if ((rv = ibx_seal_encrypt_chunk(e->enc, e->clear, e->fill,
					 e->emitted == e->total, e->ct,
					 &len)) != IBX_OK) {
		snprintf(err, n, "chunk %u: cannot encrypt", e->index);
		return (rv);
	}
	ibx_sha256(e->ct, len, sha);
	ibx_sha256_stream_update(e->chunks, sha, sizeof(sha));
	if ((rv = ibx_package_chunk_path(e->dir, e->index, path,
					 sizeof(path))) != IBX_OK) {
		snprintf(err, n, "chunk %u: path too long", e->index);
		return (rv);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) <
	    0) {
		snprintf(err, n, "chunk %u: %s", e->index, strerror(errno));
		return (IBX_EIO);
	}
	while (off < len) {
		if ((w = write(fd, e->ct + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, n, "chunk %u: %s", e->index,
				 strerror(errno));
			close(fd);
			return (IBX_EIO);
		}
		off += (size_t)w;
	}
	pkg_start_writeback(fd, 0, len);
	if (close(fd) != 0) {
		snprintf(err, n, "chunk %u: %s", e->index, strerror(errno));
		return (IBX_EIO);
	}
	e->package_bytes += len;
	e->index++;
	e->fill = 0;
	return (IBX_OK);
}

/* Append len bytes of the clear stream. */
static ibx_err
emit_bytes(struct emit *e, const uint8_t *p, size_t len, char *err, size_t n)
{
	ibx_err rv;

	while (len > 0) {
		size_t k = IBX_CHUNK_CLEAR_MAX - e->fill;

		if (k > len)
			k = len;
		memcpy(e->clear + e->fill, p, k);
		e->fill += k;
		e->emitted += k;
		p += k;
		len -= k;
		if ((e->fill == IBX_CHUNK_CLEAR_MAX ||
		     e->emitted == e->total) &&
		    (rv = emit_flush(e, err, n)) != IBX_OK)
			return (rv);
	}
	return (IBX_OK);
}

static ibx_err
emit_manifest(struct emit *e, const struct walk *w, char *err, size_t n)
{
	uint8_t head[PKG_HEAD_LEN], meta[2 + PKG_META_LEN];
	size_t i, len;
	ibx_err rv;

	memcpy(head, IBX_PACKAGE_TAG, PKG_TAG_LEN);
	pkg_put_be32(head + PKG_TAG_LEN, (uint32_t)w->n);
	if ((rv = emit_bytes(e, head, sizeof(head), err, n)) != IBX_OK)
		return (rv);
	for (i = 0; i < w->n; i++) {
		len = strlen(w->v[i].name);
		pkg_put_be16(meta, (uint16_t)len);
		if ((rv = emit_bytes(e, meta, 2, err, n)) != IBX_OK ||
		    (rv = emit_bytes(e, (const uint8_t *)w->v[i].name, len,
				     err, n)) != IBX_OK)
			return (rv);
		pkg_put_be64(meta, w->v[i].size);
		memcpy(meta + 8, w->v[i].sha256, IBX_SHA256_BYTES);
		if ((rv = emit_bytes(e, meta, PKG_META_LEN, err, n)) != IBX_OK)
			return (rv);
	}
	return (IBX_OK);
}

/* Pass 2: each file into the stream, read straight into the chunk.  A
 * file is not hashed again: it must be the same file, unchanged since
 * pass 1 (same_file), before and after it is read.  Should it change
 * anyway within the clock's resolution, the receiver's SHA-256 check
 * refuses the package; nothing wrong is ever accepted. */
static ibx_err
emit_files(struct emit *e, const struct walk *w, char *err, size_t n)
{
	struct stat sb;
	uint64_t left;
	size_t i, k;
	ssize_t r;
	ibx_err rv = IBX_OK;
	int fd = -1;

	for (i = 0; i < w->n; i++) {
		const struct entry *en = &w->v[i];

		if ((fd = open_entry(w->root, en, &sb, err, n)) < 0)
			return (IBX_EIO);
		if (!same_file(&sb, &en->seen))
			goto changed;
		for (left = en->size; left > 0; left -= (uint64_t)r) {
			k = IBX_CHUNK_CLEAR_MAX - e->fill;
			if (k > left)
				k = (size_t)left;
			if ((r = read(fd, e->clear + e->fill, k)) <= 0) {
				if (r < 0 && errno == EINTR) {
					r = 0;
					continue;
				}
				if (r == 0)
					goto changed;
				snprintf(err, n, "file \"%s\": %s", en->name,
					 strerror(errno));
				rv = IBX_EIO;
				goto out;
			}
			e->fill += (size_t)r;
			e->emitted += (uint64_t)r;
			if ((e->fill == IBX_CHUNK_CLEAR_MAX ||
			     e->emitted == e->total) &&
			    (rv = emit_flush(e, err, n)) != IBX_OK)
				goto out;
		}
		if (fstat(fd, &sb) != 0 || !same_file(&sb, &en->seen))
			goto changed;
		close(fd);
		fd = -1;
	}
	return (IBX_OK);
changed:
	snprintf(err, n, "file \"%s\": changed while it was read",
		 w->v[i].name);
	rv = IBX_EINVAL;
out:
	if (fd >= 0)
		close(fd);
	return (rv);
}

ibx_err
ibx_package_seal(const char *dir,
		 const uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN],
		 const char *out_dir, ibx_package_meta *meta, char *err,
		 size_t n)
{
	struct walk w = {dir, NULL, 0, 0, err, n};
	struct emit e;
	ibx_package_meta m;
	ibx_sha256_stream *h = NULL;
	uint8_t key[IBX_CONTENT_KEY_LEN];
	char part[PATH_MAX];
	struct stat sb;
	uint64_t total;
	bool made = false;
	size_t i;
	ibx_err rv;

	memset(&e, 0, sizeof(e));
	memset(&m, 0, sizeof(m));
	err[0] = '\0';
	if (snprintf(part, sizeof(part), "%s.part", out_dir) >=
	    (int)sizeof(part)) {
		snprintf(err, n, "folder \"%s\": path too long", out_dir);
		return (IBX_EINVAL);
	}
	if (lstat(out_dir, &sb) == 0) {
		snprintf(err, n, "folder \"%s\": exists already", out_dir);
		return (IBX_EINVAL);
	}
	if ((rv = walk_dir(&w, "")) != IBX_OK)
		goto out;
	if (w.n == 0) {
		snprintf(err, n, "folder \"%s\": holds no file", dir);
		rv = IBX_EINVAL;
		goto out;
	}
	qsort(w.v, w.n, sizeof(*w.v), entry_cmp);
	e.clear = malloc(IBX_CHUNK_CLEAR_MAX);
	e.ct = malloc(IBX_CHUNK_CIPHER_MAX);
	if (e.clear == NULL || e.ct == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if ((rv = ibx_sha256_stream_new(&h)) != IBX_OK ||
	    (rv = ibx_sha256_stream_new(&e.chunks)) != IBX_OK ||
	    (rv = hash_files(&w, h, e.clear)) != IBX_OK)
		goto out;
	total = PKG_HEAD_LEN;
	for (i = 0; i < w.n; i++)
		total += 2 + strlen(w.v[i].name) + PKG_META_LEN + w.v[i].size;
	if ((total + IBX_CHUNK_CLEAR_MAX - 1) / IBX_CHUNK_CLEAR_MAX >
	    IBX_REFERRAL_CHUNKS_MAX) {
		snprintf(err, n,
			 "package of %llu bytes: more than %u chunks of %d "
			 "bytes",
			 (unsigned long long)total, IBX_REFERRAL_CHUNKS_MAX,
			 IBX_CHUNK_CLEAR_MAX);
		rv = IBX_EINVAL;
		goto out;
	}
	e.total = total;
	e.dir = part;
	/* A .part folder left by a crash is ours to replace. */
	pkg_remove_tree(part);
	if (mkdir(part, 0700) != 0) {
		snprintf(err, n, "folder \"%s\": %s", part, strerror(errno));
		rv = IBX_EIO;
		goto out;
	}
	made = true;
	if ((rv = ibx_seal_content_key_new(key)) != IBX_OK ||
	    (rv = ibx_seal_content_key(key, public_key, m.sealed_key)) !=
		IBX_OK ||
	    (rv = ibx_seal_encryptor_new(key, m.stream_header, &e.enc)) !=
		IBX_OK) {
		snprintf(err, n, "cannot seal the content key");
		goto out;
	}
	if ((rv = emit_manifest(&e, &w, err, n)) != IBX_OK ||
	    (rv = emit_files(&e, &w, err, n)) != IBX_OK)
		goto out;
	if (e.emitted != e.total || e.fill != 0) {
		snprintf(err, n, "package: %llu of %llu bytes written",
			 (unsigned long long)e.emitted,
			 (unsigned long long)e.total);
		rv = IBX_EIO;
		goto out;
	}
	if ((rv = pkg_sync_tree(part, err, n)) != IBX_OK ||
	    (rv = pkg_rename_new(part, out_dir, err, n)) != IBX_OK)
		goto out;
	made = false;
	ibx_seal_key_id(public_key, m.key_id);
	m.chunk_count = e.index;
	m.package_bytes = e.package_bytes;
	ibx_sha256_stream_final(e.chunks, m.chunks_sha256);
	m.clear_bytes = e.total;
	m.files = (uint32_t)w.n;
	*meta = m;
out:
	explicit_bzero(key, sizeof(key));
	if (made)
		pkg_remove_tree(part);
	ibx_seal_stream_free(e.enc);
	ibx_sha256_stream_free(e.chunks);
	ibx_sha256_stream_free(h);
	if (e.clear != NULL)
		explicit_bzero(e.clear, IBX_CHUNK_CLEAR_MAX);
	free(e.clear);
	free(e.ct);
	entries_free(&w);
	return (rv);
}

void
ibx_package_meta_to_referral(const ibx_package_meta *meta, ibx_referral *r)
{
	memcpy(r->key_id, meta->key_id, sizeof(r->key_id));
	memcpy(r->sealed_key, meta->sealed_key, sizeof(r->sealed_key));
	memcpy(r->stream_header, meta->stream_header,
	       sizeof(r->stream_header));
	r->chunk_count = meta->chunk_count;
	r->package_bytes = meta->package_bytes;
	memcpy(r->chunks_sha256, meta->chunks_sha256,
	       sizeof(r->chunks_sha256));
}
