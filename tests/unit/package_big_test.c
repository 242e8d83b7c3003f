/*
 * A 2 GiB referral package (issue 15: "up to at least 2 GiB", "memory is
 * bounded on every side"): a folder with a real DICOM file and a 2 GiB
 * image file (sparse, with generated blocks at its start, across a chunk
 * boundary in the middle and at its end) is sealed into 2,049 chunks and
 * opened again; the opened file's SHA-256 equals the original's, and the
 * process's peak resident set (getrusage ru_maxrss) stays under 64 MB.
 * Prints the times and the peak.  Left out of the sanitizer suite: ASan's
 * shadow memory makes the figure meaningless.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "package.h"
#include "seal.h"

#define BIG	(2048ULL * 1024 * 1024) /* 2 GiB */
#define BLOCK	(3 * 1024 * 1024 + 12345)
#define RSS_MAX (64 * 1024) /* KiB, as ru_maxrss counts */
#define DCM_FROM                                                              \
	"/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return (ru.ru_maxrss);
}

static int
remove_cb(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	return (flag == FTW_DP ? rmdir(p) : unlink(p));
}

/* SHA-256 of a file, read 1 MiB at a time. */
static void
file_sha256(const char *path, uint8_t out[IBX_SHA256_BYTES], uint8_t *buf)
{
	ibx_sha256_stream *h = NULL;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(ibx_sha256_stream_new(&h), IBX_OK);
	while ((r = read(fd, buf, 1024 * 1024)) > 0)
		ibx_sha256_stream_update(h, buf, (size_t)r);
	assert_int_equal(r, 0);
	close(fd);
	ibx_sha256_stream_final(h, out);
	ibx_sha256_stream_free(h);
}

static void
put_block(int fd, off_t at, uint8_t *buf, uint64_t seed)
{
	uint64_t x = seed;
	size_t i;

	for (i = 0; i < BLOCK; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = (uint8_t)(x >> 56);
	}
	assert_int_equal(pwrite(fd, buf, BLOCK, at), BLOCK);
}

/* Under $TMPDIR (default /tmp): 4 GiB of files, written for real. */
static char dir[1024];

/* The scratch folder goes whatever happened (4 GiB of files). */
static int
teardown(void **state)
{
	(void)state;
	if (dir[0] != '\0')
		(void)nftw(dir, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
	return (0);
}

static void
test_two_gib(void **state)
{
	char src[PATH_MAX], img[PATH_MAX], dcm[PATH_MAX], sealed[PATH_MAX];
	char opened[PATH_MAX], err[256];
	uint8_t want[IBX_SHA256_BYTES], got[IBX_SHA256_BYTES];
	uint8_t *buf = malloc(BLOCK);
	ibx_seal_keypair kp;
	ibx_package_meta meta;
	ibx_referral r;
	uint32_t files;
	uint64_t bytes;
	double t0, t1, t2;
	int fd;

	(void)state;
	assert_non_null(buf);
	assert_true(
	    snprintf(dir, sizeof(dir), "%s/ibx-package-2gib-XXXXXX",
		     getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp") <
	    (int)sizeof(dir));
	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/case", dir);
	snprintf(sealed, sizeof(sealed), "%s/sealed", dir);
	snprintf(opened, sizeof(opened), "%s/opened", dir);
	snprintf(img, sizeof(img), "%s/case/study.raw", dir);
	snprintf(dcm, sizeof(dcm), "%s/case/CT_small.dcm", dir);
	assert_int_equal(mkdir(src, 0700), 0);
	{
		int in = open(DCM_FROM, O_RDONLY);
		ssize_t n;

		assert_true(in >= 0);
		assert_true((fd = open(dcm, O_WRONLY | O_CREAT, 0600)) >= 0);
		while ((n = read(in, buf, BLOCK)) > 0)
			assert_int_equal(write(fd, buf, (size_t)n), n);
		close(in);
		close(fd);
	}
	assert_true((fd = open(img, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, (off_t)BIG), 0);
	put_block(fd, 0, buf, 1);
	put_block(fd, (off_t)(BIG / 2 - BLOCK / 2), buf, 2);
	put_block(fd, (off_t)(BIG - BLOCK), buf, 3);
	close(fd);
	file_sha256(img, want, buf);

	assert_int_equal(ibx_seal_keypair_new(&kp), IBX_OK);
	t0 = now();
	if (ibx_package_seal(src, kp.public_key, sealed, &meta, err,
			     sizeof(err)) != IBX_OK)
		fail_msg("seal: %s", err);
	t1 = now();
	assert_int_equal(meta.files, 2);
	assert_true(meta.clear_bytes > BIG);
	assert_int_equal(meta.chunk_count, BIG / IBX_CHUNK_CLEAR_MAX + 1);
	memset(&r, 0, sizeof(r));
	ibx_package_meta_to_referral(&meta, &r);
	if (ibx_package_open(&r, sealed, &kp, opened, &files, &bytes, err,
			     sizeof(err)) != IBX_OK)
		fail_msg("open: %s", err);
	t2 = now();
	assert_int_equal(files, 2);
	assert_true(snprintf(img, sizeof(img), "%s/study.raw", opened) <
		    (int)sizeof(img));
	file_sha256(img, got, buf);
	assert_memory_equal(got, want, sizeof(want));

	printf("package 2 GiB: %u chunks, %llu bytes of ciphertext; seal "
	       "%.1f s (%.0f MB/s), open %.1f s (%.0f MB/s); peak RSS %ld "
	       "KiB (limit %d)\n",
	       meta.chunk_count, (unsigned long long)meta.package_bytes,
	       t1 - t0, meta.clear_bytes / 1e6 / (t1 - t0), t2 - t1,
	       meta.clear_bytes / 1e6 / (t2 - t1), peak_rss_kib(), RSS_MAX);
	fflush(stdout);
	assert_true(peak_rss_kib() < RSS_MAX);
	ibx_seal_keypair_wipe(&kp);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_gib),
	};

	return (cmocka_run_group_tests(tests, NULL, teardown));
}
