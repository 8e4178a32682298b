/*
 * What every fuzz target shares: libFuzzer's entry points (declared here so
 * -Wmissing-prototypes holds), a NUL-terminated copy of the input, and
 * FUZZ_CHECK, which stops the run with the failed property when the code
 * under test breaks a promise its header makes (a crash is what libFuzzer
 * keeps as a reproducer).
 */
#ifndef XYD_FUZZ_H
#define XYD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__,        \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The input up to its first NUL, as a malloc'd C string the caller frees. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size;
	char *s = malloc(len + 1);
	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

#endif
