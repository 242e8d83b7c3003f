/*
 * Unit tests of the spoke's durable outbox (spoke/delivery/outbox.c): appended
 * envelopes are listed in sequence order and read back byte for byte,
 * removed on an Ack, moved with their reason on a refusal; leftovers in
 * tmp/ are removed on open; sequence numbers grow strictly across a
 * reopen and when the clock goes back; a second process cannot open the
 * same outbox; a damaged sequence file stops the open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outbox.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ibx-outbox-XXXXXX");
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

/* rm -r dir (two levels are all an outbox has). */
static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* dir/rel in a static buffer (until the next call). */
static const char *
at(const char *rel)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return (path);
}

/* Write text to dir/rel. */
static void
write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* The contents of dir/rel, or NULL when there is no such file (free). */
static char *
read_text(const char *rel)
{
	char path[256], *buf;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	assert_non_null(buf = calloc(1, 4096));
	n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static int
exists(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return (stat(path, &st) == 0);
}

/* Entries of dir/sub other than . and .. */
static size_t
entries(const char *sub)
{
	char path[256];
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return (n);
}

/* Take a sequence at time now_us and append text as its envelope. */
static uint64_t
append(spoke_outbox *ob, uint64_t now_us, const char *text)
{
	ibx_bytes env = {(uint8_t *)(uintptr_t)text, strlen(text)};
	uint64_t seq;

	assert_int_equal(spoke_outbox_sequence(ob, now_us, &seq), IBX_OK);
	assert_int_equal(spoke_outbox_append(ob, seq, &env), IBX_OK);
	return (seq);
}

static void
test_append_list_remove(void **state)
{
	spoke_outbox *ob;
	uint64_t *seqs, a, b, c;
	ibx_bytes env;
	size_t n;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 0);
	assert_null(seqs);
	a = append(ob, 1000, "first");
	b = append(ob, 3000, "second");
	c = append(ob, 2000, "third"); /* the clock went back */
	assert_int_equal(a, 1000);
	assert_int_equal(b, 3000);
	assert_int_equal(c, 3001);
	assert_true(exists("pending/00000000000000001000.env"));
	assert_int_equal(entries("tmp"), 0);

	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 3);
	assert_int_equal(seqs[0], a);
	assert_int_equal(seqs[1], b);
	assert_int_equal(seqs[2], c);
	free(seqs);

	assert_int_equal(spoke_outbox_read(ob, b, &env), IBX_OK);
	assert_int_equal(env.len, 6);
	assert_memory_equal(env.data, "second", 6);
	ibx_bytes_fini(&env);

	assert_int_equal(spoke_outbox_remove(ob, a), IBX_OK);
	assert_int_equal(spoke_outbox_remove(ob, a), IBX_ENOTFOUND);
	assert_int_equal(spoke_outbox_read(ob, a, &env), IBX_ENOTFOUND);
	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 2);
	assert_int_equal(seqs[0], b);
	free(seqs);

	/* The lock-free listing sees the same. */
	assert_int_equal(
	    spoke_outbox_list(dir, SPOKE_OUTBOX_PENDING, &seqs, &n), IBX_OK);
	assert_int_equal(n, 2);
	assert_int_equal(seqs[1], c);
	free(seqs);
	spoke_outbox_close(ob);
}

static void
test_names_sort_as_numbers(void **state)
{
	spoke_outbox *ob;
	uint64_t *seqs;
	size_t n;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	append(ob, 9, "nine");
	append(ob, 10, "ten");
	append(ob, 1700000000000000ull, "now");
	/* Not an envelope name: neither listed nor removed. */
	write_file("pending/notes.txt", "x");
	write_file("pending/123.env", "x");
	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 3);
	assert_int_equal(seqs[0], 9);
	assert_int_equal(seqs[1], 10);
	assert_int_equal(seqs[2], 1700000000000000ull);
	free(seqs);
	assert_true(exists("pending/notes.txt"));
	spoke_outbox_close(ob);
}

