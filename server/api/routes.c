/*
 * The whole API in one table: method, path, who may call it, handler, body
 * limit (0: the default) and the body's schema (the dispatcher checks it
 * before the handler runs).
 * Reading it tells what exists and who may do what; docs/api.md explains
 * each row.
 */
#include "server/api/handlers.h"

#define ALL ROLE_ANY
#define BODY(name) (&name##_body)   /* the body's schema, beside the handler */
#define NO_BODY (&route_body_empty) /* no body, or {} */

/* One row a line, however long, so the table reads as one. */
/* clang-format off */
const route routes_table[] = {
	/* public */
	{"GET", "/api/v1/health", ROUTE_PUBLIC, handle_health, 0, NULL},
	{"GET", "/metrics", ROUTE_PUBLIC, handle_metrics, 0, NULL},
	{"GET", "/api/v1/towns", ROUTE_PUBLIC, handle_towns, 0, NULL},
	{"GET", "/api/v1/parks", ROUTE_PUBLIC, handle_parks, 0, NULL},
	{"GET", "/api/v1/industries", ROUTE_PUBLIC, handle_industries, 0, NULL},

	/* accounts */
	{"POST", "/api/v1/auth/register", ROUTE_PUBLIC, handle_register, 0, BODY(register)},
	{"POST", "/api/v1/auth/login", ROUTE_PUBLIC, handle_login, 0, BODY(login)},
	{"POST", "/api/v1/auth/refresh", ROUTE_PUBLIC, handle_refresh, 0, BODY(refresh)},
	{"POST", "/api/v1/auth/logout", ALL, handle_logout, 0, NULL},
	{"POST", "/api/v1/auth/password", ALL, handle_password, 0, BODY(password)},
	{"GET", "/api/v1/me", ALL, handle_me, 0, NULL},
	{"POST", "/api/v1/users", ROLE_ADMIN, handle_users_create, 0, BODY(users_create)},
	{"GET", "/api/v1/users", ROLE_ADMIN, handle_users_list, 0, NULL},
	{"POST", "/api/v1/users/{id}/lock", ROLE_ADMIN, handle_users_lock, 0, NULL},
	{"POST", "/api/v1/users/{id}/unlock", ROLE_ADMIN, handle_users_unlock, 0, NULL},
	{"POST", "/api/v1/institutions", ROLE_ADMIN, handle_institutions_create, 0, BODY(institutions_create)},
	{"GET", "/api/v1/institutions", ALL, handle_institutions_list, 0, NULL},

	/* audit */
	{"GET", "/api/v1/audit", ROLE_AUDITOR, handle_audit_list, 0, NULL},
	{"GET", "/api/v1/audit/verify", ROLE_AUDITOR, handle_audit_verify, 0, NULL},

	/* credit records and models (credit_import.c, credit_models.c) */
	{"POST", "/api/v1/credit-records/batch", ROLE_BUREAU | HTTP_ROUTE_CSV_BODY, handle_credit_import, 16 * 1024 * 1024, NULL},
	{"GET", "/api/v1/credit-models", ROLE_BUREAU, handle_credit_models_list, 0, NULL},
	{"POST", "/api/v1/credit-models", ROLE_BUREAU, handle_credit_models_create, 0, BODY(credit_models_create)},
	{"POST", "/api/v1/credit-models/{version}/activate", ROLE_BUREAU, handle_credit_models_activate, 0, NULL},
	/* end credit */

	/* enterprises, consent, access log (enterprises.c) */
	{"GET", "/api/v1/enterprises", ROLE_BUREAU | ROLE_PARK | ROLE_BANK, handle_enterprises_list, 0, NULL},
	{"GET", "/api/v1/enterprises/{id}", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_enterprise_get, 0, NULL},
	{"PATCH", "/api/v1/enterprises/{id}", ROLE_SME | ROLE_BUREAU, handle_enterprise_patch, 0, NULL},
	{"GET", "/api/v1/enterprises/{id}/credit", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_enterprise_credit, 0, NULL},
	{"GET", "/api/v1/enterprises/{id}/credit-records", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_enterprise_credit_records, 0, NULL},
	{"POST", "/api/v1/enterprises/{id}/authorizations", ROLE_SME, handle_authorizations_create, 0, NULL},
	{"GET", "/api/v1/enterprises/{id}/authorizations", ROLE_SME | ROLE_BUREAU, handle_authorizations_list, 0, NULL},
	{"DELETE", "/api/v1/enterprises/{id}/authorizations/{auth_id}", ROLE_SME, handle_authorizations_revoke, 0, NULL},
	{"GET", "/api/v1/enterprises/{id}/access-log", ROLE_SME | ROLE_BUREAU, handle_enterprise_access_log, 0, NULL},
	{"GET", "/api/v1/park-changes", ROLE_PARK | ROLE_BUREAU, handle_park_changes_list, 0, NULL},
	{"POST", "/api/v1/park-changes/{id}/confirm", ROLE_PARK, handle_park_change_confirm, 0, NULL},
	{"POST", "/api/v1/park-changes/{id}/reject", ROLE_PARK, handle_park_change_reject, 0, BODY(park_change_reject)},
	/* end enterprises */

	/* whitelist (whitelist.c) */
	{"POST", "/api/v1/whitelist", ROLE_SME | ROLE_PARK | ROLE_BUREAU, handle_whitelist_nominate, 0, BODY(whitelist_nominate)},
	{"GET", "/api/v1/whitelist", ROLE_SME | ROLE_PARK | ROLE_BUREAU | ROLE_BANK, handle_whitelist_list, 0, NULL},
	{"GET", "/api/v1/whitelist/{id}", ROLE_SME | ROLE_PARK | ROLE_BUREAU | ROLE_BANK, handle_whitelist_get, 0, NULL},
	{"POST", "/api/v1/whitelist/{id}/approve", ROLE_BUREAU, handle_whitelist_approve, 0, BODY(whitelist_approve)},
	{"POST", "/api/v1/whitelist/{id}/reject", ROLE_BUREAU, handle_whitelist_reject, 0, BODY(whitelist_reason)},
	{"POST", "/api/v1/whitelist/{id}/revoke", ROLE_BUREAU, handle_whitelist_revoke, 0, BODY(whitelist_reason)},
	/* end whitelist */

	/* products, programmes, notifications (products.c, programs.c, notifications.c) */
	{"GET", "/api/v1/products", ROUTE_PUBLIC, handle_products_list, 0, NULL},
	{"GET", "/api/v1/products/{id}", ROUTE_PUBLIC, handle_products_get, 0, NULL},
	{"POST", "/api/v1/products", ROLE_BANK, handle_products_create, 0, BODY(products_create)},
	{"PATCH", "/api/v1/products/{id}", ROLE_BANK, handle_products_patch, 0, BODY(products_patch)},
	{"GET", "/api/v1/programs", ROUTE_PUBLIC, handle_programs_list, 0, NULL},
	{"GET", "/api/v1/programs/{id}", ROUTE_PUBLIC, handle_programs_get, 0, NULL},
	{"POST", "/api/v1/programs", ROLE_BUREAU, handle_programs_create, 0, BODY(programs_create)},
	{"PATCH", "/api/v1/programs/{id}", ROLE_BUREAU, handle_programs_patch, 0, BODY(programs_patch)},
	{"POST", "/api/v1/programs/{id}/recommendations", ROLE_PARK, handle_program_recommend, 0, BODY(program_recommend)},
	{"GET", "/api/v1/programs/{id}/funnel", ROLE_PARK | ROLE_BUREAU, handle_program_funnel, 0, NULL},
	{"POST", "/api/v1/funds", ROLE_BUREAU, handle_funds_create, 0, BODY(funds_create)},
	{"POST", "/api/v1/programs/{id}/partners", ROLE_BUREAU, handle_program_partner_add, 0, BODY(program_partner_add)},
	{"DELETE", "/api/v1/programs/{id}/partners/{institution_id}", ROLE_BUREAU, handle_program_partner_remove, 0, NULL},
	{"GET", "/api/v1/notifications", ALL, handle_notifications_list, 0, NULL},
	{"POST", "/api/v1/notifications/{id}/read", ALL, handle_notification_read, 0, NO_BODY},
	/* end products */
	/* matching (matching_routes.c) */
	{"GET", "/api/v1/applications/{id}/matches", ROLE_SME | ROLE_BUREAU, handle_application_matches, 0, NULL},
	{"GET", "/api/v1/enterprises/{id}/matches", ROLE_SME | ROLE_BUREAU, handle_enterprise_matches, 0, NULL},
	{"GET", "/api/v1/products/{id}/candidates", ROLE_BANK, handle_product_candidates, 0, NULL},
	{"POST", "/api/v1/matching/pairings", ROLE_BUREAU, handle_matching_pairings, 0, BODY(matching_pairings)},
	/* end matching */
	/* applications and loans (applications.c) */
	{"POST", "/api/v1/applications", ROLE_SME, handle_applications_create, 0, BODY(applications_create)},
	{"GET", "/api/v1/applications", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_applications_list, 0, NULL},
	{"GET", "/api/v1/applications/{id}", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_application_get, 0, NULL},
	{"POST", "/api/v1/applications/{id}/submit", ROLE_SME, handle_application_submit, 0, BODY(application_submit)},
	{"POST", "/api/v1/applications/{id}/accept", ROLE_BANK, handle_application_accept, 0, NO_BODY},
	{"POST", "/api/v1/applications/{id}/approve", ROLE_BANK, handle_application_approve, 0, BODY(application_approve)},
	{"POST", "/api/v1/applications/{id}/reject", ROLE_BANK, handle_application_reject, 0, BODY(application_reject)},
	{"POST", "/api/v1/applications/{id}/disburse", ROLE_BANK, handle_application_disburse, 0, BODY(application_disburse)},
	{"POST", "/api/v1/applications/{id}/withdraw", ROLE_SME, handle_application_withdraw, 0, NO_BODY},
	{"GET", "/api/v1/loans", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_loans_list, 0, NULL},
	{"GET", "/api/v1/loans/{id}", ROLE_SME | ROLE_BANK | ROLE_PARK | ROLE_BUREAU, handle_loan_get, 0, NULL},
	{"POST", "/api/v1/holidays", ROLE_BUREAU, handle_holidays_put, 0, BODY(holidays_put)},
	{"GET", "/api/v1/holidays", ROLE_BUREAU, handle_holidays_list, 0, NULL},
	/* end applications */
	/* stats (stats.c) */
	{"GET", "/api/v1/stats/overview", ROLE_BUREAU | ROLE_PARK | ROLE_BANK, handle_stats_overview, 0, NULL},
	{"GET", "/api/v1/stats/breakdown", ROLE_BUREAU | ROLE_PARK | ROLE_BANK, handle_stats_breakdown, 0, NULL},
	{"GET", "/api/v1/stats/export.csv", ROLE_BUREAU | ROLE_PARK | ROLE_BANK, handle_stats_export, 0, NULL},
	{"GET", "/api/v1/stats/responses", ROLE_BUREAU, handle_stats_responses, 0, NULL},
	/* end stats */
	/* ledger (loans.c, funds.c, ledger.c) */
	{"POST", "/api/v1/loans/{id}/repayments", ROLE_BANK, handle_loan_repayment, 0, BODY(loan_repayment)},
	{"POST", "/api/v1/loans/{id}/default", ROLE_BANK, handle_loan_default, 0, BODY(loan_default)},
	{"POST", "/api/v1/loans/{id}/claims", ROLE_BANK, handle_loan_claim, 0, BODY(loan_claim)},
	{"GET", "/api/v1/claims", ROLE_BANK | ROLE_BUREAU, handle_claims_list, 0, NULL},
	{"GET", "/api/v1/claims/{id}", ROLE_BANK | ROLE_BUREAU, handle_claim_get, 0, NULL},
	{"POST", "/api/v1/claims/{id}/approve", ROLE_BUREAU, handle_claim_approve, 0, NULL},
	{"POST", "/api/v1/claims/{id}/reject", ROLE_BUREAU, handle_claim_reject, 0, BODY(claim_reject)},
	{"POST", "/api/v1/claims/{id}/recoveries", ROLE_BANK, handle_claim_recovery, 0, BODY(claim_recovery)},
	{"POST", "/api/v1/programs/{id}/subsidies", ROLE_BUREAU, handle_program_subsidy, 0, BODY(program_subsidy)},
	{"POST", "/api/v1/programs/{id}/suspensions/lift", ROLE_BUREAU, handle_suspension_lift, 0, BODY(suspension_lift)},
	{"POST", "/api/v1/programs/{id}/guarantor", ROLE_BUREAU, handle_program_guarantor, 0, BODY(program_guarantor)},
	{"GET", "/api/v1/funds", ROLE_BUREAU, handle_funds_list, 0, NULL},
	{"GET", "/api/v1/funds/{id}", ROLE_BUREAU, handle_fund_get, 0, NULL},
	{"PATCH", "/api/v1/funds/{id}", ROLE_BUREAU, handle_fund_patch, 0, BODY(fund_patch)},
	{"POST", "/api/v1/funds/{id}/deposits", ROLE_BUREAU, handle_fund_deposit, 0, BODY(fund_deposit)},
	{"GET", "/api/v1/funds/{id}/stress", ROLE_BUREAU, handle_fund_stress, 0, NULL},
	{"GET", "/api/v1/ledger/accounts", ROLE_BUREAU | ROLE_AUDITOR, handle_ledger_accounts, 0, NULL},
	{"GET", "/api/v1/ledger/journals", ROLE_BUREAU | ROLE_AUDITOR, handle_ledger_journals, 0, NULL},
	{"GET", "/api/v1/ledger/check", ROLE_BUREAU | ROLE_AUDITOR, handle_ledger_check, 0, NULL},
	{"POST", "/api/v1/ledger/journals/{id}/reverse", ROLE_BUREAU, handle_journal_reverse, 0, BODY(journal_reverse)},
	/* end ledger */
};
/* clang-format on */

const size_t routes_count = sizeof routes_table / sizeof routes_table[0];
