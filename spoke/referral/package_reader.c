/*
 * The package reader (package.h): encrypted chunks, in order -> verified
 * clear stream -> the manifest and the files, written into a temporary
 * folder that becomes out_dir only when everything verified.  A chunk is
 * decrypted into one buffer and parsed at once; the manifest's entries
 * are the only state that grows (at most IBX_PACKAGE_FILES_MAX).
 */
#define _GNU_SOURCE
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

enum phase {
	P_HEAD,	   /* the tag and the count */
	P_NAMELEN, /* a name's length */
	P_NAME,
	P_META, /* size and SHA-256 */
	P_FILES,
	P_DONE,
};

struct entry {
	char *name;
	uint64_t size;
	uint8_t sha256[IBX_SHA256_BYTES];
};

struct ibx_package_reader {
	ibx_seal_stream *dec;
	ibx_sha256_stream *chunks; /* over the chunks' SHA-256 */
	ibx_sha256_stream *file;   /* the file being written */
	uint32_t chunk_count, next;
	uint64_t package_bytes, ct_bytes, clear_bytes;
	uint8_t chunks_sha256[IBX_SHA256_BYTES];
	char *out_dir, *tmp;
	uint8_t *clear;
	bool failed, done;
	/* Parsing. */
	enum phase phase;
	uint8_t part[IBX_PACKAGE_NAME_MAX + 1];
	size_t need, have;
	uint32_t nfiles;
	struct entry *v;
	size_t n;
	size_t cur; /* file being written */
	uint64_t left;
	int fd;
};

static void
fail(ibx_package_reader *pr)
{
	pr->failed = true;
	if (pr->fd >= 0) {
		close(pr->fd);
		pr->fd = -1;
	}
	if (pr->tmp != NULL)
		pkg_remove_tree(pr->tmp);
}

static void
expect(ibx_package_reader *pr, enum phase p, size_t need)
{
	pr->phase = p;
	pr->need = need;
	pr->have = 0;
}

/* Make the folders of name (relative, valid) under the temporary folder;
 * each must be a folder we made, never a file or a link. */
