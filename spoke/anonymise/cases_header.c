/* Binding a header line to our columns; see cases_header.h. */
#include <string.h>
#include <strings.h>

#include "cases_header.h"
#include "text.h"

/* Whether header name n is the one column c is looked for under. */
static bool
names_column(const spoke_cases_map *map, spoke_case_col c, const char *n)
{
	if (map != NULL && map->header[c] != NULL)
		return (strcmp(n, map->header[c]) == 0);
	return (strcasecmp(n, spoke_case_col_name(c)) == 0);
}

ibx_err
spoke_cases_header_bind(const char *const *names, size_t nfields,
			const spoke_cases_map *map, spoke_cases_header *h,
			spoke_msgs *problems)
{
	uint64_t before = spoke_msgs_total(problems);
	size_t first[SPOKE_COL_COUNT], i;
	int c;

	memset(h, 0, sizeof(*h));
	if (nfields > SPOKE_HEADER_FIELDS_MAX) {
		spoke_msgs_add(problems, "header: %zu fields, more than %d",
			       nfields, SPOKE_HEADER_FIELDS_MAX);
		return (IBX_EINVAL);
	}
	h->nfields = nfields;
	for (i = 0; i < nfields; i++) {
		h->col[i] = -1;
		if (!ibx_text_utf8_valid(names[i])) {
			spoke_msgs_add(problems,
				       "header: field %zu is not UTF-8 text "
				       "(convert a Shift_JIS export first: "
				       "iconv -f CP932 -t UTF-8)",
				       i + 1);
			continue;
		}
		for (c = 0; c < SPOKE_COL_COUNT; c++) {
			if (!names_column(map, (spoke_case_col)c, names[i]))
				continue;
			if (h->has[c]) {
				spoke_msgs_add(
				    problems,
				    "header: column \"%s\" is both field %zu "
				    "and field %zu",
				    spoke_case_col_name((spoke_case_col)c),
				    first[c] + 1, i + 1);
				break;
			}
			h->has[c] = true;
			first[c] = i;
			h->col[i] = (int8_t)c;
			break;
		}
	}
	for (c = 0; c < SPOKE_COL_COUNT; c++) {
		if (h->has[c])
			continue;
		if (map != NULL && map->header[c] != NULL)
			spoke_msgs_add(
			    problems,
			    "header: no field \"%s\", which %s line "
			    "%u names for column \"%s\"",
			    map->header[c], map->source, map->line[c],
			    spoke_case_col_name((spoke_case_col)c));
		else if (spoke_case_col_required((spoke_case_col)c))
			spoke_msgs_add(
			    problems,
			    "header: missing column \"%s\" (name a field so, "
			    "or map yours with --map: %s=<your header>)",
			    spoke_case_col_name((spoke_case_col)c),
			    spoke_case_col_name((spoke_case_col)c));
	}
	/* Unless the map named one that is missing (said above). */
	if (!h->has[SPOKE_COL_BIRTH_DATE] && !h->has[SPOKE_COL_AGE] &&
	    (map == NULL || (map->header[SPOKE_COL_BIRTH_DATE] == NULL &&
			     map->header[SPOKE_COL_AGE] == NULL)))
		spoke_msgs_add(problems,
			       "header: needs a birth_date or an age column");
	return (spoke_msgs_total(problems) > before ? IBX_EINVAL : IBX_OK);
}
