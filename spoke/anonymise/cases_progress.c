/* The terminal progress bar; see cases_progress.h. */
#include <string.h>
#include <unistd.h>

#include "cases_progress.h"

#define WIDTH 40

void
spoke_progress_start(spoke_progress *p, FILE *out, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->shown = -1;
	if (out != NULL && total >= SPOKE_PROGRESS_MIN && isatty(fileno(out)))
		p->out = out;
	p->total = total;
}

void
spoke_progress_update(spoke_progress *p, uint64_t bytes, uint64_t rows)
{
	char bar[WIDTH + 1];
	int permille, fill;

	if (p->out == NULL || p->total == 0)
		return;
	permille = bytes >= p->total ? 1000 : (int)(bytes * 1000 / p->total);
	if (permille / 5 == p->shown / 5)
		return;
	p->shown = permille;
	fill = permille * WIDTH / 1000;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(WIDTH - fill));
	bar[WIDTH] = '\0';
	fprintf(p->out, "\r[%s] %3d%%  %llu rows", bar, permille / 10,
		(unsigned long long)rows);
	fflush(p->out);
}

void
spoke_progress_end(spoke_progress *p)
{
	if (p->out != NULL && p->shown >= 0) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	p->out = NULL;
}
