/*
 * The fields of the national hospital list (docs/listing-format.md, "Names
 * and readings"): names in the languages of the main markets, romaji
 * readings of the name and the address, where an English name came from,
 * and how a location was found. All are optional, so a listing written
 * before them stays valid.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "listing.h"

#define NAME_MAX_BYTES	       200
#define ADDRESS_LATN_MAX_BYTES 600

/* zh-Hans and zh-Hant (Simplified and Traditional Chinese), ko, vi, ru: the
 * markets of the seed report and the demand data (China, Taiwan, Hong
 * Kong, Korea, Vietnam, Russia); ja-Latn: the romaji reading (BCP 47). */
const char *const ibx_name_langs[IBX_NAME_NLANGS] = {
    "zh-Hans", "zh-Hant", "ko", "vi", "ru", "ja-Latn",
};

static const char *const en_sources[] = {"registered", "transliteration"};
static const char *const geocode_levels[] = {"official", "town",
					     "municipality"};

int
ibx_name_lang_index(const char *tag)
{
	int i;

	for (i = 0; i < IBX_NAME_NLANGS; i++)
		if (strcmp(tag, ibx_name_langs[i]) == 0)
			return (i);
	return (-1);
}

/* Adds a problem when s is given and not one of the n allowed values. */
static void
check_one_of(ibx_problems *p, const char *field, const char *s,
	     const char *const *allowed, size_t n, const char *list)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < n; i++)
		if (strcmp(s, allowed[i]) == 0)
			return;
	ibx_problems_addc(p, field, "one_of", "must be one of %s", list);
}

void
ibx_listing_check_national(const ibx_listing *l, ibx_problems *p)
{
	char path[32];
	int i;

	for (i = 0; i < IBX_NAME_NLANGS; i++) {
		snprintf(path, sizeof(path), "name.%s", ibx_name_langs[i]);
		ibx_check_text(p, path, l->names[i], NAME_MAX_BYTES, false);
	}
	ibx_check_text(p, "address_latn", l->address_latn,
		       ADDRESS_LATN_MAX_BYTES, false);
	check_one_of(p, "name_en_source", l->name_en_source, en_sources, 2,
		     "registered, transliteration");
	if (l->name_en_source != NULL && l->name_en == NULL)
		ibx_problems_addc(p, "name_en_source", "needs_name_en",
				  "is given but name.en is not");
	check_one_of(p, "geocode_level", l->geocode_level, geocode_levels, 3,
		     "official, town, municipality");
	if (l->geocode_level != NULL && !l->has_location)
		ibx_problems_addc(p, "geocode_level", "needs_location",
				  "is given but location is not");
}
