/* Argon2id password hashes: see password.h. */
#include "services/password.h"

#include <sodium.h>
#include <string.h>

#include "common/xmalloc.h"

static char dummy_hash[crypto_pwhash_STRBYTES];

int password_init(void)
{
	if (sodium_init() < 0)
		return -1;
	char pw[21];
	password_generate(pw);
	return crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

char *password_hash(const char *password)
{
	char out[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return NULL;
	return xstrdup(out);
}

bool password_verify(const char *hash, const char *password)
{
	bool known = hash != NULL;
	if (!known)
		hash = dummy_hash;
	bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	return known && ok;
}

void password_generate(char out[21])
{
	/* One of each class first, so the policy always holds, then the rest. */
	static const char *const classes[] = {"abcdefghijkmnopqrstuvwxyz",
					      "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-_.!@#%+="};
	static const char all[] =
		"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.!@#%+=";
	for (int i = 0; i < 20; i++) {
		const char *set = i < 4 ? classes[i] : all;
		out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	out[20] = '\0';
	for (int i = 19; i > 0; i--) {
		int j = (int)randombytes_uniform((uint32_t)i + 1);
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
}
