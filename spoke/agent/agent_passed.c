/* The envelopes that later ones passed; see agent_passed.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_passed.h"
#include "log.h"

/* dir/passed/SEQ (SEQ padded to 20 digits, as pending/'s names). */
static void
passed_path(const char *dir, uint64_t seq, char *out, size_t n)
{
	snprintf(out, n, "%s/%s/%020" PRIu64, dir, SPOKE_PASSED_DIR, seq);
}

ibx_err
spoke_agent_passed_mark(const char *dir, uint64_t seq, const char *superseded)
{
	char folder[4200], tmp[4320], path[4300];
	size_t len = strlen(superseded);
	int fd = -1, dfd = -1;

	snprintf(folder, sizeof(folder), "%s/%s", dir, SPOKE_PASSED_DIR);
	if (mkdir(folder, 0700) != 0 && errno != EEXIST) {
		IBX_ERROR("%s: cannot make the folder: %s", folder,
			  strerror(errno));
		return (IBX_EIO);
	}
	passed_path(dir, seq, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
		0 ||
	    write(fd, superseded, len) != (ssize_t)len || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0 ||
	    (dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(dfd) != 0)
		goto fail;
	close(dfd);
	return (IBX_OK);
fail:
	IBX_ERROR("%s: cannot record the passed envelope: %s", path,
		  strerror(errno));
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	unlink(tmp);
	return (IBX_EIO);
}

int
spoke_agent_passed_find(const char *dir, uint64_t seq, char *why, size_t n)
{
	char path[4300];
	ssize_t got;
	int fd;

	why[0] = '\0';
	passed_path(dir, seq, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (0);
	got = read(fd, why, n - 1);
	close(fd);
	if (got < 0) {
		/* Passed all the same: sealed again rather than lost. */
		IBX_ERROR("%s: cannot read: %s", path, strerror(errno));
		got = 0;
	}
	why[got] = '\0';
	return (1);
}

void
spoke_agent_passed_clear(const char *dir, uint64_t seq)
{
	char path[4300];

	passed_path(dir, seq, path, sizeof(path));
	if (unlink(path) != 0 && errno != ENOENT)
		IBX_WARN("%s: cannot remove: %s", path, strerror(errno));
}
