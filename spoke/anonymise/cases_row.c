/*
 * Parsing and checking one case record; see cases_row.h.  Everything here
 * runs for every field of every row, so values are read straight from the
 * CSV reader's buffer with lengths, vocabularies are matched without
 * allocating, and problem text is formatted only for the rows the report
 * will list.  The rules and messages are documented in
 * docs/case-records.md ("Refused rows").
 */
#include <assert.h>
#include <endian.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_codes.h"
#include "cases_row.h"
#include "problems.h"
#include "text.h"

#define BIT(c) (1u << (c))

/* A word of a vocabulary, zero-padded to 16 bytes so it compares as two
 * 64-bit numbers, its length and the value it stands for. */
struct word {
	char text[16];
	uint8_t len;
	uint8_t value;
};

/*
 * The vocabularies of the coded columns, built once from the code lists of
 * proto/domain/codes.h (deploy/data): each list's codes, then their aliases
 * ("m" for male), and the text a refusal gives ("male, female or unknown
 * (M, F or U accepted)").
 */
enum { VOCAB_SEX, VOCAB_PURPOSE, VOCAB_CHANNEL, VOCAB_ANSWER, VOCAB_COUNT };
#define VOCAB_WORDS 32

struct vocab {
	struct word words[VOCAB_WORDS];
	uint32_t by_len[17]; /* bit k: words[k] has that many bytes */
	int n;
	char expected[256];
};

static struct vocab vocabs[VOCAB_COUNT];
static pthread_once_t vocabs_once = PTHREAD_ONCE_INIT;
static bool vocabs_ready; /* built (set last, read with acquire) */
/* The refusal text of remote_second_opinion_first, which takes the first
 * two answers only (yes, no). */
static char yes_no_expected[64];

/* Append "a, b or c" to out: the n entries get(list, 0..n-1) that are not
 * NULL, upper-cased when upper; cut at size bytes. */
static void
words_text(char *out, size_t size, ibx_code_list_id list, int n,
	   const char *(*get)(ibx_code_list_id, int), bool upper)
{
	const char *w[VOCAB_WORDS];
	size_t len = strlen(out), k;
	int i, m = 0;

	for (i = 0; i < n && m < VOCAB_WORDS; i++)
		if ((w[m] = get(list, i)) != NULL && w[m][0] != '\0')
			m++;
	for (i = 0; i < m && len + 1 < size; i++) {
		len += (size_t)snprintf(out + len, size - len, "%s",
					i == 0	     ? ""
					: i == m - 1 ? " or "
						     : ", ");
		for (k = 0; w[i][k] != '\0' && len + 1 < size; k++)
			out[len++] = upper && w[i][k] >= 'a' && w[i][k] <= 'z'
					 ? (char)(w[i][k] - 'a' + 'A')
					 : w[i][k];
		out[len] = '\0';
	}
}

static void
vocab_add(struct vocab *v, const char *w, int value)
{
	size_t len = strlen(w);

	/* Words are at most 16 bytes (word() compares two 8-byte halves);
	 * the lists are ours and short. */
	assert(len > 0 && len <= 16 && v->n < VOCAB_WORDS);
	memset(v->words[v->n].text, 0, sizeof(v->words[v->n].text));
	memcpy(v->words[v->n].text, w, len);
	v->words[v->n].len = (uint8_t)len;
	v->words[v->n].value = (uint8_t)value;
	v->by_len[len] |= (uint32_t)1 << v->n;
	v->n++;
}

