/*
 * Unit tests of referral packages (spoke/referral, package.h) on real
 * files in a scratch folder: a folder with real DICOM files (pydicom's
 * test files, Debian package python3-pydicom) makes the round trip
 * byte-identical; the chunks carry no clear text; and the reader refuses,
 * leaving nothing in or next to its target folder, a flipped byte in any
 * chunk, the stream header or the sealed key, a reordered, dropped or
 * extra chunk, a truncated package, a package sealed to another hospital,
 * and crafted streams whose names escape the folder, repeat, or whose
 * content does not match the manifest.  The writer refuses links, special
 * files, long names and too many files.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "package.h"
#include "seal.h"

#ifndef IBX_DICOM_DIR
#define IBX_DICOM_DIR "/usr/lib/python3/dist-packages/pydicom/data/test_files"
#endif

#define MARKER "IBX-MARKER-patient-Zhang-Wei-0042"

static char scratch[] = "/tmp/ibx-package-XXXXXX";
static ibx_seal_keypair hospital_a, hospital_b;

/* ---- files -------------------------------------------------------------- */

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return (buf);
}

static void
copy_file(const char *from, const char *to)
{
	size_t len;
	uint8_t *b = read_file(from, &len);

	write_file(to, b, len);
	free(b);
}

static void
path_of(char *out, size_t n, const char *a, const char *b)
{
	int w = snprintf(out, n, "%s/%s", a, b);

	assert_true(w > 0 && (size_t)w < n);
}

static bool
exists(const char *path)
{
	struct stat sb;

	return (lstat(path, &sb) == 0);
}

/* Entries of folder dir whose names start with prefix. */
static int
count_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return (n);
}

static int
remove_cb(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	return (flag == FTW_DP ? rmdir(p) : unlink(p));
}

