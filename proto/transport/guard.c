/*
 * The guard in front of the hub's nng port (issue 14, finding 5): nng
 * 1.5.2 keeps a TCP connection that never finishes its TLS handshake open
 * for ever (measured: 20 silent connections still open after 15 s) and
 * allocates a frame's whole announced length (up to NNG_OPT_RECVMAXSZ) as
 * soon as its 8-byte header arrives, and it offers no hook before a pipe
 * exists.  So the public port is the guard's: a loop that accepts,
 * applies the limits below, and relays bytes to nng's listener on a
 * loopback port of its own (in processes of its own, below).  It reads only
 * TLS record headers (RFC 5246 6.2.1: type, version, length), never the
 * encrypted contents:
 *
 * - handshake timeout: a connection whose server side has sent no
 *   application-data record (mbedTLS sends one only once the handshake,
 *   client certificate included, is done) within handshake_ms is closed;
 *   silent connections never even reach nng;
 * - a cap on connections per peer address and in total (beyond them a
 *   connection is accepted and closed at once, so the backlog stays free);
 * - busy connections: one with a client application-data record past the
 *   first (nng's 8-byte SP header) and no server record since, i.e. a
 *   request partly or wholly at the hub.  At most max_busy at once: others
 *   are not read until a slot frees, and a busy one that makes no progress
 *   for stall_ms is closed.  Memory held by partial frames is so bounded by
 *   max_busy x IBX_WIRE_MAX_MESSAGE, whoever holds a certificate;
 * - handshakes take turns: at most max_handshakes connections (all guard
 *   processes together) are in a TLS handshake at once.  A connection
 *   whose first byte opens a handshake record beyond them waits, unread,
 *   in a queue (oldest first), and its handshake timeout starts when it
 *   is let through; a silent one never takes a turn, so silence cannot
 *   hold the turns (issue 18: 10,000 spokes at once all in handshakes in
 *   nng, ~5 ms of CPU each, had some shed before their turn came).
 *
 * What it leaves to others: the TLS itself (nng and mbedTLS), and the
 * loopback port, which any local user can reach past the guard (still
 * mutual TLS, only without these limits).
 *
 * Where it runs (issue 18, figure 7): a relayed spoke costs the guard two
 * descriptors (the spoke's and the one to nng) and nng a third, so in one
 * process 10,000 spokes needed 30,000, and a hard RLIMIT_NOFILE of 20,000
 * (this test machine's; an unprivileged process cannot raise it) held
 * 6,723 while the other 3,277 retried every two seconds.  So the guard
 * runs in child processes forked from the hub, each with a descriptor
 * limit of its own: the hub keeps nng's one descriptor per spoke, and K
 * guard processes (K = max_conns x 2 over what one may open, at least 1)
 * share the listening socket, each accepting while it has room
 * (EPOLLEXCLUSIVE wakes one).  The caps are global: the counts of
 * connections, busy ones and connections per address live in a shared
 * anonymous mapping (atomics, and a process-shared robust mutex over the
 * address table), and guard 0 writes the one report line for all.  A
 * child runs only this file's loop (read, write, epoll, malloc and the
 * log's write(2)), never nng or the hub's code, and ends when the hub
 * closes the wake pipe or dies (PR_SET_PDEATHSIG).  An idle spoke costs
 * a guard its struct conn and two sockets: relay buffers are taken from a
 * pool while bytes are in them, and no timer runs while no connection
 * waits on a deadline.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "log.h"

#define BUF_SIZE      (16 * 1024)
#define TLS_HANDSHAKE 0x16
#define TLS_APPDATA   0x17
#define REPORT_MS     10000
#define SWEEP_MS      200
/* Descriptors a guard process keeps for itself (listener, epoll, wake
 * pipe, standard streams) with room to spare. */
#define FD_RESERVE   64
#define MAX_CHILDREN 16
/* Relay buffers kept for reuse by a guard process (4 MiB); more are
 * freed. */
#define POOL_MAX 256

/* Where a direction stands in the TLS record stream. */
struct records {
	uint8_t hdr[5];
	size_t hdr_got;
	size_t body_left;
	unsigned app_records; /* application-data records seen */
};

struct conn;

/* One side of a relayed connection, as epoll's data.ptr. */
struct end {
	struct conn *c;
	int fd;
};

