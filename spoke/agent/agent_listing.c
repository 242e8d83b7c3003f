/* The listing the hub acknowledged, as its bytes; see agent_listing.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_listing.h"
#include "log.h"

/* fsync the folder path, so a rename in it survives a crash. */
static ibx_err
sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	ibx_err rv = IBX_OK;

	if (fd < 0 || fsync(fd) != 0) {
		IBX_ERROR("%s: cannot sync the folder: %s", path,
			  strerror(errno));
		rv = IBX_EIO;
	}
	if (fd >= 0)
		close(fd);
	return (rv);
}

ibx_err
spoke_agent_listing_keep(const char *dir, uint64_t seq, const char *text,
			 size_t len)
{
	char folder[4200], tmp[4300], path[4300];
	ibx_err rv = IBX_EIO;
	int fd = -1;

	snprintf(folder, sizeof(folder), "%s/%s", dir, SPOKE_LISTING_COPIES);
	if (mkdir(folder, 0700) != 0 && errno != EEXIST) {
		IBX_ERROR("%s: cannot make the folder: %s", folder,
			  strerror(errno));
		return (IBX_EIO);
	}
	snprintf(tmp, sizeof(tmp), "%s/%" PRIu64 ".json.tmp", folder, seq);
	snprintf(path, sizeof(path), "%s/%" PRIu64 ".json", folder, seq);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0)
		goto fail;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return (sync_dir(folder));
fail:
	IBX_ERROR("%s: cannot keep the sealed listing: %s", path,
		  strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return (rv);
}

ibx_err
spoke_agent_listing_acked(const char *dir, uint64_t seq, int accepted)
{
	char from[4300], to[4300];

	snprintf(from, sizeof(from), "%s/%s/%" PRIu64 ".json", dir,
		 SPOKE_LISTING_COPIES, seq);
	if (accepted)
		snprintf(to, sizeof(to), "%s/%s", dir,
			 SPOKE_LISTING_ACKNOWLEDGED);
	else
		snprintf(to, sizeof(to), "%s/%s/%" PRIu64 ".refused", dir,
			 SPOKE_LISTING_COPIES, seq);
	if (rename(from, to) != 0) {
		if (errno == ENOENT)
			return (IBX_OK); /* not a listing, or filed already */
		IBX_ERROR("%s: cannot file the acknowledged listing: %s", from,
			  strerror(errno));
		return (IBX_EIO);
	}
	/* Out of listings/ (and into dir when accepted): both folders. */
	snprintf(from, sizeof(from), "%s/%s", dir, SPOKE_LISTING_COPIES);
	if (accepted && sync_dir(dir) != IBX_OK)
		return (IBX_EIO);
	return (sync_dir(from));
}

ibx_err
spoke_agent_listing_resealed(const char *dir, uint64_t seq, uint64_t fresh)
{
	char from[4300], to[4300];

	snprintf(from, sizeof(from), "%s/%s/%" PRIu64 ".json", dir,
		 SPOKE_LISTING_COPIES, seq);
	snprintf(to, sizeof(to), "%s/%s/%" PRIu64 ".json", dir,
		 SPOKE_LISTING_COPIES, fresh);
	if (rename(from, to) != 0) {
		if (errno == ENOENT)
			return (IBX_OK); /* not a listing */
		IBX_ERROR("%s: cannot follow the envelope sealed again: %s",
			  from, strerror(errno));
		return (IBX_EIO);
	}
	snprintf(from, sizeof(from), "%s/%s", dir, SPOKE_LISTING_COPIES);
	return (sync_dir(from));
}
