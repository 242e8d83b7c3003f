/* Static web files; see static.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "static.h"

#define STATIC_PATH_MAX 200
#define STATIC_FILE_MAX (8 * 1024 * 1024)

static const struct {
	const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".map", "application/json"},
};

static int
path_allowed(const char *p)
{
	const char *c;

	if (strlen(p) > STATIC_PATH_MAX || p[0] != '/' ||
	    strstr(p, "..") != NULL || strstr(p, "/.") != NULL ||
	    strstr(p, "//") != NULL)
		return (0);
	for (c = p; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
		      *c == '/' || *c == '-'))
			return (0);
	return (1);
}

static void
not_found(ibx_http_response *resp)
{
	resp->status = 404;
	resp->body = strdup("not found\n");
	resp->len = resp->body != NULL ? strlen(resp->body) : 0;
	resp->content_type = "text/plain; charset=utf-8";
}

void
ibx_http_static_serve(const char *root, const char *path,
		      ibx_http_response *resp)
{
	char file[4096];
	struct stat st;
	const char *dot;
	size_t i, n;
	FILE *f;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	if (root == NULL || !path_allowed(path)) {
		not_found(resp);
		return;
	}
	snprintf(file, sizeof(file), "%s%s", root, path);
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > STATIC_FILE_MAX || (f = fopen(file, "rb")) == NULL) {
		not_found(resp);
		return;
	}
	if ((resp->body = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		resp->status = 500;
		return;
	}
	n = fread(resp->body, 1, (size_t)st.st_size, f);
	fclose(f);
	resp->len = n;
	resp->status = 200;
	resp->content_type = "application/octet-stream";
	dot = strrchr(path, '.');
	for (i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			resp->content_type = types[i].type;
}