struct conn {
	struct end client, backend; /* backend.fd -1 until the first bytes */
	bool connecting;	    /* backend connect() in progress */
	bool dead;		    /* closed; freed after this round */
	bool paused;		    /* not read: no busy slot free */
	struct in6_addr addr;	    /* the peer, counted in the table */
	/* Accepted, or since then given a handshake slot: the handshake
	 * timeout runs from here. */
	int64_t accepted_ms;
	bool admitted;		    /* holds a handshake slot, or done */
	bool queued;		    /* sent a ClientHello, waits for a slot */
	struct conn *qprev, *qnext; /* the wait queue, oldest first */
	int64_t progress_ms;	    /* the last client bytes */
	int64_t busy_ms;	    /* when it became busy */
	bool ready;		    /* the server sent application data */
	bool busy;
	/* BUF_SIZE each, from the pool while they hold bytes: an idle
	 * connection holds none (figure 7: 10,000 idle spokes). */
	uint8_t *c2b, *b2c;
	size_t c2b_len, b2c_len;
	struct records crec, srec;
	struct conn *prev, *next;
};

/* One address's open connections; n == 0 is an empty slot. */
struct addr_slot {
	struct in6_addr addr;
	int n;
};

/* What the guard processes share (one anonymous MAP_SHARED mapping). */
struct shared {
	_Atomic int backend_port;
	_Atomic int nconns;	 /* open connections, all guards */
	_Atomic int nbusy;	 /* busy ones, all guards */
	_Atomic int nhandshakes; /* given a slot, handshake not done */
	/* Since guard 0's last report: */
	_Atomic unsigned shed_handshake, refused_addr, refused_total,
	    shed_stall, not_tls;
	pthread_mutex_t lock; /* over slots (process-shared, robust) */
	size_t nslots;	      /* a power of two >= 2 x max_conns */
	struct addr_slot slots[];
};

/* The hub's handle: the shared state and the guard processes. */
struct ibx_guard {
	struct shared *sh;
	size_t sh_size;
	int wake_w; /* closed by ibx_guard_close: the children end */
	pid_t pids[MAX_CHILDREN];
	int nchildren;
};

/* One guard process's own state. */
struct gproc {
	ibx_transport_limits lim;
	struct shared *sh;
	int index; /* guard 0 reports */
	int lfd, epfd, wake_r;
	int cap;	    /* connections this process may hold */
	bool accepting;	    /* lfd in the epoll set */
	struct conn *conns; /* every open connection of this process */
	struct conn *dead;  /* closed this round, freed at its end */
	int nconns;
	/* Connections the sweep has to look at: handshake not done, busy,
	 * or paused for a busy slot.  None: no sweep, no timer. */
	int nunready, nbusy, npaused;
	struct conn *qhead, *qtail; /* waiting for a handshake slot */
	int nqueued;
	int64_t reported_ms;
	struct buf *pool; /* relay buffers not in use */
	int npool;
};

/* A relay buffer in the pool (its first bytes). */
struct buf {
	struct buf *next;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static size_t
addr_hash(const struct in6_addr *a)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*a); i++)
		h = (h ^ a->s6_addr[i]) * 16777619u;
	return (h);
}

static void
shared_lock(struct shared *sh)
{
	/* A guard that died holding it left the table as it was between
	 * two whole updates at worst: take it over. */
	if (pthread_mutex_lock(&sh->lock) == EOWNERDEAD)
		pthread_mutex_consistent(&sh->lock);
}

/* Count one more connection from a; the count after it.  Linear probing:
 * the table has at most max_conns entries in 2 x max_conns slots. */
static int
addr_inc(struct shared *sh, const struct in6_addr *a)
{
	size_t mask = sh->nslots - 1, i = addr_hash(a) & mask;
	int n;

	shared_lock(sh);
	while (sh->slots[i].n > 0 &&
	       memcmp(&sh->slots[i].addr, a, sizeof(*a)) != 0)
		i = (i + 1) & mask;
	if (sh->slots[i].n == 0)
		sh->slots[i].addr = *a;
	n = ++sh->slots[i].n;
	pthread_mutex_unlock(&sh->lock);
	return (n);
}

/* Count one connection from a fewer; an emptied slot is filled from the
 * probe sequence after it (backward-shift deletion, no tombstones). */
