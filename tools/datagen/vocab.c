/*
 * vocab.c - the listing formats' fixed code lists.
 */
#include <string.h>

#include "vocab.h"

const char *const dg_treatments[] = {
    "proton_therapy",
    "heavy_ion_therapy",
    "bnct",
    "imrt",
    "stereotactic_radiotherapy",
    "robotic_surgery",
    "laparoscopic_surgery",
    "endoscopic_surgery",
    "chemotherapy",
    "immunotherapy",
    "pet_ct",
    "health_checkup_standard",
    "health_checkup_premium",
    "brain_dock",
    "cancer_screening",
    "regenerative_medicine",
    "cardiac_surgery",
    "catheter_intervention",
    "joint_replacement",
    "spine_surgery",
    "organ_transplant",
    "fertility_treatment",
    "dialysis",
    "rehabilitation",
    "dental_treatment",
    "cosmetic_surgery",
    "traditional_kampo",
};
const size_t dg_ntreatments = sizeof(dg_treatments) / sizeof(dg_treatments[0]);

const char *const dg_coordinator_services[] = {
    "visa_guarantee",
    "interpreting",
    "transport",
    "accommodation",
    "remote_second_opinion_arrangement",
    "medical_records_translation",
};
const size_t dg_ncoordinator_services =
    sizeof(dg_coordinator_services) / sizeof(dg_coordinator_services[0]);

/* Returns 1 when s is one of the n strings in list. */
static int
in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

int
dg_vocab_treatment(const char *code)
{
	return (in_list(dg_treatments, dg_ntreatments, code));
}

int
dg_vocab_price_service(const char *service)
{
	return (dg_vocab_treatment(service) ||
		strcmp(service, "consultation") == 0 ||
		strcmp(service, "second_opinion") == 0);
}

int
dg_vocab_scheme(const char *scheme)
{
	return (strcmp(scheme, "JMIP") == 0 || strcmp(scheme, "JIH") == 0 ||
		strcmp(scheme, "JCI") == 0);
}

int
dg_vocab_coordinator_service(const char *service)
{
	return (in_list(dg_coordinator_services, dg_ncoordinator_services,
			service));
}
