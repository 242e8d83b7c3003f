/*
 * The guard in front of the hub's nng port: handshake timeout, caps per
 * address and in total, and a bound on busy connections (guard.c).
 * Private to proto/transport.
 */
#ifndef IBX_GUARD_H
#define IBX_GUARD_H

#include "err.h"
#include "transport.h"

typedef struct ibx_guard ibx_guard;

/* ibx_guard_open: listen on host:port and relay every accepted
 * connection, within lim, to 127.0.0.1:backend_port (nng's listener),
 * from guard processes forked here (as many as two descriptors per
 * connection up to lim->max_conns need under RLIMIT_NOFILE, at most 16;
 * guard.c).  Call it before the process has children it waits for with
 * waitpid(-1).  IBX_EIO (logged) when the port cannot be taken or a
 * process not started.  Close with ibx_guard_close. */
ibx_err ibx_guard_open(const char *host, const char *port,
		       const ibx_transport_limits *lim, int backend_port,
		       ibx_guard **out);

/* ibx_guard_start: let the guard processes serve, relaying to
 * backend_port (nng's listener, started after ibx_guard_open, which is
 * called with 0 before any other thread of the process starts, so that
 * the children inherit no lock held by another thread; a fork after
 * threads ran could hang a child, as AddressSanitizer's allocator did). */
void ibx_guard_start(ibx_guard *g, int backend_port);

/* ibx_guard_set_backend: relay new connections to backend_port from now
 * on (after the listener was replaced). */
void ibx_guard_set_backend(ibx_guard *g, int backend_port);

/* ibx_guard_close: stop the guard processes, closing every relayed
 * connection, and reap them (one that has not ended within 5 s is
 * killed); NULL is fine. */
void ibx_guard_close(ibx_guard *g);

#endif /* IBX_GUARD_H */