static void
addr_dec(struct shared *sh, const struct in6_addr *a)
{
	size_t mask = sh->nslots - 1, i = addr_hash(a) & mask, j, k;

	shared_lock(sh);
	while (sh->slots[i].n > 0 &&
	       memcmp(&sh->slots[i].addr, a, sizeof(*a)) != 0)
		i = (i + 1) & mask;
	if (sh->slots[i].n == 0 || --sh->slots[i].n > 0)
		goto out;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (sh->slots[j].n == 0)
			break;
		k = addr_hash(&sh->slots[j].addr) & mask;
		/* Slot j may move to i unless its home k lies in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		sh->slots[i] = sh->slots[j];
		i = j;
	}
	sh->slots[i].n = 0;
out:
	pthread_mutex_unlock(&sh->lock);
}

/* A relay buffer (BUF_SIZE bytes) from the pool, or a new one; NULL when
 * out of memory. */
static uint8_t *
buf_get(struct gproc *g)
{
	struct buf *b = g->pool;

	if (b == NULL)
		return (malloc(BUF_SIZE));
	g->pool = b->next;
	g->npool--;
	return ((uint8_t *)b);
}

/* Give *p (may be NULL) back to the pool, or free it past POOL_MAX. */
static void
buf_put(struct gproc *g, uint8_t **p)
{
	struct buf *b = (struct buf *)(void *)*p;

	*p = NULL;
	if (b == NULL)
		return;
	if (g->npool >= POOL_MAX) {
		free(b);
		return;
	}
	b->next = g->pool;
	g->pool = b;
	g->npool++;
}

static void
queue_remove(struct gproc *g, struct conn *c)
{
	if (c->qprev != NULL)
		c->qprev->qnext = c->qnext;
	else
		g->qhead = c->qnext;
	if (c->qnext != NULL)
		c->qnext->qprev = c->qprev;
	else
		g->qtail = c->qprev;
	c->qprev = c->qnext = NULL;
	c->queued = false;
	g->nqueued--;
}

/* Close c now; its memory goes at the end of the round, since epoll may
 * have returned an event for its other end too. */
static void
conn_close(struct gproc *g, struct conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	close(c->client.fd);
	if (c->backend.fd >= 0)
		close(c->backend.fd);
	if (c->busy) {
		atomic_fetch_sub(&g->sh->nbusy, 1);
		g->nbusy--;
	}
	if (!c->ready)
		g->nunready--;
	if (c->admitted && !c->ready)
		atomic_fetch_sub(&g->sh->nhandshakes, 1);
	if (c->queued)
		queue_remove(g, c);
	if (c->paused)
		g->npaused--;
	addr_dec(g->sh, &c->addr);
	atomic_fetch_sub(&g->sh->nconns, 1);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		g->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	g->nconns--;
	c->next = g->dead;
	g->dead = c;
}

static void
free_dead(struct gproc *g)
{
	struct conn *c;

	while ((c = g->dead) != NULL) {
		g->dead = c->next;
		buf_put(g, &c->c2b);
		buf_put(g, &c->b2c);
		free(c);
	}
}

static void on_record(struct gproc *g, struct conn *c, int type,
		      int from_server);

/* Follow n bytes of one direction's TLS records, calling on_record with
 * each record's type as its header completes. */
static void
records_feed(struct gproc *g, struct records *r, const uint8_t *p, size_t n,
	     struct conn *c, int from_server)
{
	size_t take;

	while (n > 0) {
		if (r->body_left > 0) {
			take = n < r->body_left ? n : r->body_left;
			r->body_left -= take;
			p += take;
			n -= take;
			continue;
		}
		r->hdr[r->hdr_got++] = *p++;
		n--;
		if (r->hdr_got < sizeof(r->hdr))
			continue;
		r->hdr_got = 0;
		r->body_left = (size_t)r->hdr[3] << 8 | r->hdr[4];
		if (r->hdr[0] == TLS_APPDATA)
			r->app_records++;
		on_record(g, c, r->hdr[0], from_server);
	}
}

/* A record header completed: a server application-data record means the
 * handshake is done and answers whatever was in flight; a client one past
 * the SP header makes the connection busy. */
static void
on_record(struct gproc *g, struct conn *c, int type, int from_server)
{
	if (type != TLS_APPDATA)
		return;
	if (from_server) {
		if (!c->ready) {
			c->ready = true;
			g->nunready--;
			atomic_fetch_sub(&g->sh->nhandshakes, 1);
		}
		if (c->busy) {
			c->busy = false;
			atomic_fetch_sub(&g->sh->nbusy, 1);
			g->nbusy--;
		}
	} else if (c->crec.app_records >= 2 && !c->busy) {
		c->busy = true;
		c->busy_ms = now_ms();
		atomic_fetch_add(&g->sh->nbusy, 1);
		g->nbusy++;
	}
}

/* May the next client record start a request that no busy slot is free
 * for?  A connection that is not busy, past its SP header, at a record
 * boundary, waits then: the next record header could be a request. */
static bool
gated(const struct gproc *g, const struct conn *c)
{
	return (!c->busy && c->crec.app_records >= 1 &&
		c->crec.body_left == 0 &&
		atomic_load(&g->sh->nbusy) >= g->lim.max_busy);
}

/* Set the epoll interest of both ends of c from its buffers and state. */
static void
conn_arm(struct gproc *g, struct conn *c)
{
	struct epoll_event ev;
	bool read_client = !c->queued && c->c2b_len < BUF_SIZE && !gated(g, c);
	bool paused = !c->queued && c->c2b_len < BUF_SIZE && !read_client;

	if (paused != c->paused)
		g->npaused += paused ? 1 : -1;
	c->paused = paused;
	memset(&ev, 0, sizeof(ev));
	/* A queued one is not read: only its leaving is watched. */
	ev.events = (read_client ? EPOLLIN : 0) |
		    (c->b2c_len > 0 ? EPOLLOUT : 0) |
		    (c->queued ? EPOLLRDHUP : 0);
	ev.data.ptr = &c->client;
	(void)epoll_ctl(g->epfd, EPOLL_CTL_MOD, c->client.fd, &ev);
	if (c->backend.fd < 0)
		return;
	ev.events = c->connecting ? EPOLLOUT
				  : (c->b2c_len < BUF_SIZE ? EPOLLIN : 0) |
					(c->c2b_len > 0 ? EPOLLOUT : 0);
	ev.data.ptr = &c->backend;
	(void)epoll_ctl(g->epfd, EPOLL_CTL_MOD, c->backend.fd, &ev);
}

/* Open the connection to nng's listener on loopback (non-blocking). */
static int
backend_connect(struct gproc *g, struct conn *c)
{
	struct sockaddr_in sa;
	struct epoll_event ev;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			 0)) < 0)
		return (-1);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atomic_load(&g->sh->backend_port));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* A proxy must not hold back the tail of a message (Nagle's
	 * algorithm against the peer's delayed ACK stalls every request by
	 * up to 40 ms); nng sets the same on its own sockets. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return (-1);
	}
	c->backend.fd = fd;
	c->connecting = true;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT;
	ev.data.ptr = &c->backend;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return (-1);
	return (0);
}

