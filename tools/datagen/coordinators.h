/*
 * coordinators.h - synthetic coordinator listings: certified medical
 * travel-support firms, which no open data lists. Every field is generated
 * (names from fixed word lists, example.jp addresses, phone numbers in an
 * unassigned local exchange) and the listing says so.
 */
#ifndef DG_COORDINATORS_H
#define DG_COORDINATORS_H

#include <stddef.h>
#include <stdint.h>

#include "datagen.h"

#define DG_COORDINATORS_MAX 100 /* distinct names the word lists give */

typedef struct dg_coordinator {
	char code[11]; /* "90" + 8 digits */
	char name_ja[128];
	char name_en[128];
	char prefecture[3];
	char certification[32];
	char certification_expires[11];
	const char *languages[16];
	size_t nlanguages;
	const char *countries[16];
	size_t ncountries;
	const char *services[8];
	size_t nservices;
	char website[128];
	char email[128];
	char phone[32];
	char confirmed_at[11];
} dg_coordinator;

/*
 * dg_coordinator_make fills *out with coordinator number index (0 to
 * DG_COORDINATORS_MAX - 1) drawn from seed. The organisation code depends on
 * index alone; no two indexes below DG_COORDINATORS_MAX get the same name,
 * and nothing depends on how many coordinators are made.
 */
void dg_coordinator_make(unsigned index, uint64_t seed, dg_coordinator *out);

#endif /* DG_COORDINATORS_H */
