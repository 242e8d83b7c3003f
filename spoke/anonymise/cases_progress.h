/*
 * A progress bar for reading a large case-record file, drawn on a terminal
 * only (isatty), so logs and pipes never see it.
 */
#ifndef SPOKE_CASES_PROGRESS_H
#define SPOKE_CASES_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

/* Files smaller than this read too fast to need a bar, bytes. */
#define SPOKE_PROGRESS_MIN (8 * 1024 * 1024)

typedef struct spoke_progress {
	FILE *out;	/* NULL: no bar */
	uint64_t total; /* bytes */
	int shown;	/* the last permille drawn, -1 before the first */
} spoke_progress;

/* spoke_progress_start: a bar on out for a file of total bytes when out is
 * a terminal and total is at least SPOKE_PROGRESS_MIN; else a bar that
 * draws nothing. */
void spoke_progress_start(spoke_progress *p, FILE *out, uint64_t total);

/* spoke_progress_update: bytes read so far and records so far. */
void spoke_progress_update(spoke_progress *p, uint64_t bytes, uint64_t rows);

/* spoke_progress_end: erase the bar. */
void spoke_progress_end(spoke_progress *p);

#endif /* SPOKE_CASES_PROGRESS_H */
