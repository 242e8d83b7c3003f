/*
 * Web pages served from files (the hub's hub/web, the spoke's page): files
 * under one root directory, read on each request, with a content type by
 * extension.  Paths are checked before any file is opened: only
 * [A-Za-z0-9._/-], no "..", no hidden files, at most 200 bytes.
 */
#ifndef IBX_HTTP_STATIC_H
#define IBX_HTTP_STATIC_H

#include "http.h"

/* ibx_http_static_serve: answer GET path (which starts with "/") from root:
 * "/" is index.html.  404 for a missing or refused path.  The body is a
 * new buffer owned by resp. */
void ibx_http_static_serve(const char *root, const char *path,
			   ibx_http_response *resp);

#endif /* IBX_HTTP_STATIC_H */
