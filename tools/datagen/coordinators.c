/*
 * coordinators.c - generated coordinator listings. Firm names are a stem
 * and a business style from the lists below; certification numbers use an
 * invented "MTC-year-number" form; websites and e-mail addresses sit under
 * example.jp (reserved by JPRS for examples); phone numbers use local
 * exchange 0000/000, which no area code assigns.
 */
#include <stdio.h>
#include <string.h>

#include "coordinators.h"
#include "dates.h"
#include "prng.h"
#include "codes.h"

static const struct {
	const char *ja, *en, *slug;
} stems[] = {
    {"さくら", "Sakura", "sakura"},
    {"ひかり", "Hikari", "hikari"},
    {"富士", "Fuji", "fuji"},
    {"みなと", "Minato", "minato"},
    {"青葉", "Aoba", "aoba"},
    {"瀬戸内", "Setouchi", "setouchi"},
    {"北斗", "Hokuto", "hokuto"},
    {"つばさ", "Tsubasa", "tsubasa"},
    {"あおぞら", "Aozora", "aozora"},
    {"なごみ", "Nagomi", "nagomi"},
    {"やまと", "Yamato", "yamato"},
    {"はるか", "Haruka", "haruka"},
    {"みらい", "Mirai", "mirai"},
    {"いろは", "Iroha", "iroha"},
    {"こはく", "Kohaku", "kohaku"},
    {"しおさい", "Shiosai", "shiosai"},
    {"わかば", "Wakaba", "wakaba"},
    {"すばる", "Subaru", "subaru"},
    {"ことぶき", "Kotobuki", "kotobuki"},
    {"あさひ", "Asahi", "asahi"},
};

static const struct {
	const char *ja, *en, *slug;
} styles[] = {
    {"メディカルツーリズム", "Medical Tourism", "medical-tourism"},
    {"医療渡航サポート", "Medical Travel Support", "medical-travel"},
    {"インバウンドメディカル", "Inbound Medical", "inbound-medical"},
    {"ヘルスケアコンシェルジュ", "Healthcare Concierge", "concierge"},
    {"国際医療コーディネート", "International Medical Coordination",
     "intl-medical"},
};

#define NSTEMS	(sizeof(stems) / sizeof(stems[0]))
#define NSTYLES (sizeof(styles) / sizeof(styles[0]))

/* Where firms sit (JIS X 0401), weight, and the area code to dial. */
static const struct {
	const char *pref;
	unsigned weight;
	const char *area;
} places[] = {
    {"13", 35, "3"}, {"27", 15, "6"}, {"01", 8, "11"}, {"40", 8, "92"},
    {"23", 6, "52"}, {"14", 6, "45"}, {"26", 5, "75"}, {"47", 5, "98"},
    {"43", 4, "96"}, {"39", 3, "88"}, {"34", 3, "82"}, {"04", 2, "22"},
};

/* Languages after ja and en, with their chance. */
static const struct {
	const char *code;
	double p;
} extra_languages[] = {
    {"zh", 0.8}, {"ko", 0.4},  {"ru", 0.3}, {"vi", 0.35},
    {"th", 0.2}, {"id", 0.15}, {"mn", 0.1}, {"ar", 0.1},
};

/* Countries served, with the language that brings them and a chance. */
static const struct {
	const char *language, *country;
	double p;
} served[] = {
    {"zh", "CN", 0.95}, {"zh", "TW", 0.5}, {"zh", "HK", 0.4},
    {"ko", "KR", 0.9},	{"ru", "RU", 0.9}, {"ru", "KZ", 0.3},
    {"vi", "VN", 0.95}, {"th", "TH", 0.9}, {"id", "ID", 0.9},
    {"mn", "MN", 0.9},	{"ar", "AE", 0.8}, {"ar", "SA", 0.5},
    {"en", "US", 0.4},	{"en", "SG", 0.3}, {"en", "AU", 0.2},
    {"en", "PH", 0.2},
};

