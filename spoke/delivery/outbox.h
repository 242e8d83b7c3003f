/*
 * The spoke's durable outbox: every sealed envelope is on disk before it
 * is sent, and leaves only when the hub has acknowledged it, so a crash,
 * a reboot or a hub outage loses nothing the spoke meant to send.  The
 * design follows the disk buffers of log shippers (Vector, Fluent Bit):
 * one file per envelope, made durable by write, fsync, rename, fsync of
 * the directory.
 *
 *   DIR/lock                 flock(2): one process per outbox
 *   DIR/sequence             the last sequence number handed out
 *   DIR/tmp/NAME             being written; removed on open (never sent)
 *   DIR/pending/SEQ.env      sealed, not yet acknowledged
 *   DIR/rejected/SEQ.env     refused by the hub for good, with
 *   DIR/rejected/SEQ.reason  the Ack's status and error
 *
 * SEQ is the envelope's sequence, zero-padded to 20 digits, so the names
 * sort like the numbers.  Sending and reading Acks are the caller's
 * (agent_drain.h); this module only stores.
 */
#ifndef SPOKE_OUTBOX_H
#define SPOKE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define SPOKE_OUTBOX_PENDING  "pending"
#define SPOKE_OUTBOX_REJECTED "rejected"

/* Where inbound-spoke run and status look when --outbox is not given. */
#define SPOKE_OUTBOX_DEFAULT "/var/lib/inbound-spoke/outbox"

/* Bytes of an envelope file name: 20 digits, ".env", NUL. */
#define SPOKE_OUTBOX_NAME_LEN 25

typedef struct spoke_outbox spoke_outbox;

/* spoke_outbox_open: open (creating, mode 0700, with its parents) the
 * outbox at dir, take its lock, remove whatever tmp/ holds (envelopes
 * whose writing was cut short: never acknowledged, never sent), and read
 * the last sequence: the largest of DIR/sequence and every pending or
 * rejected envelope.  IBX_EIO when a directory cannot be made or read, or
 * another process holds the lock; IBX_EINVAL when DIR/sequence is not a
 * number; IBX_ENOMEM.  Each is logged with the file name and errno.  On
 * IBX_OK close *out with spoke_outbox_close. */
ibx_err spoke_outbox_open(const char *dir, spoke_outbox **out);

/* spoke_outbox_close: release the lock and free; NULL is fine. */
void spoke_outbox_close(spoke_outbox *ob);

/* spoke_outbox_dir: the directory given to spoke_outbox_open (owned by
 * ob). */
const char *spoke_outbox_dir(const spoke_outbox *ob);

/* spoke_outbox_sequence: the sequence for a new envelope, given the time
 * now_us (Unix microseconds, spoke_sequence_now()): max(now_us, last + 1),
 * so it grows strictly even when the clock goes back.  It is written to
 * DIR/sequence (atomically, fsynced) before it is returned in *seq: a
 * number handed out is never handed out again, even after a crash.
 * IBX_EIO when it cannot be stored; IBX_ETOOBIG past INT64_MAX (the hub
 * stores a bigint). */
ibx_err spoke_outbox_sequence(spoke_outbox *ob, uint64_t now_us,
			      uint64_t *seq);

/* spoke_outbox_append: store envelope (sealed with sequence seq) as
 * pending: written to tmp/, fsynced, renamed into pending/, pending/
 * fsynced.  Only after IBX_OK may it be sent.  IBX_ETOOBIG over
 * IBX_WIRE_MAX_MESSAGE (no hub would take it); IBX_EIO (logged), and
 * nothing is left in pending/.  The envelope stays the caller's. */
ibx_err spoke_outbox_append(spoke_outbox *ob, uint64_t seq,
			    const ibx_bytes *envelope);

