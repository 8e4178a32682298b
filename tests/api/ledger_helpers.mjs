// Helpers of the ledger suites (loans, ledger, claims_concurrency and the
// crash test): a funded programme with one bank, one enterprise and loans
// disbursed through the API. Not a test file itself.
import {
	api, createFund, createProduct, createProgram, districtDay, expectStatus, freshUser, roleUser,
	setCreditScore,
} from './lib.mjs';

export const APPROVE = { rate_bps: 450, term_months: 12 };

/** POST path as token with an optional Idempotency-Key; returns the answer. */
export function post(path, token, body, key) {
	return api('POST', `/api/v1${path}`, { token, body, headers: key ? { 'idempotency-key': key } : {} });
}

/** GET path as token; asserts 200, returns the JSON. */
export async function getOk(path, token) {
	return expectStatus(await api('GET', `/api/v1${path}`, { token }), 200);
}

/**
 * A fund, a programme on it (shares fund/bank/guarantor, subsidy_bps), a
 * bank with an active product in it and an enterprise (grade B): fresh ones
 * unless bankUser / smeUser are given (the shared role users of roles.test).
 * Returns {bureau, fund, program, bank, sme, product}.
 */
export async function fundedProgram({
	fund = 4000, bank = 4000, guarantor = 2000, subsidyBps = 120, bankUser, smeUser,
} = {}) {
	const bureau = await roleUser('bureau');
	const f = await createFund();
	const program = await createProgram({
		fund_id: f.id, fund_share_bps: fund, bank_share_bps: bank, guarantor_share_bps: guarantor,
		interest_subsidy_bps: subsidyBps, max_amount_per_enterprise_fen: null,
	});
	const [b, sme] = await Promise.all([bankUser ?? freshUser('bank'), smeUser ?? freshUser('sme')]);
	setCreditScore(sme.enterprise.id, { grade: 'B' });
	const product = await createProduct({
		status: 'active', program_id: program.id, monthly_capacity: 100000, amount_min_fen: 1, amount_max_fen: 1000000000,
	}, { token: b.token });
	return { bureau, fund: f, program, bank: b, sme, product };
}

/** One loan of amountFen disbursed today through the API; returns the loan. */
export async function disburse(ctx, amountFen = 40000000) {
	const app = expectStatus(await post('/applications', ctx.sme.token, {
		amount_fen: amountFen, term_months: 12, purpose: '流动资金周转', collateral: 'none',
		authorized_institution_ids: [],
	}), 201);
	const go = async (action, token, body, status = 200) =>
		expectStatus(await post(`/applications/${app.id}/${action}`, token, body), status);
	await go('submit', ctx.sme.token, { product_id: ctx.product.id });
	await go('accept', ctx.bank.token);
	await go('approve', ctx.bank.token, { amount_fen: amountFen, ...APPROVE });
	return go('disburse', ctx.bank.token, { disbursed_on: districtDay(0) }, 201);
}

/** Deposits amountFen into the fund as the bureau; returns the journal entry. */
export async function deposit(ctx, amountFen, key) {
	return expectStatus(await post(`/funds/${ctx.fund.id}/deposits`, ctx.bureau.token,
		{ amount_fen: amountFen, memo: '区财政拨款' }, key), 201);
}

/** Defaults the loan (overdue 90 days as of today); returns the answer. */
export async function defaultLoan(ctx, loanId) {
	return expectStatus(await post(`/loans/${loanId}/default`, ctx.bank.token,
		{ overdue_days: 90, as_of: districtDay(0) }), 200);
}

/** Files a claim for lossFen on a defaulted loan; returns the claim. */
export async function fileClaim(ctx, loanId, lossFen) {
	return expectStatus(await post(`/loans/${loanId}/claims`, ctx.bank.token, { loss_fen: lossFen }), 201);
}

/** GET /ledger/check as the bureau. */
export async function ledgerCheck() {
	return getOk('/ledger/check', (await roleUser('bureau')).token);
}

/** Turns the fund's limits off (cap 100% of disbursed principal, no
 * overdue rate passes 100%): for tests of something else. */
export async function limitsOff(ctx) {
	return expectStatus(await api('PATCH', `/api/v1/funds/${ctx.fund.id}`, {
		token: ctx.bureau.token, body: { annual_claims_cap_bps: 10000, overdue_suspension_bps: 10000 },
	}), 200);
}
