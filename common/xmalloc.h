/*
 * Allocation that never returns NULL. Running out of memory is not an error
 * the service can recover from, so these abort with a message instead of
 * making every caller check. Free everything they return with free().
 */
#ifndef XYD_XMALLOC_H
#define XYD_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Copies of a NUL-terminated string / of the first len bytes (NUL added). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
