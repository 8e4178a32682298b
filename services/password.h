/*
 * Password hashing with libsodium's Argon2id (crypto_pwhash_str). Hashing
 * takes tens of milliseconds by design; verification of an unknown user
 * runs against a dummy hash so both paths cost the same.
 */
#ifndef XYD_PASSWORD_H
#define XYD_PASSWORD_H

#include <stdbool.h>

/* Once at start (initialises libsodium and the dummy hash). 0 or -1. */
int password_init(void);
/* A new malloc'd hash string (free()); NULL only if hashing failed. */
char *password_hash(const char *password);
/* True when password matches hash. A NULL hash runs the dummy check and
 * answers false. */
bool password_verify(const char *hash, const char *password);
/* A random password of 20 characters that satisfies the policy, into out. */
void password_generate(char out[21]);

#endif
