/* The column map file; see cases_map.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "cases_map.h"
#include "text.h"

void
spoke_cases_map_init(spoke_cases_map *m)
{
	memset(m, 0, sizeof(*m));
}

void
spoke_cases_map_fini(spoke_cases_map *m)
{
	int c;

	if (m == NULL)
		return;
	for (c = 0; c < SPOKE_COL_COUNT; c++)
		free(m->header[c]);
	for (size_t i = 0; i < m->nvalues; i++) {
		free(m->values[i].theirs);
		free(m->values[i].ours);
	}
	free(m->values);
	spoke_cases_map_init(m);
}

static bool
blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r');
}

/* Trim ASCII white space off both ends of [*s, *s + *n). */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && blank((*s)[*n - 1]))
		(*n)--;
}

/* Check and store one "column:their value=our value" line: name (nlen
 * bytes) is the part before the first ':', rest (rlen bytes) after it. */
static void
value_line(spoke_cases_map *m, const char *name, size_t nlen, const char *rest,
	   size_t rlen, unsigned no, spoke_msgs *problems, bool *nomem)
{
	const char *eq = NULL, *theirs, *ours;
	char key[64];
	size_t tlen, olen, i;
	spoke_map_value *grown, *v;
	spoke_case_col c;

	for (i = rlen; i > 0; i--)
		if (rest[i - 1] == '=') {
			eq = rest + i - 1;
			break;
		}
	trim(&name, &nlen);
	snprintf(key, sizeof(key), "%.*s", (int)(nlen < 63 ? nlen : 63), name);
	if (nlen >= sizeof(key) ||
	    (c = spoke_case_col_by_name(key)) == SPOKE_COL_COUNT) {
		char q[48];

		ibx_text_quote_short(q, sizeof(q), key);
		spoke_msgs_add(problems,
			       "%s line %u: unknown column %s (the columns "
			       "are listed in docs/case-records.md)",
			       m->source, no, q);
		return;
	}
	if (eq == NULL) {
		spoke_msgs_add(problems,
			       "%s line %u: expected "
			       "our_column:their value=our value",
			       m->source, no);
		return;
	}
	theirs = rest;
	tlen = (size_t)(eq - rest);
	ours = eq + 1;
	olen = rlen - tlen - 1;
	trim(&theirs, &tlen);
	trim(&ours, &olen);
	if (tlen == 0 || olen == 0) {
		spoke_msgs_add(problems,
			       "%s line %u: column \"%s\": empty value",
			       m->source, no, spoke_case_col_name(c));
		return;
	}
	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].col == c && m->values[i].theirs_len == tlen &&
		    memcmp(m->values[i].theirs, theirs, tlen) == 0) {
			spoke_msgs_add(problems,
				       "%s line %u: column \"%s\": that "
				       "value is already mapped on line %u",
				       m->source, no, spoke_case_col_name(c),
				       m->values[i].line);
			return;
		}
	if (m->nvalues == SPOKE_MAP_VALUES_MAX) {
		spoke_msgs_add(problems,
			       "%s line %u: more than %d value lines",
			       m->source, no, SPOKE_MAP_VALUES_MAX);
		return;
	}
	if ((grown = realloc(m->values,
			     (m->nvalues + 1) * sizeof(*m->values))) == NULL) {
		*nomem = true;
		return;
	}
	m->values = grown;
	v = &m->values[m->nvalues];
	memset(v, 0, sizeof(*v));
	if ((v->theirs = strndup(theirs, tlen)) == NULL ||
	    (v->ours = strndup(ours, olen)) == NULL) {
		free(v->theirs);
		*nomem = true;
		return;
	}
	if (!ibx_text_utf8_valid(v->theirs) || !ibx_text_utf8_valid(v->ours)) {
		spoke_msgs_add(problems,
			       "%s line %u: column \"%s\": a value is not "
			       "UTF-8 text",
			       m->source, no, spoke_case_col_name(c));
		free(v->theirs);
		free(v->ours);
		return;
	}
	v->col = c;
	v->theirs_len = tlen;
	v->ours_len = olen;
	v->line = no;
	m->nvalues++;
	m->has_values[c] = true;
}

const char *
spoke_cases_map_value(const spoke_cases_map *m, spoke_case_col c,
		      const char *s, size_t len, size_t *out_len)
{
	size_t i;

	if (m == NULL || !m->has_values[c])
		return (NULL);
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (i = 0; i < m->nvalues; i++)
		if (m->values[i].col == c && m->values[i].theirs_len == len &&
		    memcmp(m->values[i].theirs, s, len) == 0) {
			*out_len = m->values[i].ours_len;
			return (m->values[i].ours);
		}
	return (NULL);
}

