/*
 * Unit tests for server/http/token.c: what an access token must be to pass, every
 * way a forged or stale one is refused, the key file, refresh tokens and ids.
 * Foreign tokens are built by hand (base64url + libsodium HMAC) or with
 * libjwt itself, the way an attacker would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jwt.h>
#include <sodium.h>

#include "common/xmalloc.h"
#include "server/http/token.h"

#define NOW ((int64_t)1700000000)
#define TTL_S 900
#define GOOD_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static token_key make_key(unsigned char seed, size_t len)
{
	token_key k;

	memset(&k, 0, sizeof k);
	for (size_t i = 0; i < len && i < sizeof k.bytes; i++)
		k.bytes[i] = (unsigned char)(seed + i * 7);
	k.len = len;
	return k;
}

static char *b64url(const void *data, size_t len)
{
	size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = xmalloc(size);

	sodium_bin2base64(out, size, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* header.payload signed HS256 with key, built without libjwt. */
static char *hs256_token(const token_key *key, const char *header, const char *payload)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char *h = b64url(header, strlen(header));
	char *p = b64url(payload, strlen(payload));
	char *input = xasprintf("%s.%s", h, p);
	char *sig;
	char *token;

	crypto_auth_hmacsha256_init(&st, key->bytes, key->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)input, strlen(input));
	crypto_auth_hmacsha256_final(&st, mac);
	sig = b64url(mac, sizeof mac);
	token = xasprintf("%s.%s", input, sig);
	free(h);
	free(p);
	free(input);
	free(sig);
	return token;
}

/* header.payload. with the given raw signature text (may be ""). */
static char *unsigned_token(const char *header, const char *payload, const char *sig)
{
	char *h = b64url(header, strlen(header));
	char *p = b64url(payload, strlen(payload));
	char *token = xasprintf("%s.%s.%s", h, p, sig);

	free(h);
	free(p);
	return token;
}

static char *payload_at(int64_t iat, int64_t exp)
{
	return xasprintf("{\"sub\":7,\"role\":\"enterprise\",\"org\":42,"
			 "\"sid\":9,\"iat\":%lld,\"exp\":%lld,"
			 "\"jti\":\"0123456789abcdef0123456789abcdef\"}",
			 (long long)iat, (long long)exp);
}

static token_result verify_hs256(const char *header, const char *payload)
{
	token_key key = make_key(1, 32);
	token_claims out;
	char *token = hs256_token(&key, header, payload);
	token_result r = token_access_verify(&key, token, NOW, NULL, NULL, &out);

	free(token);
	return r;
}

static token_result verify_payload(const char *payload)
{
	return verify_hs256(GOOD_HEADER, payload);
}

static token_claims sample_claims(void)
{
	token_claims c;

	memset(&c, 0, sizeof c);
	c.sub = 7;
	snprintf(c.role, sizeof c.role, "%s", "enterprise");
	c.org = 42;
	c.has_org = true;
	c.sid = 9;
	return c;
}

/* A token signed by libjwt with alg and key, carrying valid claims. */
static char *libjwt_token(jwt_alg_t alg, const token_key *key)
{
	jwt_t *j = NULL;
	char *token;

	assert_int_equal(jwt_new(&j), 0);
	assert_int_equal(jwt_set_alg(j, alg, key->bytes, (int)key->len), 0);
	assert_int_equal(
		jwt_add_grants_json(
			j, "{\"sub\":7,\"role\":\"enterprise\","
			   "\"sid\":9,\"iat\":1700000000,\"exp\":1700000900,\"jti\":\"abc\"}"),
		0);
	token = jwt_encode_str(j);
	assert_non_null(token);
	jwt_free(j);
	return token;
}

static void test_good_token_round_trips_every_claim(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);

	assert_non_null(token);
	assert_int_equal(in.iat, NOW);
	assert_int_equal(in.exp, NOW + TTL_S);
	assert_int_equal(strlen(in.jti), 32);
	assert_int_equal(strspn(in.jti, "0123456789abcdef"), 32);
	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out), TOKEN_OK);
	assert_int_equal(out.sub, 7);
	assert_string_equal(out.role, "enterprise");
	assert_true(out.has_org);
	assert_int_equal(out.org, 42);
	assert_int_equal(out.sid, 9);
	assert_int_equal(out.iat, NOW);
	assert_int_equal(out.exp, NOW + TTL_S);
	assert_string_equal(out.jti, in.jti);
	free(token);
}

