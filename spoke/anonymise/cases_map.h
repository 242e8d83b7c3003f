/*
 * The column map: how a hospital tells the spoke which header of its own
 * export holds each of our columns (docs/case-records.md, "Column map").
 * A text file of "our_column=their header" lines; '#' starts a comment
 * line, blank lines are skipped, white space around either side is
 * dropped, UTF-8 with or without a byte order mark.  A column the map does
 * not name is looked for under its own name.
 *
 * Values too: an "our_column:their value=our value" line reads a word of
 * the hospital's system (sex:男=male, nationality:中国=CN,
 * purpose:治療=treatment) as ours before the row's rules check it; a value
 * the map does not name is read as written.  The spoke's page helps build
 * these lines (docs/spoke-page.md).
 */
#ifndef SPOKE_CASES_MAP_H
#define SPOKE_CASES_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "cases_columns.h"
#include "cases_report.h"
#include "err.h"

#define SPOKE_MAP_FILE_MAX   (64 * 1024) /* bytes */
#define SPOKE_MAP_LINE_MAX   1024	 /* bytes */
#define SPOKE_MAP_VALUES_MAX 1000	 /* value lines */

/* One value line: their word for a value of column col, and ours. */
typedef struct spoke_map_value {
	spoke_case_col col;
	char *theirs; /* owned */
	char *ours;   /* owned */
	size_t theirs_len, ours_len;
	unsigned line;
} spoke_map_value;

typedef struct spoke_cases_map {
	char *header[SPOKE_COL_COUNT];	/* their header for column c, owned;
					   NULL: c's own name */
	unsigned line[SPOKE_COL_COUNT]; /* the map's line that named it */
	char source[256];		/* the map file, for messages */
	spoke_map_value *values;	/* value lines, owned */
	size_t nvalues;
	bool has_values[SPOKE_COL_COUNT]; /* column c has value lines */
} spoke_cases_map;

/* spoke_cases_map_init: the empty map (every column under its own name). */
void spoke_cases_map_init(spoke_cases_map *m);

/* spoke_cases_map_fini: free the headers; the map is empty afterwards.
 * NULL is fine. */
void spoke_cases_map_fini(spoke_cases_map *m);

/* spoke_cases_map_parse: read a map from len bytes of text (from a file
 * named source, for messages) into m, which must be empty.  Every problem
 * is added to problems as "<source> line N: ..." (unknown column, column
 * named twice, two columns given one header, no '=', empty header, not
 * UTF-8, line too long); returns IBX_EINVAL when there was any (m is then
 * emptied), IBX_ENOMEM, or IBX_OK. */
ibx_err spoke_cases_map_parse(const char *text, size_t len, const char *source,
			      spoke_cases_map *m, spoke_msgs *problems);

/* spoke_cases_map_load: spoke_cases_map_parse on the file at path (at
 * most SPOKE_MAP_FILE_MAX bytes).  IBX_EIO when it cannot be read,
 * IBX_ETOOBIG when it is larger; both added to problems too. */
ibx_err spoke_cases_map_load(const char *path, spoke_cases_map *m,
			     spoke_msgs *problems);

/* spoke_cases_map_value: what to read for the len bytes at s in column c:
 * our value (pointing into m, *out_len bytes) when a value line of m names
 * them for c, else NULL. */
const char *spoke_cases_map_value(const spoke_cases_map *m, spoke_case_col c,
				  const char *s, size_t len, size_t *out_len);

#endif /* SPOKE_CASES_MAP_H */
