/*
 * geocode.h - our own geocoder for Japanese institution addresses, run at
 * data-generation time: the municipality first (municipal office points with
 * their codes, jp_municipalities_localgovjp_2026-07.csv, CC0), then the
 * 大字・町丁目 (Geolonia's town representative points,
 * jp_town_points_geolonia_2023-07.csv.gz, CC BY 4.0), falling back to the
 * municipal office when no town matches. Matching is on canonical forms
 * (address.h), longest prefix wins.
 */
#ifndef DG_GEOCODE_H
#define DG_GEOCODE_H

#include "datagen.h"
#include "refdata.h"

/* The level an address reached; a listing records it as geocode_level. */
typedef enum dg_geo_level {
	DG_GEO_NONE = 0,     /* no municipality matched: no location */
	DG_GEO_MUNICIPALITY, /* the municipal office's point */
	DG_GEO_TOWN,	     /* the 大字・町丁目 representative point */
	DG_GEO_OFFICIAL,     /* the source's own coordinates (not ours) */
	DG_GEO_NLEVELS
} dg_geo_level;

typedef struct dg_geocoder dg_geocoder;

/*
 * dg_geocoder_load reads the two reference files from data_dir into *out
 * (free with dg_geocoder_free); ref gives the prefecture names that
 * addresses may start with. Rows with empty coordinates and 小字 rows are
 * skipped. Returns DG_OK or the first read error (reported).
 */
dg_err dg_geocoder_load(const char *data_dir, const dg_refdata *ref,
			dg_geocoder **out);

/* dg_geocoder_free releases g; NULL is accepted. */
void dg_geocoder_free(dg_geocoder *g);

/*
 * dg_geocode finds the point of address (UTF-8, with or without its
 * prefecture name) in prefecture pref (JIS X 0401 "01".."47"). On
 * DG_GEO_TOWN or DG_GEO_MUNICIPALITY it sets *lat and *lon (WGS 84
 * degrees); on DG_GEO_NONE it leaves them alone. Never returns
 * DG_GEO_OFFICIAL. Out of memory counts as DG_GEO_NONE.
 */
dg_geo_level dg_geocode(const dg_geocoder *g, const char *pref,
			const char *address, double *lat, double *lon);

/* dg_geo_level_name: "official", "town", "municipality" or "none". */
const char *dg_geo_level_name(dg_geo_level l);

/*
 * dg_geo_distance_km returns the great-circle distance between two WGS 84
 * points in kilometres (haversine, mean Earth radius 6,371.0088 km, IUGG).
 */
double dg_geo_distance_km(double lat1, double lon1, double lat2, double lon2);

#endif /* DG_GEOCODE_H */
