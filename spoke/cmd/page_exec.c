/*
 * inbound-spoke serve and inbound-spoke user: exec inbound-spoke-page
 * (spoke/page), the executable that holds the page and its accounts, so
 * that the sending commands never load libmicrohttpd and the libraries it
 * pulls in (GnuTLS, p11-kit, nettle, GMP...): 3-4 ms of start-up CPU for
 * each spoke run, thousands of runs in the main job (docs/PERFORMANCE.md,
 * figure 8).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spoke_cmd.h"

#define PAGE_NAME "inbound-spoke-page"

int
spoke_cmd_page_exec(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + sizeof(PAGE_NAME) + 1];
	char **args = NULL;
	ssize_t n;
	int i, status = 1;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0) {
		fprintf(stderr,
			"inbound-spoke: cannot find its own executable "
			"(/proc/self/exe): %s\n",
			strerror(errno));
		goto out;
	}
	self[n] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dirname(self), PAGE_NAME);
	/* inbound-spoke-page COMMAND ARGS..., then the terminating NULL */
	if ((args = calloc((size_t)argc + 2, sizeof(*args))) == NULL) {
		fprintf(stderr, "inbound-spoke: out of memory\n");
		goto out;
	}
	args[0] = path;
	for (i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	execv(path, args);
	fprintf(stderr, "inbound-spoke %s: cannot run %s: %s\n", argv[0], path,
		strerror(errno));
out:
	free(args);
	return (status);
}
