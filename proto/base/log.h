/*
 * Logging for the hub and the spoke: one line per event on standard error,
 * "<time> <level> <program>: <message>", in PostgreSQL's message style
 * (lowercase, no full stop, context then cause); control bytes and bytes
 * outside UTF-8 in a message are written as \xNN, so a line is one event.
 * Thread-safe: each line is
 * written with one write(2).
 */
#ifndef IBX_LOG_H
#define IBX_LOG_H

typedef enum ibx_log_level {
	IBX_LOG_DEBUG = 0,
	IBX_LOG_INFO,
	IBX_LOG_WARN,
	IBX_LOG_ERROR,
} ibx_log_level;

/* ibx_log_init: set the program name shown on each line and the lowest
 * level written.  The name is not copied; pass a string literal. */
void ibx_log_init(const char *program, ibx_log_level min_level);

/* ibx_log: write one line at a level, printf-style. */
void ibx_log(ibx_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define IBX_DEBUG(...) ibx_log(IBX_LOG_DEBUG, __VA_ARGS__)
#define IBX_INFO(...)  ibx_log(IBX_LOG_INFO, __VA_ARGS__)
#define IBX_WARN(...)  ibx_log(IBX_LOG_WARN, __VA_ARGS__)
#define IBX_ERROR(...) ibx_log(IBX_LOG_ERROR, __VA_ARGS__)

#endif /* IBX_LOG_H */
