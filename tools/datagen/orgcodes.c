/*
 * orgcodes.c - matching hospitals to medical institution codes. The code lists
 * (地方厚生局「コード内容別医療機関一覧表」, crawled 2025-08) name
 * institutions with their corporation first ("医療法人 治久会 もみのき病院"),
 * the prefectural lists mostly without it or without spaces, and a 2015 list
 * predates renamings; see dg_codes_assign for the rules. Real codes are
 * never invented: a hospital that matches nothing gets a code from the
 * range prefecture + "19", checked against every real code loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orgcodes.h"
#include "csvread.h"
#include "normalise.h"

#define MIN_KEY_CHARS	  3   /* shortest name key compared for equality */
#define MIN_CONTAIN_CHARS 4   /* shortest name contained in the other */
#define MAX_NAME_CHARS	  256 /* longer names skip the shared-part rule */

/* The code list files and the prefectures each holds. */
static const struct {
	const char *file;
	int lo, hi;
} code_files[] = {
    {"jp_medical_institution_codes_2025-08_pref01-13.csv", 1, 13},
    {"jp_medical_institution_codes_2025-08_pref14-27.csv", 14, 27},
    {"jp_medical_institution_codes_2025-08_pref28-47.csv", 28, 47},
};

/*
 * Words too common in hospital names to show two names are the same
 * hospital when they are all that two names share.
 */
static const char *const generic_words[] = {
    "病院", "医療",   "センター",   "記念", "総合",	  "中央",
    "医院", "診療所", "クリニック", "法人", "ホスピタル", "リハビリテーション",
    "市立", "町立",   "国保",
};

/* One institution of the code list, in normalised form. */
struct entry {
	char code[11]; /* 10-digit organisation code */
	char pref[3];
	char postal[8];
	char *published; /* name as in the code list */
	char *name_sp;	 /* normalised name, word breaks kept */
	char *full;	 /* normalised name without spaces */
	char *addr;	 /* normalised address without prefecture */
	char **keys;	 /* name keys (see make_keys) */
	size_t nkeys;
	int hospital_like; /* the name says hospital or centre */
	int claimed;	   /* given to a hospital already */
};

/* A name key and the entry it belongs to, for binary search. */
struct key_ref {
	const char *key; /* owned by the entry */
	size_t entry;
};

struct dg_codes {
	struct entry *v;
	size_t n, cap;
	char (*sorted)[11];    /* every code, sorted, for collision checks */
	struct key_ref *index; /* every entry's keys, sorted by key */
	size_t nindex;
	unsigned *seen;	 /* per entry: last search that counted it */
	unsigned search; /* number of the current search */
	const dg_refdata *ref;
	const char *file; /* file being read */
	int c9, c7, cname, cpost, caddr;
	char prefs[47][3];
	size_t nprefs;
};

/* Name keys of a hospital being matched. */
struct probe {
	char *name_sp;
	char *full;
	char *addr;
	char **keys;
	size_t nkeys;
};

