/*
 * Signing key, access tokens (HS256 JWT), refresh tokens and random ids.
 * libjwt 1.10 trusts the token's own header for the algorithm, never looks
 * at exp and accepts anything given an empty key, so verification here does
 * not lean on it alone: the header is parsed and pinned to HS256 before
 * libjwt sees the token, the MAC is recomputed with libsodium and compared
 * in constant time, and every claim and time is checked by hand.
 */
#include "server/http/token.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>
#include <jwt.h>
#include <sodium.h>

#include "common/base.h"
#include "common/log.h"

/* libjwt takes and returns claims as long. */
_Static_assert(sizeof(long) >= sizeof(int64_t), "long must hold int64_t");

/* Claims are JSON numbers; past 2^53 other readers would round them. */
#define CLAIM_INT_MAX ((int64_t)1 << 53)
#define NEW_KEY_BYTES 32
#define MAC_BYTES crypto_auth_hmacsha256_BYTES
#define JTI_RANDOM_BYTES 16
#define REFRESH_RANDOM_BYTES 32

_Static_assert(TOKEN_REFRESH_LEN ==
		       sodium_base64_ENCODED_LEN(REFRESH_RANDOM_BYTES,
						 sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	       "refresh token size");
_Static_assert(TOKEN_HASH_HEX_LEN == 2 * crypto_hash_sha256_BYTES + 1, "refresh hash size");

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_setup(void)
{
	/* Without a working CSPRNG no key, token or id is safe to hand out. */
	if (sodium_init() < 0) {
		log_msg(LOG_ERROR, "cannot initialise libsodium");
		abort();
	}
}

static void ensure_sodium(void)
{
	pthread_once(&sodium_once, sodium_setup);
}

static void set_err(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err_size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
}

void token_random_hex(char *out, size_t n_bytes)
{
	unsigned char chunk[32];
	size_t done = 0;

	ensure_sodium();
	out[0] = '\0';
	while (done < n_bytes) {
		size_t n = n_bytes - done < sizeof chunk ? n_bytes - done : sizeof chunk;
		randombytes_buf(chunk, n);
		sodium_bin2hex(out + 2 * done, 2 * n + 1, chunk, n);
		done += n;
	}
	sodium_memzero(chunk, sizeof chunk);
}

int token_key_set(token_key *key, const unsigned char *bytes, size_t len)
{
	if (bytes == NULL || len < TOKEN_KEY_MIN_BYTES || len > TOKEN_KEY_MAX_BYTES)
		return -1;
	memcpy(key->bytes, bytes, len);
	key->len = len;
	return 0;
}

static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* O_EXCL makes creation race-free: if another process (or an earlier run)
 * made the file first, we read theirs instead of overwriting it. */
static int create_key_file(const char *path, char *err, size_t err_size)
{
	unsigned char bytes[NEW_KEY_BYTES];
	int rc = -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0) {
		set_err(err, err_size, "cannot create JWT secret '%s': %s", path, strerror(errno));
		return -1;
	}
	randombytes_buf(bytes, sizeof bytes);
	if (write_all(fd, bytes, sizeof bytes) < 0 || fsync(fd) < 0) {
		set_err(err, err_size, "cannot write JWT secret '%s': %s", path, strerror(errno));
		/* A half-written key must not be picked up by the next start. */
		unlink(path);
		goto out;
	}
	log_msg(LOG_INFO, "created a new JWT secret in '%s'", path);
	rc = 0;
out:
	sodium_memzero(bytes, sizeof bytes);
	close(fd);
	return rc;
}

