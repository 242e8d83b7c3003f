/*
 * What the package writer and reader share (package_format.c); not a
 * public face of spoke/referral.
 */
#ifndef IBX_PACKAGE_INT_H
#define IBX_PACKAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The fixed head of the clear stream: the tag with its NUL, the count. */
#define PKG_TAG_LEN  (sizeof(IBX_PACKAGE_TAG))
#define PKG_HEAD_LEN (PKG_TAG_LEN + 4)
/* Per file after its name: size (8) and SHA-256 (32). */
#define PKG_META_LEN 40

void pkg_put_be16(uint8_t *p, uint16_t v);
void pkg_put_be32(uint8_t *p, uint32_t v);
void pkg_put_be64(uint8_t *p, uint64_t v);
uint16_t pkg_get_be16(const uint8_t *p);
uint32_t pkg_get_be32(const uint8_t *p);
uint64_t pkg_get_be64(const uint8_t *p);

/* pkg_remove_tree: remove path and everything under it, never following
 * a symbolic link.  Errors are ignored (best effort on a failure path). */
void pkg_remove_tree(const char *path);

/* pkg_remove_leftovers: remove the temporary folders "<dir>.part-XXXXXX"
 * a reader killed before it finished left beside dir (they may hold
 * decrypted files). */
void pkg_remove_leftovers(const char *dir);

/* pkg_rename_new: rename from to to, refusing to replace anything at to
 * (renameat2 RENAME_NOREPLACE), then fsync to's parent folder.  IBX_EINVAL
 * when to exists, IBX_EIO (errno in err). */
ibx_err pkg_rename_new(const char *from, const char *to, char *err, size_t n);

/* pkg_sync_tree: fsync every file and folder under path (path too), so
 * everything written there is on disk before the folder is renamed.  The
 * writers start each file's write-back as they go (pkg_start_writeback),
 * so the disk works while they encrypt and these fsyncs wait little.
 * IBX_EIO. */
ibx_err pkg_sync_tree(const char *path, char *err, size_t n);

/* pkg_start_writeback: ask the kernel to start writing len bytes of fd
 * from off to disk now, without waiting (sync_file_range). */
void pkg_start_writeback(int fd, uint64_t off, uint64_t len);

/* pkg_shown: name (len bytes) quoted for a message, cut short, into out
 * (n bytes).  Returns out. */
const char *pkg_shown(const char *name, size_t len, char *out, size_t n);

#endif /* IBX_PACKAGE_INT_H */
