/*
 * cases_write.c - case-record rows. Fields are formatted into fixed
 * buffers by hand (a million rows must write in seconds), then a bad-row
 * kind may replace one or two of them, then the row is joined with
 * RFC 4180 quoting where a field needs it.
 */
#include <stdio.h>
#include <string.h>

#include "cases_write.h"
#include "dates.h"

enum {
	F_REF,
	F_NAT,
	F_BIRTH, /* birth_date or age */
	F_SEX,
	F_PURPOSE,
	F_ICD10,
	F_FIRST,
	F_DISCHARGE,
	F_VISITS,
	F_DAYS,
	F_CHARGE,
	F_CHANNEL,
	F_ORG,
	F_RSO,
	F_VISA,
	F_NOTE,
	NF
};

static const char *const purposes[] = {"treatment",	 "health_checkup",
				       "second_opinion", "follow_up",
				       "other",		 "travel_emergency"};
static const char *const channels[] = {"coordinator", "hospital", "doctor",
				       "direct"};
static const char *const visas[] = {"yes", "no", "unknown"};

/* Alpha-3 codes of the nationalities the mix can draw (cases_mix.c). */
static const char *const alpha3[][2] = {
    {"AU", "AUS"}, {"CN", "CHN"}, {"GB", "GBR"}, {"HK", "HKG"}, {"ID", "IDN"},
    {"KH", "KHM"}, {"KR", "KOR"}, {"MM", "MMR"}, {"MN", "MNG"}, {"MY", "MYS"},
    {"PH", "PHL"}, {"RU", "RUS"}, {"SG", "SGP"}, {"TH", "THA"}, {"TW", "TWN"},
    {"US", "USA"}, {"UZ", "UZB"}, {"VN", "VNM"},
};

void
dg_case_format_draw(dg_case_format *f, dg_rng *r)
{
	f->bom = dg_rng_chance(r, 0.4);
	f->crlf = dg_rng_chance(r, 0.5);
	f->alpha3 = dg_rng_chance(r, 0.25);
	f->age_column = dg_rng_chance(r, 0.25);
	f->sex_letters = dg_rng_chance(r, 0.5);
	f->note_column = dg_rng_chance(r, 0.3);
}

int
dg_case_write_header(FILE *out, const dg_case_format *f)
{
	if (f->bom)
		fputs("\xEF\xBB\xBF", out);
	fprintf(out,
		"patient_ref,nationality,%s,sex,purpose,icd10,first_visit,"
		"discharge,outpatient_visits,inpatient_days,charge_jpy,"
		"referral_channel,referral_org,remote_second_opinion_first,"
		"medical_stay_visa%s%s",
		f->age_column ? "age" : "birth_date",
		f->note_column ? ",note" : "", f->crlf ? "\r\n" : "\n");
	return (ferror(out) ? -1 : 0);
}

/* Decimal digits of v (>= 0) into out; returns out. */
static char *
num(long long v, char out[24])
{
	char tmp[24];
	int n = 0, i;

	if (v < 0) {
		snprintf(out, 24, "%lld", v);
		return (out);
	}
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return (out);
}