/* Frees a list of n strings and the list. */
static void
free_strings(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Returns a copy of s without its spaces; NULL when out of memory. */
static char *
without_spaces(const char *s)
{
	char *out, *w;

	if ((out = malloc(strlen(s) + 1)) == NULL)
		return (NULL);
	for (w = out; *s != '\0'; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
	return (out);
}

/* Adds a copy of key to *keys unless it is short or already there. */
static dg_err
add_key(char ***keys, size_t *n, const char *key)
{
	char **nv;
	size_t i;

	if (dg_utf8_count(key) < MIN_KEY_CHARS)
		return (DG_OK);
	for (i = 0; i < *n; i++)
		if (strcmp((*keys)[i], key) == 0)
			return (DG_OK);
	if ((nv = realloc(*keys, (*n + 1) * sizeof(*nv))) == NULL)
		return (DG_ERR_NOMEM);
	*keys = nv;
	if ((nv[*n] = strdup(key)) == NULL)
		return (DG_ERR_NOMEM);
	(*n)++;
	return (DG_OK);
}

/*
 * Builds the name keys of a normalised name with word breaks: from each word
 * on to the end, without spaces, with and without leading legal-form words.
 * "医療法人 治久会 もみのき病院" gives 医療法人治久会もみのき病院,
 * 治久会もみのき病院 and もみのき病院.
 */
static dg_err
make_keys(const char *name_sp, char ***keys, size_t *n)
{
	dg_err rv = DG_OK;
	const char *p = name_sp;
	char *joined = NULL;

	while (p != NULL) {
		if ((joined = without_spaces(p)) == NULL) {
			rv = DG_ERR_NOMEM;
			goto out;
		}
		if ((rv = add_key(keys, n, joined)) != DG_OK ||
		    (rv = add_key(keys, n, dg_norm_strip_legal(joined))) !=
			DG_OK)
			goto out;
		free(joined);
		joined = NULL;
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	}
out:
	free(joined);
	return (rv);
}

/*
 * Normalises an address and drops a leading prefecture name, so that
 * "高知県高知市池２１２５－１" and "高知市池２１２５番地１" compare equal.
 */
static dg_err
norm_address(const dg_refdata *ref, const char *pref, const char *addr,
	     char **out)
{
	const char *pname = dg_refdata_prefecture(ref, pref);
	char *n = NULL;
	size_t plen;
	dg_err rv;

	if ((rv = dg_norm(addr, DG_NORM_ADDRESS, &n)) != DG_OK)
		return (rv);
	if (pname != NULL) {
		plen = strlen(pname);
		if (strncmp(n, pname, plen) == 0)
			memmove(n, n + plen, strlen(n + plen) + 1);
	}
	*out = n;
	return (DG_OK);
}

/* Returns 1 when pref ("01") is one of the prefectures asked for. */
static int
wanted(const dg_codes *c, const char *pref)
{
	size_t i;

	for (i = 0; i < c->nprefs; i++)
		if (strncmp(c->prefs[i], pref, 2) == 0)
			return (1);
	return (0);
}

/* Adds one record of a code list file when its prefecture is wanted. */
static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	dg_codes *c = arg;
	const char *c9, *c7, *name;
	struct entry *e, *nv;
	size_t ncap;
	dg_err rv;

	if (row->record == 0) {
		const char *const names[] = {
		    "医療機関コード(9桁)",
		    "医療機関コード(7桁)",
		    "医療機関名称",
		    "郵便番号",
		    "住所",
		};
		int *const slots[] = {&c->c9, &c->c7, &c->cname, &c->cpost,
				      &c->caddr};

		return (dg_csv_columns(row, c->file, names, slots,
				       sizeof(names) / sizeof(names[0])));
	}
	c9 = dg_csv_field(row, c->c9);
	c7 = dg_csv_field(row, c->c7);
	name = dg_csv_field(row, c->cname);
	if (strlen(c9) != 9 || strspn(c9, "0123456789") != 9 ||
	    strcmp(c9 + 2, c7) != 0) {
		dg_error("%s: record %zu: bad institution code \"%s\"",
			 c->file, row->record, c9);
		return (DG_ERR_FORMAT);
	}
	if (!wanted(c, c9))
		return (DG_OK);
	if (c->n == c->cap) {
		ncap = c->cap ? c->cap * 2 : 4096;
		if ((nv = realloc(c->v, ncap * sizeof(*nv))) == NULL)
			return (DG_ERR_NOMEM);
		c->v = nv;
		c->cap = ncap;
	}
	e = &c->v[c->n];
	memset(e, 0, sizeof(*e));
	c->n++;
	/* pref(2) + score table 1 (medical) + 7-digit institution code */
	snprintf(e->code, sizeof(e->code), "%.2s1%s", c9, c7);
	snprintf(e->pref, sizeof(e->pref), "%.2s", c9);
	dg_norm_postal(dg_csv_field(row, c->cpost), e->postal);
	if ((e->published = strdup(name)) == NULL)
		return (DG_ERR_NOMEM);
	if ((rv = dg_norm(name, DG_NORM_SPACES, &e->name_sp)) != DG_OK ||
	    (rv = make_keys(e->name_sp, &e->keys, &e->nkeys)) != DG_OK ||
	    (rv = norm_address(c->ref, e->pref, dg_csv_field(row, c->caddr),
			       &e->addr)) != DG_OK)
		return (rv);
	if ((e->full = without_spaces(e->name_sp)) == NULL)
		return (DG_ERR_NOMEM);
	e->hospital_like = strstr(name, "病院") != NULL ||
			   strstr(name, "センター") != NULL ||
			   strstr(name, "ホスピタル") != NULL;
	return (DG_OK);
}

/* Orders 10-digit codes. */
static int
cmp_code(const void *a, const void *b)
{
	return (strcmp(a, b));
}

/* Orders key references by key. */
static int
cmp_key(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;

	return (strcmp(x->key, y->key));
}

/* Builds the sorted key index and the per-entry search marks. */
static dg_err
build_index(dg_codes *c)
{
	size_t i, j, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->v[i].nkeys;
	if ((c->index = malloc((n ? n : 1) * sizeof(*c->index))) == NULL ||
	    (c->seen = calloc(c->n, sizeof(*c->seen))) == NULL)
		return (DG_ERR_NOMEM);
	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->v[i].nkeys; j++) {
			c->index[c->nindex].key = c->v[i].keys[j];
			c->index[c->nindex++].entry = i;
		}
	}
	qsort(c->index, c->nindex, sizeof(*c->index), cmp_key);
	return (DG_OK);
}

