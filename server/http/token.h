/*
 * Tokens: the JWT signing key, HS256 access tokens, opaque refresh tokens and
 * random ids. libjwt 1.10 checks neither alg, exp nor key length and accepts
 * any token given an empty key, so nothing outside this module calls libjwt:
 * token_access_verify pins the algorithm, checks the MAC itself in constant
 * time, and checks every claim before it answers TOKEN_OK.
 *
 * libsodium is initialised lazily and thread-safely (pthread_once) on first
 * use inside this module; callers need no init call. Every function here is
 * safe to call from several threads at once.
 */
#ifndef XYD_TOKEN_H
#define XYD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOKEN_KEY_MIN_BYTES 32
#define TOKEN_KEY_MAX_BYTES 64
/* Longer bearer strings are refused unparsed. */
#define TOKEN_ACCESS_MAX_LEN 4096
/* The longest access token lifetime token_access_sign issues and
 * token_access_verify accepts (exp - iat). */
#define TOKEN_ACCESS_TTL_MAX_S 86400
/* How far in the future iat may lie, for clocks that disagree a little. */
#define TOKEN_CLOCK_SKEW_S 5
/* Sizes including the NUL. */
#define TOKEN_REFRESH_LEN 44
#define TOKEN_HASH_HEX_LEN 65

/* The HS256 secret. Wipe with sodium_memzero or let it live for the process. */
typedef struct {
	unsigned char bytes[TOKEN_KEY_MAX_BYTES];
	size_t len;
} token_key;

/*
 * Loads the raw bytes of path into *out. If path does not exist and
 * create_if_missing, first creates it (O_CREAT|O_EXCL, mode 0600) holding 32
 * random bytes. Refuses a file shorter than 32 or longer than 64 bytes, one
 * that is not a regular file, or one that cannot be read. Warns (without the
 * key) when the file is readable by group or others.
 * Returns 0 on success; -1 with a message naming path in err (err_size
 * bytes, always NUL-terminated when err_size > 0) and *out zeroed.
 */
int token_key_load(const char *path, bool create_if_missing, token_key *out, char *err,
		   size_t err_size);

/* Copies len bytes into *key. Returns 0, or -1 (key untouched) when bytes is
 * NULL or len is outside 32..64. */
int token_key_set(token_key *key, const unsigned char *bytes, size_t len);

/* The claims of an access token. sid is the login session (refresh-token
 * family) id, so revoking a session kills its access tokens too. */
typedef struct {
	int64_t sub;   /* user id, >= 1 */
	char role[16]; /* non-empty, at most 15 bytes */
	int64_t org;   /* enterprise, institution or park id */
	bool has_org;  /* false: no org claim (other roles) */
	int64_t sid;   /* session id, >= 1 */
	int64_t iat;   /* issued at, Unix seconds */
	int64_t exp;   /* expires at, Unix seconds */
	char jti[40];  /* token id, 1..39 bytes */
} token_claims;

/*
 * Signs an HS256 access token for claims->sub, role, org (if has_org) and
 * sid. Sets claims->iat = now, claims->exp = now + ttl_s and claims->jti to
 * 32 fresh lowercase hex characters, and puts all of them in the token.
 * Returns a malloc'd token string the caller frees with free(); NULL when
 * key is shorter than 32 bytes, ttl_s is outside 1..TOKEN_ACCESS_TTL_MAX_S,
 * or the claims would not pass token_access_verify (sub or sid outside
 * 1..2^53, role empty or unterminated, org outside 1..2^53 while has_org,
 * now outside 0..2^53 - TOKEN_ACCESS_TTL_MAX_S). The claims' iat, exp and
 * jti are set only when the inputs pass those checks.
 */
char *token_access_sign(const token_key *key, token_claims *claims, int64_t now, int64_t ttl_s);

/* Every answer token_access_verify can give; all but TOKEN_OK mean 401. */
typedef enum {
	TOKEN_OK,
	TOKEN_MALFORMED,     /* not a well-formed JWT of ours */
	TOKEN_BAD_ALGORITHM, /* header alg is not exactly "HS256" */
	TOKEN_BAD_SIGNATURE,
	TOKEN_EXPIRED,	     /* exp <= now */
	TOKEN_NOT_YET_VALID, /* iat > now + TOKEN_CLOCK_SKEW_S */
	TOKEN_MISSING_CLAIM, /* sub, role, sid, iat, exp or jti absent */
	TOKEN_REVOKED,	     /* the revoked callback said so */
	TOKEN_KEY_TOO_SHORT  /* the server's key, not the caller's fault */
} token_result;

/* "ok", "malformed", "bad_algorithm" …: a static string for logs. */
const char *token_result_name(token_result result);

/* Answers whether the token with this jti (or its session) is revoked.
 * Called only for a token that passed every other check. */
typedef bool (*token_revoked_fn)(const char *jti, void *ctx);

/*
 * Checks jwt, the bearer string, against key at time now (Unix seconds).
 * In order: key length; size (over TOKEN_ACCESS_MAX_LEN is malformed); the
 * header must be a JSON object with "alg":"HS256" and nothing else but an
 * optional "typ":"JWT"; the HMAC-SHA256 signature; libjwt's decoding, whose
 * algorithm must again be HS256; the claims (integers must be JSON integers
 * in 0..2^53, strings must be strings); exp, iat, lifetime; finally
 * revoked(jti, ctx) when revoked is not NULL.
 * Returns TOKEN_OK and fills *out, or the first failure with *out zeroed
 * (TOKEN_KEY_TOO_SHORT also covers a NULL key or one over 64 bytes).
 * Never logs the token.
 */
token_result token_access_verify(const token_key *key, const char *jwt, int64_t now,
				 token_revoked_fn revoked, void *ctx, token_claims *out);

/*
 * A new refresh token: 32 random bytes as unpadded base64url (43 characters
 * and a NUL) in token_out, and its lowercase hex SHA-256 in hash_hex_out.
 * Store only the hash; hand the token to the client once.
 */
void token_refresh_generate(char token_out[TOKEN_REFRESH_LEN],
			    char hash_hex_out[TOKEN_HASH_HEX_LEN]);

/* The lowercase hex SHA-256 of the NUL-terminated token, as stored. */
void token_refresh_hash(const char *token, char hash_hex_out[TOKEN_HASH_HEX_LEN]);

/* n_bytes random bytes as lowercase hex into out, which must hold
 * 2 * n_bytes + 1 bytes (for jti, request ids …). */
void token_random_hex(char *out, size_t n_bytes);

#endif