/* Reads up to max bytes; returns the count, or -1 with errno set. */
static ssize_t read_upto(int fd, unsigned char *buf, size_t max)
{
	size_t got = 0;

	while (got < max) {
		ssize_t n = read(fd, buf + got, max - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int read_key_file(const char *path, token_key *out, char *err, size_t err_size)
{
	/* One byte more than allowed, to notice a key that is too long. */
	unsigned char buf[TOKEN_KEY_MAX_BYTES + 1];
	struct stat st;
	ssize_t n;
	int rc = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		set_err(err, err_size, "cannot open JWT secret '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		set_err(err, err_size, "JWT secret '%s' is not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077)
		log_msg(LOG_WARN, "JWT secret '%s' is readable by others; chmod 600 it", path);
	n = read_upto(fd, buf, sizeof buf);
	if (n < 0) {
		set_err(err, err_size, "cannot read JWT secret '%s': %s", path, strerror(errno));
		goto out;
	}
	if ((size_t)n < TOKEN_KEY_MIN_BYTES) {
		set_err(err, err_size, "JWT secret '%s' is %zd bytes; at least %d are required",
			path, n, TOKEN_KEY_MIN_BYTES);
		goto out;
	}
	if ((size_t)n > TOKEN_KEY_MAX_BYTES) {
		set_err(err, err_size,
			"JWT secret '%s' is more than %d bytes; at most %d are allowed", path,
			TOKEN_KEY_MAX_BYTES, TOKEN_KEY_MAX_BYTES);
		goto out;
	}
	rc = token_key_set(out, buf, (size_t)n);
out:
	sodium_memzero(buf, sizeof buf);
	close(fd);
	return rc;
}

int token_key_load(const char *path, bool create_if_missing, token_key *out, char *err,
		   size_t err_size)
{
	ensure_sodium();
	sodium_memzero(out, sizeof *out);
	set_err(err, err_size, "%s", "");
	if (create_if_missing && create_key_file(path, err, err_size) < 0)
		return -1;
	return read_key_file(path, out, err, err_size);
}

static bool key_usable(const token_key *key)
{
	return key != NULL && key->len >= TOKEN_KEY_MIN_BYTES && key->len <= TOKEN_KEY_MAX_BYTES;
}

static bool claims_signable(const token_claims *c, int64_t now, int64_t ttl_s)
{
	size_t role_len = strnlen(c->role, sizeof c->role);

	return c->sub >= 1 && c->sub <= CLAIM_INT_MAX && c->sid >= 1 && c->sid <= CLAIM_INT_MAX &&
	       (!c->has_org || (c->org >= 1 && c->org <= CLAIM_INT_MAX)) && role_len > 0 &&
	       role_len < sizeof c->role && ttl_s >= 1 && ttl_s <= TOKEN_ACCESS_TTL_MAX_S &&
	       now >= 0 && now <= CLAIM_INT_MAX - TOKEN_ACCESS_TTL_MAX_S;
}

static int add_claims(jwt_t *j, const token_claims *c)
{
	int rc = 0;

	rc |= jwt_add_grant_int(j, "sub", (long)c->sub);
	rc |= jwt_add_grant(j, "role", c->role);
	if (c->has_org)
		rc |= jwt_add_grant_int(j, "org", (long)c->org);
	rc |= jwt_add_grant_int(j, "sid", (long)c->sid);
	rc |= jwt_add_grant_int(j, "iat", (long)c->iat);
	rc |= jwt_add_grant_int(j, "exp", (long)c->exp);
	rc |= jwt_add_grant(j, "jti", c->jti);
	return rc;
}

char *token_access_sign(const token_key *key, token_claims *claims, int64_t now, int64_t ttl_s)
{
	jwt_t *j = NULL;
	char *token = NULL;

	if (!key_usable(key) || !claims_signable(claims, now, ttl_s))
		return NULL;
	claims->iat = now;
	claims->exp = now + ttl_s;
	token_random_hex(claims->jti, JTI_RANDOM_BYTES);
	if (jwt_new(&j) != 0) {
		log_msg(LOG_ERROR, "cannot allocate a JWT");
		goto out;
	}
	if (jwt_set_alg(j, JWT_ALG_HS256, key->bytes, (int)key->len) != 0 ||
	    add_claims(j, claims) != 0) {
		log_msg(LOG_ERROR, "cannot build an access token");
		goto out;
	}
	token = jwt_encode_str(j);
	if (token == NULL)
		log_msg(LOG_ERROR, "cannot encode an access token");
out:
	jwt_free(j);
	return token;
}

const char *token_result_name(token_result result)
{
	switch (result) {
	case TOKEN_OK:
		return "ok";
	case TOKEN_MALFORMED:
		return "malformed";
	case TOKEN_BAD_ALGORITHM:
		return "bad_algorithm";
	case TOKEN_BAD_SIGNATURE:
		return "bad_signature";
	case TOKEN_EXPIRED:
		return "expired";
	case TOKEN_NOT_YET_VALID:
		return "not_yet_valid";
	case TOKEN_MISSING_CLAIM:
		return "missing_claim";
	case TOKEN_REVOKED:
		return "revoked";
	case TOKEN_KEY_TOO_SHORT:
		return "key_too_short";
	}
	return "unknown";
}

/* Where the three segments of a compact JWS start and end. */
typedef struct {
	size_t dot1; /* header is [0, dot1) */
	size_t dot2; /* payload is (dot1, dot2), signature (dot2, len) */
	size_t len;
} token_parts;

static bool is_b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* Exactly two dots, only base64url characters between them, non-empty header
 * and payload. An empty signature is left for the signature check. */
static token_result split_token(const char *jwt, size_t len, token_parts *p)
{
	int dots = 0;

	p->len = len;
	for (size_t i = 0; i < len; i++) {
		if (jwt[i] != '.') {
			if (!is_b64url_char(jwt[i]))
				return TOKEN_MALFORMED;
			continue;
		}
		if (++dots == 1)
			p->dot1 = i;
		else if (dots == 2)
			p->dot2 = i;
		else
			return TOKEN_MALFORMED;
	}
	if (dots != 2 || p->dot1 == 0 || p->dot2 == p->dot1 + 1)
		return TOKEN_MALFORMED;
	return TOKEN_OK;
}

/* Strict unpadded base64url: sodium also refuses non-zero trailing bits, so a
 * token has exactly one spelling. */
static bool b64url_decode(const char *src, size_t src_len, unsigned char *dst, size_t dst_max,
			  size_t *dst_len)
{
	return sodium_base642bin(dst, dst_max, src, src_len, NULL, dst_len, NULL,
				 sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0;
}

static bool has_duplicate_keys(const cJSON *obj)
{
	for (const cJSON *a = obj->child; a != NULL; a = a->next)
		for (const cJSON *b = a->next; b != NULL; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return true;
	return false;
}

/* alg decides first so that "none", HS512 … are named as what they are. */
static token_result check_header_json(const cJSON *h)
{
	const cJSON *alg = cJSON_GetObjectItemCaseSensitive(h, "alg");

	if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "HS256") != 0)
		return TOKEN_BAD_ALGORITHM;
	if (has_duplicate_keys(h))
		return TOKEN_MALFORMED;
	for (const cJSON *m = h->child; m != NULL; m = m->next) {
		if (strcmp(m->string, "alg") == 0)
			continue;
		if (strcmp(m->string, "typ") == 0 && cJSON_IsString(m) &&
		    strcmp(m->valuestring, "JWT") == 0)
			continue;
		/* We only ever issue alg and typ; anything else (crit, kid,
		 * jku …) asks for processing we do not do. */
		return TOKEN_MALFORMED;
	}
	return TOKEN_OK;
}

static token_result check_header(const char *b64, size_t b64_len)
{
	/* Decoded base64 is shorter than its text, which is at most
	 * TOKEN_ACCESS_MAX_LEN; one byte more for the NUL. */
	char buf[TOKEN_ACCESS_MAX_LEN + 1];
	size_t n;
	cJSON *h;
	token_result r = TOKEN_MALFORMED;

	if (!b64url_decode(b64, b64_len, (unsigned char *)buf, sizeof buf - 1, &n))
		return TOKEN_MALFORMED;
	if (memchr(buf, '\0', n) != NULL)
		return TOKEN_MALFORMED;
	buf[n] = '\0';
	h = cJSON_ParseWithOpts(buf, NULL, true);
	if (!cJSON_IsObject(h))
		goto out;
	r = check_header_json(h);
out:
	cJSON_Delete(h);
	return r;
}

/* Our own constant-time check, so libjwt (whose comparison we do not count
 * on being constant-time) only ever parses tokens whose MAC is ours. */
static token_result check_mac(const token_key *key, const char *jwt, const token_parts *p)
{
	unsigned char got[MAC_BYTES];
	unsigned char want[MAC_BYTES];
	crypto_auth_hmacsha256_state st;
	size_t n;
	token_result r = TOKEN_BAD_SIGNATURE;

	if (!b64url_decode(jwt + p->dot2 + 1, p->len - p->dot2 - 1, got, sizeof got, &n) ||
	    n != sizeof got)
		return TOKEN_BAD_SIGNATURE;
	crypto_auth_hmacsha256_init(&st, key->bytes, key->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)jwt, p->dot2);
	crypto_auth_hmacsha256_final(&st, want);
	if (sodium_memcmp(got, want, sizeof want) == 0)
		r = TOKEN_OK;
	sodium_memzero(&st, sizeof st);
	sodium_memzero(want, sizeof want);
	return r;
}

/* jansson (inside libjwt) keeps integers and reals apart, but
 * jwt_get_grant_int turns a real, a string or null into 0. Its JSON text
 * does not: an integer dumps as bare digits, a real always with '.' or 'e'. */
static token_result read_int_claim(jwt_t *j, const char *name, int64_t *v)
{
	char *text = jwt_get_grants_json(j, name);
	char *end;
	long long n;
	size_t len;
	token_result r = TOKEN_MALFORMED;

	if (text == NULL)
		return TOKEN_MISSING_CLAIM;
	len = strlen(text);
	if (len == 0 || len > 16 || strspn(text, "0123456789") != len)
		goto out;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0' || n > CLAIM_INT_MAX)
		goto out;
	*v = n;
	r = TOKEN_OK;
out:
	free(text);
	return r;
}

/* Copies a string claim of 1..dst_size-1 bytes. */
static token_result read_str_claim(jwt_t *j, const char *name, char *dst, size_t dst_size)
{
	const char *s = jwt_get_grant(j, name);
	size_t len;

	if (s == NULL) {
		/* NULL means absent or not a string; only absent is missing. */
		char *text = jwt_get_grants_json(j, name);
		token_result r = text ? TOKEN_MALFORMED : TOKEN_MISSING_CLAIM;
		free(text);
		return r;
	}
	len = strlen(s);
	if (len == 0 || len >= dst_size)
		return TOKEN_MALFORMED;
	memcpy(dst, s, len + 1);
	return TOKEN_OK;
}

static token_result read_org_claim(jwt_t *j, token_claims *c)
{
	token_result r = read_int_claim(j, "org", &c->org);

	if (r == TOKEN_MISSING_CLAIM)
		return TOKEN_OK;
	if (r != TOKEN_OK || c->org < 1)
		return TOKEN_MALFORMED;
	c->has_org = true;
	return TOKEN_OK;
}

static token_result read_claims(jwt_t *j, token_claims *c)
{
	token_result r;

	if ((r = read_int_claim(j, "sub", &c->sub)) != TOKEN_OK ||
	    (r = read_str_claim(j, "role", c->role, sizeof c->role)) != TOKEN_OK ||
	    (r = read_int_claim(j, "sid", &c->sid)) != TOKEN_OK ||
	    (r = read_int_claim(j, "iat", &c->iat)) != TOKEN_OK ||
	    (r = read_int_claim(j, "exp", &c->exp)) != TOKEN_OK ||
	    (r = read_str_claim(j, "jti", c->jti, sizeof c->jti)) != TOKEN_OK ||
	    (r = read_org_claim(j, c)) != TOKEN_OK)
		return r;
	if (c->sub < 1 || c->sid < 1)
		return TOKEN_MALFORMED;
	return TOKEN_OK;
}

/* The header and MAC are already checked; libjwt now parses the payload
 * (and checks the MAC again), and its view of alg must agree with ours. */
static token_result decode_claims(const token_key *key, const char *jwt, token_claims *c)
{
	jwt_t *j = NULL;
	token_result r = TOKEN_MALFORMED;

	if (jwt_decode(&j, jwt, key->bytes, (int)key->len) != 0 || j == NULL)
		goto out;
	if (jwt_get_alg(j) != JWT_ALG_HS256) {
		r = TOKEN_BAD_ALGORITHM;
		goto out;
	}
	r = read_claims(j, c);
out:
	jwt_free(j);
	return r;
}

/* Claims are 0..2^53, so none of this arithmetic can overflow. */
static token_result check_times(const token_claims *c, int64_t now)
{
	if (c->exp <= now)
		return TOKEN_EXPIRED;
	if (c->iat - TOKEN_CLOCK_SKEW_S > now)
		return TOKEN_NOT_YET_VALID;
	if (c->exp - c->iat <= 0 || c->exp - c->iat > TOKEN_ACCESS_TTL_MAX_S)
		return TOKEN_MALFORMED;
	return TOKEN_OK;
}

token_result token_access_verify(const token_key *key, const char *jwt, int64_t now,
				 token_revoked_fn revoked, void *ctx, token_claims *out)
{
	token_claims c = {0};
	token_parts p = {0};
	size_t len;
	token_result r;

	memset(out, 0, sizeof *out);
	if (!key_usable(key))
		return TOKEN_KEY_TOO_SHORT;
	if (jwt == NULL)
		return TOKEN_MALFORMED;
	len = strnlen(jwt, TOKEN_ACCESS_MAX_LEN + 1);
	if (len > TOKEN_ACCESS_MAX_LEN)
		return TOKEN_MALFORMED;
	if ((r = split_token(jwt, len, &p)) != TOKEN_OK ||
	    (r = check_header(jwt, p.dot1)) != TOKEN_OK ||
	    (r = check_mac(key, jwt, &p)) != TOKEN_OK ||
	    (r = decode_claims(key, jwt, &c)) != TOKEN_OK || (r = check_times(&c, now)) != TOKEN_OK)
		return r;
	if (revoked != NULL && revoked(c.jti, ctx))
		return TOKEN_REVOKED;
	*out = c;
	return TOKEN_OK;
}

void token_refresh_hash(const char *token, char hash_hex_out[TOKEN_HASH_HEX_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	ensure_sodium();
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hash_hex_out, TOKEN_HASH_HEX_LEN, h, sizeof h);
}

void token_refresh_generate(char token_out[TOKEN_REFRESH_LEN],
			    char hash_hex_out[TOKEN_HASH_HEX_LEN])
{
	unsigned char raw[REFRESH_RANDOM_BYTES];

	ensure_sodium();
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token_out, TOKEN_REFRESH_LEN, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	token_refresh_hash(token_out, hash_hex_out);
}