/* Give c a handshake slot if one is free (all guards count): connect it
 * to nng and start its handshake clock.  False when none is free, or c
 * was closed. */
static bool
admit(struct gproc *g, struct conn *c)
{
	if (g->lim.max_handshakes > 0 &&
	    atomic_fetch_add(&g->sh->nhandshakes, 1) >=
		g->lim.max_handshakes) {
		atomic_fetch_sub(&g->sh->nhandshakes, 1);
		return (false);
	}
	if (g->lim.max_handshakes <= 0)
		atomic_fetch_add(&g->sh->nhandshakes, 1);
	c->admitted = true;
	c->accepted_ms = now_ms();
	if (backend_connect(g, c) != 0) {
		conn_close(g, c);
		return (false);
	}
	return (true);
}

/* Admit the queued connections, oldest first, while slots are free. */
static void
admit_queued(struct gproc *g)
{
	struct conn *c;

	while ((c = g->qhead) != NULL) {
		queue_remove(g, c);
		if (!admit(g, c)) {
			if (c->dead)
				continue;
			/* No slot: back to the head of the queue. */
			c->queued = true;
			c->qnext = g->qhead;
			if (g->qhead != NULL)
				g->qhead->qprev = c;
			else
				g->qtail = c;
			g->qhead = c;
			g->nqueued++;
			return;
		}
		conn_arm(g, c);
	}
}

/* The first bytes of a spoke, left in its socket: a TLS handshake record
 * takes a handshake slot, or waits for one in the queue (issue 18:
 * 10,000 spokes that come at once would otherwise all be in handshakes
 * in nng together, each past its timeout before its turn).  Silent
 * connections never take a slot. */
static void
client_first(struct gproc *g, struct conn *c)
{
	uint8_t b;
	ssize_t n = recv(c->client.fd, &b, 1, MSG_PEEK);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(g, c);
		return;
	}
	if (b != TLS_HANDSHAKE) {
		atomic_fetch_add(&g->sh->not_tls, 1);
		conn_close(g, c);
		return;
	}
	if (g->qhead == NULL && admit(g, c))
		return;
	if (c->dead)
		return;
	c->queued = true;
	c->qprev = g->qtail;
	if (g->qtail != NULL)
		g->qtail->qnext = c;
	else
		g->qhead = c;
	g->qtail = c;
	g->nqueued++;
}

