/*
 * Fuzz target: access-token checking (server/http/token.c), the first thing an
 * untrusted Authorization header meets, with a fixed 32-byte key and a fixed
 * clock. The first byte picks a mode:
 *   0  the rest is the bearer string as sent;
 *   1  the rest is "<header JSON>\n<payload JSON>", base64url-encoded and
 *      signed here with the key, so the header, libjwt's decoding and the
 *      claim checks behind the MAC are reached too;
 *   2  the rest sets claims that token_access_sign signs: whatever it signs
 *      must verify with the same claims.
 * Besides memory errors it checks that TOKEN_OK comes only with claims that
 * keep token.h's promises, and that a refusal leaves the claims zeroed.
 */
#include <sodium.h>
#include <stdbool.h>

#include "fuzz/fuzz.h"
#include "server/http/token.h"

#define NOW 1780000000

static token_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	unsigned char bytes[32];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)('k' + i % 7);
	FUZZ_CHECK(sodium_init() >= 0);
	FUZZ_CHECK(token_key_set(&key, bytes, sizeof bytes) == 0);
	return 0;
}

static bool revoked(const char *jti, void *ctx)
{
	(void)ctx;
	return jti[0] == 'r';
}

static void verify(const char *jwt)
{
	token_claims c;
	token_result r = token_access_verify(&key, jwt, NOW, revoked, NULL, &c);
	FUZZ_CHECK(token_result_name(r) != NULL);
	if (r != TOKEN_OK) {
		static const token_claims zero;
		FUZZ_CHECK(memcmp(&c, &zero, sizeof c) == 0);
		return;
	}
	FUZZ_CHECK(c.sub >= 1 && c.sid >= 1);
	FUZZ_CHECK(c.role[0] != '\0' && memchr(c.role, '\0', sizeof c.role) != NULL);
	FUZZ_CHECK(c.jti[0] != '\0' && c.jti[0] != 'r' && memchr(c.jti, '\0', sizeof c.jti));
	FUZZ_CHECK(!c.has_org || c.org >= 1);
	FUZZ_CHECK(c.exp > NOW && c.iat <= NOW + TOKEN_CLOCK_SKEW_S);
	FUZZ_CHECK(c.exp - c.iat >= 1 && c.exp - c.iat <= TOKEN_ACCESS_TTL_MAX_S);
}

/* base64url(header) "." base64url(payload) "." base64url(HMAC) */
static void verify_signed(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - data) : size, plen = nl ? size - hlen - 1 : 0;
	if (size > TOKEN_ACCESS_MAX_LEN)
		return;
	const int v = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
	size_t cap = sodium_base64_ENCODED_LEN(size, v) * 2 + 64;
	char *jwt = malloc(cap);
	FUZZ_CHECK(jwt != NULL);
	sodium_bin2base64(jwt, cap, data, hlen, v);
	size_t n = strlen(jwt);
	jwt[n++] = '.';
	sodium_bin2base64(jwt + n, cap - n, nl ? nl + 1 : data, plen, v);
	n += strlen(jwt + n);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key.bytes, key.len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)jwt, n);
	crypto_auth_hmacsha256_final(&st, mac);
	jwt[n++] = '.';
	sodium_bin2base64(jwt + n, cap - n, mac, sizeof mac, v);
	verify(jwt);
	free(jwt);
}

static void sign_and_verify(const uint8_t *data, size_t size)
{
	token_claims in = {0}, out;
	int64_t f[4] = {0};
	memcpy(f, data, size < sizeof f ? size : sizeof f);
	size_t rest = size > sizeof f ? size - sizeof f : 0;
	in.sub = f[0];
	in.sid = f[1];
	in.org = f[2];
	in.has_org = f[3] & 1;
	memcpy(in.role, data + sizeof f, rest < sizeof in.role ? rest : sizeof in.role);
	int64_t ttl = (f[3] >> 1) % (TOKEN_ACCESS_TTL_MAX_S + 2);
	char *jwt = token_access_sign(&key, &in, NOW, ttl);
	if (!jwt)
		return;
	token_result r = token_access_verify(&key, jwt, NOW, NULL, NULL, &out);
	FUZZ_CHECK(r == TOKEN_OK);
	FUZZ_CHECK(out.sub == in.sub && out.sid == in.sid && strcmp(out.role, in.role) == 0);
	FUZZ_CHECK(out.has_org == in.has_org && (!in.has_org || out.org == in.org));
	FUZZ_CHECK(out.iat == NOW && out.exp == NOW + ttl && strcmp(out.jti, in.jti) == 0);
	free(jwt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: {
		char *s = fuzz_cstring(data + 1, size - 1);
		verify(s);
		free(s);
		break;
	}
	case 1:
		verify_signed(data + 1, size - 1);
		break;
	default:
		sign_and_verify(data + 1, size - 1);
		break;
	}
	return 0;
}
