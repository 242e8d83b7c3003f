/*
 * ibx-fuzz-seedgen: the part of the seed corpus no shipped program writes
 * (tests/fuzz/make-corpus.sh runs it).
 *
 *   ibx-fuzz-seedgen payload ENVELOPE OUT
 *       write the payload bytes of a sealed envelope to OUT
 *   ibx-fuzz-seedgen statistics CERT KEY PAYLOAD_DIR ENVELOPE_DIR
 *       write a few CaseStatistics payloads (a nil report, chapter and
 *       category level, one that breaks rules) for the hospital CERT names,
 *       each to PAYLOAD_DIR and sealed with KEY to ENVELOPE_DIR
 *   ibx-fuzz-seedgen seal CERT KEY TYPE PAYLOAD OUT
 *       seal the payload bytes in file PAYLOAD, of payload type TYPE (a
 *       number), into a signed envelope in OUT, whatever the bytes are
 *       (the spoke seals only listings it checked; regressions need more)
 *
 * Exit status 0, 1 on an error (printed), 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "statistics.h"
#include "wire.h"

static int
read_file(const char *path, ibx_bytes *out)
{
	FILE *f;
	long n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return (-1);
	}
	out->data = malloc((size_t)n + 1);
	if (out->data == NULL ||
	    fread(out->data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", path);
		ibx_bytes_fini(out);
		fclose(f);
		return (-1);
	}
	out->len = (size_t)n;
	fclose(f);
	return (0);
}

static int
write_file(const char *path, const ibx_bytes *b)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(b->data, 1, b->len, f) != b->len) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return (-1);
	}
	if (fclose(f) != 0) {
		perror(path);
		return (-1);
	}
	return (0);
}

static int
cmd_payload(const char *env_path, const char *out_path)
{
	ibx_bytes raw = {NULL, 0};
	ibx_envelope env;
	int status = 1;

	memset(&env, 0, sizeof(env));
	if (read_file(env_path, &raw) != 0)
		return (1);
	if (ibx_envelope_decode(raw.data, raw.len, &env) != IBX_OK) {
		fprintf(stderr, "%s: not an envelope\n", env_path);
		goto out;
	}
	if (write_file(out_path, &env.payload) == 0)
		status = 0;
out:
	ibx_envelope_fini(&env);
	ibx_bytes_fini(&raw);
	return (status);
}

/* One cell; the counts are consistent (patients <= episodes, inpatient
 * days only with inpatient episodes). */
static ibx_stat_cell
cell(const char *nationality, const char *purpose, const char *icd10,
     const char *channel, const char *org, int64_t patients,
     int64_t inpatient_episodes)
{
	ibx_stat_cell c;

	memset(&c, 0, sizeof(c));
	snprintf(c.nationality, sizeof(c.nationality), "%s", nationality);
	snprintf(c.purpose, sizeof(c.purpose), "%s", purpose);
	snprintf(c.icd10, sizeof(c.icd10), "%s", icd10);
	snprintf(c.age_band, sizeof(c.age_band), "%s", "50-59");
	snprintf(c.sex, sizeof(c.sex), "%s", "female");
	snprintf(c.referral_channel, sizeof(c.referral_channel), "%s",
		 channel);
	snprintf(c.referral_org, sizeof(c.referral_org), "%s", org);
	snprintf(c.remote_second_opinion_first,
		 sizeof(c.remote_second_opinion_first), "%s", "no");
	snprintf(c.medical_stay_visa, sizeof(c.medical_stay_visa), "%s",
		 "yes");
	c.patients = patients;
	c.episodes = patients + 1;
	c.inpatient_episodes = inpatient_episodes;
	c.inpatient_days = inpatient_episodes * 6;
	c.outpatient_visits = patients * 3;
	c.charge_jpy = patients * 480000;
	/* Each patient's part under the release's bounds: nothing clipped. */
	c.outpatient_visits_clipped = c.outpatient_visits;
	c.inpatient_days_clipped = c.inpatient_days;
	c.charge_jpy_clipped = c.charge_jpy;
	return (c);
}