/* Check and store one "column=header" line (len bytes, no newline). */
static void
map_line(spoke_cases_map *m, const char *line, size_t len, unsigned no,
	 spoke_msgs *problems, bool *nomem)
{
	const char *eq, *name, *hdr;
	char key[64], *value;
	size_t nlen, hlen;
	spoke_case_col c;
	int other;

	trim(&line, &len);
	if (len == 0 || line[0] == '#')
		return;
	if (len > SPOKE_MAP_LINE_MAX) {
		spoke_msgs_add(problems, "%s line %u: longer than %d bytes",
			       m->source, no, SPOKE_MAP_LINE_MAX);
		return;
	}
	if ((eq = memchr(line, ':', len)) != NULL &&
	    memchr(line, '=', (size_t)(eq - line)) == NULL) {
		value_line(m, line, (size_t)(eq - line), eq + 1,
			   len - (size_t)(eq - line) - 1, no, problems, nomem);
		return;
	}
	if ((eq = memchr(line, '=', len)) == NULL) {
		spoke_msgs_add(problems,
			       "%s line %u: expected our_column=their header",
			       m->source, no);
		return;
	}
	name = line;
	nlen = (size_t)(eq - line);
	hdr = eq + 1;
	hlen = len - nlen - 1;
	trim(&name, &nlen);
	trim(&hdr, &hlen);
	snprintf(key, sizeof(key), "%.*s", (int)(nlen < 63 ? nlen : 63), name);
	if (nlen >= sizeof(key) ||
	    (c = spoke_case_col_by_name(key)) == SPOKE_COL_COUNT) {
		char q[48];

		ibx_text_quote_short(q, sizeof(q), key);
		spoke_msgs_add(problems,
			       "%s line %u: unknown column %s (the columns "
			       "are listed in docs/case-records.md)",
			       m->source, no, q);
		return;
	}
	if (m->header[c] != NULL) {
		spoke_msgs_add(problems,
			       "%s line %u: column \"%s\" is already mapped "
			       "on line %u",
			       m->source, no, spoke_case_col_name(c),
			       m->line[c]);
		return;
	}
	if (hlen == 0) {
		spoke_msgs_add(problems,
			       "%s line %u: column \"%s\": empty header",
			       m->source, no, spoke_case_col_name(c));
		return;
	}
	if ((value = malloc(hlen + 1)) == NULL) {
		*nomem = true;
		return;
	}
	memcpy(value, hdr, hlen);
	value[hlen] = '\0';
	if (!ibx_text_utf8_valid(value)) {
		spoke_msgs_add(problems,
			       "%s line %u: column \"%s\": the header is not "
			       "UTF-8 text",
			       m->source, no, spoke_case_col_name(c));
		free(value);
		return;
	}
	for (other = 0; other < SPOKE_COL_COUNT; other++)
		if (m->header[other] != NULL &&
		    strcmp(m->header[other], value) == 0) {
			spoke_msgs_add(
			    problems,
			    "%s line %u: header \"%s\" is already mapped to "
			    "column \"%s\" on line %u",
			    m->source, no, value,
			    spoke_case_col_name((spoke_case_col)other),
			    m->line[other]);
			free(value);
			return;
		}
	m->header[c] = value;
	m->line[c] = no;
}

ibx_err
spoke_cases_map_parse(const char *text, size_t len, const char *source,
		      spoke_cases_map *m, spoke_msgs *problems)
{
	uint64_t before = spoke_msgs_total(problems);
	const char *p = text, *end = text + len, *nl;
	bool nomem = false;
	unsigned no = 0;

	snprintf(m->source, sizeof(m->source), "%s", source);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		map_line(m, p, (size_t)(nl - p), ++no, problems, &nomem);
		p = nl + 1;
	}
	if (memchr(text, '\0', len) != NULL)
		spoke_msgs_add(problems, "%s: holds a NUL byte (not text)",
			       source);
	if (nomem || spoke_msgs_total(problems) > before) {
		spoke_cases_map_fini(m);
		return (nomem ? IBX_ENOMEM : IBX_EINVAL);
	}
	return (IBX_OK);
}

ibx_err
spoke_cases_map_load(const char *path, spoke_cases_map *m,
		     spoke_msgs *problems)
{
	char *buf = NULL;
	size_t n;
	ibx_err rv;

	rv = ibx_file_read(path, SPOKE_MAP_FILE_MAX, &buf, &n);
	if (rv == IBX_EIO) {
		spoke_msgs_add(problems, "%s: cannot open the column map: %s",
			       path, strerror(errno));
		goto out;
	}
	if (rv == IBX_ETOOBIG) {
		spoke_msgs_add(problems,
			       "%s: the column map is larger than %d bytes",
			       path, SPOKE_MAP_FILE_MAX);
		goto out;
	}
	if (rv != IBX_OK)
		goto out;
	rv = spoke_cases_map_parse(buf, n, path, m, problems);
out:
	free(buf);
	return (rv);
}
