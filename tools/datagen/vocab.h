/*
 * vocab.h - the fixed vocabularies of the listing formats: treatment codes
 * (docs/listing-format.md, "Treatment vocabulary"), the extra price band
 * services, accreditation schemes and coordinator services.
 */
#ifndef DG_VOCAB_H
#define DG_VOCAB_H

#include <stddef.h>

/* Treatment codes in the order of the documentation. */
extern const char *const dg_treatments[];
extern const size_t dg_ntreatments;

/* Coordinator services. */
extern const char *const dg_coordinator_services[];
extern const size_t dg_ncoordinator_services;

/* dg_vocab_treatment returns 1 for a treatment code, else 0. */
int dg_vocab_treatment(const char *code);

/*
 * dg_vocab_price_service returns 1 for a valid price band service: a
 * treatment code, "consultation" or "second_opinion".
 */
int dg_vocab_price_service(const char *service);

/* dg_vocab_scheme returns 1 for "JMIP", "JIH" or "JCI", else 0. */
int dg_vocab_scheme(const char *scheme);

/* dg_vocab_coordinator_service returns 1 for a coordinator service. */
int dg_vocab_coordinator_service(const char *service);

#endif /* DG_VOCAB_H */
