/*
 * Fuzz target: static-path resolution (server/http/static_files.c): decoding a
 * request path, refusing the unsafe ones and resolving the rest inside the
 * static folder, plus the Accept-Encoding reader. It runs against a small
 * folder made at start under $TMPDIR, holding pages, a hidden file, a
 * symlink that leads out and a secret beside the folder. Input: the path,
 * up to a NUL; after it, an Accept-Encoding value. Besides memory errors it
 * checks that a resolved file always lies inside the folder, is a regular
 * file, and is never the secret; and that a refusal's message, which goes
 * to the client in JSON and may quote the path, is UTF-8.
 */
#include <ftw.h>
#include <stdbool.h>
#include <unistd.h>

#include "common/validate.h"
#include "fuzz/fuzz.h"
#include "server/http/static_files.c"

static char base[PATH_MAX], root[PATH_MAX];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	FUZZ_CHECK(f != NULL);
	fputs(text, f);
	fclose(f);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_tree(void)
{
	nftw(base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	snprintf(base, sizeof base, "%s/xyd-fuzz-static.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(base) != NULL);
	atexit(remove_tree);
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof dir, "%s/web", base);
	FUZZ_CHECK(mkdir(dir, 0700) == 0);
	FUZZ_CHECK(realpath(dir, root) != NULL);
	write_file(base, "secret.txt", "outside\n");
	write_file(root, "index.html", "<!doctype html>\n");
	write_file(root, "app.js", "export {};\n");
	write_file(root, ".hidden", "no\n");
	snprintf(dir, sizeof dir, "%s/pages", root);
	FUZZ_CHECK(mkdir(dir, 0700) == 0);
	write_file(dir, "bank.html", "<!doctype html>\n");
	snprintf(dir, sizeof dir, "%s/out", root);
	FUZZ_CHECK(symlink("../secret.txt", dir) == 0);
	snprintf(dir, sizeof dir, "%s/up", root);
	FUZZ_CHECK(symlink("..", dir) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_cstring(data, size);
	size_t used = strlen(path) + 1;
	char *ae = used < size ? fuzz_cstring(data + used, size - used) : NULL;
	char resolved[PATH_MAX];
	bool is_index;
	int fd;
	struct stat st;
	api_error err = {0};
	xyd_status s = resolve_path(root, path, resolved, &is_index, &fd, &st, &err);
	if (s == XYD_OK) {
		size_t n = strlen(root);
		FUZZ_CHECK(strncmp(resolved, root, n) == 0 && resolved[n] == '/');
		FUZZ_CHECK(S_ISREG(st.st_mode) && fd >= 0);
		FUZZ_CHECK(strstr(resolved + n, "secret") == NULL &&
			   strstr(resolved + n, "/.") == NULL);
		close(fd);
	} else {
		FUZZ_CHECK(s == XYD_NOT_FOUND || s == XYD_VALIDATION_FAILED);
		FUZZ_CHECK(fd == -1 && err.message[0] != '\0');
		FUZZ_CHECK(validate_utf8(err.message, strlen(err.message)));
	}
	if (ae)
		(void)accepts_gzip(ae);
	(void)content_type_of(path);
	free(ae);
	free(path);
	return 0;
}