static void test_token_without_org_round_trips_without_org(void **state)
{
	(void)state;
	token_key key = make_key(1, 64);
	token_claims in = sample_claims();
	token_claims out;
	char *token;

	in.has_org = false;
	snprintf(in.role, sizeof in.role, "%s", "bureau");
	token = token_access_sign(&key, &in, NOW, TTL_S);
	assert_non_null(token);
	assert_int_equal(token_access_verify(&key, token, NOW + 10, NULL, NULL, &out), TOKEN_OK);
	assert_false(out.has_org);
	assert_int_equal(out.org, 0);
	assert_string_equal(out.role, "bureau");
	free(token);
}

static void test_two_signed_tokens_have_different_jti(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims a = sample_claims();
	token_claims b = sample_claims();
	char *ta = token_access_sign(&key, &a, NOW, TTL_S);
	char *tb = token_access_sign(&key, &b, NOW, TTL_S);

	assert_string_not_equal(a.jti, b.jti);
	assert_string_not_equal(ta, tb);
	free(ta);
	free(tb);
}

static void test_hand_built_hs256_token_is_accepted(void **state)
{
	(void)state;
	char *payload = payload_at(NOW, NOW + TTL_S);

	/* Proves the builder the refusal tests below rely on is right. */
	assert_int_equal(verify_payload(payload), TOKEN_OK);
	assert_int_equal(verify_hs256("{\"alg\":\"HS256\"}", payload), TOKEN_OK);
	free(payload);
}

static void test_alg_none_with_empty_signature_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims out;
	char *payload = payload_at(NOW, NOW + TTL_S);
	char *t1 = unsigned_token("{\"alg\":\"none\"}", payload, "");
	char *t2 = unsigned_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, "");

	assert_int_equal(token_access_verify(&key, t1, NOW, NULL, NULL, &out), TOKEN_BAD_ALGORITHM);
	assert_int_equal(token_access_verify(&key, t2, NOW, NULL, NULL, &out), TOKEN_BAD_ALGORITHM);
	assert_int_equal(out.sub, 0);
	free(t1);
	free(t2);
	free(payload);
}

static void test_alg_none_with_valid_hmac_is_refused(void **state)
{
	(void)state;
	char *payload = payload_at(NOW, NOW + TTL_S);

	assert_int_equal(verify_hs256("{\"alg\":\"none\"}", payload), TOKEN_BAD_ALGORITHM);
	assert_int_equal(verify_hs256("{\"alg\":\"None\",\"typ\":\"JWT\"}", payload),
			 TOKEN_BAD_ALGORITHM);
	free(payload);
}

static void test_hs512_token_signed_with_same_key_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 64);
	token_claims out;
	char *token = libjwt_token(JWT_ALG_HS512, &key);

	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_ALGORITHM);
	free(token);
}

static void test_hs384_token_signed_with_same_key_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 48);
	token_claims out;
	char *token = libjwt_token(JWT_ALG_HS384, &key);

	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_ALGORITHM);
	free(token);
}

static void test_libjwt_hs256_token_is_accepted(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims out;
	char *token = libjwt_token(JWT_ALG_HS256, &key);

	/* Same builder as the HS384/HS512 tests: only alg differs there. */
	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out), TOKEN_OK);
	assert_false(out.has_org);
	free(token);
}

