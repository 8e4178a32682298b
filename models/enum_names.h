/*
 * A status enum's names both ways, for the .c file of a model that reads
 * and writes the enum as text. In that file,
 *
 *	MODELS_ENUM_NAMES(models_wl_status, models_wl_status, status_names, WL_STATUS_COUNT)
 *
 * defines what its header declares:
 *	const char *models_wl_status_name(models_wl_status s);	the name of s (in range: asserted)
 *	bool models_wl_status_parse(const char *s, models_wl_status *out);
 *		the value named s; false for anything else, NULL included
 * from names, the static array of count names indexed by value; and the
 * header declares them with MODELS_ENUM_NAMES_DECLARE(T, prefix).
 */
#ifndef XYD_MODELS_ENUM_NAMES_H
#define XYD_MODELS_ENUM_NAMES_H

#include <stdbool.h>

#include "common/base.h"
#include "common/validate.h"

#define MODELS_ENUM_NAMES_DECLARE(T, prefix)                                                       \
	const char *prefix##_name(T s);                                                            \
	bool prefix##_parse(const char *s, T *out)

#define MODELS_ENUM_NAMES(T, prefix, names, count)                                                 \
	const char *prefix##_name(T s)                                                             \
	{                                                                                          \
		XYD_ASSERT((int)s >= 0 && (int)s < (count));                                       \
		return (names)[s];                                                                 \
	}                                                                                          \
	bool prefix##_parse(const char *s, T *out)                                                 \
	{                                                                                          \
		int i = validate_name_index(s, (names), (count));                                  \
		if (i < 0)                                                                         \
			return false;                                                              \
		*out = (T)i;                                                                       \
		return true;                                                                       \
	}

#endif
