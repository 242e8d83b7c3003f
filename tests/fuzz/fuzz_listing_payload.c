/*
 * libFuzzer target: a HospitalListing payload as a spoke sends it inside an
 * envelope.  The hub decodes it (proto/wire/codec.c), checks every rule
 * (proto/domain/listing_check.c) and writes an accepted listing as JSON
 * (proto/wire/listing_json.c); the properties asserted are fuzz.h's.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz_listing_payload");
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_listing_payload(data, size);
	return (0);
}
