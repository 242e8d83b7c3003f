/*
 * The package format's shared pieces (package.h): chunk file names, the
 * rule for file names, big-endian integers, and the file-system steps that
 * make a folder appear whole or not at all.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "package.h"
#include "package_int.h"
#include "text.h"

ibx_err
ibx_package_chunk_path(const char *dir, uint32_t index, char *out, size_t n)
{
	int w = snprintf(out, n, "%s/%06u.chunk", dir, index);

	return (w < 0 || (size_t)w >= n ? IBX_ETOOBIG : IBX_OK);
}

bool
ibx_package_name_valid(const char *name, size_t len)
{
	size_t i, start = 0;

	if (len == 0 || len > IBX_PACKAGE_NAME_MAX || name[0] == '/')
		return (false);
	for (i = 0; i <= len; i++) {
		if (i < len && ((unsigned char)name[i] < 0x20 ||
				(unsigned char)name[i] == 0x7f))
			return (false);
		if (i == len || name[i] == '/') {
			size_t c = i - start;

			if (c == 0 || (c == 1 && name[start] == '.') ||
			    (c == 2 && name[start] == '.' &&
			     name[start + 1] == '.'))
				return (false);
			start = i + 1;
		}
	}
	return (true);
}

void
pkg_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
pkg_put_be32(uint8_t *p, uint32_t v)
{
	pkg_put_be16(p, (uint16_t)(v >> 16));
	pkg_put_be16(p + 2, (uint16_t)v);
}

void
pkg_put_be64(uint8_t *p, uint64_t v)
{
	pkg_put_be32(p, (uint32_t)(v >> 32));
	pkg_put_be32(p + 4, (uint32_t)v);
}

uint16_t
pkg_get_be16(const uint8_t *p)
{
	return ((uint16_t)((p[0] << 8) | p[1]));
}

uint32_t
pkg_get_be32(const uint8_t *p)
{
	return (((uint32_t)pkg_get_be16(p) << 16) | pkg_get_be16(p + 2));
}

uint64_t
pkg_get_be64(const uint8_t *p)
{
	return (((uint64_t)pkg_get_be32(p) << 32) | pkg_get_be32(p + 4));
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	if (flag == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);
	return (0);
}

void
pkg_remove_tree(const char *path)
{
	(void)nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void
pkg_remove_leftovers(const char *dir)
{
	char *a = strdup(dir), *b = strdup(dir), path[PATH_MAX];
	const char *parent, *base;
	struct dirent *de;
	size_t n;
	DIR *d;

	if (a == NULL || b == NULL)
		goto out;
	parent = dirname(a);
	base = basename(b);
	n = strlen(base);
	if ((d = opendir(parent)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, base, n) == 0 &&
		    strncmp(de->d_name + n, ".part-", 6) == 0 &&
		    strlen(de->d_name + n + 6) == 6 &&
		    snprintf(path, sizeof(path), "%s/%s", parent, de->d_name) <
			(int)sizeof(path))
			pkg_remove_tree(path);
	closedir(d);
out:
	free(a);
	free(b);
}

ibx_err
pkg_rename_new(const char *from, const char *to, char *err, size_t n)
{
	char *copy = NULL;
	int fd, e;

	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) != 0) {
		e = errno;
		snprintf(err, n, "cannot rename to \"%s\": %s", to,
			 strerror(e));
		return (e == EEXIST || e == ENOTEMPTY ? IBX_EINVAL : IBX_EIO);
	}
	if ((copy = strdup(to)) == NULL)
		return (IBX_ENOMEM);
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >=
	    0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
	return (IBX_OK);
}

static int
sync_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	int fd, rv = 0;

	(void)sb;
	(void)f;
	if (flag != FTW_D && flag != FTW_F)
		return (0);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
			    (flag == FTW_D ? O_DIRECTORY : 0));
	if (fd < 0)
		return (-1);
	if (fsync(fd) != 0)
		rv = -1;
	close(fd);
	return (rv);
}

ibx_err
pkg_sync_tree(const char *path, char *err, size_t n)
{
	if (nftw(path, sync_one, 16, FTW_PHYS) != 0) {
		snprintf(err, n, "cannot sync \"%s\": %s", path,
			 strerror(errno));
		return (IBX_EIO);
	}
	return (IBX_OK);
}

void
pkg_start_writeback(int fd, uint64_t off, uint64_t len)
{
	(void)sync_file_range(fd, (off_t)off, (off_t)len,
			      SYNC_FILE_RANGE_WRITE);
}

const char *
pkg_shown(const char *name, size_t len, char *out, size_t n)
{
	char buf[IBX_PACKAGE_NAME_MAX + 1];
	size_t i, m = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;

	/* Control characters and NUL shown as '?': the name is refused. */
	for (i = 0; i < m; i++)
		buf[i] = (unsigned char)name[i] < 0x20 ? '?' : name[i];
	buf[m] = '\0';
	ibx_text_quote_short(out, n, buf);
	return (out);
}