dg_err
dg_codes_load(const char *data_dir, const dg_refdata *ref,
	      const char *const *prefs, size_t nprefs, dg_codes **out)
{
	dg_err rv = DG_OK;
	dg_codes *c = NULL;
	char path[4096];
	size_t i, j;
	int p, need;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	c->ref = ref;
	for (i = 0; i < nprefs && i < 47; i++)
		snprintf(c->prefs[c->nprefs++], 3, "%s", prefs[i]);
	for (i = 0; i < sizeof(code_files) / sizeof(code_files[0]); i++) {
		need = 0;
		for (j = 0; j < c->nprefs; j++) {
			p = atoi(c->prefs[j]);
			need |= p >= code_files[i].lo && p <= code_files[i].hi;
		}
		if (!need)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", data_dir,
				     code_files[i].file) >= sizeof(path)) {
			dg_error("data directory path too long");
			rv = DG_ERR_USAGE;
			goto out;
		}
		c->file = code_files[i].file;
		if ((rv = dg_csv_read(path, on_row, c)) != DG_OK)
			goto out;
	}
	if (c->n > 0) {
		if ((c->sorted = malloc(c->n * sizeof(*c->sorted))) == NULL) {
			rv = DG_ERR_NOMEM;
			goto out;
		}
		for (i = 0; i < c->n; i++)
			memcpy(c->sorted[i], c->v[i].code, 11);
		qsort(c->sorted, c->n, sizeof(*c->sorted), cmp_code);
		if ((rv = build_index(c)) != DG_OK)
			goto out;
	}
	*out = c;
	c = NULL;
out:
	dg_codes_free(c);
	return (rv);
}

void
dg_codes_free(dg_codes *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].published);
		free(c->v[i].name_sp);
		free(c->v[i].full);
		free(c->v[i].addr);
		free_strings(c->v[i].keys, c->v[i].nkeys);
	}
	free(c->v);
	free(c->sorted);
	free(c->index);
	free(c->seen);
	free(c);
}

const char *
dg_match_name(dg_match m)
{
	switch (m) {
	case DG_MATCH_EXACT:
		return ("exact name");
	case DG_MATCH_KEY:
		return ("name without legal form");
	case DG_MATCH_POSTAL:
		return ("postal code + name containment");
	case DG_MATCH_ADDRESS:
		return ("address + shared name part");
	case DG_MATCH_REGISTER:
		return ("the code register itself");
	case DG_MATCH_NONE:
	case DG_MATCH_NKINDS:
		break;
	}
	return ("none");
}

