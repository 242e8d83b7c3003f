/*
 * Where a program finds the data it ships with (the hub's SQL and web
 * folders): <prefix>/share/inbound-exchange/<name>, where <prefix> is the
 * parent of the folder that holds the running executable.  Installed,
 * /usr/local/bin/inbound-hub finds /usr/local/share/inbound-exchange/sql;
 * in the build tree, build/hub/inbound-hub finds
 * build/share/inbound-exchange/sql, a link CMake makes to deploy/sql.  No
 * source-tree path is compiled in; flags (--sql-dir, --web) override.
 */
#ifndef IBX_INSTALL_H
#define IBX_INSTALL_H

#include <stddef.h>

#include "err.h"

/* The folder under <prefix>, set by the build (GNUInstallDirs' DATADIR). */
#ifndef IBX_SHARE_DIR
#define IBX_SHARE_DIR "share/inbound-exchange"
#endif

/*
 * ibx_install_dir: write <prefix>/IBX_SHARE_DIR/name (see above) to out, a
 * buffer of n bytes, the executable's path resolved by /proc/self/exe.
 * IBX_OK when it is a folder; IBX_ENOTFOUND when it is not (out still holds
 * the path, for the caller's message); IBX_EIO when /proc/self/exe cannot
 * be read; IBX_ETOOBIG when the path does not fit in n bytes.
 */
ibx_err ibx_install_dir(const char *name, char *out, size_t n);

#endif /* IBX_INSTALL_H */
