/* A growable string: see strbuf.h. */
#include "common/strbuf.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void strbuf_grow(strbuf *sb, size_t more)
{
	if (sb->len + more + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + more + 1)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void strbuf_add(strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

char *strbuf_detach(strbuf *sb, size_t *len)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	if (len)
		*len = sb->len;
	*sb = (strbuf)STRBUF_INIT;
	return s;
}

void strbuf_release(strbuf *sb)
{
	free(sb->buf);
	*sb = (strbuf)STRBUF_INIT;
}