static void
vocabs_build(void)
{
	static const ibx_code_list_id lists[VOCAB_COUNT] = {
	    [VOCAB_SEX] = IBX_LIST_SEX,
	    [VOCAB_PURPOSE] = IBX_LIST_PURPOSE,
	    [VOCAB_CHANNEL] = IBX_LIST_REFERRAL_CHANNEL,
	    [VOCAB_ANSWER] = IBX_LIST_ANSWER,
	};
	struct vocab *v;
	size_t n, len;
	int k, i, aliases;

	for (k = 0; k < VOCAB_COUNT; k++) {
		v = &vocabs[k];
		(void)ibx_code_list(lists[k], &n);
		aliases = 0;
		for (i = 0; i < (int)n; i++)
			vocab_add(v, ibx_code_at(lists[k], i), i);
		for (i = 0; i < (int)n; i++)
			if (ibx_code_alias(lists[k], i) != NULL &&
			    ibx_code_alias(lists[k], i)[0] != '\0') {
				vocab_add(v, ibx_code_alias(lists[k], i), i);
				aliases++;
			}
		words_text(v->expected, sizeof(v->expected), lists[k], (int)n,
			   ibx_code_at, false);
		if (aliases > 0) {
			len = strlen(v->expected);
			snprintf(v->expected + len, sizeof(v->expected) - len,
				 " (");
			words_text(v->expected, sizeof(v->expected), lists[k],
				   (int)n, ibx_code_alias, true);
			len = strlen(v->expected);
			snprintf(v->expected + len, sizeof(v->expected) - len,
				 " accepted)");
		}
	}
	words_text(yes_no_expected, sizeof(yes_no_expected), IBX_LIST_ANSWER,
		   2, ibx_code_at, false);
	__atomic_store_n(&vocabs_ready, true, __ATOMIC_RELEASE);
}