static int
year_of(const char *d)
{
	return ((d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
		(d[3] - '0'));
}

/* Completed years from day number birth to day number on. */
static int
age_at(long birth, long on)
{
	char b[11], o[11];
	int years;

	dg_date_format(birth, b);
	dg_date_format(on, o);
	years = year_of(o) - year_of(b);
	if (strcmp(o + 5, b + 5) < 0)
		years--;
	return (years);
}

static const char *
nationality(const dg_case_format *f, const char *code)
{
	size_t i;

	if (!f->alpha3)
		return (code);
	for (i = 0; i < sizeof(alpha3) / sizeof(alpha3[0]); i++)
		if (strcmp(alpha3[i][0], code) == 0)
			return (alpha3[i][1]);
	return (code);
}

/* Spoil the fields of a row with bad-row kind bad. */
static void
spoil(const dg_case_format *f, const dg_case *e, int bad, char v[NF][48],
      int *nfields)
{
	switch (bad) {
	case DG_BAD_FIELD_COUNT:
		(*nfields)--;
		break;
	case DG_BAD_PATIENT_REF:
		v[F_REF][0] = '\0';
		break;
	case DG_BAD_NATIONALITY:
		strcpy(v[F_NAT], "ZZ");
		break;
	case DG_BAD_BIRTH:
		strcpy(v[F_BIRTH], f->age_column ? "abc" : "2023-02-29");
		break;
	case DG_BAD_BIRTH_AFTER:
		if (f->age_column)
			strcpy(v[F_BIRTH], "130");
		else
			dg_date_format(e->first_visit + 1, v[F_BIRTH]);
		break;
	case DG_BAD_SEX:
		strcpy(v[F_SEX], "x");
		break;
	case DG_BAD_PURPOSE:
		strcpy(v[F_PURPOSE], "surgery");
		break;
	case DG_BAD_ICD10_FORM:
		strcpy(v[F_ICD10], "C1");
		break;
	case DG_BAD_ICD10_UNKNOWN:
		strcpy(v[F_ICD10], "U99.9");
		break;
	case DG_BAD_FIRST_VISIT:
		memcpy(v[F_FIRST] + 5, "13", 2);
		v[F_DISCHARGE][0] = '\0';
		break;
	case DG_BAD_DISCHARGE_BEFORE:
		dg_date_format(e->first_visit - 1, v[F_DISCHARGE]);
		strcpy(v[F_DAYS], "0");
		break;
	case DG_BAD_OUTPATIENT_VISITS:
		strcpy(v[F_VISITS], "-1");
		break;
	case DG_BAD_INPATIENT_DAYS:
		dg_date_format(e->first_visit + 2, v[F_DISCHARGE]);
		strcpy(v[F_DAYS], "10");
		break;
	case DG_BAD_CHARGE:
		strcpy(v[F_CHARGE], "1,500,000");
		break;
	case DG_BAD_CHANNEL:
		strcpy(v[F_CHANNEL], "agent");
		v[F_ORG][0] = '\0';
		break;
	case DG_BAD_COORDINATOR_NO_ORG:
		strcpy(v[F_CHANNEL], "coordinator");
		v[F_ORG][0] = '\0';
		break;
	case DG_BAD_ORG_FORM:
		strcpy(v[F_CHANNEL], "coordinator");
		strcpy(v[F_ORG], "12345");
		break;
	case DG_BAD_REMOTE_SECOND:
		strcpy(v[F_RSO], "maybe");
		break;
	case DG_BAD_VISA:
		strcpy(v[F_VISA], "perhaps");
		break;
	default:
		break;
	}
}

/* Write one field, quoted when it holds a comma, quote or line break. */
static void
put_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

int
dg_case_write_row(FILE *out, const dg_case_format *f, const dg_case *e,
		  int bad)
{
	char v[NF][48];
	const char *note = e->note != NULL ? e->note : "";
	int nfields = f->note_column ? NF : NF - 1, i;

	snprintf(v[F_REF], sizeof(v[F_REF]), "%s", e->ref);
	snprintf(v[F_NAT], sizeof(v[F_NAT]), "%s",
		 nationality(f, e->nationality));
	if (f->age_column)
		num(age_at(e->birth, e->first_visit), v[F_BIRTH]);
	else
		dg_date_format(e->birth, v[F_BIRTH]);
	strcpy(v[F_SEX], f->sex_letters ? (e->female ? "F" : "M")
					: (e->female ? "female" : "male"));
	strcpy(v[F_PURPOSE], purposes[e->purpose]);
	snprintf(v[F_ICD10], sizeof(v[F_ICD10]), "%s", e->icd10);
	dg_date_format(e->first_visit, v[F_FIRST]);
	if (e->discharge >= 0)
		dg_date_format(e->discharge, v[F_DISCHARGE]);
	else
		v[F_DISCHARGE][0] = '\0';
	num(e->outpatient_visits, v[F_VISITS]);
	num(e->inpatient_days, v[F_DAYS]);
	num(e->charge_jpy, v[F_CHARGE]);
	strcpy(v[F_CHANNEL], channels[e->channel]);
	strcpy(v[F_ORG], e->referral_org);
	strcpy(v[F_RSO], e->remote_second_opinion_first ? "yes" : "no");
	strcpy(v[F_VISA], visas[e->visa]);
	v[F_NOTE][0] = '\0';
	if (bad >= 0)
		spoil(f, e, bad, v, &nfields);
	for (i = 0; i < nfields; i++) {
		if (i > 0)
			putc(',', out);
		if (i == F_NOTE)
			put_field(out, bad >= 0 ? "" : note);
		else
			put_field(out, v[i]);
	}
	fputs(f->crlf ? "\r\n" : "\n", out);
	return (ferror(out) ? -1 : 0);
}