/* Chance of each coordinator service (deploy/data). */
static const double p_service[IBX_COORDINATOR_SERVICE_COUNT] = {
    [IBX_COORDINATOR_SERVICE_VISA_GUARANTEE] = 0.75,
    [IBX_COORDINATOR_SERVICE_INTERPRETING] = 0.9,
    [IBX_COORDINATOR_SERVICE_TRANSPORT] = 0.6,
    [IBX_COORDINATOR_SERVICE_ACCOMMODATION] = 0.5,
    [IBX_COORDINATOR_SERVICE_REMOTE_SECOND_OPINION_ARRANGEMENT] = 0.4,
    [IBX_COORDINATOR_SERVICE_MEDICAL_RECORDS_TRANSLATION] = 0.7,
};

/* Returns 1 when list (n entries) holds s. */
static int
has(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

/* Picks a place by weight. */
static size_t
pick_place(dg_rng *r)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		total += places[i].weight;
	x = (unsigned)dg_rng_range(r, 0, (long)total - 1);
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		if (x < places[i].weight)
			return (i);
		x -= places[i].weight;
	}
	return (0);
}

void
dg_coordinator_make(unsigned index, uint64_t seed, dg_coordinator *out)
{
	unsigned stem, style;
	long ref = 0;
	char stream[32];
	size_t i, place;
	dg_rng r;

	memset(out, 0, sizeof(*out));
	snprintf(stream, sizeof(stream), "coordinator:%u", index);
	dg_rng_seed(&r, seed, stream);
	(void)dg_date_parse(DG_REFERENCE_DATE, &ref);
	snprintf(out->code, sizeof(out->code), "90%08u", 10000001u + index);
	/* a rotation per seed; index keeps stem/style pairs distinct */
	stem = (unsigned)((index + seed) % NSTEMS);
	style = (unsigned)((index / NSTEMS + seed / NSTEMS) % NSTYLES);
	snprintf(out->name_ja, sizeof(out->name_ja), "株式会社%s%s",
		 stems[stem].ja, styles[style].ja);
	snprintf(out->name_en, sizeof(out->name_en), "%s %s Co., Ltd.",
		 stems[stem].en, styles[style].en);
	place = pick_place(&r);
	snprintf(out->prefecture, sizeof(out->prefecture), "%s",
		 places[place].pref);
	snprintf(out->certification, sizeof(out->certification),
		 "MTC-%ld-%04ld", dg_rng_range(&r, 2016, 2025),
		 dg_rng_range(&r, 1, 9999));
	dg_date_format(ref + dg_rng_range(&r, -90, 3 * 365),
		       out->certification_expires);
	out->languages[out->nlanguages++] = "ja";
	out->languages[out->nlanguages++] = "en";
	for (i = 0; i < sizeof(extra_languages) / sizeof(extra_languages[0]);
	     i++)
		if (dg_rng_chance(&r, extra_languages[i].p))
			out->languages[out->nlanguages++] =
			    extra_languages[i].code;
	for (i = 0; i < sizeof(served) / sizeof(served[0]); i++)
		if (has(out->languages, out->nlanguages, served[i].language) &&
		    dg_rng_chance(&r, served[i].p))
			out->countries[out->ncountries++] = served[i].country;
	if (out->ncountries == 0)
		out->countries[out->ncountries++] = "CN";
	for (i = 0; i < IBX_COORDINATOR_SERVICE_COUNT; i++)
		if (dg_rng_chance(&r, p_service[i]))
			out->services[out->nservices++] =
			    ibx_code_at(IBX_LIST_COORDINATOR_SERVICE, (int)i);
	if (out->nservices == 0)
		out->services[out->nservices++] =
		    ibx_code_at(IBX_LIST_COORDINATOR_SERVICE,
				IBX_COORDINATOR_SERVICE_INTERPRETING);
	snprintf(out->website, sizeof(out->website),
		 "https://%s-%s.example.jp/", stems[stem].slug,
		 styles[style].slug);
	snprintf(out->email, sizeof(out->email), "info-%s-%s@example.jp",
		 stems[stem].slug, styles[style].slug);
	snprintf(out->phone, sizeof(out->phone), "+81-%s-%s-%04ld",
		 places[place].area,
		 strlen(places[place].area) == 1 ? "0000" : "000",
		 dg_rng_range(&r, 0, 9999));
	dg_date_format(ref - dg_rng_range(&r, 0, 729), out->confirmed_at);
}