static void
test_reject(void **state)
{
	spoke_outbox *ob;
	ibx_ack ack;
	uint64_t *seqs, a, b;
	size_t n;
	char *reason;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	a = append(ob, 100, "bad listing");
	b = append(ob, 200, "good listing");
	memset(&ack, 0, sizeof(ack));
	ack.sequence = a;
	ack.status = IBX_ACK_INVALID;
	snprintf(ack.error, sizeof(ack.error),
		 "listing rejected: field \"languages[2]\": unknown code");
	assert_int_equal(spoke_outbox_reject(ob, a, &ack), IBX_OK);
	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(seqs[0], b);
	free(seqs);
	assert_true(exists("rejected/00000000000000000100.env"));
	assert_non_null(reason = read_text("rejected/00000000000000000100."
					   "reason"));
	assert_non_null(strstr(reason, "sequence: 100\n"));
	assert_non_null(strstr(reason, "status: invalid\n"));
	assert_non_null(strstr(reason, "code: 11\n"));
	assert_non_null(
	    strstr(reason, "error: listing rejected: field \"languages[2]\": "
			   "unknown code\n"));
	assert_non_null(strstr(reason, "time: 20"));
	free(reason);
	assert_int_equal(
	    spoke_outbox_list(dir, SPOKE_OUTBOX_REJECTED, &seqs, &n), IBX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(seqs[0], a);
	free(seqs);
	assert_int_equal(spoke_outbox_reject(ob, a, &ack), IBX_ENOTFOUND);
	spoke_outbox_close(ob);
}

static void
test_tmp_cleaned_on_open(void **state)
{
	spoke_outbox *ob;
	uint64_t *seqs;
	size_t n;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	append(ob, 500, "kept");
	spoke_outbox_close(ob);
	/* A crash while writing: a half envelope and a half status. */
	write_file("tmp/00000000000000000600.env", "half");
	write_file("tmp/status.json", "{");
	assert_int_equal(entries("tmp"), 2);
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(entries("tmp"), 0);
	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(seqs[0], 500);
	free(seqs);
	spoke_outbox_close(ob);
}

static void
test_sequence_across_reopen(void **state)
{
	spoke_outbox *ob;
	uint64_t seq;
	char *text;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(spoke_outbox_sequence(ob, 5000, &seq), IBX_OK);
	assert_int_equal(seq, 5000);
	/* Handed out, never appended: still never handed out again. */
	spoke_outbox_close(ob);
	assert_non_null(text = read_text("sequence"));
	assert_string_equal(text, "5000\n");
	free(text);

	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(spoke_outbox_sequence(ob, 4000, &seq), IBX_OK);
	assert_int_equal(seq, 5001); /* the clock went back */
	assert_int_equal(spoke_outbox_sequence(ob, 4000, &seq), IBX_OK);
	assert_int_equal(seq, 5002);
	assert_int_equal(spoke_outbox_sequence(ob, 9000, &seq), IBX_OK);
	assert_int_equal(seq, 9000); /* and forward again */
	spoke_outbox_close(ob);

	/* Without the sequence file, the envelopes still on disk bound it. */
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	append(ob, 20000, "x");
	spoke_outbox_close(ob);
	assert_int_equal(unlink(at("sequence")), 0);
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(spoke_outbox_sequence(ob, 100, &seq), IBX_OK);
	assert_int_equal(seq, 20001);
	spoke_outbox_close(ob);
}

/* A batch: consecutive numbers under one bound written ahead, pending/
 * synced once at the end, and after a reopen nothing of the block is
 * handed out again. */
static void
test_batch(void **state)
{
	spoke_outbox *ob;
	uint64_t *seqs, a, b, c;
	size_t n;
	char *text, want[32];

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	spoke_outbox_batch_begin(ob);
	a = append(ob, 7000, "a");
	b = append(ob, 9000000, "b"); /* the clock is not read in a block */
	c = append(ob, 1, "c");
	assert_int_equal(a, 7000);
	assert_int_equal(b, 7001);
	assert_int_equal(c, 7002);
	assert_non_null(text = read_text("sequence"));
	snprintf(want, sizeof(want), "%d\n",
		 7000 + SPOKE_OUTBOX_SEQUENCE_BLOCK);
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(spoke_outbox_batch_end(ob), IBX_OK);
	assert_int_equal(spoke_outbox_pending(ob, &seqs, &n), IBX_OK);
	assert_int_equal(n, 3);
	assert_int_equal(seqs[2], 7002);
	free(seqs);
	/* After the batch the clock counts again; removing leaves nothing. */
	assert_int_equal(append(ob, 9000000, "d"), 9000000);
	assert_int_equal(spoke_outbox_remove(ob, a), IBX_OK);
	assert_int_equal(spoke_outbox_remove(ob, a), IBX_ENOTFOUND);
	spoke_outbox_close(ob);

	/* A crash inside a block: the bound on disk covers what was handed
	 * out, so a reopen starts above it. */
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	spoke_outbox_batch_begin(ob);
	a = append(ob, 20000000, "e");
	spoke_outbox_close(ob); /* no batch_end: as if killed */
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(spoke_outbox_sequence(ob, 1, &b), IBX_OK);
	assert_true(b > a + SPOKE_OUTBOX_SEQUENCE_BLOCK - 1);
	spoke_outbox_close(ob);
}

static void
test_one_process_per_outbox(void **state)
{
	spoke_outbox *a, *b = NULL;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &a), IBX_OK);
	/* flock locks belong to the open file description: a second open,
	 * even in this process, is refused as another process's would be. */
	assert_int_equal(spoke_outbox_open(dir, &b), IBX_EIO);
	assert_null(b);
	spoke_outbox_close(a);
	assert_int_equal(spoke_outbox_open(dir, &b), IBX_OK);
	spoke_outbox_close(b);
}

static void
test_bad_sequence_file(void **state)
{
	spoke_outbox *ob = NULL;

	(void)state;
	assert_int_equal(mkdir(at("box"), 0700), 0);
	write_file("box/sequence", "12abc\n");
	assert_int_equal(spoke_outbox_open(at("box"), &ob), IBX_EINVAL);
	assert_null(ob);
}

static void
test_put_and_too_big(void **state)
{
	spoke_outbox *ob;
	ibx_bytes env;
	char *text;

	(void)state;
	assert_int_equal(spoke_outbox_open(dir, &ob), IBX_OK);
	assert_int_equal(spoke_outbox_put(ob, "status.json", "{}\n", 3, 0),
			 IBX_OK);
	assert_non_null(text = read_text("status.json"));
	assert_string_equal(text, "{}\n");
	free(text);
	env.len = IBX_WIRE_MAX_MESSAGE + 1;
	assert_non_null(env.data = calloc(1, env.len));
	assert_int_equal(spoke_outbox_append(ob, 7, &env), IBX_ETOOBIG);
	free(env.data);
	assert_int_equal(entries("pending"), 0);
	assert_int_equal(entries("tmp"), 0);
	spoke_outbox_close(ob);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_append_list_remove, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_names_sort_as_numbers, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tmp_cleaned_on_open, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_sequence_across_reopen, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_process_per_outbox, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_sequence_file, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_put_and_too_big, setup,
					    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
