/* Finding the installed data folders; see install.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install.h"
#include "log.h"

ibx_err
ibx_install_dir(const char *name, char *out, size_t n)
{
	char exe[PATH_MAX];
	struct stat st;
	ssize_t len;
	char *slash;
	int w;

	if (n > 0)
		out[0] = '\0';
	if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0) {
		IBX_ERROR("cannot read /proc/self/exe: %s", strerror(errno));
		return (IBX_EIO);
	}
	exe[len] = '\0';
	/* exe is <prefix>/<bindir>/<program>: strip two components. */
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	w = snprintf(out, n, "%s/%s/%s", slash != NULL ? exe : ".",
		     IBX_SHARE_DIR, name);
	if (w < 0 || (size_t)w >= n)
		return (IBX_ETOOBIG);
	if (stat(out, &st) != 0 || !S_ISDIR(st.st_mode))
		return (IBX_ENOTFOUND);
	return (IBX_OK);
}
