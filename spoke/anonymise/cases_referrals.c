/*
 * The referral ledger; see cases_referrals.h.  Referrals are kept sorted
 * by id in one array, found by binary search; a ledger holds at most
 * SPOKE_REFERRALS_MAX, so an insertion's move is cheap next to the file
 * it came from.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases_referrals.h"

struct entry {
	char id[SPOKE_REFERRAL_ID_LEN + 1];
	spoke_referral_role role;
	char state[SPOKE_REFERRAL_STATE_MAX];
};

struct spoke_referral_ledger {
	struct entry *e;
	size_t n, cap;
};

bool
spoke_referral_id_valid(const char *s, size_t len)
{
	size_t i;

	if (len != SPOKE_REFERRAL_ID_LEN)
		return (false);
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return (false);
	return (true);
}

/* A state word: 1 to SPOKE_REFERRAL_STATE_MAX - 1 of a-z and '_'. */
static bool
state_valid(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len >= SPOKE_REFERRAL_STATE_MAX)
		return (false);
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return (false);
	return (true);
}

ibx_err
spoke_referral_ledger_new(spoke_referral_ledger **out)
{
	spoke_referral_ledger *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return (IBX_ENOMEM);
	*out = l;
	return (IBX_OK);
}

/* The index of id (32 bytes) in l, or where it would go (*found false). */
static size_t
locate(const spoke_referral_ledger *l, const char *id, bool *found)
{
	size_t lo = 0, hi = l->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = memcmp(l->e[mid].id, id, SPOKE_REFERRAL_ID_LEN);
		if (c == 0) {
			*found = true;
			return (mid);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return (lo);
}

ibx_err
spoke_referral_ledger_note(spoke_referral_ledger *l, const char *id,
			   spoke_referral_role role, const char *state)
{
	struct entry *grown;
	size_t at, cap;
	bool found;

	if (id == NULL || !spoke_referral_id_valid(id, strlen(id)) ||
	    state == NULL || !state_valid(state) ||
	    (role != SPOKE_REFERRAL_SENT && role != SPOKE_REFERRAL_RECEIVED))
		return (IBX_EINVAL);
	at = locate(l, id, &found);
	if (found) {
		snprintf(l->e[at].state, sizeof(l->e[at].state), "%s", state);
		return (IBX_OK);
	}
	if (l->n == SPOKE_REFERRALS_MAX)
		return (IBX_ETOOBIG);
	if (l->n == l->cap) {
		cap = l->cap == 0 ? 64 : l->cap * 2;
		if ((grown = realloc(l->e, cap * sizeof(*grown))) == NULL)
			return (IBX_ENOMEM);
		l->e = grown;
		l->cap = cap;
	}
	memmove(&l->e[at + 1], &l->e[at], (l->n - at) * sizeof(*l->e));
	memcpy(l->e[at].id, id, SPOKE_REFERRAL_ID_LEN + 1);
	l->e[at].role = role;
	snprintf(l->e[at].state, sizeof(l->e[at].state), "%s", state);
	l->n++;
	return (IBX_OK);
}

/* One line of the file (its newline removed) into l. */
static ibx_err
load_line(spoke_referral_ledger *l, char *line, const char **why)
{
	char *id = line, *side, *state;
	spoke_referral_role role;
	ibx_err rv;

	if ((side = strchr(id, '\t')) == NULL ||
	    (state = strchr(side + 1, '\t')) == NULL) {
		*why = "not three fields separated by tabs";
		return (IBX_EINVAL);
	}
	*side++ = '\0';
	*state++ = '\0';
	if (!spoke_referral_id_valid(id, strlen(id))) {
		*why = "the id is not 32 lowercase hex digits";
		return (IBX_EINVAL);
	}
	if (strcmp(side, "sent") == 0)
		role = SPOKE_REFERRAL_SENT;
	else if (strcmp(side, "received") == 0)
		role = SPOKE_REFERRAL_RECEIVED;
	else {
		*why = "the side is not sent or received";
		return (IBX_EINVAL);
	}
	if ((rv = spoke_referral_ledger_note(l, id, role, state)) ==
	    IBX_EINVAL)
		*why = "the state is not a state word";
	else if (rv == IBX_ETOOBIG)
		*why = "more referrals than a ledger holds";
	else if (rv != IBX_OK)
		*why = "out of memory";
	return (rv);
}

ibx_err
spoke_referral_ledger_load(const char *path, spoke_referral_ledger **out,
			   char *err, size_t n)
{
	spoke_referral_ledger *l = NULL;
	char line[256];
	const char *why = NULL;
	unsigned lineno = 0;
	size_t len;
	FILE *f = NULL;
	ibx_err rv;

	if ((rv = spoke_referral_ledger_new(&l)) != IBX_OK)
		goto out;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			goto done; /* no referral yet */
		snprintf(err, n, "%s: cannot open: %s", path, strerror(errno));
		rv = IBX_EIO;
		goto out;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			snprintf(err, n, "%s line %u: longer than %zu bytes",
				 path, lineno, sizeof(line) - 2);
			rv = IBX_EINVAL;
			goto out;
		}
		if (len == 0 || line[0] == '#')
			continue;
		if ((rv = load_line(l, line, &why)) != IBX_OK) {
			snprintf(err, n, "%s line %u: %s", path, lineno, why);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, n, "%s: cannot read", path);
		rv = IBX_EIO;
		goto out;
	}
done:
	*out = l;
	l = NULL;
out:
	if (f != NULL)
		fclose(f);
	spoke_referral_ledger_free(l);
	return (rv);
}

ibx_err
spoke_referral_ledger_save(const spoke_referral_ledger *l, const char *path)
{
	char tmp[4096];
	FILE *f = NULL;
	size_t i;
	int fd = -1, saved;
	ibx_err rv = IBX_EIO;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return (IBX_EIO);
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0)
		return (IBX_EIO);
	if ((f = fdopen(fd, "w")) == NULL)
		goto out;
	fd = -1; /* f owns it */
	fprintf(f, "# inbound-spoke referral ledger: id, sent or received, "
		   "state at the hub (docs/case-records.md)\n");
	for (i = 0; i < l->n; i++)
		fprintf(f, "%s\t%s\t%s\n", l->e[i].id,
			l->e[i].role == SPOKE_REFERRAL_SENT ? "sent"
							    : "received",
			l->e[i].state);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		goto out;
	if (fclose(f) != 0) {
		f = NULL;
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0)
		goto out;
	rv = IBX_OK;
out:
	saved = errno;
	if (f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rv != IBX_OK)
		(void)unlink(tmp);
	errno = saved;
	return (rv);
}

bool
spoke_referral_ledger_find(const spoke_referral_ledger *l, const char *id,
			   spoke_referral_role *role, const char **state)
{
	size_t at;
	bool found;

	if (l == NULL || l->n == 0)
		return (false);
	at = locate(l, id, &found);
	if (!found)
		return (false);
	if (role != NULL)
		*role = l->e[at].role;
	if (state != NULL)
		*state = l->e[at].state;
	return (true);
}

size_t
spoke_referral_ledger_count(const spoke_referral_ledger *l)
{
	return (l != NULL ? l->n : 0);
}

void
spoke_referral_ledger_free(spoke_referral_ledger *l)
{
	if (l == NULL)
		return;
	free(l->e);
	free(l);
}
