/*
 * Who may see or change an application, a loan or a claim: the caller
 * builds a models_app_scope from the principal's role; a row outside it is
 * XYD_NOT_FOUND, exactly as one that does not exist. Its own header so
 * that models/applications.h and models/loans.h need not include each
 * other.
 */
#ifndef XYD_MODELS_SCOPE_H
#define XYD_MODELS_SCOPE_H

#include <stdint.h>

typedef enum {
	APP_SEE_ALL,	     /* the bureau */
	APP_SEE_ENTERPRISE,  /* an sme: its own */
	APP_SEE_INSTITUTION, /* a bank: submitted to its products */
	APP_SEE_PARK	     /* a park: its park's enterprises */
} models_app_view;

typedef struct {
	models_app_view view;
	int64_t org_id; /* the enterprise, institution or park; 0 for ALL */
} models_app_scope;

/*
 * For the models' .c files (DB_INT is models/db_internal.h's): the one condition,
 * with its six parameters, that keeps rows of table alias t (with the
 * enterprise joined as e) within a scope: every role, one statement.
 */
#define MODELS_SCOPE_SQL(t)                                                                        \
	" (? = 0 OR " t ".enterprise_id = ?) AND (? = 0 OR " t ".institution_id = ?)"              \
	" AND (? = 0 OR e.park_id = ?)"
#define MODELS_SCOPE_PARAMS(s)                                                                     \
	DB_INT((s)->view == APP_SEE_ENTERPRISE), DB_INT((s)->org_id),                              \
		DB_INT((s)->view == APP_SEE_INSTITUTION), DB_INT((s)->org_id),                     \
		DB_INT((s)->view == APP_SEE_PARK), DB_INT((s)->org_id)

#endif
