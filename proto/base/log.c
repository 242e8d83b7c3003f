/* One-line logging to standard error; see log.h. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "text.h"

static const char *log_program = "inbound";
static ibx_log_level log_min = IBX_LOG_INFO;

void
ibx_log_init(const char *program, ibx_log_level min_level)
{
	log_program = program;
	log_min = min_level;
}

void
ibx_log(ibx_log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warning", "error"};
	char line[2048], msg[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	if (level < log_min)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(
	    line, sizeof(line),
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, names[level], log_program);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_start(ap, fmt);
	m = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	if ((size_t)m >= sizeof(msg))
		m = (int)sizeof(msg) - 1;
	/* One event, one line: a newline or a non-UTF-8 byte in what a peer
	 * sent cannot forge or hide a line (issue 14, finding 5). */
	n += (int)ibx_text_escape(line + n, sizeof(line) - (size_t)n - 1, msg,
				  (size_t)m);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