/* Bytes from the spoke, once admitted. */
static void
client_readable(struct gproc *g, struct conn *c)
{
	size_t want = BUF_SIZE - c->c2b_len;
	ssize_t n;

	if (!c->admitted) {
		client_first(g, c);
		if (!c->admitted || c->dead)
			return;
	}
	if (c->c2b == NULL && (c->c2b = buf_get(g)) == NULL) {
		conn_close(g, c);
		return;
	}
	/* Not busy: one record header or body at a time, so that the header
	 * of a request is read only when a busy slot is free (gated). */
	if (!c->busy) {
		size_t left = c->crec.body_left > 0
				  ? c->crec.body_left
				  : sizeof(c->crec.hdr) - c->crec.hdr_got;

		if (gated(g, c))
			return;
		if (left < want)
			want = left;
	}
	n = read(c->client.fd, c->c2b + c->c2b_len, want);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(g, c);
		return;
	}
	records_feed(g, &c->crec, c->c2b + c->c2b_len, (size_t)n, c, 0);
	c->c2b_len += (size_t)n;
	c->progress_ms = now_ms();
}

static void
backend_writable(struct gproc *g, struct conn *c)
{
	socklen_t len = sizeof(int);
	ssize_t n;
	int err = 0;

	if (c->connecting) {
		if (getsockopt(c->backend.fd, SOL_SOCKET, SO_ERROR, &err,
			       &len) != 0 ||
		    err != 0) {
			conn_close(g, c);
			return;
		}
		c->connecting = false;
	}
	if (c->c2b_len == 0)
		return;
	n = write(c->backend.fd, c->c2b, c->c2b_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(g, c);
		return;
	}
	memmove(c->c2b, c->c2b + n, c->c2b_len - (size_t)n);
	c->c2b_len -= (size_t)n;
}

static void
backend_readable(struct gproc *g, struct conn *c)
{
	ssize_t n;

	if (c->b2c == NULL && (c->b2c = buf_get(g)) == NULL) {
		conn_close(g, c);
		return;
	}
	n = read(c->backend.fd, c->b2c + c->b2c_len, BUF_SIZE - c->b2c_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(g, c);
		return;
	}
	records_feed(g, &c->srec, c->b2c + c->b2c_len, (size_t)n, c, 1);
	c->b2c_len += (size_t)n;
}

static void
client_writable(struct gproc *g, struct conn *c)
{
	ssize_t n;

	if (c->b2c_len == 0)
		return;
	n = write(c->client.fd, c->b2c, c->b2c_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(g, c);
		return;
	}
	memmove(c->b2c, c->b2c + n, c->b2c_len - (size_t)n);
	c->b2c_len -= (size_t)n;
}

/* Take the listening socket into this process's epoll set, or out of it,
 * as this process has room for another connection or not. */
static void
accept_update(struct gproc *g)
{
	struct epoll_event ev;
	bool room = g->nconns < g->cap;

	if (room == g->accepting)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.ptr = NULL;
	if (epoll_ctl(g->epfd, room ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, g->lfd,
		      &ev) == 0)
		g->accepting = room;
}

/* Accept what waits while this process has room, applying the caps. */
static void
accept_all(struct gproc *g)
{
	struct sockaddr_storage ss;
	struct in6_addr a;
	struct epoll_event ev;
	struct conn *c;
	socklen_t len;
	int fd;

	while (g->nconns < g->cap) {
		len = sizeof(ss);
		if ((fd = accept(g->lfd, (struct sockaddr *)&ss, &len)) < 0) {
			/* Out of descriptors: the listener stays readable,
			 * so pause rather than spin (the sweep still runs). */
			if (errno == EMFILE || errno == ENFILE) {
				atomic_fetch_add(&g->sh->refused_total, 1);
				nanosleep(&(struct timespec){0, 50000000L},
					  NULL);
			}
			return;
		}
		if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0 ||
		    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
			close(fd);
			continue;
		}
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1},
				 sizeof(int));
		memset(&a, 0, sizeof(a));
		if (ss.ss_family == AF_INET) {
			a.s6_addr[10] = a.s6_addr[11] = 0xff;
			memcpy(&a.s6_addr[12],
			       &((struct sockaddr_in *)&ss)->sin_addr, 4);
		} else if (ss.ss_family == AF_INET6)
			a = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		if (atomic_fetch_add(&g->sh->nconns, 1) >= g->lim.max_conns) {
			atomic_fetch_sub(&g->sh->nconns, 1);
			atomic_fetch_add(&g->sh->refused_total, 1);
			close(fd);
			continue;
		}
		if (addr_inc(g->sh, &a) > g->lim.max_conns_per_addr ||
		    (c = calloc(1, sizeof(*c))) == NULL) {
			/* Over the cap per address (or out of memory). */
			addr_dec(g->sh, &a);
			atomic_fetch_sub(&g->sh->nconns, 1);
			atomic_fetch_add(&g->sh->refused_addr, 1);
			close(fd);
			continue;
		}
		c->client.c = c->backend.c = c;
		c->client.fd = fd;
		c->backend.fd = -1;
		c->addr = a;
		c->accepted_ms = c->progress_ms = now_ms();
		c->next = g->conns;
		if (g->conns != NULL)
			g->conns->prev = c;
		g->conns = c;
		g->nconns++;
		g->nunready++;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = &c->client;
		if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
			conn_close(g, c);
	}
}