static void test_rs256_header_is_refused(void **state)
{
	(void)state;
	char *payload = payload_at(NOW, NOW + TTL_S);

	assert_int_equal(verify_hs256("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload),
			 TOKEN_BAD_ALGORITHM);
	free(payload);
}

static void test_header_without_exact_hs256_is_refused(void **state)
{
	(void)state;
	char *payload = payload_at(NOW, NOW + TTL_S);

	assert_int_equal(verify_hs256("{\"typ\":\"JWT\"}", payload), TOKEN_BAD_ALGORITHM);
	assert_int_equal(verify_hs256("{\"alg\":\"hs256\"}", payload), TOKEN_BAD_ALGORITHM);
	assert_int_equal(verify_hs256("{\"alg\":\"HS256 \"}", payload), TOKEN_BAD_ALGORITHM);
	assert_int_equal(verify_hs256("{\"alg\":null}", payload), TOKEN_BAD_ALGORITHM);
	assert_int_equal(verify_hs256("{\"ALG\":\"HS256\"}", payload), TOKEN_BAD_ALGORITHM);
	free(payload);
}

static void test_header_with_odd_members_is_refused(void **state)
{
	(void)state;
	char *payload = payload_at(NOW, NOW + TTL_S);

	assert_int_equal(verify_hs256("{\"alg\":\"HS256\",\"typ\":\"JOSE\"}", payload),
			 TOKEN_MALFORMED);
	assert_int_equal(verify_hs256("{\"alg\":\"HS256\",\"typ\":1}", payload), TOKEN_MALFORMED);
	assert_int_equal(verify_hs256("{\"alg\":\"HS256\",\"alg\":\"none\"}", payload),
			 TOKEN_MALFORMED);
	assert_int_equal(verify_hs256("{\"alg\":\"HS256\",\"crit\":[\"x\"]}", payload),
			 TOKEN_MALFORMED);
	assert_int_equal(verify_hs256("{\"alg\":\"HS256\"} x", payload), TOKEN_MALFORMED);
	assert_int_equal(verify_hs256("[\"HS256\"]", payload), TOKEN_MALFORMED);
	free(payload);
}

static void test_tampered_payload_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);
	char *forged_payload = payload_at(NOW, NOW + TTL_S);
	char *forged_b64 = b64url(forged_payload, strlen(forged_payload));
	char *dot1 = strchr(token, '.');
	char *dot2 = strchr(dot1 + 1, '.');
	char *forged;

	/* The original header and signature around someone else's claims. */
	*dot1 = '\0';
	forged = xasprintf("%s.%s%s", token, forged_b64, dot2);
	assert_int_equal(token_access_verify(&key, forged, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	free(forged);
	free(forged_b64);
	free(forged_payload);
	free(token);
}

static char flip_b64url_char(char c, int mask)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const char *at = strchr(alphabet, c);

	assert_non_null(at);
	return alphabet[(at - alphabet) ^ mask];
}

static void test_tampered_signature_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);
	char *sig = strrchr(token, '.') + 1;

	assert_int_equal(strlen(sig), 43);
	sig[10] = flip_b64url_char(sig[10], 1);
	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	free(token);
}

static void test_signature_with_nonzero_padding_bits_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);
	char *sig = strrchr(token, '.') + 1;

	/* The last character's low 2 bits carry no data; a lenient decoder
	 * would accept this second spelling of the same MAC. */
	sig[42] = flip_b64url_char(sig[42], 1);
	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	free(token);
}

static void test_truncated_or_empty_signature_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);
	char *sig = strrchr(token, '.') + 1;

	sig[20] = '\0';
	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	sig[0] = '\0';
	assert_int_equal(token_access_verify(&key, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	free(token);
}

static void test_wrong_key_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_key other = make_key(2, 32);
	token_key longer = make_key(1, 33);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);

	assert_int_equal(token_access_verify(&other, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	assert_int_equal(token_access_verify(&longer, token, NOW, NULL, NULL, &out),
			 TOKEN_BAD_SIGNATURE);
	free(token);
}

static void test_expired_token_is_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);

	assert_int_equal(token_access_verify(&key, token, NOW + TTL_S + 1, NULL, NULL, &out),
			 TOKEN_EXPIRED);
	assert_int_equal(out.sub, 0);
	free(token);
}

static void test_token_is_refused_when_exp_is_exactly_now(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&key, &in, NOW, TTL_S);

	assert_int_equal(token_access_verify(&key, token, NOW + TTL_S - 1, NULL, NULL, &out),
			 TOKEN_OK);
	assert_int_equal(token_access_verify(&key, token, NOW + TTL_S, NULL, NULL, &out),
			 TOKEN_EXPIRED);
	free(token);
}

static void test_future_iat_is_refused_beyond_leeway(void **state)
{
	(void)state;
	char *p6 = payload_at(NOW + 6, NOW + 6 + TTL_S);
	char *p3600 = payload_at(NOW + 3600, NOW + 3600 + TTL_S);

	assert_int_equal(verify_payload(p6), TOKEN_NOT_YET_VALID);
	assert_int_equal(verify_payload(p3600), TOKEN_NOT_YET_VALID);
	free(p6);
	free(p3600);
}

