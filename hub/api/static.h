/*
 * The web pages the hub serves (hub/web): files under one root directory,
 * read on each request, with a content type by extension.  Paths are
 * checked before any file is opened: only [A-Za-z0-9._/-], no "..", no
 * hidden files, at most 200 bytes.
 */
#ifndef HUB_STATIC_H
#define HUB_STATIC_H

#include "http.h"

/* hub_static_serve: answer GET path (which starts with "/") from root:
 * "/" is index.html.  404 for a missing or refused path.  The body is a
 * new buffer owned by resp. */
void hub_static_serve(const char *root, const char *path,
		      ibx_http_response *resp);

#endif /* HUB_STATIC_H */
