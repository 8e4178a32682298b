/* CSV fields with quoting and the formula guard: see csv.h. */
#include "common/csv.h"

#include <stdbool.h>
#include <string.h>

size_t csv_field(char *dst, size_t size, const char *s)
{
	size_t n = 0;
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool guard = s[0] && strchr("=+-@\t\r\n", s[0]);
	size_t closing = quote ? 1 : 0;
	if (quote && n < size)
		dst[n++] = '"';
	if (guard && n + closing < size)
		dst[n++] = '\'';
	for (; *s; s++) {
		size_t need = *s == '"' ? 2 : 1;
		if (n + need + closing > size)
			break;
		if (*s == '"')
			dst[n++] = '"';
		dst[n++] = *s;
	}
	if (quote && n < size)
		dst[n++] = '"';
	return n;
}
