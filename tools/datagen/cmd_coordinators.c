/*
 * cmd_coordinators.c - "inbound-datagen coordinators": synthetic coordinator
 * listings, checked and written one file each.
 */
#include <stdio.h>

#include "commands.h"
#include "coordinators.h"
#include "emit.h"
#include "refdata.h"

dg_err
dg_coordinators_run(const dg_coordinators_opts *o)
{
	dg_err rv = DG_OK;
	dg_refdata *ref = NULL;
	dg_coordinator c;
	unsigned i;

	if (o->data_dir != NULL &&
	    (rv = dg_refdata_load(o->data_dir, &ref)) != DG_OK)
		goto out;
	if ((rv = dg_emit_prepare(o->out_dir)) != DG_OK)
		goto out;
	for (i = 0; i < o->count; i++) {
		dg_coordinator_make(i, o->seed, &c);
		if ((rv = dg_emit_coordinator(o->out_dir, &c)) != DG_OK)
			goto out;
	}
	fprintf(stderr,
		"%s: wrote %u coordinator listings to %s (seed %llu)\n",
		DG_PROG, o->count, o->out_dir, (unsigned long long)o->seed);
out:
	dg_refdata_free(ref);
	return (rv);
}
