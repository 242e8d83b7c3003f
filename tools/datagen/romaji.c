/*
 * romaji.c - kakasi in a batch (romaji.h): the strings go one per line into
 * a temporary file, kakasi reads it on standard input and writes another
 * file, and the lines come back in order. kakasi reads EUC-JP (-ieuc): a
 * character outside JIS X 0208 (the 﨑 of 沼﨑病院) makes its own UTF-8 reader
 * lose the rest of a line and the line breaks after it, so the strings are
 * converted here with iconv(3), variant kanji mapped to their JIS forms and
 * anything else outside EUC-JP dropped. Other options: -Ja -Ha -Ka -Ea
 * (kanji, hiragana, katakana and full-width signs to ASCII), -s (spaces
 * between words), -C (capitalised words).
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "romaji.h"

extern char **environ;

/*
 * Cleans one line of kakasi output in place: drops the katakana long-vowel
 * mark (^) and non-ASCII bytes, writes long vowels single (ou, oo, uu),
 * capitalises every word and squeezes spaces.
 */
static void
clean(char *s)
{
	char *w = s, *p;

	for (p = s; *p != '\0'; p++) {
		char c = *p, n = p[1];

		if ((unsigned char)c >= 0x80 || c == '^' || c == '\r' ||
		    c == '\n')
			continue;
		if (c == ' ' && (w == s || w[-1] == ' '))
			continue;
		/* kakasi -C leaves words read from kana in lower case */
		if (c >= 'a' && c <= 'z' && (w == s || w[-1] == ' '))
			c = (char)(c - 'a' + 'A');
		*w++ = c;
		if ((c == 'o' || c == 'O') && (n == 'u' || n == 'o'))
			p++;
		else if ((c == 'u' || c == 'U') && n == 'u')
			p++;
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* Variant kanji outside JIS X 0208 and their JIS forms. */
static const struct {
	const char *variant, *jis;
} variants[] = {
    {"\xEF\xA8\x91", "\xE5\xB4\x8E"}, /* 﨑 -> 崎 */
    {"\xE9\xAB\x99", "\xE9\xAB\x98"}, /* 髙 -> 高 */
    {"\xE5\xBE\xB7", "\xE5\xBE\xB3"}, /* 德 -> 徳 */
    {"\xEF\xA8\x9D", "\xE9\x83\xBD"}, /* 都 (compat.) -> 都 */
};

/* The length of the UTF-8 sequence starting with byte c (1 if invalid). */
static size_t
utf8_len(unsigned char c)
{
	if (c >= 0xF0)
		return (4);
	if (c >= 0xE0)
		return (3);
	if (c >= 0xC0)
		return (2);
	return (1);
}

/*
 * Writes s to f in EUC-JP through cd: a character iconv refuses is replaced
 * by its JIS form when it has one, else dropped; newlines become spaces.
 */
static void
put_euc(iconv_t cd, FILE *f, const char *s)
{
	char out[64];
	const char *p = s;
	size_t i;

	while (*p != '\0') {
		size_t n = utf8_len((unsigned char)*p), left, room;
		char *in, *o = out;
		const char *src = p;

		for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
			if (strncmp(p, variants[i].variant, n) == 0)
				src = variants[i].jis;
		if (*p == '\n' || *p == '\r')
			src = " ";
		in = (char *)src;
		left = *p == '\n' || *p == '\r' ? 1 : n;
		room = sizeof(out);
		if (strnlen(p, n) == n &&
		    iconv(cd, &in, &left, &o, &room) != (size_t)-1)
			fwrite(out, 1, sizeof(out) - room, f);
		(void)iconv(cd, NULL, NULL, NULL, NULL);
		p += strnlen(p, n);
	}
}

/* Runs kakasi with standard input from in_path and output to out_path. */
static dg_err
run_kakasi(const char *in_path, const char *out_path)
{
	char *argv[] = {"kakasi", "-ieuc", "-oeuc", "-Ja", "-Ha",
			"-Ka",	  "-Ea",   "-s",    "-C",  NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, err;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return (DG_ERR_NOMEM);
	err = posix_spawn_file_actions_addopen(&fa, 0, in_path, O_RDONLY, 0);
	if (err == 0)
		err = posix_spawn_file_actions_addopen(
		    &fa, 1, out_path, O_WRONLY | O_TRUNC | O_CREAT, 0600);
	if (err == 0)
		err = posix_spawnp(&pid, "kakasi", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		dg_error("cannot run kakasi (Debian package \"kakasi\"): %s",
			 strerror(err));
		return (DG_ERR_IO);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			dg_error("kakasi: %s", strerror(errno));
			return (DG_ERR_IO);
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		dg_error("kakasi failed (status %d)", status);
		return (DG_ERR_IO);
	}
	return (DG_OK);
}

dg_err
dg_romaji_batch(const char *const *in, size_t n, char **out)
{
	char dir[] = "/tmp/inbound-datagen-XXXXXX", in_path[64], out_path[64];
	char **res = NULL, *line = NULL;
	size_t i, cap = 0, got = 0;
	FILE *f = NULL;
	dg_err rv = DG_ERR_IO;
	int have_dir = 0;
	iconv_t cd = (iconv_t)-1;

	if (mkdtemp(dir) == NULL) {
		dg_error("cannot create a temporary directory: %s",
			 strerror(errno));
		return (DG_ERR_IO);
	}
	have_dir = 1;
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	if ((res = calloc(n + 1, sizeof(*res))) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	if ((cd = iconv_open("EUC-JP", "UTF-8")) == (iconv_t)-1) {
		dg_error("iconv cannot convert UTF-8 to EUC-JP: %s",
			 strerror(errno));
		goto out;
	}
	if ((f = fopen(in_path, "w")) == NULL)
		goto io;
	for (i = 0; i < n; i++) {
		put_euc(cd, f, in[i] != NULL ? in[i] : "");
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		f = NULL;
		goto io;
	}
	f = NULL;
	if ((rv = run_kakasi(in_path, out_path)) != DG_OK)
		goto out;
	if ((f = fopen(out_path, "r")) == NULL)
		goto io;
	while (getline(&line, &cap, f) >= 0) {
		if (got == n) {
			got++;
			break;
		}
		clean(line);
		if ((res[got++] = strdup(line)) == NULL) {
			rv = DG_ERR_NOMEM;
			goto out;
		}
	}
	if (got != n) {
		dg_error("kakasi gave %zu lines for %zu strings", got, n);
		rv = DG_ERR_IO;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (in[i] == NULL) {
			free(res[i]);
			res[i] = NULL;
		}
		out[i] = res[i];
		res[i] = NULL;
	}
	rv = DG_OK;
	goto out;
io:
	dg_error("kakasi batch in %s: %s", dir, strerror(errno));
	rv = DG_ERR_IO;
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (f != NULL)
		fclose(f);
	free(line);
	if (res != NULL)
		for (i = 0; i <= n; i++)
			free(res[i]);
	free(res);
	if (have_dir) {
		(void)unlink(in_path);
		(void)unlink(out_path);
		(void)rmdir(dir);
	}
	return (rv);
}

/* Returns 1 when s ends with suffix, and cuts it off in place. */
static int
cut_suffix(char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	if (n <= m || strcmp(s + n - m, suffix) != 0)
		return (0);
	s[n - m] = '\0';
	return (1);
}

dg_err
dg_romaji_name_stem(const char *name, char **stem, const char **suffix)
{
	static const struct {
		const char *ja, *en;
	} quals[] = {
	    {"総合", "General Hospital"},
	    {"記念", "Memorial Hospital"},
	    {"大学", "University Hospital"},
	};
	/* Longest first: 医療法人社団 before 医療法人. */
	static const char *const legal[] = {
	    "地方独立行政法人", "独立行政法人", "医療法人社団", "医療法人財団",
	    "社会医療法人",	"特定医療法人", "国立大学法人", "一般財団法人",
	    "公益財団法人",	"一般社団法人", "公益社団法人", "社会福祉法人",
	    "医療法人",		"学校法人",
	};
	const char *start = name, *p;
	char *s;
	size_t i;

	/* After the last ASCII or ideographic space. */
	for (p = name; *p != '\0'; p++) {
		if (*p == ' ')
			start = p + 1;
		else if (strncmp(p, "\xE3\x80\x80", 3) == 0)
			start = p + 3;
	}
	if (*start == '\0')
		start = name;
	/* 医療法人愛全病院: a legal form written without a space. */
	for (i = 0; i < sizeof(legal) / sizeof(legal[0]); i++) {
		size_t n = strlen(legal[i]);

		if (strncmp(start, legal[i], n) == 0 && start[n] != '\0') {
			start += n;
			break;
		}
	}
	if ((s = strdup(start)) == NULL)
		return (DG_ERR_NOMEM);
	*suffix = "";
	if (cut_suffix(s, "\xE7\x97\x85\xE9\x99\xA2")) { /* 病院 */
		*suffix = "Hospital";
		for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
			if (cut_suffix(s, quals[i].ja)) {
				*suffix = quals[i].en;
				break;
			}
		}
	}
	*stem = s;
	return (DG_OK);
}