static ibx_err
make_parents(ibx_package_reader *pr, const char *name, char *err, size_t n)
{
	char path[PATH_MAX];
	const char *slash;
	struct stat sb;
	int base = snprintf(path, sizeof(path), "%s/", pr->tmp);

	for (slash = strchr(name, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		snprintf(path + base, sizeof(path) - (size_t)base, "%.*s",
			 (int)(slash - name), name);
		if (mkdir(path, 0700) == 0)
			continue;
		if (errno != EEXIST || lstat(path, &sb) != 0 ||
		    !S_ISDIR(sb.st_mode)) {
			snprintf(err, n,
				 "file \"%s\": its folder \"%.*s\" cannot be "
				 "made",
				 name, (int)(slash - name), name);
			return (IBX_EINVAL);
		}
	}
	return (IBX_OK);
}

/* Verify and close the file being written. */
static ibx_err
file_end(ibx_package_reader *pr, char *err, size_t n)
{
	const struct entry *e = &pr->v[pr->cur];
	uint8_t sha[IBX_SHA256_BYTES];

	ibx_sha256_stream_final(pr->file, sha);
	if (close(pr->fd) != 0) {
		pr->fd = -1;
		snprintf(err, n, "file \"%s\": %s", e->name, strerror(errno));
		return (IBX_EIO);
	}
	pr->fd = -1;
	if (memcmp(sha, e->sha256, sizeof(sha)) != 0) {
		snprintf(err, n,
			 "file \"%s\": SHA-256 does not match the manifest",
			 e->name);
		return (IBX_EINVAL);
	}
	pr->cur++;
	return (IBX_OK);
}

/* Open the next file; files of size 0 are made and verified at once. */
static ibx_err
file_begin(ibx_package_reader *pr, char *err, size_t n)
{
	char path[PATH_MAX];
	ibx_err rv;

	while (pr->cur < pr->n) {
		const struct entry *e = &pr->v[pr->cur];

		if ((rv = make_parents(pr, e->name, err, n)) != IBX_OK)
			return (rv);
		snprintf(path, sizeof(path), "%s/%s", pr->tmp, e->name);
		pr->fd = open(
		    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (pr->fd < 0) {
			int en = errno;

			snprintf(err, n, "file \"%s\": %s", e->name,
				 strerror(en));
			return (en == EEXIST || en == EISDIR ? IBX_EINVAL
							     : IBX_EIO);
		}
		pr->left = e->size;
		if (pr->left > 0)
			return (IBX_OK);
		if ((rv = file_end(pr, err, n)) != IBX_OK)
			return (rv);
	}
	pr->phase = P_DONE;
	return (IBX_OK);
}

/* A whole part of the manifest is in pr->part. */
static ibx_err
manifest_part(ibx_package_reader *pr, char *err, size_t n)
{
	struct entry *e;
	char shown[64];
	size_t len;

	switch (pr->phase) {
	case P_HEAD:
		if (memcmp(pr->part, IBX_PACKAGE_TAG, PKG_TAG_LEN) != 0) {
			snprintf(err, n, "package: not an %s stream",
				 IBX_PACKAGE_TAG);
			return (IBX_EINVAL);
		}
		pr->nfiles = pkg_get_be32(pr->part + PKG_TAG_LEN);
		if (pr->nfiles == 0 || pr->nfiles > IBX_PACKAGE_FILES_MAX) {
			snprintf(err, n, "package: %u files, not 1 to %d",
				 pr->nfiles, IBX_PACKAGE_FILES_MAX);
			return (IBX_EINVAL);
		}
		if ((pr->v = calloc(pr->nfiles, sizeof(*pr->v))) == NULL)
			return (IBX_ENOMEM);
		expect(pr, P_NAMELEN, 2);
		return (IBX_OK);
	case P_NAMELEN:
		len = pkg_get_be16(pr->part);
		if (len == 0 || len > IBX_PACKAGE_NAME_MAX) {
			snprintf(err, n,
				 "package: file %zu: name of %zu bytes", pr->n,
				 len);
			return (IBX_EINVAL);
		}
		expect(pr, P_NAME, len);
		return (IBX_OK);
	case P_NAME:
		if (!ibx_package_name_valid((const char *)pr->part,
					    pr->have)) {
			snprintf(err, n,
				 "package: file %s: name refused (absolute, "
				 "\"..\", empty or control characters)",
				 pkg_shown((const char *)pr->part, pr->have,
					   shown, sizeof(shown)));
			return (IBX_EINVAL);
		}
		pr->part[pr->have] = '\0';
		/* Names come in strictly increasing order: no duplicates. */
		if (pr->n > 0 && strcmp((const char *)pr->part,
					pr->v[pr->n - 1].name) <= 0) {
			snprintf(err, n,
				 "package: file %s: repeated or out of order",
				 pkg_shown((const char *)pr->part, pr->have,
					   shown, sizeof(shown)));
			return (IBX_EINVAL);
		}
		if ((pr->v[pr->n].name = strdup((const char *)pr->part)) ==
		    NULL)
			return (IBX_ENOMEM);
		pr->n++;
		expect(pr, P_META, PKG_META_LEN);
		return (IBX_OK);
	case P_META:
		e = &pr->v[pr->n - 1];
		e->size = pkg_get_be64(pr->part);
		memcpy(e->sha256, pr->part + 8, IBX_SHA256_BYTES);
		if (pr->n < pr->nfiles) {
			expect(pr, P_NAMELEN, 2);
			return (IBX_OK);
		}
		pr->phase = P_FILES;
		pr->cur = 0;
		return (file_begin(pr, err, n));
	default:
		return (IBX_EINVAL);
	}
}

/* Parse len bytes of clear stream. */
static ibx_err
parse(ibx_package_reader *pr, const uint8_t *p, size_t len, char *err,
      size_t n)
{
	size_t k;
	ssize_t w;
	ibx_err rv;

	while (len > 0) {
		switch (pr->phase) {
		case P_DONE:
			snprintf(err, n, "package: bytes after the last file");
			return (IBX_EINVAL);
		case P_FILES:
			k = len < pr->left ? len : (size_t)pr->left;
			if ((w = write(pr->fd, p, k)) < 0) {
				if (errno == EINTR)
					continue;
				snprintf(err, n, "file \"%s\": %s",
					 pr->v[pr->cur].name, strerror(errno));
				return (IBX_EIO);
			}
			ibx_sha256_stream_update(pr->file, p, (size_t)w);
			pkg_start_writeback(pr->fd,
					    pr->v[pr->cur].size - pr->left,
					    (uint64_t)w);
			p += w;
			len -= (size_t)w;
			pr->left -= (uint64_t)w;
			pr->clear_bytes += (uint64_t)w;
			if (pr->left == 0 &&
			    ((rv = file_end(pr, err, n)) != IBX_OK ||
			     (rv = file_begin(pr, err, n)) != IBX_OK))
				return (rv);
			break;
		default:
			k = pr->need - pr->have;
			if (k > len)
				k = len;
			memcpy(pr->part + pr->have, p, k);
			pr->have += k;
			p += k;
			len -= k;
			if (pr->have == pr->need &&
			    (rv = manifest_part(pr, err, n)) != IBX_OK)
				return (rv);
			break;
		}
	}
	return (IBX_OK);
}

ibx_err
ibx_package_reader_new(const ibx_referral *r, const ibx_seal_keypair *kp,
		       const char *out_dir, ibx_package_reader **out,
		       char *err, size_t n)
{
	ibx_package_reader *pr = NULL;
	uint8_t key[IBX_CONTENT_KEY_LEN];
	char kid[IBX_KEY_ID_HEX + 1];
	struct stat sb;
	ibx_err rv;

	err[0] = '\0';
	if (lstat(out_dir, &sb) == 0) {
		snprintf(err, n, "folder \"%s\": exists already", out_dir);
		return (IBX_EINVAL);
	}
	if (r->chunk_count == 0 || r->chunk_count > IBX_REFERRAL_CHUNKS_MAX) {
		snprintf(err, n, "referral: chunk_count %u", r->chunk_count);
		return (IBX_EINVAL);
	}
	/* A reader killed part-way left decrypted files: gone now. */
	pkg_remove_leftovers(out_dir);
	if ((pr = calloc(1, sizeof(*pr))) == NULL)
		return (IBX_ENOMEM);
	pr->fd = -1;
	pr->chunk_count = r->chunk_count;
	pr->package_bytes = r->package_bytes;
	memcpy(pr->chunks_sha256, r->chunks_sha256, IBX_SHA256_BYTES);
	expect(pr, P_HEAD, PKG_HEAD_LEN);
	ibx_seal_key_id(kp->public_key, kid);
	if (r->key_id[0] != '\0' && strcmp(r->key_id, kid) != 0) {
		snprintf(
		    err, n,
		    "referral sealed to key %.16s, not to this key pair's "
		    "%s",
		    r->key_id, kid);
		rv = IBX_ECRYPTO;
		goto out;
	}
	if (ibx_seal_open_content_key(r->sealed_key, kp, key) != IBX_OK) {
		snprintf(err, n,
			 "sealed key does not open with this key pair (a "
			 "package for another key, or changed)");
		rv = IBX_ECRYPTO;
		goto out;
	}
	rv = ibx_seal_decryptor_new(key, r->stream_header, &pr->dec);
	explicit_bzero(key, sizeof(key));
	if (rv != IBX_OK) {
		snprintf(err, n, "stream header refused");
		goto out;
	}
	if ((rv = ibx_sha256_stream_new(&pr->chunks)) != IBX_OK ||
	    (rv = ibx_sha256_stream_new(&pr->file)) != IBX_OK)
		goto out;
	pr->clear = malloc(IBX_CHUNK_CLEAR_MAX);
	pr->out_dir = strdup(out_dir);
	if (pr->clear == NULL || pr->out_dir == NULL ||
	    asprintf(&pr->tmp, "%s.part-XXXXXX", out_dir) < 0) {
		pr->tmp = NULL;
		rv = IBX_ENOMEM;
		goto out;
	}
	if (mkdtemp(pr->tmp) == NULL) {
		snprintf(err, n, "folder \"%s\": %s", pr->tmp,
			 strerror(errno));
		free(pr->tmp);
		pr->tmp = NULL;
		rv = IBX_EIO;
		goto out;
	}
	*out = pr;
	pr = NULL;
out:
	ibx_package_reader_free(pr);
	return (rv);
}

ibx_err
ibx_package_reader_push(ibx_package_reader *pr, const uint8_t *ct, size_t len,
			char *err, size_t n)
{
	uint8_t sha[IBX_SHA256_LEN];
	size_t clear_len;
	bool final;
	ibx_err rv;

	err[0] = '\0';
	if (pr->failed || pr->done) {
		snprintf(err, n, "package: reader already %s",
			 pr->failed ? "failed" : "finished");
		return (IBX_EINVAL);
	}
	if (pr->next >= pr->chunk_count) {
		snprintf(err, n, "chunk %u: the referral has only %u chunks",
			 pr->next, pr->chunk_count);
		rv = IBX_EINVAL;
		goto out;
	}
	if (len <= IBX_CHUNK_ABYTES || len > IBX_CHUNK_CIPHER_MAX) {
		snprintf(err, n, "chunk %u: %zu bytes, not %d to %d", pr->next,
			 len, IBX_CHUNK_ABYTES + 1, IBX_CHUNK_CIPHER_MAX);
		rv = IBX_EINVAL;
		goto out;
	}
	ibx_sha256(ct, len, sha);
	ibx_sha256_stream_update(pr->chunks, sha, sizeof(sha));
	pr->ct_bytes += len;
	if ((rv = ibx_seal_decrypt_chunk(pr->dec, ct, len, pr->clear,
					 &clear_len, &final)) != IBX_OK) {
		snprintf(err, n,
			 "chunk %u: does not verify (changed, out of order, "
			 "or one before it missing)",
			 pr->next);
		goto out;
	}
	if (final != (pr->next + 1 == pr->chunk_count)) {
		snprintf(err, n,
			 final
			     ? "chunk %u: final, but the referral has %u "
			       "chunks"
			     : "chunk %u: the last of %u chunks is not final "
			       "(truncated)",
			 pr->next, pr->chunk_count);
		rv = IBX_ECRYPTO;
		goto out;
	}
	pr->next++;
	rv = parse(pr, pr->clear, clear_len, err, n);
out:
	if (rv != IBX_OK)
		fail(pr);
	return (rv);
}

ibx_err
ibx_package_reader_finish(ibx_package_reader *pr, uint32_t *files,
			  uint64_t *bytes, char *err, size_t n)
{
	uint8_t sha[IBX_SHA256_BYTES];
	ibx_err rv = IBX_EINVAL;

	err[0] = '\0';
	if (pr->failed || pr->done) {
		snprintf(err, n, "package: reader already %s",
			 pr->failed ? "failed" : "finished");
		return (IBX_EINVAL);
	}
	if (pr->next != pr->chunk_count ||
	    ibx_seal_decrypt_finish(pr->dec) != IBX_OK) {
		snprintf(err, n,
			 "package truncated: %u of %u chunks, no final chunk",
			 pr->next, pr->chunk_count);
		rv = IBX_ECRYPTO;
		goto out;
	}
	if (pr->phase != P_DONE) {
		snprintf(err, n, "package: the stream ends inside %s",
			 pr->phase == P_FILES ? "a file" : "the manifest");
		goto out;
	}
	ibx_sha256_stream_final(pr->chunks, sha);
	if (memcmp(sha, pr->chunks_sha256, sizeof(sha)) != 0) {
		snprintf(err, n,
			 "package: chunks_sha256 does not match the chunks");
		goto out;
	}
	if (pr->ct_bytes != pr->package_bytes) {
		snprintf(err, n, "package: %llu bytes, the referral says %llu",
			 (unsigned long long)pr->ct_bytes,
			 (unsigned long long)pr->package_bytes);
		goto out;
	}
	if ((rv = pkg_sync_tree(pr->tmp, err, n)) != IBX_OK ||
	    (rv = pkg_rename_new(pr->tmp, pr->out_dir, err, n)) != IBX_OK)
		goto out;
	pr->done = true;
	if (files != NULL)
		*files = (uint32_t)pr->n;
	if (bytes != NULL)
		*bytes = pr->clear_bytes;
out:
	if (rv != IBX_OK)
		fail(pr);
	return (rv);
}

void
ibx_package_reader_free(ibx_package_reader *pr)
{
	size_t i;

	if (pr == NULL)
		return;
	if (!pr->done)
		fail(pr);
	ibx_seal_stream_free(pr->dec);
	ibx_sha256_stream_free(pr->chunks);
	ibx_sha256_stream_free(pr->file);
	if (pr->clear != NULL)
		explicit_bzero(pr->clear, IBX_CHUNK_CLEAR_MAX);
	free(pr->clear);
	for (i = 0; i < pr->n; i++)
		free(pr->v[i].name);
	free(pr->v);
	free(pr->tmp);
	free(pr->out_dir);
	free(pr);
}

ibx_err
ibx_package_open(const ibx_referral *r, const char *chunk_dir,
		 const ibx_seal_keypair *kp, const char *out_dir,
		 uint32_t *files, uint64_t *bytes, char *err, size_t n)
{
	ibx_package_reader *pr = NULL;
	uint8_t *ct = NULL;
	char path[PATH_MAX];
	struct stat sb;
	size_t got;
	ssize_t k;
	uint32_t i;
	ibx_err rv;
	int fd = -1;

	if ((rv = ibx_package_reader_new(r, kp, out_dir, &pr, err, n)) !=
	    IBX_OK)
		return (rv);
	if ((ct = malloc(IBX_CHUNK_CIPHER_MAX)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < r->chunk_count; i++) {
		if ((rv = ibx_package_chunk_path(chunk_dir, i, path,
						 sizeof(path))) != IBX_OK)
			goto out;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
		    fstat(fd, &sb) != 0) {
			snprintf(err, n, "chunk %u: %s", i, strerror(errno));
			rv = IBX_EIO;
			goto out;
		}
		if (!S_ISREG(sb.st_mode) ||
		    sb.st_size > IBX_CHUNK_CIPHER_MAX) {
			snprintf(err, n,
				 "chunk %u: not a file of at most %d "
				 "bytes",
				 i, IBX_CHUNK_CIPHER_MAX);
			rv = IBX_EIO;
			goto out;
		}
		for (got = 0; got < (size_t)sb.st_size; got += (size_t)k)
			if ((k = read(fd, ct + got,
				      (size_t)sb.st_size - got)) <= 0) {
				snprintf(err, n, "chunk %u: short read", i);
				rv = IBX_EIO;
				goto out;
			}
		close(fd);
		fd = -1;
		if ((rv = ibx_package_reader_push(pr, ct, got, err, n)) !=
		    IBX_OK)
			goto out;
	}
	rv = ibx_package_reader_finish(pr, files, bytes, err, n);
out:
	if (fd >= 0)
		close(fd);
	free(ct);
	ibx_package_reader_free(pr);
	return (rv);
}