static void test_future_iat_within_leeway_is_accepted(void **state)
{
	(void)state;
	char *p5 = payload_at(NOW + 5, NOW + 5 + TTL_S);
	char *p1 = payload_at(NOW + 1, NOW + 1 + TTL_S);

	assert_int_equal(verify_payload(p5), TOKEN_OK);
	assert_int_equal(verify_payload(p1), TOKEN_OK);
	free(p5);
	free(p1);
}

static void test_lifetime_over_a_day_or_not_positive_is_refused(void **state)
{
	(void)state;
	char *day = payload_at(NOW, NOW + 86400);
	char *longer = payload_at(NOW, NOW + 86401);
	char *backwards = payload_at(NOW + 5, NOW + 3);

	assert_int_equal(verify_payload(day), TOKEN_OK);
	assert_int_equal(verify_payload(longer), TOKEN_MALFORMED);
	assert_int_equal(verify_payload(backwards), TOKEN_MALFORMED);
	free(day);
	free(longer);
	free(backwards);
}

static void test_missing_each_required_claim_is_refused(void **state)
{
	(void)state;
	char iat[32];
	char exp[32];
	const char *claims[] = {
		"\"sub\":7", "\"role\":\"enterprise\"", "\"sid\":9", iat, exp, "\"jti\":\"abc\"",
	};
	size_t n = sizeof claims / sizeof claims[0];

	snprintf(iat, sizeof iat, "\"iat\":%lld", (long long)NOW);
	snprintf(exp, sizeof exp, "\"exp\":%lld", (long long)(NOW + TTL_S));
	for (size_t skip = 0; skip < n; skip++) {
		char payload[256] = "{";
		for (size_t i = 0; i < n; i++) {
			if (i == skip)
				continue;
			if (payload[1] != '\0')
				strcat(payload, ",");
			strcat(payload, claims[i]);
		}
		strcat(payload, "}");
		assert_int_equal(verify_payload(payload), TOKEN_MISSING_CLAIM);
	}
}

/* A valid payload with claim name set to the JSON text value (added when
 * it is not one of the defaults, e.g. org). */
static token_result verify_with_claim(const char *name, const char *value)
{
	char iat[24];
	char exp[24];
	const char *names[] = {"sub", "role", "sid", "iat", "exp", "jti"};
	const char *values[] = {"7", "\"enterprise\"", "9", iat, exp, "\"abc\""};
	char payload[512] = "{";
	bool replaced = false;

	snprintf(iat, sizeof iat, "%lld", (long long)NOW);
	snprintf(exp, sizeof exp, "%lld", (long long)(NOW + TTL_S));
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		bool hit = strcmp(names[i], name) == 0;
		replaced |= hit;
		snprintf(payload + strlen(payload), sizeof payload - strlen(payload), "%s\"%s\":%s",
			 i ? "," : "", names[i], hit ? value : values[i]);
	}
	if (!replaced)
		snprintf(payload + strlen(payload), sizeof payload - strlen(payload), ",\"%s\":%s",
			 name, value);
	strcat(payload, "}");
	return verify_payload(payload);
}

