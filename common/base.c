/* The failure path of XYD_ASSERT: see base.h. */
#include "common/base.h"

#include <stdlib.h>

#include "common/log.h"

_Noreturn void xyd_assert_fail(const char *expr, const char *file, int line, const char *func)
{
	log_msg(LOG_ERROR, "invariant broken: %s (%s:%d in %s)", expr, file, line, func);
	abort();
}
