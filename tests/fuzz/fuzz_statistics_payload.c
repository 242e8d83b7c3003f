/*
 * libFuzzer target: a CaseStatistics payload as a hospital's spoke sends it
 * inside an envelope.  Decoded (proto/wire/codec_statistics.c) and checked
 * (proto/domain/statistics.c) as the hub does; the properties asserted are
 * fuzz.h's.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz_statistics_payload");
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_statistics_payload(data, size);
	return (0);
}
