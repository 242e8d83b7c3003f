/* The record of acknowledged envelopes; see journal.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "crypto.h"
#include "journal.h"
#include "log.h"
#include "statistics.h"

/* What a line says of the payload. */
struct payload_facts {
	char payload[24];
	char period[8];
	uint64_t cells;
	int64_t patients, charge_jpy;
};

static void
payload_facts(const ibx_bytes *envelope, struct payload_facts *f)
{
	ibx_envelope env;
	ibx_header h;
	ibx_case_statistics *s = NULL;
	size_t i;

	memset(f, 0, sizeof(*f));
	memset(&env, 0, sizeof(env));
	memset(&h, 0, sizeof(h));
	snprintf(f->payload, sizeof(f->payload), "0");
	snprintf(f->period, sizeof(f->period), "-");
	if (ibx_envelope_decode(envelope->data, envelope->len, &env) !=
		IBX_OK ||
	    ibx_header_decode(env.header.data, env.header.len, &h) != IBX_OK)
		goto out;
	switch (h.payload_type) {
	case IBX_PAYLOAD_HOSPITAL_LISTING:
		snprintf(f->payload, sizeof(f->payload), "hospital_listing");
		break;
	case IBX_PAYLOAD_COORDINATOR_LISTING:
		snprintf(f->payload, sizeof(f->payload),
			 "coordinator_listing");
		break;
	case IBX_PAYLOAD_CASE_STATISTICS:
		snprintf(f->payload, sizeof(f->payload), "case_statistics");
		if (ibx_statistics_decode(env.payload.data, env.payload.len,
					  &s) != IBX_OK)
			break;
		snprintf(f->period, sizeof(f->period), "%s", s->period);
		f->cells = s->n_cells;
		for (i = 0; i < s->n_cells; i++) {
			f->patients += s->cells[i].patients;
			f->charge_jpy += s->cells[i].charge_jpy;
		}
		break;
	default:
		snprintf(f->payload, sizeof(f->payload), "%d",
			 (int)h.payload_type);
		break;
	}
out:
	ibx_statistics_free(s);
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&env);
}

/* Write all of buf at the end of fd. */
static int
write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return (-1);
		buf += w;
		n -= (size_t)w;
	}
	return (0);
}

/* fsync the directory dir (a new name in it is durable only then). */
static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rv;

	if (fd < 0)
		return (-1);
	rv = fsync(fd);
	close(fd);
	return (rv);
}

ibx_err
spoke_journal_append(const char *dir, uint64_t seq, const ibx_ack *ack,
		     const ibx_bytes *envelope, int64_t now_ms)
{
	struct payload_facts f;
	uint8_t digest[IBX_SHA256_LEN];
	char path[4096] = "", line[512], hex[2 * IBX_SHA256_LEN + 1], last;
	struct stat st;
	int fd = -1, n;
	ibx_err rv = IBX_EIO;

	if (ack->status != IBX_ACK_ACCEPTED &&
	    ack->status != IBX_ACK_DUPLICATE)
		return (IBX_EINVAL);
	payload_facts(envelope, &f);
	ibx_sha256(envelope->data, envelope->len, digest);
	ibx_hex_encode(digest, IBX_SHA256_LEN, hex);
	n = snprintf(line, sizeof(line),
		     "%" PRIu64 "\t%s\t%s\t%s\t%" PRIu64 "\t%" PRId64
		     "\t%" PRId64 "\t%" PRId32 "\t%s\t%" PRId64 "\n",
		     seq, ibx_ack_status_name(ack->status), f.payload,
		     f.period, f.cells, f.patients, f.charge_jpy,
		     ack->listing_version, hex, now_ms);
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_JOURNAL_NAME) >=
		(int)sizeof(path))
		goto fail;
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &st) != 0)
		goto fail;
	/* A line cut short by a crash is ended before this one. */
	if (st.st_size > 0 && (pread(fd, &last, 1, st.st_size - 1) != 1 ||
			       (last != '\n' && write_all(fd, "\n", 1) != 0)))
		goto fail;
	if (write_all(fd, line, (size_t)n) != 0 || fsync(fd) != 0 ||
	    (st.st_size == 0 && sync_dir(dir) != 0))
		goto fail;
	rv = IBX_OK;
	goto out;
fail:
	IBX_ERROR("%s: cannot record acknowledged envelope %" PRIu64 ": %s",
		  path, seq, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	return (rv);
}