/* Append printf-style text to the row's problem text, cut at its end. */
static void append(spoke_case_row *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
append(spoke_case_row *r, const char *fmt, ...)
{
	size_t room = sizeof(r->text) - r->text_len;
	va_list ap;
	int n;

	if (room <= 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->text_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->text_len += (size_t)n < room ? (size_t)n : room - 1;
}

/* Append printf-style text to the row's problem codes, cut at their
 * end. */
static void codes_append(spoke_case_row *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
codes_append(spoke_case_row *r, const char *fmt, ...)
{
	size_t room = sizeof(r->codes) - r->codes_len;
	va_list ap;
	int n;

	if (room <= 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->codes + r->codes_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->codes_len += (size_t)n < room ? (size_t)n : room - 1;
}

/* Record a problem of column col (-1: the row), with the offending value
 * (len bytes of value, or NULL) shown in quotes before the reason.  Out of
 * line and cold: problems are rare, and the parsers stay small. */
static void __attribute__((noinline, cold, format(printf, 6, 0)))
vproblem(spoke_case_row *r, int col, const char *value, size_t len,
	 const char *code, const char *fmt, va_list ap)
{
	char raw[64], quoted[48] = "", reason[384];
	char *args[IBX_PROBLEM_ARGS] = {NULL};
	va_list aq;
	int k;

	r->nproblems++;
	if (col >= 0)
		r->bad |= BIT(col);
	if (!r->describe)
		return;
	va_copy(aq, ap);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	ibx_problem_args(args, fmt, aq);
	va_end(aq);
	if (r->text_len > 0)
		append(r, "; ");
	if (col >= 0)
		append(r, "column \"%s\": ",
		       spoke_case_col_name((spoke_case_col)col));
	if (value != NULL) {
		if (len >= sizeof(raw))
			len = sizeof(raw) - 1;
		memcpy(raw, value, len);
		raw[len] = '\0';
		ibx_text_quote_short(quoted, sizeof(quoted), raw);
		append(r, "%s ", quoted);
	}
	append(r, "%s", reason);
	codes_append(r, "%s%s\x1f%s\x1f%s", r->codes_len > 0 ? "\x1e" : "",
		     col >= 0 ? spoke_case_col_name((spoke_case_col)col) : "",
		     code, quoted);
	for (k = 0; k < IBX_PROBLEM_ARGS && args[k] != NULL; k++) {
		codes_append(r, "\x1f%s", args[k]);
		free(args[k]);
	}
}

/* Refuse the value of column col with the reason's stable code (i18n.js
 * PROBLEMS, checked by tests/unit/problem_codes.sh) and its English
 * text. */
static void refuse(spoke_case_row *r, spoke_case_col col, const char *value,
		   size_t len, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
refuse(spoke_case_row *r, spoke_case_col col, const char *value, size_t len,
       const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(r, (int)col, value, len, code, fmt, ap);
	va_end(ap);
}

void
spoke_case_row_problem(spoke_case_row *r, const char *code, const char *fmt,
		       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(r, -1, NULL, 0, code, fmt, ap);
	va_end(ap);
}

void
spoke_case_row_reset(spoke_case_row *r, bool describe)
{
	r->seen = 0;
	r->bad = 0;
	r->ref_len = 0;
	r->referral_org = 0;
	r->age_band = SPOKE_AGE_BAND_UNKNOWN;
	r->nproblems = 0;
	r->describe = describe;
	r->text_len = 0;
	r->text[0] = '\0';
	r->codes_len = 0;
	r->codes[0] = '\0';
}

/* Eight bytes with ASCII capitals turned into small letters, all at
 * once (bytes of 0x80 and above are left alone). */
static uint64_t
lower8(uint64_t x)
{
	uint64_t h = x & 0x7f7f7f7f7f7f7f7full;
	uint64_t ge_a = h + 0x3f3f3f3f3f3f3f3full; /* top bit: >= 'A' */
	uint64_t gt_z = h + 0x2525252525252525ull; /* top bit: > 'Z' */

	return (x | ((ge_a & ~gt_z & ~x & 0x8080808080808080ull) >> 2));
}

/* Little-endian loads of 8 and 4 bytes from anywhere. */
static inline uint64_t
load8(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return (le64toh(v));
}

static inline uint64_t
load4(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return (le32toh(v));
}

/* The first len bytes of u (1 <= len <= 8) zero-padded into a number,
 * the first byte lowest, reading no byte past u[len - 1]: two loads that
 * may overlap (the overlapping bytes are the same), not a loop over the
 * bytes. */
static inline uint64_t
gather8(const unsigned char *u, size_t len)
{
	if (len == 8)
		return (load8(u));
	if (len >= 4)
		return (load4(u) | load4(u + len - 4) << (8 * (len - 4)));
	return ((uint64_t)u[0] | (len > 1 ? (uint64_t)u[1] << 8 : 0) |
		(len > 2 ? (uint64_t)u[2] << 16 : 0));
}

/* The first of the first n words of v that len bytes of s are, ASCII
 * case ignored, or NULL: the value, zero-padded to 16 bytes and
 * lower-cased eight bytes at a time, is compared as two numbers with each
 * word of its length only (v->by_len: one or two, not a scan of the
 * vocabulary).  The bytes are gathered in registers: copying them to a
 * buffer and loading it back as words stalls on store forwarding. */
static const struct word *
word(const char *s, size_t len, const struct vocab *v, int n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t lo, hi = 0, wlo, whi;
	uint32_t cand;
	int k;

	if (len == 0 || len > 16)
		return (NULL);
	cand = v->by_len[len] &
	       (n >= VOCAB_WORDS ? UINT32_MAX : ((uint32_t)1 << n) - 1);
	if (len <= 8)
		lo = gather8(u, len);
	else {
		lo = load8(u);
		hi = gather8(u + 8, len - 8);
	}
	lo = lower8(lo);
	hi = lower8(hi);
	for (; cand != 0; cand &= cand - 1) {
		k = __builtin_ctz(cand);
		memcpy(&wlo, v->words[k].text, 8);
		memcpy(&whi, v->words[k].text + 8, 8);
		if (lo == wlo && hi == whi)
			return (&v->words[k]);
	}
	return (NULL);
}

/* A whole number of ASCII digits only, at most max. */
static bool
whole(const char *s, size_t len, int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || len > 12)
		return (false);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (false);
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return (false);
	*out = v;
	return (true);
}

static void
parse_date(spoke_case_row *r, spoke_case_col c, const char *s, size_t len,
	   spoke_date *out)
{
	if (!spoke_date_parse(s, len, out))
		refuse(r, c, s, len, "row_date",
		       "is not a date (YYYY-MM-DD, a day that exists, "
		       "1900 to 2999)");
}

static void
parse_count(spoke_case_row *r, spoke_case_col c, const char *s, size_t len,
	    int64_t max, int64_t *out)
{
	if (!whole(s, len, max, out))
		refuse(r, c, s, len, "row_count",
		       "is not a whole number from 0 to %lld (digits only)",
		       (long long)max);
}

/* Read a word of vocabulary v (only its first n words when n >= 0). */
static void
parse_word(spoke_case_row *r, spoke_case_col c, const char *s, size_t len,
	   const struct vocab *v, int n, uint8_t *out)
{
	const struct word *w;

	/* Five words a row: one load once built, not a call into libc. */
	if (!__atomic_load_n(&vocabs_ready, __ATOMIC_ACQUIRE))
		pthread_once(&vocabs_once, vocabs_build);
	w = word(s, len, v, n >= 0 ? n : v->n);

	if (w == NULL)
		refuse(r, c, s, len, "row_word", "is not %s",
		       n == 2 && v == &vocabs[VOCAB_ANSWER] ? yes_no_expected
							    : v->expected);
	else
		*out = w->value;
}

static void
parse_icd10(spoke_case_row *r, const char *s, size_t len)
{
	switch (spoke_icd10(s, len, r->icd10_category, &r->icd10_chapter)) {
	case SPOKE_ICD10_OK:
		break;
	case SPOKE_ICD10_UNKNOWN:
		refuse(r, SPOKE_COL_ICD10, s, len, "row_icd10_unknown",
		       "names no known ICD-10 category (%.3s is not in "
		       "ICD-10-CM 2025)",
		       s);
		break;
	default:
		refuse(r, SPOKE_COL_ICD10, s, len, "row_icd10_form",
		       "is not an ICD-10 code (a letter, a digit, a digit or "
		       "letter, then up to 4 more: C16, C16.9)");
		break;
	}
}

/* referral_org is checked in finish, where the channel is known: keep the
 * code as a number (UINT64_MAX when it is not 10 digits) and the start of
 * its text for the message. */
static void
keep_org(spoke_case_row *r, const char *s, size_t len)
{
	int64_t v;

	r->org_text_len =
	    len < sizeof(r->org_text) ? len : sizeof(r->org_text);
	memcpy(r->org_text, s, r->org_text_len);
	if (len == 10 && whole(s, len, 9999999999LL, &v))
		r->referral_org = (uint64_t)v;
	else
		r->referral_org = UINT64_MAX;
}

/* One parser per column: each marks its column seen and reads the value
 * (len > 0). */

static void
p_patient_ref(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_PATIENT_REF);
	if (len > SPOKE_CASE_REF_MAX) {
		/* Never quoted: references stay in the hospital. */
		refuse(r, SPOKE_COL_PATIENT_REF, NULL, 0, "row_too_long",
		       "longer than %d bytes", SPOKE_CASE_REF_MAX);
		return;
	}
	memcpy(r->ref, s, len);
	r->ref_len = len;
}

static void
p_nationality(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_NATIONALITY);
	if (!spoke_nationality(s, len, r->nationality))
		refuse(r, SPOKE_COL_NATIONALITY, s, len, "row_nationality",
		       "is not an ISO 3166-1 alpha-2 or alpha-3 country code "
		       "(CN, CHN)");
}

static void
p_birth_date(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_BIRTH_DATE);
	parse_date(r, SPOKE_COL_BIRTH_DATE, s, len, &r->birth);
}

static void
p_age(spoke_case_row *r, const char *s, size_t len)
{
	int64_t v = 0;

	r->seen |= BIT(SPOKE_COL_AGE);
	if (!whole(s, len, SPOKE_AGE_MAX, &v))
		refuse(r, SPOKE_COL_AGE, s, len, "row_age",
		       "is not an age in whole years from 0 to %d",
		       SPOKE_AGE_MAX);
	r->age = (int)v;
}

static void
p_sex(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_SEX);
	parse_word(r, SPOKE_COL_SEX, s, len, &vocabs[VOCAB_SEX], -1, &r->sex);
}

