/*
 * Listings written as JSON (docs/listing-format.md): reading a listing file
 * into an ibx_listing, and writing an ibx_listing as JSON.  The only module
 * of proto/ that includes jansson.  Reading checks shapes and types (a
 * string where a string belongs, no unknown fields); the rules about values
 * are ibx_listing_check's.
 */
#ifndef IBX_LISTING_JSON_H
#define IBX_LISTING_JSON_H

#include <stddef.h>

#include "err.h"
#include "listing.h"
#include "problems.h"

/* Largest listing file read, in bytes. */
#define IBX_LISTING_JSON_MAX (1024 * 1024)

/* ibx_listing_from_json: parse len bytes of JSON text.  Every shape problem
 * is added to 'problems'.  On IBX_OK *out is a new listing the caller frees
 * with ibx_listing_free; on IBX_EINVAL (bad JSON or a wrong shape) or
 * IBX_ETOOBIG nothing is returned. */
ibx_err ibx_listing_from_json(const char *text, size_t len,
			      ibx_problems *problems, ibx_listing **out);

/* ibx_listing_load_file: read a listing file (at most IBX_LISTING_JSON_MAX
 * bytes) and parse it as ibx_listing_from_json does.  IBX_EIO when the file
 * cannot be read (a problem names the file and errno). */
ibx_err ibx_listing_load_file(const char *path, ibx_problems *problems,
			      ibx_listing **out);

/* ibx_listing_to_json: the listing as compact JSON text with the fields in
 * documented order and absent optional fields left out.  On IBX_OK *out is a
 * new NUL-terminated string the caller frees with free(). */
ibx_err ibx_listing_to_json(const ibx_listing *l, char **out);

#endif /* IBX_LISTING_JSON_H */
