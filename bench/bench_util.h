/*
 * What every C benchmark here needs: a seeded generator (splitmix64, so a
 * run is repeatable), a monotonic clock, a median, and sizes from the
 * environment. Header-only: each bench is one program of one file.
 */
#ifndef XYD_BENCH_UTIL_H
#define XYD_BENCH_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static inline uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place. */
static inline double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The environment variable name as a size, def when unset or empty. */
static inline size_t env_size(const char *name, size_t def)
{
	const char *s = getenv(name);

	return s && *s ? (size_t)strtoull(s, NULL, 10) : def;
}

#endif