static void
p_purpose(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_PURPOSE);
	parse_word(r, SPOKE_COL_PURPOSE, s, len, &vocabs[VOCAB_PURPOSE], -1,
		   &r->purpose);
}

static void
p_icd10(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_ICD10);
	parse_icd10(r, s, len);
}

static void
p_first_visit(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_FIRST_VISIT);
	parse_date(r, SPOKE_COL_FIRST_VISIT, s, len, &r->first_visit);
}

static void
p_discharge(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_DISCHARGE);
	parse_date(r, SPOKE_COL_DISCHARGE, s, len, &r->discharge);
}

static void
p_outpatient_visits(spoke_case_row *r, const char *s, size_t len)
{
	int64_t v = 0;

	r->seen |= BIT(SPOKE_COL_OUTPATIENT_VISITS);
	parse_count(r, SPOKE_COL_OUTPATIENT_VISITS, s, len, SPOKE_VISITS_MAX,
		    &v);
	r->outpatient_visits = (int32_t)v;
}

static void
p_inpatient_days(spoke_case_row *r, const char *s, size_t len)
{
	int64_t v = 0;

	r->seen |= BIT(SPOKE_COL_INPATIENT_DAYS);
	parse_count(r, SPOKE_COL_INPATIENT_DAYS, s, len, SPOKE_DAYS_MAX, &v);
	r->inpatient_days = (int32_t)v;
}

