/*
 * The guard in front of the hub's nng port (issue 14, finding 5): nng
 * 1.5.2 keeps a TCP connection that never finishes its TLS handshake open
 * for ever (measured: 20 silent connections still open after 15 s) and
 * allocates a frame's whole announced length (up to NNG_OPT_RECVMAXSZ) as
 * soon as its 8-byte header arrives, and it offers no hook before a pipe
 * exists.  So the public port is the guard's: one thread that accepts,
 * applies the limits below, and relays bytes to nng's listener on a
 * loopback port of its own.  It reads only TLS record headers (RFC 5246
 * 6.2.1: type, version, length), never the encrypted contents:
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
 *   max_busy x IBX_WIRE_MAX_MESSAGE, whoever holds a certificate.
 *
 * What it leaves to others: the TLS itself (nng and mbedTLS), and the
 * loopback port, which any local user can reach past the guard (still
 * mutual TLS, only without these limits).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "log.h"

#define BUF_SIZE      (16 * 1024)
#define ADDR_BUCKETS  4096
#define TLS_HANDSHAKE 0x16
#define TLS_APPDATA   0x17
#define REPORT_MS     10000

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
	struct addr_count *addr;
	int64_t accepted_ms;
	int64_t progress_ms; /* the last client bytes */
	int64_t busy_ms;     /* when it became busy */
	bool ready;	     /* the server sent application data */
	bool busy;
	uint8_t *c2b, *b2c; /* BUF_SIZE each, from the first bytes */
	size_t c2b_len, b2c_len;
	struct records crec, srec;
	struct conn *prev, *next;
};

struct addr_count {
	struct in6_addr addr;
	int n;
	struct addr_count *next;
};

struct ibx_guard {
	ibx_transport_limits lim;
	int lfd, epfd, wake[2];
	_Atomic int backend_port;
	pthread_t thread;
	bool started;
	struct conn *conns; /* every open connection */
	struct conn *dead;  /* closed this round, freed at its end */
	int nconns, nbusy;
	struct addr_count *buckets[ADDR_BUCKETS];
	/* Since the last report: */
	unsigned shed_handshake, refused_addr, refused_total, shed_stall,
	    not_tls;
	int64_t reported_ms;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static unsigned
addr_hash(const struct in6_addr *a)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*a); i++)
		h = (h ^ a->s6_addr[i]) * 16777619u;
	return (h % ADDR_BUCKETS);
}

/* The count of address a, made when missing; NULL when out of memory. */
static struct addr_count *
addr_get(ibx_guard *g, const struct in6_addr *a)
{
	unsigned h = addr_hash(a);
	struct addr_count *e;

	for (e = g->buckets[h]; e != NULL; e = e->next)
		if (memcmp(&e->addr, a, sizeof(*a)) == 0)
			return (e);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return (NULL);
	e->addr = *a;
	e->next = g->buckets[h];
	g->buckets[h] = e;
	return (e);
}

static void
addr_put(ibx_guard *g, struct addr_count *e)
{
	struct addr_count **p;

	if (--e->n > 0)
		return;
	for (p = &g->buckets[addr_hash(&e->addr)]; *p != e; p = &(*p)->next)
		;
	*p = e->next;
	free(e);
}

/* Close c now; its memory goes at the end of the round, since epoll may
 * have returned an event for its other end too. */