/* Returns 1 when the shorter of a and b is long enough and in the other. */
static int
contains(const char *a, const char *b)
{
	const char *s = a, *l = b;

	if (strlen(a) > strlen(b)) {
		s = b;
		l = a;
	}
	return (dg_utf8_count(s) >= MIN_CONTAIN_CHARS && strstr(l, s) != NULL);
}

/* Returns 1 when s lies inside one of the generic words. */
static int
generic(const char *s)
{
	size_t i;

	if (strstr(s, "病院") != NULL)
		return (1);
	for (i = 0; i < sizeof(generic_words) / sizeof(generic_words[0]); i++)
		if (strstr(generic_words[i], s) != NULL)
			return (1);
	return (0);
}

/* Returns a copy of name_sp with legal-form words dropped from each word. */
static char *
strip_legal_words(const char *name_sp)
{
	char *out, *w;
	const char *p = name_sp, *end;
	size_t len;

	if ((out = malloc(strlen(name_sp) + 1)) == NULL)
		return (NULL);
	w = out;
	while (*p != '\0') {
		p = dg_norm_strip_legal(p);
		if ((end = strchr(p, ' ')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		memcpy(w, p, len);
		w += len;
		p = end;
		if (*p == ' ') {
			*w++ = ' ';
			p++;
		}
	}
	*w = '\0';
	return (out);
}

/*
 * Returns 1 when names a and b (normalised, word breaks kept) share a run
 * of two or more characters that crosses no word break, is not part of
 * either address (a place name) and is not a generic word:
 * 社会医療法人明生会網走脳神経外科 and 社会医療法人 明生会 網走の丘総合病院
 * share 明生会; 札幌さくら病院 and 札幌記念病院 share only 札幌, a place.
 */
static int
shares_distinct_part(const char *a_sp, const char *b_sp, const char *addr_a,
		     const char *addr_b)
{
	size_t off[MAX_NAME_CHARS + 1], la = 0, lb, len, i, span;
	char *a = NULL, *b = NULL, sub[MAX_NAME_CHARS * 4 + 1];
	const char *p;
	uint32_t cp;
	int found = 0;

	if ((a = strip_legal_words(a_sp)) == NULL ||
	    (b = strip_legal_words(b_sp)) == NULL)
		goto out;
	for (p = a; *p != '\0' && la < MAX_NAME_CHARS; la++) {
		off[la] = (size_t)(p - a);
		p += dg_utf8_decode(p, &cp);
	}
	if (*p != '\0')
		goto out;
	off[la] = (size_t)(p - a);
	lb = dg_utf8_count(b);
	for (len = la < lb ? la : lb; len >= 2 && !found; len--) {
		for (i = 0; i + len <= la && !found; i++) {
			span = off[i + len] - off[i];
			memcpy(sub, a + off[i], span);
			sub[span] = '\0';
			if (strchr(sub, ' ') != NULL || strstr(b, sub) == NULL)
				continue;
			if (strstr(addr_a, sub) != NULL ||
			    strstr(addr_b, sub) != NULL || generic(sub))
				continue;
			found = 1;
		}
	}
out:
	free(a);
	free(b);
	return (found);
}

/* Returns 1 when entry e may match probe p under rule m. */
static int
candidate(const struct entry *e, const dg_hospital *h, const struct probe *p,
	  dg_match m)
{
	size_t i, j;

	if (e->claimed || strcmp(e->pref, h->prefecture) != 0)
		return (0);
	switch (m) {
	case DG_MATCH_EXACT:
		return (strcmp(e->full, p->full) == 0);
	case DG_MATCH_KEY:
		for (i = 0; i < p->nkeys; i++)
			for (j = 0; j < e->nkeys; j++)
				if (strcmp(p->keys[i], e->keys[j]) == 0)
					return (1);
		return (0);
	case DG_MATCH_POSTAL:
		if (h->postal[0] == '\0' || strcmp(h->postal, e->postal) != 0)
			return (0);
		for (i = 0; i < p->nkeys; i++)
			for (j = 0; j < e->nkeys; j++)
				if (contains(p->keys[i], e->keys[j]))
					return (1);
		return (0);
	case DG_MATCH_ADDRESS:
		if (p->addr == NULL || p->addr[0] == '\0' ||
		    !e->hospital_like || strcmp(p->addr, e->addr) != 0)
			return (0);
		return (shares_distinct_part(p->name_sp, e->name_sp, p->addr,
					     e->addr));
	case DG_MATCH_REGISTER: /* not a matching rule */
	case DG_MATCH_NONE:
	case DG_MATCH_NKINDS:
		break;
	}
	return (0);
}

/* Counts entry i as a candidate of the current search, once. */
static void
count_candidate(dg_codes *c, const dg_hospital *h, size_t i, long *found,
		size_t *n, long *found_postal, size_t *n_postal)
{
	if (c->seen[i] == c->search)
		return;
	c->seen[i] = c->search;
	*found = (long)i;
	(*n)++;
	if (h->postal[0] != '\0' && strcmp(h->postal, c->v[i].postal) == 0) {
		*found_postal = (long)i;
		(*n_postal)++;
	}
}

/*
 * Finds the single entry matching h under rule m; when several do, the
 * single one with h's postal code. Returns its index or -1. The name rules
 * look entries up by key; the others scan, testing postal code or address
 * first.
 */
static long
find_match(dg_codes *c, const dg_hospital *h, const struct probe *p,
	   dg_match m)
{
	long found = -1, found_postal = -1;
	size_t i, k, n = 0, n_postal = 0;
	struct key_ref probe_key, *r;

	c->search++;
	if (m == DG_MATCH_EXACT || m == DG_MATCH_KEY) {
		for (k = 0; k < p->nkeys; k++) {
			probe_key.key = p->keys[k];
			r = bsearch(&probe_key, c->index, c->nindex,
				    sizeof(*c->index), cmp_key);
			if (r == NULL)
				continue;
			while (r > c->index &&
			       strcmp(r[-1].key, p->keys[k]) == 0)
				r--;
			for (; r < c->index + c->nindex &&
			       strcmp(r->key, p->keys[k]) == 0;
			     r++)
				if (candidate(&c->v[r->entry], h, p, m))
					count_candidate(c, h, r->entry, &found,
							&n, &found_postal,
							&n_postal);
		}
	} else {
		for (i = 0; i < c->n; i++)
			if (candidate(&c->v[i], h, p, m))
				count_candidate(c, h, i, &found, &n,
						&found_postal, &n_postal);
	}
	if (n == 1)
		return (found);
	if (n > 1 && n_postal == 1)
		return (found_postal);
	return (-1);
}

/* Frees what a probe holds. */
static void
probe_free(struct probe *p)
{
	if (p == NULL)
		return;
	free(p->name_sp);
	free(p->full);
	free(p->addr);
	free_strings(p->keys, p->nkeys);
	memset(p, 0, sizeof(*p));
}

/* Fills a probe with the normalised name and address of h. */
static dg_err
probe_make(const dg_codes *c, const dg_hospital *h, struct probe *p)
{
	dg_err rv;

	memset(p, 0, sizeof(*p));
	if ((rv = dg_norm(h->name_ja, DG_NORM_SPACES, &p->name_sp)) != DG_OK ||
	    (rv = make_keys(p->name_sp, &p->keys, &p->nkeys)) != DG_OK)
		return (rv);
	if ((p->full = without_spaces(p->name_sp)) == NULL)
		return (DG_ERR_NOMEM);
	if (h->address != NULL &&
	    (rv = norm_address(c->ref, h->prefecture, h->address, &p->addr)) !=
		DG_OK)
		return (rv);
	return (DG_OK);
}

/* Returns 1 when code is a real institution code or already given out. */
static int
code_taken(const dg_codes *c, const dg_hospital_list *l, const char *code)
{
	size_t i;

	if (c->n > 0 && bsearch(code, c->sorted, c->n, sizeof(*c->sorted),
				cmp_code) != NULL)
		return (1);
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].org_code, code) == 0)
			return (1);
	return (0);
}

