/*
 * Every route handler, by area. Each takes the request context (caller
 * authenticated and role-checked, body checked against the row's schema,
 * per the route table in routes.c) and answers or returns a refusal; see
 * http.h.
 */
#ifndef XYD_HANDLERS_H
#define XYD_HANDLERS_H

#include "server/http/http.h"

#define XYD_VERSION "0.1.0"

/* public.c */
xyd_status handle_health(request_ctx *rc);
xyd_status handle_metrics(request_ctx *rc);
xyd_status handle_towns(request_ctx *rc);
xyd_status handle_parks(request_ctx *rc);
xyd_status handle_industries(request_ctx *rc);
/* Pre-renders the reference answers into app (at start). */
void handlers_render_reference(xyd_app *app);

/* auth.c */
xyd_status handle_register(request_ctx *rc);
xyd_status handle_login(request_ctx *rc);
xyd_status handle_refresh(request_ctx *rc);
xyd_status handle_logout(request_ctx *rc);
xyd_status handle_me(request_ctx *rc);
xyd_status handle_password(request_ctx *rc);

/* users.c */
xyd_status handle_users_create(request_ctx *rc);
xyd_status handle_users_list(request_ctx *rc);
xyd_status handle_users_lock(request_ctx *rc);
xyd_status handle_users_unlock(request_ctx *rc);
xyd_status handle_institutions_create(request_ctx *rc);
xyd_status handle_institutions_list(request_ctx *rc);
xyd_status handle_audit_list(request_ctx *rc);
xyd_status handle_audit_verify(request_ctx *rc);

/* credit_import.c, credit_models.c */
xyd_status handle_credit_import(request_ctx *rc);
xyd_status handle_credit_models_list(request_ctx *rc);
xyd_status handle_credit_models_create(request_ctx *rc);
xyd_status handle_credit_models_activate(request_ctx *rc);
/* end credit */

/* enterprises.c */
xyd_status handle_enterprises_list(request_ctx *rc);
xyd_status handle_enterprise_get(request_ctx *rc);
xyd_status handle_enterprise_patch(request_ctx *rc);
xyd_status handle_enterprise_credit(request_ctx *rc);
xyd_status handle_enterprise_credit_records(request_ctx *rc);
/* Adds "park_change" to the enterprise object o: its pending request into a
 * park ({"id","park_id","park_name","status","requested_at"}) or null. For
 * the enterprise itself and the bureau only. A database failure is
 * returned, o left as it was (the caller answers it). */
xyd_status enterprise_add_park_change(request_ctx *rc, cJSON *o, int64_t enterprise_id);
xyd_status handle_authorizations_create(request_ctx *rc);
xyd_status handle_authorizations_list(request_ctx *rc);
xyd_status handle_authorizations_revoke(request_ctx *rc);
xyd_status handle_enterprise_access_log(request_ctx *rc);
xyd_status handle_park_changes_list(request_ctx *rc);
xyd_status handle_park_change_confirm(request_ctx *rc);
xyd_status handle_park_change_reject(request_ctx *rc);
/* end enterprises */

/* whitelist.c */
xyd_status handle_whitelist_nominate(request_ctx *rc);
xyd_status handle_whitelist_list(request_ctx *rc);
xyd_status handle_whitelist_get(request_ctx *rc);
xyd_status handle_whitelist_approve(request_ctx *rc);
xyd_status handle_whitelist_reject(request_ctx *rc);
xyd_status handle_whitelist_revoke(request_ctx *rc);
/* end whitelist */

/* products, programmes, notifications (products.c, programs.c, notifications.c) */
xyd_status handle_products_create(request_ctx *rc);
xyd_status handle_products_patch(request_ctx *rc);
xyd_status handle_products_list(request_ctx *rc);
xyd_status handle_products_get(request_ctx *rc);
xyd_status handle_programs_create(request_ctx *rc);
xyd_status handle_programs_patch(request_ctx *rc);
xyd_status handle_programs_list(request_ctx *rc);
xyd_status handle_programs_get(request_ctx *rc);
xyd_status handle_program_recommend(request_ctx *rc);
xyd_status handle_program_funnel(request_ctx *rc);
xyd_status handle_funds_create(request_ctx *rc);
xyd_status handle_program_partner_add(request_ctx *rc);
xyd_status handle_program_partner_remove(request_ctx *rc);
xyd_status handle_notifications_list(request_ctx *rc);
xyd_status handle_notification_read(request_ctx *rc);
/* end products */