static void
p_charge_jpy(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_CHARGE_JPY);
	if (!whole(s, len, SPOKE_CHARGE_MAX, &r->charge_jpy))
		refuse(r, SPOKE_COL_CHARGE_JPY, s, len, "row_charge",
		       "is not a whole number of yen from 0 to %lld (digits "
		       "only, no separators)",
		       (long long)SPOKE_CHARGE_MAX);
}

static void
p_referral_channel(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_REFERRAL_CHANNEL);
	parse_word(r, SPOKE_COL_REFERRAL_CHANNEL, s, len,
		   &vocabs[VOCAB_CHANNEL], -1, &r->channel);
}

static void
p_referral_org(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_REFERRAL_ORG);
	keep_org(r, s, len);
}

static void
p_referral_id(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_REFERRAL_ID);
	if (spoke_referral_id_valid(s, len))
		memcpy(r->referral_id, s, SPOKE_REFERRAL_ID_LEN);
	else
		refuse(r, SPOKE_COL_REFERRAL_ID, s, len,
		       "row_referral_id_form",
		       "is not a referral id (32 lowercase hex digits, as "
		       "inbound-spoke refer and inbox print it)");
}

static void
p_remote_second_opinion_first(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_REMOTE_SECOND_OPINION_FIRST);
	/* yes or no: the first two answers, without their aliases */
	parse_word(r, SPOKE_COL_REMOTE_SECOND_OPINION_FIRST, s, len,
		   &vocabs[VOCAB_ANSWER], 2, &r->remote_second_opinion_first);
}

static void
p_medical_stay_visa(spoke_case_row *r, const char *s, size_t len)
{
	r->seen |= BIT(SPOKE_COL_MEDICAL_STAY_VISA);
	parse_word(r, SPOKE_COL_MEDICAL_STAY_VISA, s, len,
		   &vocabs[VOCAB_ANSWER], -1, &r->visa);
}

