/*
 * Static files. A path is decoded once, then refused if it holds a NUL, a
 * backslash, an encoded slash, a ".." or a hidden segment; the resolved real
 * path must still lie inside the static root (symlinks cannot lead out).
 * A client that takes gzip gets the build's precompressed copy (file.gz)
 * when there is a fresh one: a third of the bytes for the pages and ECharts.
 */
#include "server/http/static_files.h"

#include <ctype.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/xmalloc.h"

static const struct {
	const char *ext, *type;
} content_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
	{".map", "application/json; charset=utf-8"},
};

static const char *content_type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof content_types / sizeof content_types[0]; i++)
		if (strcmp(dot, content_types[i].ext) == 0)
			return content_types[i].type;
	return "application/octet-stream";
}

/* Percent-decodes path into a new string; NULL for a malformed escape, an
 * encoded slash or NUL, or a backslash. */
static char *decode_path(const char *raw)
{
	size_t len = strlen(raw);
	char *out = xmalloc(len + 1), *o = out;
	for (size_t i = 0; i < len; i++) {
		char c = raw[i];
		if (c == '%') {
			if (i + 2 >= len || !isxdigit((unsigned char)raw[i + 1]) ||
			    !isxdigit((unsigned char)raw[i + 2]))
				goto bad;
			char hex[3] = {raw[i + 1], raw[i + 2], 0};
			c = (char)strtol(hex, NULL, 16);
			if (c == '/' || c == '\0')
				goto bad;
			i += 2;
		}
		if (c == '\\')
			goto bad;
		*o++ = c;
	}
	*o = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static bool path_is_safe(const char *p)
{
	/* Every segment: not empty, not starting with '.', printable. */
	if (*p == '\0')
		return false;
	for (const char *seg = p; *seg;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || seg[0] == '.')
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f)
				return false;
		seg += n;
		if (*seg == '/')
			seg++;
	}
	return true;
}

/* Whether an Accept-Encoding header value takes gzip: a "gzip" (or "*")
 * coding whose q is not zero. */
static bool accepts_gzip(const char *value)
{
	bool star = false;
	for (const char *p = value; p && *p;) {
		size_t n = strcspn(p, ",");
		char item[64];
		snprintf(item, sizeof item, "%.*s",
			 (int)(n < sizeof item - 1 ? n : sizeof item - 1), p);
		char *name = item + strspn(item, " \t"), *params = strchr(name, ';');
		if (params)
			*params++ = '\0';
		name[strcspn(name, " \t")] = '\0';
		const char *q = params ? strstr(params, "q=") : NULL;
		bool zero = q && strtod(q + 2, NULL) <= 0.0;
		if (strcasecmp(name, "gzip") == 0 || strcasecmp(name, "x-gzip") == 0)
			return !zero;
		if (strcmp(name, "*") == 0)
			star = !zero;
		p += n + (p[n] == ',');
	}
	return star;
}

/* Swaps *fd for the build's gzip copy of path (path.gz, at least as new as
 * path) when the client takes gzip; answers whether it did. */
static bool use_gzip_copy(request_ctx *rc, int *fd, struct stat *st, const char *path)
{
	const char *ae = evhttp_find_header(evhttp_request_get_input_headers(rc->req),
					    "Accept-Encoding");
	if (!ae || !accepts_gzip(ae))
		return false;
	char *gz = xasprintf("%s.gz", path);
	struct stat gst;
	int gfd = open(gz, O_RDONLY | O_CLOEXEC);
	free(gz);
	if (gfd < 0)
		return false;
	/* a copy older than its source is stale (edited after the build): skip it */
	if (fstat(gfd, &gst) != 0 || !S_ISREG(gst.st_mode) || gst.st_mtime < st->st_mtime) {
		close(gfd);
		return false;
	}
	close(*fd);
	*fd = gfd;
	*st = gst;
	return true;
}