/* Deadlines: handshakes not done in time and busy connections that have
 * stalled are closed; paused ones are armed again when a slot is free. */
static void
sweep(struct gproc *g, int64_t now)
{
	struct conn *c, *next;

	for (c = g->conns; c != NULL; c = next) {
		next = c->next;
		if (!c->ready && !c->queued &&
		    now - c->accepted_ms > g->lim.handshake_timeout_ms) {
			atomic_fetch_add(&g->sh->shed_handshake, 1);
			conn_close(g, c);
		} else if (c->busy &&
			   now - c->progress_ms > g->lim.stall_timeout_ms &&
			   now - c->busy_ms > g->lim.stall_timeout_ms) {
			atomic_fetch_add(&g->sh->shed_stall, 1);
			conn_close(g, c);
		} else if (c->paused && !gated(g, c))
			conn_arm(g, c);
	}
}

/* Guard 0, every REPORT_MS: one line for what all guards closed. */
static void
report(struct gproc *g, int64_t now)
{
	struct shared *sh = g->sh;
	unsigned hs, na, ra, rt, st;

	if (g->index != 0 || now - g->reported_ms < REPORT_MS)
		return;
	g->reported_ms = now;
	hs = atomic_exchange(&sh->shed_handshake, 0);
	na = atomic_exchange(&sh->not_tls, 0);
	ra = atomic_exchange(&sh->refused_addr, 0);
	rt = atomic_exchange(&sh->refused_total, 0);
	st = atomic_exchange(&sh->shed_stall, 0);
	if (hs + na + ra + rt + st == 0)
		return;
	/* One line per period, not one per connection. */
	IBX_WARN("transport guard: closed in the last %d s: %u without a "
		 "TLS handshake in %d ms, %u not TLS, %u over the cap per "
		 "address (%d), %u over the total cap (%d), %u busy and "
		 "stalled %d ms; %d open, %d busy, %d in a handshake",
		 REPORT_MS / 1000, hs, g->lim.handshake_timeout_ms, na, ra,
		 g->lim.max_conns_per_addr, rt, g->lim.max_conns, st,
		 g->lim.stall_timeout_ms, atomic_load(&sh->nconns),
		 atomic_load(&sh->nbusy), atomic_load(&sh->nhandshakes));
}

/* Anything for the sweep or the report to do?  If not, the process
 * sleeps in epoll_wait until a descriptor is ready: idle spokes cost no
 * wake-ups (figure 7). */
static bool
has_deadlines(const struct gproc *g)
{
	const struct shared *sh = g->sh;

	return (g->nunready + g->nbusy + g->npaused + g->nqueued > 0 ||
		(g->index == 0 && atomic_load(&sh->shed_handshake) +
					  atomic_load(&sh->not_tls) +
					  atomic_load(&sh->refused_addr) +
					  atomic_load(&sh->refused_total) +
					  atomic_load(&sh->shed_stall) >
				      0));
}