static void test_claims_of_the_wrong_type_are_refused(void **state)
{
	(void)state;
	assert_int_equal(verify_with_claim("sub", "8"), TOKEN_OK);
	assert_int_equal(verify_with_claim("sub", "1.0"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sub", "\"7\""), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sub", "7e0"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sub", "0"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sub", "-7"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sub", "9007199254740993"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sub", "null"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("sid", "0"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("exp", "1700000900.0"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("org", "42"), TOKEN_OK);
	assert_int_equal(verify_with_claim("org", "\"42\""), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("org", "0"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("role", "7"), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("role", "\"\""), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("role", "\"abcdefghijklmno\""), TOKEN_OK);
	assert_int_equal(verify_with_claim("role", "\"abcdefghijklmnop\""), TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("jti", "\"0123456789012345678901234567890123456789\""),
			 TOKEN_MALFORMED);
	assert_int_equal(verify_with_claim("jti", "[\"abc\"]"), TOKEN_MALFORMED);
}

static void test_short_key_is_refused_for_sign_and_verify(void **state)
{
	(void)state;
	token_key good = make_key(1, 32);
	token_key short_key = make_key(1, 31);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&good, &in, NOW, TTL_S);

	assert_null(token_access_sign(&short_key, &in, NOW, TTL_S));
	assert_int_equal(token_access_verify(&short_key, token, NOW, NULL, NULL, &out),
			 TOKEN_KEY_TOO_SHORT);
	assert_int_equal(token_key_set(&short_key, good.bytes, 31), -1);
	assert_int_equal(token_key_set(&short_key, good.bytes, 65), -1);
	assert_int_equal(token_key_set(&short_key, good.bytes, 32), 0);
	assert_int_equal(short_key.len, 32);
	free(token);
}

static void test_empty_key_is_refused(void **state)
{
	(void)state;
	token_key good = make_key(1, 32);
	token_key empty = make_key(1, 0);
	token_claims in = sample_claims();
	token_claims out;
	char *token = token_access_sign(&good, &in, NOW, TTL_S);
	char *none = unsigned_token("{\"alg\":\"none\"}", "{\"sub\":1}", "");

	/* libjwt alone accepts any token when handed an empty key. */
	assert_null(token_access_sign(&empty, &in, NOW, TTL_S));
	assert_int_equal(token_access_verify(&empty, token, NOW, NULL, NULL, &out),
			 TOKEN_KEY_TOO_SHORT);
	assert_int_equal(token_access_verify(&empty, none, NOW, NULL, NULL, &out),
			 TOKEN_KEY_TOO_SHORT);
	assert_int_equal(token_access_verify(NULL, token, NOW, NULL, NULL, &out),
			 TOKEN_KEY_TOO_SHORT);
	free(none);
	free(token);
}

static void test_sign_refuses_claims_verify_would_refuse(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims c = sample_claims();

	assert_null(token_access_sign(&key, &c, NOW, 0));
	assert_null(token_access_sign(&key, &c, NOW, 86401));
	c.sub = 0;
	assert_null(token_access_sign(&key, &c, NOW, TTL_S));
	c = sample_claims();
	c.role[0] = '\0';
	assert_null(token_access_sign(&key, &c, NOW, TTL_S));
	c = sample_claims();
	memset(c.role, 'r', sizeof c.role);
	assert_null(token_access_sign(&key, &c, NOW, TTL_S));
	c = sample_claims();
	c.sid = 0;
	assert_null(token_access_sign(&key, &c, NOW, TTL_S));
}

static void test_malformed_strings_are_refused(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims out;
	const char *bad[] = {
		"",	     ".",	"..",	       "abc",
		"a.b",	     "a.b.c.d", "eyJ.eyJ.a b", "eyJhbGciOiJIUzI1NiJ9=.e30.AAAA",
		".e30.AAAA",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(token_access_verify(&key, bad[i], NOW, NULL, NULL, &out),
				 TOKEN_MALFORMED);
	assert_int_equal(token_access_verify(&key, NULL, NOW, NULL, NULL, &out), TOKEN_MALFORMED);
}

static void test_token_over_4096_bytes_is_refused_unparsed(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims out;
	char *huge = xmalloc(TOKEN_ACCESS_MAX_LEN + 2);

	memset(huge, 'A', TOKEN_ACCESS_MAX_LEN + 1);
	huge[TOKEN_ACCESS_MAX_LEN + 1] = '\0';
	huge[100] = '.';
	huge[200] = '.';
	assert_int_equal(token_access_verify(&key, huge, NOW, NULL, NULL, &out), TOKEN_MALFORMED);
	free(huge);
}

typedef struct {
	char seen[40];
	int calls;
	bool answer;
} revocation_probe;

static bool probe_revoked(const char *jti, void *ctx)
{
	revocation_probe *p = ctx;

	snprintf(p->seen, sizeof p->seen, "%s", jti);
	p->calls++;
	return p->answer;
}

static void test_revoked_jti_is_refused_via_callback(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	revocation_probe probe = {.answer = true};
	char *token = token_access_sign(&key, &in, NOW, TTL_S);

	assert_int_equal(token_access_verify(&key, token, NOW, probe_revoked, &probe, &out),
			 TOKEN_REVOKED);
	assert_int_equal(probe.calls, 1);
	assert_string_equal(probe.seen, in.jti);
	assert_int_equal(out.sub, 0);
	probe.answer = false;
	assert_int_equal(token_access_verify(&key, token, NOW, probe_revoked, &probe, &out),
			 TOKEN_OK);
	free(token);
}

static void test_revocation_is_not_asked_about_a_bad_token(void **state)
{
	(void)state;
	token_key key = make_key(1, 32);
	token_claims in = sample_claims();
	token_claims out;
	revocation_probe probe = {.answer = false};
	char *token = token_access_sign(&key, &in, NOW, TTL_S);

	assert_int_equal(token_access_verify(&key, token, NOW + TTL_S, probe_revoked, &probe, &out),
			 TOKEN_EXPIRED);
	assert_int_equal(probe.calls, 0);
	free(token);
}

/* A scratch directory and the key path inside it; both freed by cleanup. */
typedef struct {
	char dir[64];
	char *path;
} key_dir;

static void key_dir_init(key_dir *d)
{
	snprintf(d->dir, sizeof d->dir, "%s", "/tmp/test_token_XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	d->path = xasprintf("%s/jwt.key", d->dir);
}

static void key_dir_release(key_dir *d)
{
	unlink(d->path);
	rmdir(d->dir);
	free(d->path);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0600), 0);
}

static void test_key_load_creates_0600_32_byte_file_and_reloads_it(void **state)
{
	(void)state;
	key_dir d;
	token_key first;
	token_key again;
	struct stat st;
	char err[256];

	key_dir_init(&d);
	assert_int_equal(token_key_load(d.path, true, &first, err, sizeof err), 0);
	assert_int_equal(stat(d.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);
	assert_int_equal(first.len, 32);
	/* Reload, with and without create: the same bytes, not a new key. */
	assert_int_equal(token_key_load(d.path, false, &again, err, sizeof err), 0);
	assert_int_equal(again.len, 32);
	assert_memory_equal(again.bytes, first.bytes, 32);
	assert_int_equal(token_key_load(d.path, true, &again, err, sizeof err), 0);
	assert_memory_equal(again.bytes, first.bytes, 32);
	key_dir_release(&d);
}

static void test_key_load_refuses_a_17_byte_file(void **state)
{
	(void)state;
	key_dir d;
	token_key key;
	char err[256];
	char *want;

	key_dir_init(&d);
	write_file(d.path, "0123456789abcdefg", 17);
	want = xasprintf("JWT secret '%s' is 17 bytes; at least 32 are required", d.path);
	assert_int_equal(token_key_load(d.path, true, &key, err, sizeof err), -1);
	assert_string_equal(err, want);
	assert_int_equal(key.len, 0);
	free(want);
	key_dir_release(&d);
}

static void test_key_load_refuses_a_65_byte_file(void **state)
{
	(void)state;
	key_dir d;
	token_key key;
	unsigned char bytes[65];
	char err[256];

	memset(bytes, 'k', sizeof bytes);
	key_dir_init(&d);
	write_file(d.path, bytes, 65);
	assert_int_equal(token_key_load(d.path, false, &key, err, sizeof err), -1);
	assert_non_null(strstr(err, d.path));
	assert_non_null(strstr(err, "64"));
	write_file(d.path, bytes, 64);
	assert_int_equal(token_key_load(d.path, false, &key, err, sizeof err), 0);
	assert_int_equal(key.len, 64);
	key_dir_release(&d);
}

static void test_key_load_refuses_a_missing_file_without_create(void **state)
{
	(void)state;
	key_dir d;
	token_key key;
	char err[256];
	struct stat st;

	key_dir_init(&d);
	assert_int_equal(token_key_load(d.path, false, &key, err, sizeof err), -1);
	assert_non_null(strstr(err, d.path));
	assert_int_not_equal(stat(d.path, &st), 0);
	key_dir_release(&d);
}

static void test_refresh_token_is_43_char_base64url_with_its_hash(void **state)
{
	(void)state;
	char token[TOKEN_REFRESH_LEN];
	char hash[TOKEN_HASH_HEX_LEN];
	char again[TOKEN_HASH_HEX_LEN];
	const char *b64url_chars =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	token_refresh_generate(token, hash);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(strspn(token, b64url_chars), 43);
	assert_int_equal(strlen(hash), 64);
	assert_int_equal(strspn(hash, "0123456789abcdef"), 64);
	token_refresh_hash(token, again);
	assert_string_equal(again, hash);
}

static void test_refresh_hash_is_sha256_hex(void **state)
{
	(void)state;
	char hash[TOKEN_HASH_HEX_LEN];

	token_refresh_hash("abc", hash);
	assert_string_equal(hash,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_two_refresh_tokens_differ(void **state)
{
	(void)state;
	char t1[TOKEN_REFRESH_LEN];
	char t2[TOKEN_REFRESH_LEN];
	char h1[TOKEN_HASH_HEX_LEN];
	char h2[TOKEN_HASH_HEX_LEN];

	token_refresh_generate(t1, h1);
	token_refresh_generate(t2, h2);
	assert_string_not_equal(t1, t2);
	assert_string_not_equal(h1, h2);
}

static void test_random_hex_fills_exactly_2n_lowercase_hex(void **state)
{
	(void)state;
	char a[2 * 40 + 2];
	char b[2 * 40 + 2];

	memset(a, 'x', sizeof a);
	token_random_hex(a, 40);
	assert_int_equal(strlen(a), 80);
	assert_int_equal(strspn(a, "0123456789abcdef"), 80);
	assert_int_equal(a[81], 'x');
	token_random_hex(b, 40);
	assert_string_not_equal(a, b);
	token_random_hex(a, 0);
	assert_string_equal(a, "");
}

static void test_every_result_has_a_distinct_name(void **state)
{
	(void)state;
	for (int i = TOKEN_OK; i <= TOKEN_KEY_TOO_SHORT; i++)
		for (int k = i + 1; k <= TOKEN_KEY_TOO_SHORT; k++)
			assert_string_not_equal(token_result_name(i), token_result_name(k));
	assert_string_equal(token_result_name(TOKEN_OK), "ok");
	assert_string_equal(token_result_name(TOKEN_BAD_ALGORITHM), "bad_algorithm");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_token_round_trips_every_claim),
		cmocka_unit_test(test_token_without_org_round_trips_without_org),
		cmocka_unit_test(test_two_signed_tokens_have_different_jti),
		cmocka_unit_test(test_hand_built_hs256_token_is_accepted),
		cmocka_unit_test(test_alg_none_with_empty_signature_is_refused),
		cmocka_unit_test(test_alg_none_with_valid_hmac_is_refused),
		cmocka_unit_test(test_hs512_token_signed_with_same_key_is_refused),
		cmocka_unit_test(test_hs384_token_signed_with_same_key_is_refused),
		cmocka_unit_test(test_libjwt_hs256_token_is_accepted),
		cmocka_unit_test(test_rs256_header_is_refused),
		cmocka_unit_test(test_header_without_exact_hs256_is_refused),
		cmocka_unit_test(test_header_with_odd_members_is_refused),
		cmocka_unit_test(test_tampered_payload_is_refused),
		cmocka_unit_test(test_tampered_signature_is_refused),
		cmocka_unit_test(test_signature_with_nonzero_padding_bits_is_refused),
		cmocka_unit_test(test_truncated_or_empty_signature_is_refused),
		cmocka_unit_test(test_wrong_key_is_refused),
		cmocka_unit_test(test_expired_token_is_refused),
		cmocka_unit_test(test_token_is_refused_when_exp_is_exactly_now),
		cmocka_unit_test(test_future_iat_is_refused_beyond_leeway),
		cmocka_unit_test(test_future_iat_within_leeway_is_accepted),
		cmocka_unit_test(test_lifetime_over_a_day_or_not_positive_is_refused),
		cmocka_unit_test(test_missing_each_required_claim_is_refused),
		cmocka_unit_test(test_claims_of_the_wrong_type_are_refused),
		cmocka_unit_test(test_short_key_is_refused_for_sign_and_verify),
		cmocka_unit_test(test_empty_key_is_refused),
		cmocka_unit_test(test_sign_refuses_claims_verify_would_refuse),
		cmocka_unit_test(test_malformed_strings_are_refused),
		cmocka_unit_test(test_token_over_4096_bytes_is_refused_unparsed),
		cmocka_unit_test(test_revoked_jti_is_refused_via_callback),
		cmocka_unit_test(test_revocation_is_not_asked_about_a_bad_token),
		cmocka_unit_test(test_key_load_creates_0600_32_byte_file_and_reloads_it),
		cmocka_unit_test(test_key_load_refuses_a_17_byte_file),
		cmocka_unit_test(test_key_load_refuses_a_65_byte_file),
		cmocka_unit_test(test_key_load_refuses_a_missing_file_without_create),
		cmocka_unit_test(test_refresh_token_is_43_char_base64url_with_its_hash),
		cmocka_unit_test(test_refresh_hash_is_sha256_hex),
		cmocka_unit_test(test_two_refresh_tokens_differ),
		cmocka_unit_test(test_random_hex_fills_exactly_2n_lowercase_hex),
		cmocka_unit_test(test_every_result_has_a_distinct_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