/* A batch: what one look at the sources seals (agent_scan.h) costs one
 * fsync of pending/ and at most one write of DIR/sequence per
 * SPOKE_OUTBOX_SEQUENCE_BLOCK envelopes, instead of three fsyncs each.
 * Between spoke_outbox_batch_begin and spoke_outbox_batch_end:
 *   - spoke_outbox_sequence hands out consecutive numbers from a block of
 *     SPOKE_OUTBOX_SEQUENCE_BLOCK written (fsynced) to DIR/sequence as its
 *     upper bound before the first is returned, so a number is still never
 *     handed out twice, even after a crash; the clock is read once per
 *     block (numbers stay within the block of the clock: 1 ms of
 *     microseconds ahead at most);
 *   - spoke_outbox_append writes and fsyncs the envelope's file and
 *     renames it into pending/, but leaves pending/ to
 *     spoke_outbox_batch_end.
 * Nothing appended in a batch may be sent, and nothing that depends on it
 * being stored (the agent's state) written, before spoke_outbox_batch_end
 * returned IBX_OK: it fsyncs pending/ once.  On IBX_EIO it removes every
 * envelope of the batch from pending/ (not known to be durable, so never
 * sent).  Without a batch every call is durable on its own, as above. */
#define SPOKE_OUTBOX_SEQUENCE_BLOCK 1000
void spoke_outbox_batch_begin(spoke_outbox *ob);
ibx_err spoke_outbox_batch_end(spoke_outbox *ob);

/* spoke_outbox_pending: the sequences in pending/, ascending, in a new
 * array *seqs of *n entries the caller frees (NULL when none).  Files
 * whose names are not SEQ.env are left alone and not listed. */
ibx_err spoke_outbox_pending(spoke_outbox *ob, uint64_t **seqs, size_t *n);

/* spoke_outbox_read: the bytes of pending envelope seq, new in *envelope
 * (ibx_bytes_fini).  IBX_ENOTFOUND when it is not pending; IBX_ETOOBIG
 * over IBX_WIRE_MAX_MESSAGE; IBX_EIO. */
ibx_err spoke_outbox_read(spoke_outbox *ob, uint64_t seq, ibx_bytes *envelope);

/* spoke_outbox_remove: the hub acknowledged seq (accepted or duplicate):
 * unlink it from pending/.  pending/ is not fsynced for it: the Ack is on
 * disk already (the journal, journal.h, is fsynced first), and an unlink
 * that a crash of the machine undoes only sends the envelope once more,
 * which the hub answers as a duplicate of what it holds (the journal then
 * has a second line for it).  One fsync less per envelope.  IBX_ENOTFOUND
 * when it was not there; IBX_EIO. */
ibx_err spoke_outbox_remove(spoke_outbox *ob, uint64_t seq);

/* spoke_outbox_reject: the hub refused seq for good: write
 * rejected/SEQ.reason (the Ack's sequence, status, time and error) and
 * move the envelope to rejected/SEQ.env, both durably.  IBX_ENOTFOUND,
 * IBX_EIO. */
ibx_err spoke_outbox_reject(spoke_outbox *ob, uint64_t seq,
			    const ibx_ack *ack);

/* spoke_outbox_put: replace DIR/name (a plain name, no slash) with len
 * bytes of data atomically: readers see the old file or the new one,
 * never part of one.  durable: fsync the file and DIR too (else a crash
 * of the machine may lose the update, though never tear it).  IBX_EIO. */
ibx_err spoke_outbox_put(spoke_outbox *ob, const char *name, const void *data,
			 size_t len, int durable);

/* spoke_outbox_list: the sequences of the envelopes in dir/sub (sub is
 * SPOKE_OUTBOX_PENDING or SPOKE_OUTBOX_REJECTED), ascending, as
 * spoke_outbox_pending but by path and without the lock: for looking at
 * an outbox another process runs.  A missing directory is no envelopes. */
ibx_err spoke_outbox_list(const char *dir, const char *sub, uint64_t **seqs,
			  size_t *n);

/* spoke_outbox_name: the file name of envelope seq into name. */
void spoke_outbox_name(uint64_t seq, char name[SPOKE_OUTBOX_NAME_LEN]);

/* spoke_outbox_crash_point: for the crash tests only, and only in a build
 * with the CMake option IBX_TEST_HOOKS (off by default: a shipped spoke
 * has no crash points and reads no such variable).  When the environment
 * variable IBX_SPOKE_CRASH_AT equals point ("after-rename": an envelope
 * renamed into pending/ but the directory not yet fsynced; "after-ack": the
 * hub's Ack read but the envelope not yet unlinked), the process ends at
 * once with _exit(137), as if killed by SIGKILL. */
#ifdef IBX_TEST_HOOKS
void spoke_outbox_crash_point(const char *point);
#else
#define spoke_outbox_crash_point(point) ((void)(point))
#endif

#endif /* SPOKE_OUTBOX_H */