/* A guard process's loop, until the wake pipe closes. */
static void
guard_loop(struct gproc *g)
{
	struct epoll_event evs[256];
	int64_t last_sweep = now_ms(), now;
	int n, i;

	for (;;) {
		/* Another guard's busy slot may free up for a paused
		 * connection here, and guard 0 must see the others' counts
		 * in time: SWEEP_MS then; else a second (guard 0) or no
		 * timeout at all. */
		n = epoll_wait(g->epfd, evs, 256,
			       has_deadlines(g) ? SWEEP_MS
			       : g->index == 0	? 1000
						: -1);
		for (i = 0; i < n; i++) {
			struct end *e = evs[i].data.ptr;
			struct conn *c;

			if (e == NULL) {
				accept_all(g);
				continue;
			}
			if (e == (struct end *)&g->wake_r)
				return;
			c = e->c;
			if (c->dead)
				continue;
			if (e == &c->client) {
				/* The spoke is gone (a gated connection is
				 * not read, so it would not be seen there). */
				if (evs[i].events &
				    (EPOLLHUP | EPOLLERR | EPOLLRDHUP))
					conn_close(g, c);
				else if (evs[i].events & EPOLLIN)
					client_readable(g, c);
				if (!c->dead && (evs[i].events & EPOLLOUT))
					client_writable(g, c);
			} else {
				if (evs[i].events & EPOLLOUT)
					backend_writable(g, c);
				if (!c->dead &&
				    (evs[i].events &
				     (EPOLLIN | EPOLLHUP | EPOLLERR)))
					backend_readable(g, c);
			}
			if (c->dead)
				continue;
			/* Buffers emptied this round go back to the pool. */
			if (c->c2b_len == 0)
				buf_put(g, &c->c2b);
			if (c->b2c_len == 0)
				buf_put(g, &c->b2c);
			conn_arm(g, c);
		}
		admit_queued(g);
		free_dead(g);
		now = now_ms();
		if (now - last_sweep >= SWEEP_MS) {
			last_sweep = now;
			if (g->nunready + g->nbusy + g->npaused > 0)
				sweep(g, now);
			report(g, now);
			free_dead(g);
		}
		accept_update(g);
	}
}

/* Close every descriptor from lo to hi (inclusive) but none else. */
static void
close_between(unsigned lo, unsigned hi)
{
	if (lo <= hi && syscall(SYS_close_range, lo, hi, 0) != 0) {
		unsigned fd;

		for (fd = lo; fd <= hi && fd < 65536; fd++)
			close((int)fd);
	}
}

/* A forked guard process: keep only the standard streams, the listener
 * and the wake pipe, serve, and end.  Never returns. */