static void send_file(request_ctx *rc, int fd, const struct stat *st_in, const char *path,
		      bool is_index)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(rc->req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(rc->req);
	struct stat st = *st_in;
	bool gzipped = use_gzip_copy(rc, &fd, &st, path);
	char etag[64];
	snprintf(etag, sizeof etag, "\"%llx-%llx%s\"", (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size, gzipped ? "-gz" : "");
	evhttp_add_header(out, "Content-Type", content_type_of(path));
	if (gzipped)
		evhttp_add_header(out, "Content-Encoding", "gzip");
	evhttp_add_header(out, "Vary", "Accept-Encoding");
	evhttp_add_header(out, "ETag", etag);
	/* Pages revalidate every time so a deploy shows at once; assets may be cached briefly. */
	evhttp_add_header(out, "Cache-Control", is_index ? "no-cache" : "public, max-age=300");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "X-Frame-Options", "DENY");
	evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	evhttp_add_header(
		out, "Content-Security-Policy",
		"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
	evhttp_add_header(out, "X-Request-Id", rc->request_id);
	const char *inm = evhttp_find_header(in, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		close(fd);
		rc->status = 304;
		evhttp_send_reply(rc->req, 304, "Not Modified", NULL);
		return;
	}
	struct evbuffer *buf = evbuffer_new();
	evbuffer_add_file(buf, fd, 0, st.st_size); /* takes fd */
	rc->status = 200;
	rc->bytes_out = (size_t)st.st_size;
	evhttp_send_reply(rc->req, 200, "OK", buf);
	evbuffer_free(buf);
}

/* The real path, into resolved, of the file that a request path names
 * inside root (itself a real path): "/" is index.html, "/static/<rel>" is
 * <rel> decoded and checked. Sets *is_index for a page. Returns XYD_OK only
 * for a regular file inside root, open in *fd; otherwise XYD_VALIDATION_FAILED
 * (bad path) or XYD_NOT_FOUND, with err set. Pure apart from the file system,
 * so fuzz/fuzz_static_path.c calls it alone. */
static xyd_status resolve_path(const char *root, const char *path, char resolved[PATH_MAX],
			       bool *is_index, int *fd, struct stat *st, api_error *err)
{
	const char *rel;
	char *decoded = NULL, *full = NULL;
	xyd_status ret = XYD_NOT_FOUND;
	*is_index = false;
	*fd = -1;
	if (strcmp(path, "/") == 0) {
		rel = "index.html";
		*is_index = true;
	} else if (strncmp(path, "/static/", 8) == 0) {
		if (!(decoded = decode_path(path + 8)) || !path_is_safe(decoded)) {
			ret = api_error_set(err, XYD_VALIDATION_FAILED, NULL, "bad file path");
			goto out;
		}
		rel = decoded;
		*is_index = strcmp(content_type_of(rel), "text/html; charset=utf-8") == 0;
	} else {
		api_error_set(err, XYD_NOT_FOUND, NULL, "no such page: %s", path);
		goto out;
	}
	full = xasprintf("%s/%s", root, rel);
	size_t root_len = strlen(root);
	if (!realpath(full, resolved) || strncmp(resolved, root, root_len) != 0 ||
	    resolved[root_len] != '/' || (*fd = open(resolved, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(*fd, st) != 0 || !S_ISREG(st->st_mode)) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		api_error_set(err, XYD_NOT_FOUND, NULL, "no such file");
		goto out;
	}
	ret = XYD_OK;
out:
	free(full);
	free(decoded);
	return ret;
}

void static_files_serve(request_ctx *rc)
{
	bool is_index;
	char resolved[PATH_MAX];
	struct stat st;
	int fd;
	if (strcmp(rc->method, "GET") != 0) {
		evhttp_add_header(evhttp_request_get_output_headers(rc->req), "Allow", "GET, HEAD");
		api_error_set(&rc->err, XYD_METHOD_NOT_ALLOWED, NULL, "only GET is allowed here");
		return;
	}
	if (resolve_path(rc->app->static_root, rc->path, resolved, &is_index, &fd, &st, &rc->err) ==
	    XYD_OK)
		send_file(rc, fd, &st, resolved, is_index);
}
