/*
 * Lookups over the code lists.  The large lists are generated into
 * codes_table.c; the small project vocabularies live here.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "codes_table.h"

/* Sorted; documented in docs/listing-format.md. */
static const char *const treatments[] = {
    "bnct",
    "brain_dock",
    "cancer_screening",
    "cardiac_surgery",
    "catheter_intervention",
    "chemotherapy",
    "cosmetic_surgery",
    "dental_treatment",
    "dialysis",
    "endoscopic_surgery",
    "fertility_treatment",
    "health_checkup_premium",
    "health_checkup_standard",
    "heavy_ion_therapy",
    "immunotherapy",
    "imrt",
    "joint_replacement",
    "laparoscopic_surgery",
    "organ_transplant",
    "pet_ct",
    "proton_therapy",
    "regenerative_medicine",
    "rehabilitation",
    "robotic_surgery",
    "spine_surgery",
    "stereotactic_radiotherapy",
    "traditional_kampo",
};

static const char *const accreditations[] = {"JCI", "JIH", "JMIP"};

static int
cmp_str(const void *key, const void *elem)
{
	return (strcmp(key, *(const char *const *)elem));
}

static bool
in_sorted(const char *code, const char *const *list, size_t n)
{
	if (code == NULL)
		return (false);
	return (bsearch(code, list, n, sizeof(*list), cmp_str) != NULL);
}

bool
ibx_code_language(const char *code)
{
	return (in_sorted(code, ibx_iso639_1, ibx_iso639_1_len));
}

bool
ibx_code_country(const char *code)
{
	return (in_sorted(code, ibx_iso3166_alpha2, ibx_iso3166_alpha2_len));
}

bool
ibx_code_department(const char *code)
{
	return (
	    in_sorted(code, ibx_department_codes, ibx_department_codes_len));
}

bool
ibx_code_treatment(const char *code)
{
	return (in_sorted(code, treatments,
			  sizeof(treatments) / sizeof(treatments[0])));
}

bool
ibx_code_accreditation(const char *scheme)
{
	return (in_sorted(scheme, accreditations,
			  sizeof(accreditations) / sizeof(accreditations[0])));
}

static const struct ibx_prefecture *
prefecture_find(const char *code)
{
	size_t i;

	if (code == NULL)
		return (NULL);
	for (i = 0; i < ibx_prefectures_len; i++)
		if (strcmp(ibx_prefectures[i].code, code) == 0)
			return (&ibx_prefectures[i]);
	return (NULL);
}

const char *
ibx_code_prefecture_name(const char *code)
{
	const struct ibx_prefecture *p = prefecture_find(code);

	return (p != NULL ? p->romaji : NULL);
}

const char *
ibx_code_prefecture_kanji(const char *code)
{
	const struct ibx_prefecture *p = prefecture_find(code);

	return (p != NULL ? p->kanji : NULL);
}

static int
cmp_category(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct ibx_icd10_category *)elem)->code));
}

int
ibx_code_icd10_chapter(const char *category)
{
	const struct ibx_icd10_category *c;

	if (category == NULL)
		return (0);
	c = bsearch(category, ibx_icd10_categories, ibx_icd10_categories_len,
		    sizeof(*ibx_icd10_categories), cmp_category);
	return (c != NULL ? c->chapter : 0);
}

const char *
ibx_code_icd10_chapter_name(int chapter)
{
	size_t i;

	for (i = 0; i < ibx_icd10_chapters_len; i++)
		if (ibx_icd10_chapters[i].id == chapter)
			return (ibx_icd10_chapters[i].name);
	return (NULL);
}