static void
guard_child(ibx_guard *h, int index, const ibx_transport_limits *lim, int lfd,
	    int wake_r, int cap, pid_t parent)
{
	struct gproc g;
	struct epoll_event ev;
	int lo = lfd < wake_r ? lfd : wake_r, hi = lfd < wake_r ? wake_r : lfd;

	signal(SIGPIPE, SIG_IGN);
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	(void)prctl(PR_SET_NAME, "ibx-guard");
	/* The hub's database connections, nng's sockets and the write end
	 * of the wake pipe are not the guard's to hold open. */
	close_between(3, (unsigned)lo - 1);
	close_between((unsigned)lo + 1, (unsigned)hi - 1);
	close_between((unsigned)hi + 1, ~0U);
	memset(&g, 0, sizeof(g));
	g.lim = *lim;
	g.sh = h->sh;
	g.index = index;
	g.lfd = lfd;
	g.wake_r = wake_r;
	g.cap = cap;
	g.reported_ms = now_ms();
	if ((g.epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		_exit(1);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = &g.wake_r;
	if (epoll_ctl(g.epfd, EPOLL_CTL_ADD, wake_r, &ev) != 0)
		_exit(1);
	/* Forked before the hub's other threads start (no lock of theirs
	 * is inherited held): serve once ibx_guard_start names nng's port,
	 * looking every 10 ms; the listener's backlog holds what comes
	 * meanwhile.  The wake pipe's end of file: the hub closed the guard
	 * first. */
	while (atomic_load(&g.sh->backend_port) == 0) {
		struct pollfd pfd = {.fd = wake_r, .events = POLLIN};

		if (poll(&pfd, 1, 10) > 0 || getppid() != parent)
			_exit(0);
	}
	accept_update(&g);
	guard_loop(&g);
	/* The process's end closes every relayed connection; counts in the
	 * shared table no longer matter, the hub is closing the guard. */
	_exit(0);
}

/* A listening socket on host:port (numeric or a name). */
static int
listen_on(const char *host, const char *port)
{
	struct addrinfo hints, *res = NULL;
	int fd = -1, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (getaddrinfo(host[0] != '\0' ? host : NULL, port, &hints, &res) !=
	    0)
		return (-1);
	if ((fd = socket(res->ai_family,
			 SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 4096) != 0) {
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return (fd);
}

/* The shared mapping for at most max_conns connections: counters, the
 * robust process-shared mutex and an empty address table.  NULL when it
 * cannot be made. */
static struct shared *
shared_new(int max_conns, int backend_port, size_t *size)
{
	pthread_mutexattr_t ma;
	struct shared *sh;
	size_t nslots = 1024;

	while (nslots < 2 * (size_t)(max_conns > 0 ? max_conns : 1))
		nslots *= 2;
	*size = sizeof(*sh) + nslots * sizeof(struct addr_slot);
	sh = mmap(NULL, *size, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return (NULL);
	/* Zero-filled by the kernel: every slot empty, every count 0. */
	sh->nslots = nslots;
	atomic_store(&sh->backend_port, backend_port);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	if (pthread_mutex_init(&sh->lock, &ma) != 0) {
		munmap(sh, *size);
		sh = NULL;
	}
	pthread_mutexattr_destroy(&ma);
	return (sh);
}

ibx_err
ibx_guard_open(const char *host, const char *port,
	       const ibx_transport_limits *lim, int backend_port,
	       ibx_guard **out)
{
	struct rlimit rl;
	ibx_guard *g;
	int lfd = -1, wake[2] = {-1, -1}, cap, k, i;
	pid_t parent = getpid(), pid;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return (IBX_ENOMEM);
	g->wake_w = -1;
	/* Each spoke costs a guard process two descriptors and the hub
	 * (nng) one; each process raises its soft limit to the hard one
	 * (systemd: LimitNOFILE). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)1 << 30)
		rl.rlim_cur = (rlim_t)1 << 30;
	cap = rl.rlim_cur > 2 * FD_RESERVE
		  ? (int)((rl.rlim_cur - FD_RESERVE) / 2)
		  : FD_RESERVE / 2;
	k = (lim->max_conns + cap - 1) / cap;
	if (k < 1)
		k = 1;
	if (k > MAX_CHILDREN)
		k = MAX_CHILDREN;
	/* No more than the guard processes can hold are ever counted. */
	if ((g->sh = shared_new(
		 (long)k * cap < lim->max_conns ? k * cap : lim->max_conns,
		 backend_port, &g->sh_size)) == NULL)
		goto fail;
	if ((lfd = listen_on(host, port)) < 0) {
		IBX_ERROR("transport guard: listen on %s:%s: %s", host, port,
			  strerror(errno));
		goto fail;
	}
	if (pipe(wake) != 0 || fcntl(wake[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(wake[1], F_SETFD, FD_CLOEXEC) != 0)
		goto fail;
	g->wake_w = wake[1];
	for (i = 0; i < k; i++) {
		if ((pid = fork()) < 0) {
			IBX_ERROR("transport guard: fork: %s",
				  strerror(errno));
			goto fail;
		}
		if (pid == 0)
			guard_child(g, i, lim, lfd, wake[0], cap, parent);
		g->pids[g->nchildren++] = pid;
	}
	close(lfd);
	close(wake[0]);
	IBX_INFO("transport guard: %d process%s of up to %d connections "
		 "each (descriptor limit %llu) for at most %d",
		 k, k == 1 ? "" : "es", cap, (unsigned long long)rl.rlim_cur,
		 lim->max_conns);
	if ((long)k * cap < lim->max_conns)
		IBX_WARN("transport guard: %d processes hold %ld connections, "
			 "fewer than --max-conns %d: raise LimitNOFILE",
			 k, (long)k * cap, lim->max_conns);
	/* nng holds one descriptor per spoke in this process. */
	if (rl.rlim_cur < (rlim_t)lim->max_conns + FD_RESERVE)
		IBX_WARN("transport: a descriptor limit of %llu holds fewer "
			 "than --max-conns %d spokes in the hub: raise "
			 "LimitNOFILE",
			 (unsigned long long)rl.rlim_cur, lim->max_conns);
	*out = g;
	return (IBX_OK);
fail:
	if (lfd >= 0)
		close(lfd);
	if (wake[0] >= 0)
		close(wake[0]);
	ibx_guard_close(g);
	return (IBX_EIO);
}

void
ibx_guard_start(ibx_guard *g, int backend_port)
{
	atomic_store(&g->sh->backend_port, backend_port);
}

void
ibx_guard_set_backend(ibx_guard *g, int backend_port)
{
	atomic_store(&g->sh->backend_port, backend_port);
}

void
ibx_guard_close(ibx_guard *g)
{
	int i, tries, st;

	if (g == NULL)
		return;
	/* The children see the pipe's end, close their connections by
	 * exiting, and are reaped; one that hangs is killed after 5 s. */
	if (g->wake_w >= 0)
		close(g->wake_w);
	for (i = 0; i < g->nchildren; i++) {
		for (tries = 0; tries < 500; tries++) {
			if (waitpid(g->pids[i], &st, WNOHANG) != 0)
				break;
			nanosleep(&(struct timespec){0, 10000000L}, NULL);
		}
		if (tries == 500) {
			kill(g->pids[i], SIGKILL);
			(void)waitpid(g->pids[i], &st, 0);
		}
	}
	if (g->sh != NULL)
		munmap(g->sh, g->sh_size);
	free(g);
}