static void
conn_close(ibx_guard *g, struct conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	close(c->client.fd);
	if (c->backend.fd >= 0)
		close(c->backend.fd);
	if (c->busy)
		g->nbusy--;
	addr_put(g, c->addr);
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
free_dead(ibx_guard *g)
{
	struct conn *c;

	while ((c = g->dead) != NULL) {
		g->dead = c->next;
		free(c->c2b);
		free(c->b2c);
		free(c);
	}
}

static void on_record(ibx_guard *g, struct conn *c, int type, int from_server);

/* Follow n bytes of one direction's TLS records, calling on_record with
 * each record's type as its header completes. */
static void
records_feed(ibx_guard *g, struct records *r, const uint8_t *p, size_t n,
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
on_record(ibx_guard *g, struct conn *c, int type, int from_server)
{
	if (type != TLS_APPDATA)
		return;
	if (from_server) {
		c->ready = true;
		if (c->busy) {
			c->busy = false;
			g->nbusy--;
		}
	} else if (c->crec.app_records >= 2 && !c->busy) {
		c->busy = true;
		c->busy_ms = now_ms();
		g->nbusy++;
	}
}

/* May the next client record start a request that no busy slot is free
 * for?  A connection that is not busy, past its SP header, at a record
 * boundary, waits then: the next record header could be a request. */
static bool
gated(const ibx_guard *g, const struct conn *c)
{
	return (!c->busy && c->crec.app_records >= 1 &&
		c->crec.body_left == 0 && g->nbusy >= g->lim.max_busy);
}

/* Set the epoll interest of both ends of c from its buffers and state. */
static void
conn_arm(ibx_guard *g, struct conn *c)
{
	struct epoll_event ev;
	bool read_client = c->c2b_len < BUF_SIZE && !gated(g, c);

	c->paused = c->c2b_len < BUF_SIZE && !read_client;
	memset(&ev, 0, sizeof(ev));
	ev.events =
	    (read_client ? EPOLLIN : 0) | (c->b2c_len > 0 ? EPOLLOUT : 0);
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
backend_connect(ibx_guard *g, struct conn *c)
{
	struct sockaddr_in sa;
	struct epoll_event ev;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			 0)) < 0)
		return (-1);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atomic_load(&g->backend_port));
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