static void
remove_tree(const char *path)
{
	(void)nftw(path, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Pseudo-random bytes (xorshift), reproducible. */
static void
fill_bytes(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

/* The case folder of the demo: a summary with the marker, a report, two
 * real DICOM files in a study folder, an empty file, and 2.5 MiB of
 * generated image so the package spans three chunks. */
static const char *const case_files[] = {
    "summary.txt",
    "reports/ct report (ja).txt",
    "imaging/study-1/CT_small.dcm",
    "imaging/study-1/MR_small.dcm",
    "imaging/generated/slice-000.raw",
    "empty.txt",
};

static void
make_case(const char *dir)
{
	char p[PATH_MAX], from[PATH_MAX];
	uint8_t *big;
	size_t len;
	uint8_t *dcm;

	assert_int_equal(mkdir(dir, 0700), 0);
	path_of(p, sizeof(p), dir, "reports");
	assert_int_equal(mkdir(p, 0700), 0);
	path_of(p, sizeof(p), dir, "imaging");
	assert_int_equal(mkdir(p, 0700), 0);
	path_of(p, sizeof(p), dir, "imaging/study-1");
	assert_int_equal(mkdir(p, 0700), 0);
	path_of(p, sizeof(p), dir, "imaging/generated");
	assert_int_equal(mkdir(p, 0700), 0);
	path_of(p, sizeof(p), dir, case_files[0]);
	write_file(p,
		   "Case summary. " MARKER "\nSecond opinion on a gastric "
		   "lesion.\n",
		   strlen("Case summary. " MARKER "\nSecond opinion on a "
			  "gastric lesion.\n"));
	path_of(p, sizeof(p), dir, case_files[1]);
	write_file(p, "CT report: " MARKER "\n", strlen(MARKER) + 12);
	path_of(from, sizeof(from), IBX_DICOM_DIR, "CT_small.dcm");
	path_of(p, sizeof(p), dir, case_files[2]);
	copy_file(from, p);
	/* A real DICOM file: "DICM" at offset 128 (PS3.10 7.1). */
	dcm = read_file(p, &len);
	assert_true(len > 132);
	assert_memory_equal(dcm + 128, "DICM", 4);
	free(dcm);
	path_of(from, sizeof(from), IBX_DICOM_DIR, "MR_small.dcm");
	path_of(p, sizeof(p), dir, case_files[3]);
	copy_file(from, p);
	assert_non_null(big = malloc(5 * 512 * 1024));
	fill_bytes(big, 5 * 512 * 1024, 7);
	path_of(p, sizeof(p), dir, case_files[4]);
	write_file(p, big, 5 * 512 * 1024);
	free(big);
	path_of(p, sizeof(p), dir, case_files[5]);
	write_file(p, "", 0);
}

/* Every file of case_files is in b with the same bytes and SHA-256. */
static void
assert_same_case(const char *a, const char *b)
{
	char pa[PATH_MAX], pb[PATH_MAX];
	uint8_t ha[IBX_SHA256_LEN], hb[IBX_SHA256_LEN];
	size_t i, la, lb;

	for (i = 0; i < sizeof(case_files) / sizeof(case_files[0]); i++) {
		uint8_t *da, *db;

		path_of(pa, sizeof(pa), a, case_files[i]);
		path_of(pb, sizeof(pb), b, case_files[i]);
		da = read_file(pa, &la);
		db = read_file(pb, &lb);
		ibx_sha256(da, la, ha);
		ibx_sha256(db, lb, hb);
		assert_memory_equal(ha, hb, sizeof(ha));
		assert_int_equal(la, lb);
		assert_memory_equal(da, db, la);
		free(da);
		free(db);
	}
}

static void
referral_of(const ibx_package_meta *m, ibx_referral *r)
{
	memset(r, 0, sizeof(*r));
	ibx_package_meta_to_referral(m, r);
}

/* ---- set-up ------------------------------------------------------------- */

static char case_dir[PATH_MAX], sealed_dir[PATH_MAX];
static ibx_package_meta meta;

static int
setup(void **state)
{
	char err[256];

	(void)state;
	if (mkdtemp(scratch) == NULL)
		return (-1);
	if (ibx_seal_keypair_new(&hospital_a) != IBX_OK ||
	    ibx_seal_keypair_new(&hospital_b) != IBX_OK)
		return (-1);
	path_of(case_dir, sizeof(case_dir), scratch, "case");
	path_of(sealed_dir, sizeof(sealed_dir), scratch, "sealed");
	make_case(case_dir);
	if (ibx_package_seal(case_dir, hospital_a.public_key, sealed_dir,
			     &meta, err, sizeof(err)) != IBX_OK) {
		fprintf(stderr, "seal: %s\n", err);
		return (-1);
	}
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	remove_tree(scratch);
	ibx_seal_keypair_wipe(&hospital_a);
	ibx_seal_keypair_wipe(&hospital_b);
	return (0);
}

/* A fresh target folder name under scratch, checked absent. */
static void
target(char *out, size_t n, const char *name)
{
	path_of(out, n, scratch, name);
	assert_false(exists(out));
}

/* Nothing named name or name.part-* next to it. */
static void
assert_nothing_written(const char *name)
{
	char p[PATH_MAX], prefix[128];

	path_of(p, sizeof(p), scratch, name);
	assert_false(exists(p));
	snprintf(prefix, sizeof(prefix), "%s.part", name);
	assert_int_equal(count_prefix(scratch, prefix), 0);
}

/* ---- tests -------------------------------------------------------------- */

static void
test_round_trip(void **state)
{
	char out[PATH_MAX], err[256], chunk[PATH_MAX];
	ibx_referral r;
	uint32_t files, i;
	uint64_t bytes, ct = 0;
	struct stat sb;

	(void)state;
	assert_int_equal(meta.files, 6);
	assert_int_equal(meta.chunk_count, 3);
	assert_int_equal(meta.chunk_count,
			 (meta.clear_bytes + IBX_CHUNK_CLEAR_MAX - 1) /
			     IBX_CHUNK_CLEAR_MAX);
	assert_int_equal(meta.package_bytes,
			 meta.clear_bytes +
			     meta.chunk_count * IBX_CHUNK_ABYTES);
	for (i = 0; i < meta.chunk_count; i++) {
		size_t len;
		uint8_t *b;

		assert_int_equal(ibx_package_chunk_path(sealed_dir, i, chunk,
							sizeof(chunk)),
				 IBX_OK);
		assert_int_equal(stat(chunk, &sb), 0);
		ct += (uint64_t)sb.st_size;
		/* No clear text in the chunks. */
		b = read_file(chunk, &len);
		assert_null(memmem(b, len, MARKER, strlen(MARKER)));
		assert_null(memmem(b, len, "DICM", 4));
		free(b);
	}
	assert_int_equal(ct, meta.package_bytes);
	assert_int_equal(count_prefix(scratch, "sealed.part"), 0);
	{
		char id[IBX_KEY_ID_HEX + 1];

		ibx_seal_key_id(hospital_a.public_key, id);
		assert_string_equal(meta.key_id, id);
	}
	referral_of(&meta, &r);
	target(out, sizeof(out), "opened");
	/* What a reader killed part-way left: removed. */
	{
		char left[PATH_MAX], f[PATH_MAX];

		path_of(left, sizeof(left), scratch, "opened.part-Ab12Cd");
		assert_int_equal(mkdir(left, 0700), 0);
		path_of(f, sizeof(f), left, "summary.txt");
		write_file(f, MARKER, strlen(MARKER));
	}
	if (ibx_package_open(&r, sealed_dir, &hospital_a, out, &files, &bytes,
			     err, sizeof(err)) != IBX_OK)
		fail_msg("open: %s", err);
	assert_int_equal(files, 6);
	assert_same_case(case_dir, out);
	assert_int_equal(count_prefix(scratch, "opened.part"), 0);
	/* The received files are the hospital's alone. */
	{
		char p[PATH_MAX];

		path_of(p, sizeof(p), out, case_files[0]);
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sb.st_mode & 0077, 0);
	}
	/* Never over an existing folder. */
	assert_int_equal(ibx_package_open(&r, sealed_dir, &hospital_a, out,
					  NULL, NULL, err, sizeof(err)),
			 IBX_EINVAL);
	remove_tree(out);
}

static void
test_other_hospital(void **state)
{
	char out[PATH_MAX], err[256];
	ibx_referral r;

	(void)state;
	referral_of(&meta, &r);
	target(out, sizeof(out), "at-b");
	assert_int_equal(ibx_package_open(&r, sealed_dir, &hospital_b, out,
					  NULL, NULL, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "referral sealed to key"));
	assert_nothing_written("at-b");
	/* Without the key id to warn it, B still cannot open the key. */
	r.key_id[0] = '\0';
	assert_int_equal(ibx_package_open(&r, sealed_dir, &hospital_b, out,
					  NULL, NULL, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "sealed key does not open"));
	assert_nothing_written("at-b");
	/* B's key id claimed for A's package: the sealed box still says no. */
	ibx_seal_key_id(hospital_b.public_key, r.key_id);
	assert_int_equal(ibx_package_open(&r, sealed_dir, &hospital_b, out,
					  NULL, NULL, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "sealed key does not open"));
	assert_nothing_written("at-b");
}

/* Flip one byte of chunk file i at offset at (from the end when < 0). */
static void
flip_chunk(uint32_t i, long at)
{
	char p[PATH_MAX];
	size_t len;
	uint8_t *b;

	assert_int_equal(ibx_package_chunk_path(sealed_dir, i, p, sizeof(p)),
			 IBX_OK);
	b = read_file(p, &len);
	b[at >= 0 ? (size_t)at : len - (size_t)(-at)] ^= 0x20;
	write_file(p, b, len);
	free(b);
}

static void
swap_chunks(uint32_t i, uint32_t j)
{
	char a[PATH_MAX], b[PATH_MAX], t[PATH_MAX];

	assert_int_equal(ibx_package_chunk_path(sealed_dir, i, a, sizeof(a)),
			 IBX_OK);
	assert_int_equal(ibx_package_chunk_path(sealed_dir, j, b, sizeof(b)),
			 IBX_OK);
	path_of(t, sizeof(t), scratch, "swap.tmp");
	assert_int_equal(rename(a, t), 0);
	assert_int_equal(rename(b, a), 0);
	assert_int_equal(rename(t, b), 0);
}

/* Open with r; expect rv and a reason containing why; nothing written. */
static void
expect_refused(const ibx_referral *r, ibx_err want, const char *why)
{
	char out[PATH_MAX], err[256];
	ibx_err rv;

	target(out, sizeof(out), "refused");
	rv = ibx_package_open(r, sealed_dir, &hospital_a, out, NULL, NULL, err,
			      sizeof(err));
	if (rv != want || strstr(err, why) == NULL)
		fail_msg("got %d \"%s\", want %d \"%s\"", (int)rv, err,
			 (int)want, why);
	assert_nothing_written("refused");
}

static void
test_flipped_bytes(void **state)
{
	static const long offsets[] = {0, 1000, 700000, -1, -17};
	ibx_referral r;
	uint32_t i;
	size_t k;

	(void)state;
	referral_of(&meta, &r);
	for (i = 0; i < meta.chunk_count; i++)
		for (k = 0; k < sizeof(offsets) / sizeof(offsets[0]); k++) {
			if (i == meta.chunk_count - 1 && offsets[k] == 700000)
				continue; /* the last chunk is short */
			flip_chunk(i, offsets[k]);
			expect_refused(&r, IBX_ECRYPTO, "does not verify");
			flip_chunk(i, offsets[k]);
		}
	/* The stream header and the sealed key, byte by byte. */
	for (k = 0; k < sizeof(r.stream_header); k++) {
		r.stream_header[k] ^= 1;
		expect_refused(&r, IBX_ECRYPTO, "chunk 0: does not verify");
		r.stream_header[k] ^= 1;
	}
	for (k = 0; k < sizeof(r.sealed_key); k += 7) {
		r.sealed_key[k] ^= 1;
		expect_refused(&r, IBX_ECRYPTO, "sealed key does not open");
		r.sealed_key[k] ^= 1;
	}
	/* chunks_sha256 that does not match intact chunks. */
	r.chunks_sha256[3] ^= 1;
	expect_refused(&r, IBX_EINVAL, "chunks_sha256 does not match");
	r.chunks_sha256[3] ^= 1;
	/* And the intact package still opens. */
	{
		char out[PATH_MAX], err[256];

		target(out, sizeof(out), "intact");
		assert_int_equal(ibx_package_open(&r, sealed_dir, &hospital_a,
						  out, NULL, NULL, err,
						  sizeof(err)),
				 IBX_OK);
		remove_tree(out);
	}
}

static void
test_reordered(void **state)
{
	ibx_referral r;

	(void)state;
	referral_of(&meta, &r);
	swap_chunks(0, 1);
	expect_refused(&r, IBX_ECRYPTO, "chunk 0: does not verify");
	swap_chunks(0, 1);
	swap_chunks(1, 2);
	expect_refused(&r, IBX_ECRYPTO, "chunk 1: does not verify");
	swap_chunks(1, 2);
}

/* Push chunks order[0..n-1] of the sealed package through a reader, then
 * finish; the first refusal's code and reason. */
static ibx_err
push_order(const ibx_referral *r, const uint32_t *order, size_t n, char *err,
	   size_t errn)
{
	ibx_package_reader *pr = NULL;
	char out[PATH_MAX], p[PATH_MAX];
	ibx_err rv;
	size_t i;

	target(out, sizeof(out), "pushed");
	assert_int_equal(
	    ibx_package_reader_new(r, &hospital_a, out, &pr, err, errn),
	    IBX_OK);
	for (i = 0; i < n; i++) {
		size_t len;
		uint8_t *b;

		assert_int_equal(
		    ibx_package_chunk_path(sealed_dir, order[i], p, sizeof(p)),
		    IBX_OK);
		b = read_file(p, &len);
		rv = ibx_package_reader_push(pr, b, len, err, errn);
		free(b);
		if (rv != IBX_OK)
			goto out;
	}
	rv = ibx_package_reader_finish(pr, NULL, NULL, err, errn);
out:
	ibx_package_reader_free(pr);
	if (rv != IBX_OK)
		assert_nothing_written("pushed");
	else
		remove_tree(out);
	return (rv);
}

static void
test_dropped_truncated_extra(void **state)
{
	static const uint32_t all[] = {0, 1, 2}, dropped[] = {0, 2},
			      dropped_first[] = {1, 2}, short_one[] = {0, 1},
			      extra[] = {0, 1, 2, 2};
	ibx_referral r;
	char err[256];

	(void)state;
	referral_of(&meta, &r);
	assert_int_equal(push_order(&r, all, 3, err, sizeof(err)), IBX_OK);
	/* A chunk dropped in the middle or at the start. */
	assert_int_equal(push_order(&r, dropped, 2, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "chunk 1: does not verify"));
	assert_int_equal(push_order(&r, dropped_first, 2, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "chunk 0: does not verify"));
	/* Truncated: the final chunk never comes. */
	assert_int_equal(push_order(&r, short_one, 2, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "truncated"));
	/* Truncated with a referral that claims one chunk less: the last
	 * chunk it gets is not final. */
	r.chunk_count = 2;
	assert_int_equal(push_order(&r, short_one, 2, err, sizeof(err)),
			 IBX_ECRYPTO);
	assert_non_null(strstr(err, "is not final (truncated)"));
	r.chunk_count = 3;
	/* One chunk too many. */
	assert_int_equal(push_order(&r, extra, 4, err, sizeof(err)),
			 IBX_EINVAL);
	assert_non_null(strstr(err, "has only 3 chunks"));
	/* A chunk file missing on disk. */
	{
		char p[PATH_MAX], q[PATH_MAX];

		assert_int_equal(
		    ibx_package_chunk_path(sealed_dir, 1, p, sizeof(p)),
		    IBX_OK);
		path_of(q, sizeof(q), scratch, "aside.chunk");
		assert_int_equal(rename(p, q), 0);
		expect_refused(&r, IBX_EIO, "chunk 1");
		assert_int_equal(rename(q, p), 0);
	}
}

/* ---- crafted streams ------------------------------------------------------
 */

struct craft {
	uint8_t *buf;
	size_t len, cap;
};

static void
craft_put(struct craft *c, const void *p, size_t n)
{
	if (c->len + n > c->cap) {
		c->cap = (c->len + n) * 2 + 64;
		assert_non_null(c->buf = realloc(c->buf, c->cap));
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
}

static void
craft_be(struct craft *c, uint64_t v, int bytes)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < bytes; i++)
		b[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
	craft_put(c, b, (size_t)bytes);
}

/* A stream of n files named names[i] with contents contents[i]; the
 * manifest's SHA-256 of file bad (or none when -1) is wrong. */
static void
craft_stream(struct craft *c, const char *const *names,
	     const char *const *contents, int n, int bad)
{
	uint8_t sha[IBX_SHA256_LEN];
	int i;

	memset(c, 0, sizeof(*c));
	craft_put(c, IBX_PACKAGE_TAG, sizeof(IBX_PACKAGE_TAG));
	craft_be(c, (uint64_t)n, 4);
	for (i = 0; i < n; i++) {
		craft_be(c, strlen(names[i]), 2);
		craft_put(c, names[i], strlen(names[i]));
		craft_be(c, strlen(contents[i]), 8);
		ibx_sha256((const uint8_t *)contents[i], strlen(contents[i]),
			   sha);
		if (i == bad)
			sha[0] ^= 1;
		craft_put(c, sha, sizeof(sha));
	}
	for (i = 0; i < n; i++)
		craft_put(c, contents[i], strlen(contents[i]));
}

/* Encrypt the clear stream c for hospital A as one-chunk package in
 * folder dir, the Referral in r. */
static void
craft_seal(const struct craft *c, const char *dir, ibx_referral *r)
{
	uint8_t key[IBX_CONTENT_KEY_LEN], sha[IBX_SHA256_LEN];
	uint8_t *ct = malloc(c->len + IBX_CHUNK_ABYTES);
	ibx_seal_stream *e = NULL;
	char p[PATH_MAX];
	size_t len;

	assert_non_null(ct);
	assert_true(c->len <= IBX_CHUNK_CLEAR_MAX);
	memset(r, 0, sizeof(*r));
	assert_int_equal(ibx_seal_content_key_new(key), IBX_OK);
	assert_int_equal(
	    ibx_seal_content_key(key, hospital_a.public_key, r->sealed_key),
	    IBX_OK);
	assert_int_equal(ibx_seal_encryptor_new(key, r->stream_header, &e),
			 IBX_OK);
	assert_int_equal(
	    ibx_seal_encrypt_chunk(e, c->buf, c->len, true, ct, &len), IBX_OK);
	ibx_seal_stream_free(e);
	remove_tree(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(ibx_package_chunk_path(dir, 0, p, sizeof(p)), IBX_OK);
	write_file(p, ct, len);
	ibx_sha256(ct, len, sha);
	ibx_sha256(sha, sizeof(sha), r->chunks_sha256);
	r->chunk_count = 1;
	r->package_bytes = len;
	free(ct);
}

static ibx_err
open_crafted(const char *const *names, const char *const *contents, int n,
	     int bad, char *err, size_t errn)
{
	char dir[PATH_MAX], out[PATH_MAX];
	struct craft c;
	ibx_referral r;
	ibx_err rv;

	path_of(dir, sizeof(dir), scratch, "crafted");
	craft_stream(&c, names, contents, n, bad);
	craft_seal(&c, dir, &r);
	free(c.buf);
	path_of(out, sizeof(out), scratch, "inbox/case");
	rv =
	    ibx_package_open(&r, dir, &hospital_a, out, NULL, NULL, err, errn);
	remove_tree(dir);
	return (rv);
}

static void
test_crafted_names(void **state)
{
	static const struct {
		const char *names[2];
		int n;
		const char *why;
	} bad[] = {
	    {{"../escaped.txt"}, 1, "name refused"},
	    {{"a/../../escaped.txt"}, 1, "name refused"},
	    {{"/tmp/escaped.txt"}, 1, "name refused"},
	    {{"a//b"}, 1, "name refused"},
	    {{"a/./b"}, 1, "name refused"},
	    {{"a\nb"}, 1, "name refused"},
	    {{"same", "same"}, 2, "repeated or out of order"},
	    {{"b", "a"}, 2, "repeated or out of order"},
	    {{"a", "a/b"}, 2, "cannot be made"},
	};
	static const char *const contents[] = {"one", "two"};
	char inbox[PATH_MAX], err[256], p[PATH_MAX];
	size_t i;

	(void)state;
	path_of(inbox, sizeof(inbox), scratch, "inbox");
	assert_int_equal(mkdir(inbox, 0700), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ibx_err rv = open_crafted(bad[i].names, contents, bad[i].n, -1,
					  err, sizeof(err));

		if (rv != IBX_EINVAL || strstr(err, bad[i].why) == NULL)
			fail_msg("%s: got %d \"%s\"", bad[i].names[0], (int)rv,
				 err);
		/* Nothing in the inbox, nothing escaped. */
		assert_int_equal(count_prefix(inbox, ""), 2); /* . and .. */
		assert_false(exists("/tmp/escaped.txt"));
		path_of(p, sizeof(p), scratch, "escaped.txt");
		assert_false(exists(p));
	}
	/* A file whose content is not what the manifest says. */
	{
		static const char *const names[] = {"a.txt", "b.txt"};

		assert_int_equal(
		    open_crafted(names, contents, 2, 1, err, sizeof(err)),
		    IBX_EINVAL);
		assert_non_null(
		    strstr(err, "\"b.txt\": SHA-256 does not match"));
		assert_int_equal(count_prefix(inbox, ""), 2);
		/* The same stream, honest, opens. */
		assert_int_equal(
		    open_crafted(names, contents, 2, -1, err, sizeof(err)),
		    IBX_OK);
		path_of(p, sizeof(p), inbox, "case/b.txt");
		assert_true(exists(p));
		remove_tree(inbox);
	}
}

static void
test_crafted_trailing(void **state)
{
	static const char *const names[] = {"a.txt"};
	static const char *const contents[] = {"abc"};
	char dir[PATH_MAX], out[PATH_MAX], err[256];
	struct craft c;
	ibx_referral r;

	(void)state;
	path_of(dir, sizeof(dir), scratch, "crafted");
	craft_stream(&c, names, contents, 1, -1);
	craft_put(&c, "more", 4);
	craft_seal(&c, dir, &r);
	free(c.buf);
	target(out, sizeof(out), "trailing");
	assert_int_equal(ibx_package_open(&r, dir, &hospital_a, out, NULL,
					  NULL, err, sizeof(err)),
			 IBX_EINVAL);
	assert_non_null(strstr(err, "bytes after the last file"));
	assert_nothing_written("trailing");
	/* Cut inside the manifest. */
	craft_stream(&c, names, contents, 1, -1);
	c.len = 30;
	craft_seal(&c, dir, &r);
	free(c.buf);
	assert_int_equal(ibx_package_open(&r, dir, &hospital_a, out, NULL,
					  NULL, err, sizeof(err)),
			 IBX_EINVAL);
	assert_non_null(strstr(err, "ends inside the manifest"));
	assert_nothing_written("trailing");
	remove_tree(dir);
}

/* ---- the writer's refusals ---------------------------------------------- */

static void
expect_seal_refused(const char *dir, const char *why)
{
	char out[PATH_MAX], err[256];
	ibx_package_meta m;
	ibx_err rv;

	target(out, sizeof(out), "out");
	rv = ibx_package_seal(dir, hospital_a.public_key, out, &m, err,
			      sizeof(err));
	if (rv != IBX_EINVAL || strstr(err, why) == NULL)
		fail_msg("got %d \"%s\", want \"%s\"", (int)rv, err, why);
	assert_nothing_written("out");
}

static void
test_writer_refusals(void **state)
{
	char dir[PATH_MAX], p[PATH_MAX], name[300];
	int i;

	(void)state;
	path_of(dir, sizeof(dir), scratch, "w");
	assert_int_equal(mkdir(dir, 0700), 0);
	expect_seal_refused(dir, "holds no file");

	path_of(p, sizeof(p), dir, "ok.txt");
	write_file(p, "ok", 2);
	path_of(p, sizeof(p), dir, "link.dcm");
	assert_int_equal(symlink("/etc/passwd", p), 0);
	expect_seal_refused(dir, "\"link.dcm\": is a symbolic link");
	unlink(p);

	path_of(p, sizeof(p), dir, "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	expect_seal_refused(dir, "\"fifo\": is not a regular file");
	unlink(p);

	/* A relative name of 256 bytes: two folders of 100 and a file. */
	memset(name, 'd', 100);
	name[100] = '\0';
	path_of(p, sizeof(p), dir, name);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p + strlen(p), sizeof(p) - strlen(p), "/%s", name);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p + strlen(p), sizeof(p) - strlen(p), "/%054d", 0);
	write_file(p, "x", 1);
	expect_seal_refused(dir, "name longer than 255 bytes");
	/* 255 is fine. */
	p[strlen(p) - 1] = '\0';
	write_file(p, "x", 1);
	snprintf(p + strlen(p), sizeof(p) - strlen(p), "0");
	unlink(p);
	{
		char out[PATH_MAX], err[256];
		ibx_package_meta m;

		target(out, sizeof(out), "out255");
		if (ibx_package_seal(dir, hospital_a.public_key, out, &m, err,
				     sizeof(err)) != IBX_OK)
			fail_msg("255-byte name: %s", err);
		assert_int_equal(m.files, 2);
		remove_tree(out);
	}
	path_of(p, sizeof(p), dir, name);
	remove_tree(p);

	/* 10,001 files. */
	path_of(p, sizeof(p), dir, "many");
	assert_int_equal(mkdir(p, 0700), 0);
	for (i = 0; i < IBX_PACKAGE_FILES_MAX; i++) {
		char f[PATH_MAX];
		int fd;

		snprintf(f, sizeof(f), "%s/%05d", p, i);
		assert_true((fd = open(f, O_WRONLY | O_CREAT, 0600)) >= 0);
		close(fd);
	}
	expect_seal_refused(dir, "more than 10000 files");
	remove_tree(p);

	/* An existing target. */
	{
		char out[PATH_MAX], err[256];
		ibx_package_meta m;

		path_of(out, sizeof(out), scratch, "exists");
		assert_int_equal(mkdir(out, 0700), 0);
		assert_int_equal(ibx_package_seal(dir, hospital_a.public_key,
						  out, &m, err, sizeof(err)),
				 IBX_EINVAL);
		assert_non_null(strstr(err, "exists already"));
		rmdir(out);
	}
	remove_tree(dir);
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(ibx_package_name_valid("a", 1));
	assert_true(ibx_package_name_valid("a/b.dcm", 7));
	assert_true(ibx_package_name_valid("..a/b..", 7));
	assert_true(
	    ibx_package_name_valid("日本語.txt", strlen("日本語.txt")));
	assert_false(ibx_package_name_valid("", 0));
	assert_false(ibx_package_name_valid("..", 2));
	assert_false(ibx_package_name_valid("a/..", 4));
	assert_false(ibx_package_name_valid("../a", 4));
	assert_false(ibx_package_name_valid("/a", 2));
	assert_false(ibx_package_name_valid("a/", 2));
	assert_false(ibx_package_name_valid("a\0b", 3));
	assert_false(ibx_package_name_valid("a\x7f", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_other_hospital),
	    cmocka_unit_test(test_flipped_bytes),
	    cmocka_unit_test(test_reordered),
	    cmocka_unit_test(test_dropped_truncated_extra),
	    cmocka_unit_test(test_crafted_names),
	    cmocka_unit_test(test_crafted_trailing),
	    cmocka_unit_test(test_writer_refusals),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
