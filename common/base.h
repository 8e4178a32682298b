/*
 * The two macros every module may use, matching/ and scoring/ included
 * (this header needs nothing but the C library).
 *
 * XYD_ASSERT(cond) states an invariant the code relies on: a journal that
 * balances, a share that is not negative, a state that may follow the one
 * before. Unlike assert() it is on in every build, NDEBUG or not: past a
 * broken invariant money could move wrongly, so the process logs the
 * expression and where it stands and aborts (the database rolls back the
 * open transaction, the supervisor restarts the server). Not for input
 * checks: bad input is an error returned to the caller, never an abort.
 */
#ifndef XYD_BASE_H
#define XYD_BASE_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

_Noreturn void xyd_assert_fail(const char *expr, const char *file, int line, const char *func);

#define XYD_ASSERT(cond)                                                                           \
	(__builtin_expect(!!(cond), 1) ? (void)0                                                   \
				       : xyd_assert_fail(#cond, __FILE__, __LINE__, __func__))

#endif