/* Bytes from the spoke: the first must open a TLS handshake record. */
static void
client_readable(ibx_guard *g, struct conn *c)
{
	size_t want = BUF_SIZE - c->c2b_len;
	ssize_t n;

	if (c->c2b == NULL && ((c->c2b = malloc(BUF_SIZE)) == NULL ||
			       (c->b2c = malloc(BUF_SIZE)) == NULL)) {
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
	if (c->backend.fd < 0 && c->c2b_len == 0 &&
	    c->c2b[0] != TLS_HANDSHAKE) {
		g->not_tls++;
		conn_close(g, c);
		return;
	}
	records_feed(g, &c->crec, c->c2b + c->c2b_len, (size_t)n, c, 0);
	c->c2b_len += (size_t)n;
	c->progress_ms = now_ms();
	if (c->backend.fd < 0 && backend_connect(g, c) != 0)
		conn_close(g, c);
}

static void
backend_writable(ibx_guard *g, struct conn *c)
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
backend_readable(ibx_guard *g, struct conn *c)
{
	ssize_t n;

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
client_writable(ibx_guard *g, struct conn *c)
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

/* Accept what waits, applying the caps. */
static void
accept_all(ibx_guard *g)
{
	struct sockaddr_storage ss;
	struct in6_addr a;
	struct addr_count *e;
	struct epoll_event ev;
	struct conn *c;
	socklen_t len;
	int fd;

	for (;;) {
		len = sizeof(ss);
		if ((fd = accept(g->lfd, (struct sockaddr *)&ss, &len)) < 0) {
			/* Out of descriptors: the listener stays readable,
			 * so pause rather than spin (the sweep still runs). */
			if (errno == EMFILE || errno == ENFILE) {
				g->refused_total++;
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
		if (g->nconns >= g->lim.max_conns) {
			g->refused_total++;
			close(fd);
			continue;
		}
		if ((e = addr_get(g, &a)) == NULL) {
			close(fd);
			continue;
		}
		e->n++;
		if (e->n > g->lim.max_conns_per_addr ||
		    (c = calloc(1, sizeof(*c))) == NULL) {
			if (e->n > g->lim.max_conns_per_addr)
				g->refused_addr++;
			addr_put(g, e);
			close(fd);
			continue;
		}
		c->client.c = c->backend.c = c;
		c->client.fd = fd;
		c->backend.fd = -1;
		c->addr = e;
		c->accepted_ms = c->progress_ms = now_ms();
		c->next = g->conns;
		if (g->conns != NULL)
			g->conns->prev = c;
		g->conns = c;
		g->nconns++;
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
sweep(ibx_guard *g, int64_t now)
{
	struct conn *c, *next;

	for (c = g->conns; c != NULL; c = next) {
		next = c->next;
		if (!c->ready &&
		    now - c->accepted_ms > g->lim.handshake_timeout_ms) {
			g->shed_handshake++;
			conn_close(g, c);
		} else if (c->busy &&
			   now - c->progress_ms > g->lim.stall_timeout_ms &&
			   now - c->busy_ms > g->lim.stall_timeout_ms) {
			g->shed_stall++;
			conn_close(g, c);
		} else if (c->paused && !gated(g, c))
			conn_arm(g, c);
	}
	if (now - g->reported_ms < REPORT_MS)
		return;
	g->reported_ms = now;
	if (g->shed_handshake + g->refused_addr + g->refused_total +
		g->shed_stall + g->not_tls ==
	    0)
		return;
	/* One line per period, not one per connection. */
	IBX_WARN("transport guard: closed in the last %d s: %u without a "
		 "TLS handshake in %d ms, %u not TLS, %u over the cap per "
		 "address (%d), %u over the total cap (%d), %u busy and "
		 "stalled %d ms; %d open, %d busy",
		 REPORT_MS / 1000, g->shed_handshake,
		 g->lim.handshake_timeout_ms, g->not_tls, g->refused_addr,
		 g->lim.max_conns_per_addr, g->refused_total, g->lim.max_conns,
		 g->shed_stall, g->lim.stall_timeout_ms, g->nconns, g->nbusy);
	g->shed_handshake = g->refused_addr = g->refused_total =
	    g->shed_stall = g->not_tls = 0;
}

static void *
guard_main(void *arg)
{
	ibx_guard *g = arg;
	struct epoll_event evs[256];
	int64_t last_sweep = now_ms();
	int n, i;

	for (;;) {
		n = epoll_wait(g->epfd, evs, 256, 200);
		for (i = 0; i < n; i++) {
			struct end *e = evs[i].data.ptr;
			struct conn *c;

			if (e == NULL) {
				accept_all(g);
				continue;
			}
			if (e == (struct end *)&g->wake)
				goto out;
			c = e->c;
			if (c->dead)
				continue;
			if (e == &c->client) {
				/* The spoke is gone (a gated connection is
				 * not read, so it would not be seen there). */
				if (evs[i].events & (EPOLLHUP | EPOLLERR))
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
			if (!c->dead)
				conn_arm(g, c);
		}
		free_dead(g);
		if (now_ms() - last_sweep >= 200) {
			last_sweep = now_ms();
			sweep(g, last_sweep);
			free_dead(g);
		}
	}
out:
	while (g->conns != NULL)
		conn_close(g, g->conns);
	free_dead(g);
	return (NULL);
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

ibx_err
ibx_guard_open(const char *host, const char *port,
	       const ibx_transport_limits *lim, int backend_port,
	       ibx_guard **out)
{
	struct epoll_event ev;
	struct rlimit rl;
	ibx_guard *g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return (IBX_ENOMEM);
	g->lim = *lim;
	g->lfd = g->epfd = g->wake[0] = g->wake[1] = -1;
	atomic_store(&g->backend_port, backend_port);
	g->reported_ms = now_ms();
	/* Each spoke costs the guard two descriptors and nng one. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((g->lfd = listen_on(host, port)) < 0) {
		IBX_ERROR("transport guard: listen on %s:%s: %s", host, port,
			  strerror(errno));
		goto fail;
	}
	if ((g->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 || pipe(g->wake) != 0)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->lfd, &ev) != 0)
		goto fail;
	ev.data.ptr = &g->wake;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->wake[0], &ev) != 0)
		goto fail;
	if (pthread_create(&g->thread, NULL, guard_main, g) != 0)
		goto fail;
	g->started = true;
	*out = g;
	return (IBX_OK);
fail:
	ibx_guard_close(g);
	return (IBX_EIO);
}

void
ibx_guard_set_backend(ibx_guard *g, int backend_port)
{
	atomic_store(&g->backend_port, backend_port);
}

void
ibx_guard_close(ibx_guard *g)
{
	size_t i;

	if (g == NULL)
		return;
	if (g->started) {
		(void)!write(g->wake[1], "x", 1);
		pthread_join(g->thread, NULL);
	}
	if (g->lfd >= 0)
		close(g->lfd);
	if (g->epfd >= 0)
		close(g->epfd);
	if (g->wake[0] >= 0) {
		close(g->wake[0]);
		close(g->wake[1]);
	}
	for (i = 0; i < ADDR_BUCKETS; i++)
		while (g->buckets[i] != NULL) {
			struct addr_count *e = g->buckets[i];

			g->buckets[i] = e->next;
			free(e);
		}
	free(g);
}