/* Derives the synthetic code of an unmatched hospital (see codes.h). */
static dg_err
derive_code(const dg_codes *c, const dg_hospital_list *l, dg_hospital *h)
{
	unsigned long n = 0, tries;
	const char *s;
	char code[11];

	/* the last six digits of the source id */
	for (s = h->source_id; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			n = (n * 10 + (unsigned long)(*s - '0')) % 1000000ul;
	for (tries = 0; tries < 1000000ul; tries++) {
		snprintf(code, sizeof(code), "%s19%06lu", h->prefecture,
			 (n + tries) % 1000000ul);
		if (!code_taken(c, l, code)) {
			memcpy(h->org_code, code, sizeof(code));
			return (DG_OK);
		}
	}
	dg_error("prefecture %s: no free synthetic organisation code",
		 h->prefecture);
	return (DG_ERR_INTERNAL);
}

/* Checks that no two hospitals share an organisation code. */
static dg_err
check_unique(const dg_hospital_list *l)
{
	char(*codes)[11] = NULL;
	dg_err rv = DG_OK;
	size_t i;

	if (l->n < 2)
		return (DG_OK);
	if ((codes = malloc(l->n * sizeof(*codes))) == NULL)
		return (DG_ERR_NOMEM);
	for (i = 0; i < l->n; i++)
		memcpy(codes[i], l->v[i].org_code, 11);
	qsort(codes, l->n, sizeof(*codes), cmp_code);
	for (i = 1; i < l->n; i++) {
		if (strcmp(codes[i - 1], codes[i]) == 0) {
			dg_error("organisation code %s given twice", codes[i]);
			rv = DG_ERR_INTERNAL;
			break;
		}
	}
	free(codes);
	return (rv);
}

dg_err
dg_codes_assign(dg_codes *c, dg_hospital_list *l, int verbose)
{
	dg_err rv = DG_OK;
	struct probe *probes = NULL;
	struct entry *e;
	dg_hospital *h;
	size_t i;
	long k;
	int m;

	if ((probes = calloc(l->n ? l->n : 1, sizeof(*probes))) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < l->n; i++)
		if ((rv = probe_make(c, &l->v[i], &probes[i])) != DG_OK)
			goto out;
	for (m = DG_MATCH_EXACT; m < DG_MATCH_NKINDS; m++) {
		for (i = 0; i < l->n; i++) {
			h = &l->v[i];
			if (h->org_code[0] != '\0')
				continue;
			if ((k = find_match(c, h, &probes[i], (dg_match)m)) <
			    0)
				continue;
			e = &c->v[k];
			e->claimed = 1;
			memcpy(h->org_code, e->code, sizeof(e->code));
			h->match = (dg_match)m;
			if (h->postal[0] == '\0' && e->postal[0] != '\0') {
				memcpy(h->postal, e->postal,
				       sizeof(h->postal));
				h->postal_from_codes = 1;
			}
			if (verbose && m != DG_MATCH_EXACT)
				fprintf(stderr,
					"%s: %s %s: %s: \"%s\" is %s \"%s\"\n",
					DG_PROG, h->set, h->source_id,
					dg_match_name((dg_match)m), h->name_ja,
					e->code, e->published);
		}
	}
	for (i = 0; i < l->n; i++) {
		h = &l->v[i];
		if (h->org_code[0] != '\0')
			continue;
		h->match = DG_MATCH_NONE;
		if ((rv = derive_code(c, l, h)) != DG_OK)
			goto out;
		if (verbose)
			fprintf(stderr,
				"%s: %s %s: no match: \"%s\" gets %s\n",
				DG_PROG, h->set, h->source_id, h->name_ja,
				h->org_code);
	}
	rv = check_unique(l);
out:
	if (probes != NULL)
		for (i = 0; i < l->n; i++)
			probe_free(&probes[i]);
	free(probes);
	return (rv);
}
