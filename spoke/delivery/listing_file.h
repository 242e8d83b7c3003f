/*
 * A listing file on its way to the hub: read as the organisation's own
 * hospital listing or coordinator listing (the certificate's role says
 * which), checked by every rule of docs/listing-format.md, and encoded as
 * the payload of an envelope.  Shared by inbound-spoke check, seal,
 * publish and run; sealing and sending are the caller's.
 */
#ifndef SPOKE_LISTING_FILE_H
#define SPOKE_LISTING_FILE_H

#include <stdio.h>

#include "envelope.h"
#include "err.h"
#include "listing.h"
#include "problems.h"
#include "wire.h"

/* spoke_listing_hospital: read and check the hospital listing at
 * path.  A new listing (ibx_listing_free), or NULL with every problem
 * added to problems. */
ibx_listing *spoke_listing_hospital(const char *path, ibx_problems *problems);

/* spoke_listing_load: read the listing at path as id's own: a
 * coordinator listing when id's certificate names a coordinator, else a
 * hospital listing; check it, and check that its organisation code is
 * id's.  IBX_OK with *type, code (the listing's organisation code) and
 * *payload (new bytes the caller frees with ibx_bytes_fini).  IBX_EINVAL
 * when the listing is refused, every problem added to problems (code is
 * set when the listing named one); IBX_ENOMEM when it cannot be encoded. */
ibx_err spoke_listing_load(const char *path, const spoke_identity *id,
			   ibx_problems *problems, ibx_payload_type *type,
			   char code[32], ibx_bytes *payload);

/* spoke_listing_problems_print: every problem as "PATH: WHAT refused:
 * PROBLEM" on f ("listing", "statistics"), then how many more there were
 * past the kept ones. */
void spoke_listing_problems_print(FILE *f, const char *path, const char *what,
				  const ibx_problems *problems);

#endif /* SPOKE_LISTING_FILE_H */
