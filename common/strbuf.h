/*
 * A growable, always NUL-terminated byte string (after git's strbuf): for
 * text built piece by piece (a CSV export, a JSON array written by hand)
 * where no fixed buffer is large enough. Start from STRBUF_INIT; the
 * string's memory belongs to the strbuf until strbuf_detach hands it to
 * the caller (free()) or strbuf_release frees it.
 */
#ifndef XYD_STRBUF_H
#define XYD_STRBUF_H

#include <stddef.h>

typedef struct {
	char *buf; /* NULL until the first byte is added */
	size_t len;
	size_t cap;
} strbuf;

/* clang-format off */
#define STRBUF_INIT {NULL, 0, 0}
/* clang-format on */

/* Makes room for more bytes (and the NUL) after len. */
void strbuf_grow(strbuf *sb, size_t more);
void strbuf_add(strbuf *sb, const void *data, size_t len);
void strbuf_addstr(strbuf *sb, const char *s);
/* The string, "" when nothing was added; the caller frees it and sb starts
 * over empty. */
char *strbuf_detach(strbuf *sb, size_t *len);
void strbuf_release(strbuf *sb);

#endif