/* matching (matching_routes.c) */
xyd_status handle_application_matches(request_ctx *rc);
xyd_status handle_enterprise_matches(request_ctx *rc);
xyd_status handle_product_candidates(request_ctx *rc);
xyd_status handle_matching_pairings(request_ctx *rc);
/* end matching */

/* applications and loans (applications.c) */
xyd_status handle_applications_create(request_ctx *rc);
xyd_status handle_applications_list(request_ctx *rc);
xyd_status handle_application_get(request_ctx *rc);
xyd_status handle_application_submit(request_ctx *rc);
xyd_status handle_application_accept(request_ctx *rc);
xyd_status handle_application_approve(request_ctx *rc);
xyd_status handle_application_reject(request_ctx *rc);
xyd_status handle_application_disburse(request_ctx *rc);
xyd_status handle_application_withdraw(request_ctx *rc);
xyd_status handle_loans_list(request_ctx *rc);
xyd_status handle_loan_get(request_ctx *rc);
xyd_status handle_holidays_put(request_ctx *rc);
xyd_status handle_holidays_list(request_ctx *rc);
/* end applications */

/* stats (stats.c) */
xyd_status handle_stats_overview(request_ctx *rc);
xyd_status handle_stats_breakdown(request_ctx *rc);
xyd_status handle_stats_export(request_ctx *rc);
xyd_status handle_stats_responses(request_ctx *rc);
/* end stats */

/* ledger (loans.c, funds.c, ledger.c) */
xyd_status handle_loan_repayment(request_ctx *rc);
xyd_status handle_loan_default(request_ctx *rc);
xyd_status handle_loan_claim(request_ctx *rc);
xyd_status handle_claims_list(request_ctx *rc);
xyd_status handle_claim_get(request_ctx *rc);
xyd_status handle_claim_approve(request_ctx *rc);
xyd_status handle_claim_reject(request_ctx *rc);
xyd_status handle_claim_recovery(request_ctx *rc);
xyd_status handle_program_subsidy(request_ctx *rc);
xyd_status handle_funds_list(request_ctx *rc);
xyd_status handle_fund_get(request_ctx *rc);
xyd_status handle_fund_patch(request_ctx *rc);
xyd_status handle_fund_deposit(request_ctx *rc);
xyd_status handle_journal_reverse(request_ctx *rc);
xyd_status handle_fund_stress(request_ctx *rc);
xyd_status handle_suspension_lift(request_ctx *rc);
xyd_status handle_program_guarantor(request_ctx *rc);
xyd_status handle_ledger_accounts(request_ctx *rc);
xyd_status handle_ledger_journals(request_ctx *rc);
xyd_status handle_ledger_check(request_ctx *rc);
/* end ledger */

/* The body schemas the route table names (router.h route_body), each
 * defined beside its handler from the handler's field table. */
extern const route_body register_body, login_body, refresh_body, password_body;
extern const route_body users_create_body, institutions_create_body;
extern const route_body credit_models_create_body;
extern const route_body park_change_reject_body;
extern const route_body whitelist_nominate_body, whitelist_approve_body, whitelist_reason_body;
extern const route_body products_create_body, products_patch_body;
extern const route_body programs_create_body, programs_patch_body, program_recommend_body;
extern const route_body funds_create_body, program_partner_add_body;
extern const route_body matching_pairings_body;
extern const route_body applications_create_body, application_submit_body, application_approve_body,
	application_reject_body, application_disburse_body, holidays_put_body;
extern const route_body loan_repayment_body, loan_default_body, loan_claim_body, claim_reject_body,
	claim_recovery_body, program_subsidy_body;
extern const route_body fund_patch_body, fund_deposit_body, journal_reverse_body,
	suspension_lift_body, program_guarantor_body;

/* The route table (routes.c). */
extern const route routes_table[];
extern const size_t routes_count;

#endif
