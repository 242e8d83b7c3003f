/*
 * The referral commands' use of spoke/referral (packages) and proto/crypto
 * (key pairs, seal.h), bound to the state folder; see referral_cli.h.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "package.h"
#include "referral_cli.h"
#include "seal.h"

static int
key_path(const spoke_ref *r, const char *key_id, char *out, size_t n)
{
	char part[64];

	snprintf(part, sizeof(part), "keys/%s.key", key_id);
	return (spoke_ref_path(r, out, n, part));
}

bool
spoke_ref_key_have(const spoke_ref *r, const char *key_id)
{
	char path[4096];
	struct stat sb;

	return (ibx_key_id_valid(key_id) &&
		key_path(r, key_id, path, sizeof(path)) == 0 &&
		stat(path, &sb) == 0);
}

int
spoke_ref_key_create(spoke_ref *r, ibx_encryption_key *k)
{
	ibx_seal_keypair kp;
	char path[4096];
	int status = 1;

	memset(k, 0, sizeof(*k));
	if (ibx_seal_keypair_new(&kp) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: cannot make a key pair\n");
		return (1);
	}
	memcpy(k->public_key, kp.public_key, sizeof(k->public_key));
	ibx_seal_key_id(kp.public_key, k->key_id);
	snprintf(k->organisation_code, sizeof(k->organisation_code), "%s",
		 r->id.code);
	k->created_at_ms = spoke_ref_now_ms();
	k->use_until_ms = 0;
	if (spoke_ref_mkdirs(r, "keys") != IBX_OK ||
	    key_path(r, k->key_id, path, sizeof(path)) != 0)
		goto out;
	if (ibx_seal_keypair_save(path, &kp) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: cannot write the key\n", path);
		goto out;
	}
	status = 0;
out:
	ibx_seal_keypair_wipe(&kp);
	return (status);
}

int
spoke_ref_package_seal(spoke_ref *r, const char *dir,
		       const ibx_encryption_key *to, const char *out_dir,
		       ibx_referral *ref)
{
	ibx_package_meta meta;
	char err[512];

	(void)r;
	if (ibx_package_seal(dir, to->public_key, out_dir, &meta, err,
			     sizeof(err)) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: package %s refused: %s\n", dir, err);
		return (1);
	}
	ibx_package_meta_to_referral(&meta, ref);
	/* The package was sealed to this key, whatever meta says. */
	snprintf(ref->key_id, sizeof(ref->key_id), "%s", to->key_id);
	printf("package %s: %u file(s), %llu bytes in clear\n", dir,
	       (unsigned)meta.files, (unsigned long long)meta.clear_bytes);
	fflush(stdout);
	return (0);
}

void
spoke_ref_chunk_path(const char *dir, uint32_t i, char *out, size_t n)
{
	if (ibx_package_chunk_path(dir, i, out, n) != IBX_OK && n > 0)
		out[0] = '\0';
}

int
spoke_ref_package_open(spoke_ref *r, const ibx_referral *ref,
		       const char *chunk_dir, const char *out_dir)
{
	ibx_seal_keypair kp;
	char path[4096], err[512];
	uint32_t files = 0;
	uint64_t bytes = 0;
	int status = 1;

	memset(&kp, 0, sizeof(kp));
	if (key_path(r, ref->key_id, path, sizeof(path)) != 0 ||
	    ibx_seal_keypair_load(path, &kp) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: %s: cannot load key %s\n", path,
			ref->key_id);
		goto out;
	}
	if (ibx_package_open(ref, chunk_dir, &kp, out_dir, &files, &bytes, err,
			     sizeof(err)) != IBX_OK) {
		fprintf(spoke_ref_errf(),
			"inbound-spoke: referral %s refused: %s (nothing "
			"written to %s)\n",
			ref->referral_id, err, out_dir);
		goto out;
	}
	printf("referral %s: %u file(s), %llu bytes, every SHA-256 as the "
	       "manifest says\n",
	       ref->referral_id, (unsigned)files, (unsigned long long)bytes);
	status = 0;
out:
	ibx_seal_keypair_wipe(&kp);
	return (status);
}

void
spoke_ref_chunks_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%.3800s/%.255s", dir, e->d_name);
		(void)unlink(path);
	}
	closedir(d);
	(void)rmdir(dir);
}