static const spoke_case_parser parsers[SPOKE_COL_COUNT] = {
    [SPOKE_COL_PATIENT_REF] = p_patient_ref,
    [SPOKE_COL_NATIONALITY] = p_nationality,
    [SPOKE_COL_BIRTH_DATE] = p_birth_date,
    [SPOKE_COL_AGE] = p_age,
    [SPOKE_COL_SEX] = p_sex,
    [SPOKE_COL_PURPOSE] = p_purpose,
    [SPOKE_COL_ICD10] = p_icd10,
    [SPOKE_COL_FIRST_VISIT] = p_first_visit,
    [SPOKE_COL_DISCHARGE] = p_discharge,
    [SPOKE_COL_OUTPATIENT_VISITS] = p_outpatient_visits,
    [SPOKE_COL_INPATIENT_DAYS] = p_inpatient_days,
    [SPOKE_COL_CHARGE_JPY] = p_charge_jpy,
    [SPOKE_COL_REFERRAL_CHANNEL] = p_referral_channel,
    [SPOKE_COL_REFERRAL_ORG] = p_referral_org,
    [SPOKE_COL_REMOTE_SECOND_OPINION_FIRST] = p_remote_second_opinion_first,
    [SPOKE_COL_MEDICAL_STAY_VISA] = p_medical_stay_visa,
    [SPOKE_COL_REFERRAL_ID] = p_referral_id,
};

spoke_case_parser
spoke_case_row_parser(spoke_case_col c)
{
	return ((unsigned)c < SPOKE_COL_COUNT ? parsers[c] : NULL);
}

void
spoke_case_row_field(spoke_case_row *r, spoke_case_col c, const char *s,
		     size_t len)
{
	if (len > 0 && (unsigned)c < SPOKE_COL_COUNT)
		parsers[c](r, s, len);
}

static bool
good(const spoke_case_row *r, spoke_case_col c)
{
	return ((r->seen & BIT(c)) != 0 && (r->bad & BIT(c)) == 0);
}

static void
finish_age(spoke_case_row *r)
{
	char b[11], f[11];
	int age;

	if (good(r, SPOKE_COL_BIRTH_DATE)) {
		if (!good(r, SPOKE_COL_FIRST_VISIT))
			return; /* the row is bad already */
		if (r->birth.days > r->first_visit.days) {
			spoke_date_format(&r->birth, b);
			spoke_date_format(&r->first_visit, f);
			refuse(r, SPOKE_COL_BIRTH_DATE, NULL, 0,
			       "row_birth_after_visit",
			       "%s is after first_visit %s", b, f);
			return;
		}
		age = spoke_date_age(&r->birth, &r->first_visit);
		if (age > SPOKE_AGE_MAX) {
			spoke_date_format(&r->birth, b);
			spoke_date_format(&r->first_visit, f);
			refuse(r, SPOKE_COL_BIRTH_DATE, NULL, 0,
			       "row_age_over",
			       "%s makes the patient %d at first_visit %s, "
			       "over %d",
			       b, age, f, SPOKE_AGE_MAX);
			return;
		}
		r->age_band = spoke_age_band(age);
	} else if (good(r, SPOKE_COL_AGE))
		r->age_band = spoke_age_band(r->age);
}

static void
finish_stay(spoke_case_row *r)
{
	char d[11], f[11];
	int32_t span;

	if (!good(r, SPOKE_COL_DISCHARGE) || !good(r, SPOKE_COL_FIRST_VISIT))
		return;
	if (r->discharge.days < r->first_visit.days) {
		spoke_date_format(&r->discharge, d);
		spoke_date_format(&r->first_visit, f);
		refuse(r, SPOKE_COL_DISCHARGE, NULL, 0,
		       "row_discharge_before_visit",
		       "%s is before first_visit %s", d, f);
		return;
	}
	/* Japanese inpatient day counts include the day of admission and
	 * the day of discharge, and admission is not before the first
	 * visit. */
	span = r->discharge.days - r->first_visit.days + 1;
	if (good(r, SPOKE_COL_INPATIENT_DAYS) && r->inpatient_days > span) {
		spoke_date_format(&r->discharge, d);
		spoke_date_format(&r->first_visit, f);
		refuse(r, SPOKE_COL_INPATIENT_DAYS, NULL, 0,
		       "row_days_over_stay",
		       "%d days, more than the %d from first_visit %s to "
		       "discharge %s",
		       (int)r->inpatient_days, (int)span, f, d);
	}
}