/* Fill s with sample number i; 0 past the last sample. */
static int
sample(ibx_case_statistics *s, int i, const char *code)
{
	ibx_stat_cell c;

	snprintf(s->organisation_code, sizeof(s->organisation_code), "%s",
		 code);
	snprintf(s->period, sizeof(s->period), "%s", "2026-05");
	s->cells_per_patient_month = IBX_STAT_CELLS_PER_PATIENT_MONTH;
	s->cells_per_patient_year = IBX_STAT_CELLS_PER_PATIENT_YEAR;
	switch (i) {
	case 0: /* a nil report */
		s->nil_report = true;
		return (1);
	case 1: /* chapter level, three channels */
		c = cell("CN", "treatment", "2", "coordinator", "9000000001",
			 3, 2);
		ibx_statistics_add_cell(s, &c);
		c = cell("VN", "health_checkup", "21", "direct", "", 12, 0);
		ibx_statistics_add_cell(s, &c);
		c = cell("US", "second_opinion", "9", "hospital", "", 1, 0);
		ibx_statistics_add_cell(s, &c);
		return (1);
	case 2: /* category level */
		snprintf(s->icd10_level, sizeof(s->icd10_level), "%s",
			 "category");
		c = cell("RU", "treatment", "C16", "doctor", "", 2, 1);
		ibx_statistics_add_cell(s, &c);
		c = cell("CN", "follow_up", "C34", "coordinator", "9000000002",
			 4, 0);
		ibx_statistics_add_cell(s, &c);
		return (1);
	case 3: /* breaks rules: a repeat, unknown codes, bad counts */
		snprintf(s->period, sizeof(s->period), "%s", "2099-13");
		c = cell("XX", "tourism", "99", "coordinator", "12", 5, 0);
		c.inpatient_days = 4;
		ibx_statistics_add_cell(s, &c);
		ibx_statistics_add_cell(s, &c);
		c = cell("CN", "treatment", "2", "direct", "", 0, -1);
		ibx_statistics_add_cell(s, &c);
		return (1);
	}
	return (0);
}

static int
cmd_statistics(const char *cert, const char *key, const char *payload_dir,
	       const char *env_dir)
{
	spoke_identity id;
	ibx_case_statistics *s = NULL;
	ibx_bytes payload = {NULL, 0}, env = {NULL, 0};
	char path[4096];
	int i, status = 1;

	if (spoke_identity_load(cert, key, &id) != IBX_OK)
		return (1);
	for (i = 0;; i++) {
		if ((s = ibx_statistics_new()) == NULL)
			goto out;
		if (!sample(s, i, id.code))
			break;
		if (ibx_statistics_encode(s, &payload) != IBX_OK ||
		    spoke_envelope_seal(&id, (uint64_t)(1000 + i),
					IBX_PAYLOAD_CASE_STATISTICS, &payload,
					&env) != IBX_OK) {
			fprintf(stderr, "statistics %d: cannot seal\n", i);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/statistics-%d.pb",
			 payload_dir, i);
		if (write_file(path, &payload) != 0)
			goto out;
		snprintf(path, sizeof(path), "%s/statistics-%d.env", env_dir,
			 i);
		if (write_file(path, &env) != 0)
			goto out;
		ibx_bytes_fini(&payload);
		ibx_bytes_fini(&env);
		ibx_statistics_free(s);
		s = NULL;
	}
	status = 0;
out:
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&env);
	ibx_statistics_free(s);
	spoke_identity_fini(&id);
	return (status);
}

static int
cmd_seal(const char *cert, const char *key, const char *type,
	 const char *payload_path, const char *out_path)
{
	spoke_identity id;
	ibx_bytes payload = {NULL, 0}, env = {NULL, 0};
	int status = 1;

	if (spoke_identity_load(cert, key, &id) != IBX_OK)
		return (1);
	if (read_file(payload_path, &payload) != 0)
		goto out;
	if (spoke_envelope_seal(&id, spoke_sequence_now(),
				(ibx_payload_type)atoi(type), &payload,
				&env) != IBX_OK) {
		fprintf(stderr, "%s: cannot seal\n", payload_path);
		goto out;
	}
	if (write_file(out_path, &env) == 0)
		status = 0;
out:
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&env);
	spoke_identity_fini(&id);
	return (status);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "payload") == 0)
		return (cmd_payload(argv[2], argv[3]));
	if (argc == 6 && strcmp(argv[1], "statistics") == 0)
		return (cmd_statistics(argv[2], argv[3], argv[4], argv[5]));
	if (argc == 7 && strcmp(argv[1], "seal") == 0)
		return (cmd_seal(argv[2], argv[3], argv[4], argv[5], argv[6]));
	fprintf(stderr,
		"usage: ibx-fuzz-seedgen payload ENVELOPE OUT\n"
		"       ibx-fuzz-seedgen statistics CERT KEY PAYLOAD_DIR "
		"ENVELOPE_DIR\n"
		"       ibx-fuzz-seedgen seal CERT KEY TYPE PAYLOAD OUT\n");
	return (2);
}
