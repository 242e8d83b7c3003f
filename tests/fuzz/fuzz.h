/*
 * Shared by the libFuzzer targets in tests/fuzz/: the entry points libFuzzer
 * calls, the checks on decoded payloads that the envelope target and the
 * payload targets both run, and FUZZ_REQUIRE for the properties a target
 * asserts.  A broken property prints what broke and aborts, which libFuzzer
 * reports as a crash and saves the input that caused it; the sanitizers
 * (ASan, UBSan, LeakSanitizer) report the rest.
 */
#ifndef IBX_FUZZ_H
#define IBX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The reporting period the statistics rules are checked against: fixed, so
 * that an input behaves the same on every run. */
#define FUZZ_NOW_PERIOD "2026-06"

/* libFuzzer's entry points (declared here for -Wmissing-prototypes). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_init: quiet the library's logging (every refused certificate is a
 * debug line otherwise).  Call from LLVMFuzzerInitialize. */
void fuzz_init(const char *program);

/* fuzz_fail: print "fuzz: property broken: <what> (<file>:<line>)" to
 * stderr and abort. */
_Noreturn void fuzz_fail(const char *what, const char *file, int line);

#define FUZZ_REQUIRE(cond)                                                    \
	do {                                                                  \
		if (!(cond))                                                  \
			fuzz_fail(#cond, __FILE__, __LINE__);                 \
	} while (0)

/* fuzz_listing_payload: what the hub does with a HospitalListing payload
 * of len bytes: decode, check, and for a listing that passes, write it as
 * the JSON document the hub stores.  Asserts that decoding and encoding
 * reach a fixed point (encode(decode(b)) decodes again to the same bytes),
 * and that a listing the rules accept can be written as JSON that reads
 * back and passes the rules again. */
void fuzz_listing_payload(const uint8_t *buf, size_t len);

/* fuzz_statistics_payload: decode and check a CaseStatistics payload of len
 * bytes; asserts the same codec fixed point. */
void fuzz_statistics_payload(const uint8_t *buf, size_t len);

#endif /* IBX_FUZZ_H */