static void
finish_referral(spoke_case_row *r, const bool has_column[SPOKE_COL_COUNT])
{
	if (!good(r, SPOKE_COL_REFERRAL_CHANNEL) ||
	    r->channel != SPOKE_CHANNEL_COORDINATOR) {
		/* Only a coordinator's code is kept (statistics.h); any
		 * other referrer's code is dropped here, never sent. */
		r->seen &= ~BIT(SPOKE_COL_REFERRAL_ORG);
		r->referral_org = 0;
		return;
	}
	if (!has_column[SPOKE_COL_REFERRAL_ORG])
		refuse(r, SPOKE_COL_REFERRAL_ORG, NULL, 0, "row_org_no_column",
		       "the file has no such column, and referral_channel "
		       "coordinator needs the coordinator's 10-digit "
		       "organisation code");
	else if ((r->seen & BIT(SPOKE_COL_REFERRAL_ORG)) == 0)
		refuse(r, SPOKE_COL_REFERRAL_ORG, NULL, 0, "row_org_empty",
		       "empty, but referral_channel coordinator needs the "
		       "coordinator's 10-digit organisation code");
	else if (r->referral_org == UINT64_MAX)
		refuse(r, SPOKE_COL_REFERRAL_ORG, r->org_text, r->org_text_len,
		       "row_org_form", "is not a 10-digit organisation code");
}

void
spoke_case_row_finish(spoke_case_row *r,
		      const bool has_column[SPOKE_COL_COUNT])
{
	uint32_t missing = SPOKE_COL_REQUIRED & ~r->seen;
	int c;

	for (c = 0; missing != 0 && c < SPOKE_COL_COUNT; c++)
		if (missing & BIT(c))
			refuse(r, (spoke_case_col)c, NULL, 0,
			       c == SPOKE_COL_SEX ? "row_sex_empty"
						  : "row_empty",
			       c == SPOKE_COL_SEX
				   ? "empty (write unknown when it is not "
				     "known)"
				   : "empty");
	finish_age(r);
	finish_stay(r);
	finish_referral(r, has_column);
	if ((r->seen & BIT(SPOKE_COL_MEDICAL_STAY_VISA)) == 0)
		r->visa = SPOKE_UNKNOWN;
}

bool
spoke_case_row_referral(spoke_case_row *r, const spoke_referral_ledger *l)
{
	spoke_referral_role role;
	const char *state;

	if (!good(r, SPOKE_COL_REFERRAL_ID))
		return (false);
	if (l == NULL) {
		refuse(r, SPOKE_COL_REFERRAL_ID, r->referral_id,
		       SPOKE_REFERRAL_ID_LEN, "row_referral_no_ledger",
		       "cannot be checked: this run reads no referral ledger "
		       "(inbound-spoke stats --state DIR, the referral state "
		       "folder)");
		return (false);
	}
	if (!spoke_referral_ledger_find(l, r->referral_id, &role, &state)) {
		refuse(r, SPOKE_COL_REFERRAL_ID, r->referral_id,
		       SPOKE_REFERRAL_ID_LEN, "row_referral_unknown",
		       "is not a referral this organisation sent or received "
		       "(inbound-spoke inbox lists them and brings the "
		       "spoke's referral ledger up to date)");
		return (false);
	}
	/* The receiving hospital's signed 'visited' (docs/referrals.md):
	 * its own case records count the visit, so the referrer's leave it
	 * out and the visit is counted once. */
	return (role == SPOKE_REFERRAL_SENT && strcmp(state, "visited") == 0);
}
