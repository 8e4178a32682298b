// Loans' money (api.md "Loans, risk sharing and the ledger"): repayments,
// overdue and default reports, claims with their split, approval, rejection
// and recoveries, monthly programme subsidies — every illegal transition
// refused with 409 invalid_state, every input checked, another bank's loan
// or claim 404, each write audited, and the journal entries each movement
// posts.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	api, assertKeys, assertList, auditRows, createInstitution, districtDay, expectError, expectStatus, freshUser, listAll,
	roleUser,
} from './lib.mjs';
import {
	defaultLoan, deposit, disburse, fileClaim, fundedProgram, getOk, ledgerCheck, post, limitsOff,
} from './ledger_helpers.mjs';

const CLAIM_KEYS = ['id', 'loan_id', 'institution_id', 'program_id', 'fund_id', 'guarantor_institution_id', 'status',
	'loss_fen', 'fund_share_fen', 'guarantor_share_fen', 'bank_share_fen', 'recovered_fen', 'reason', 'filed_at',
	'decided_at', 'paid_journal_id'];

let ctx;	// one funded programme (fund 40%, bank 40%, guarantor 20%) shared by the tests that need no other
let otherBank;

before(async () => {
	ctx = await fundedProgram();
	await limitsOff(ctx);
	otherBank = await freshUser('bank');
});

/** The journal entry id as the bureau sees it, with its postings. */
async function journal(id) {
	const page = await getOk(`/ledger/journals?cursor=${id + 1}&limit=1`, ctx.bureau.token);
	assert.equal(page.items[0].id, id);
	return page.items[0];
}

/** {kind: amount} of a journal's postings (one posting per kind here). */
function byKind(j) {
	return Object.fromEntries(j.postings.map((p) => [p.account_kind, p.amount_fen]));
}

describe('repayments', () => {
	test('a repayment lowers outstanding; the last one makes the loan repaid; audited', async () => {
		const loan = await disburse(ctx, 20000000);
		const r1 = expectStatus(await post(`/loans/${loan.id}/repayments`, ctx.bank.token,
			{ amount_fen: 5000000, paid_on: districtDay(0) }), 201);
		assertKeys(r1, ['id', 'loan_id', 'amount_fen', 'paid_on', 'created_at', 'outstanding_fen', 'loan_status']);
		assert.equal(r1.outstanding_fen, 15000000);
		assert.equal(r1.loan_status, 'performing');
		const r2 = expectStatus(await post(`/loans/${loan.id}/repayments`, ctx.bank.token,
			{ amount_fen: 15000000, paid_on: districtDay(0) }), 201);
		assert.equal(r2.outstanding_fen, 0);
		assert.equal(r2.loan_status, 'repaid');
		const got = await getOk(`/loans/${loan.id}`, ctx.bank.token);
		assert.equal(got.status, 'repaid');
		assert.equal(got.outstanding_fen, 0);
		const rows = await auditRows({ action: 'loan.repayment', target_id: String(loan.id) });
		assert.equal(rows.length, 2);
		// repaid is final: another repayment, a default report and a claim are 409
		expectError(await post(`/loans/${loan.id}/repayments`, ctx.bank.token, { amount_fen: 1, paid_on: districtDay(0) }),
			409, 'invalid_state');
		expectError(await post(`/loans/${loan.id}/default`, ctx.bank.token, { overdue_days: 120, as_of: districtDay(0) }),
			409, 'invalid_state');
		expectError(await post(`/loans/${loan.id}/claims`, ctx.bank.token, { loss_fen: 1 }), 409, 'invalid_state');
	});

	test('more than outstanding is 400 amount_fen and changes nothing', async () => {
		const loan = await disburse(ctx, 10000000);
		expectError(await post(`/loans/${loan.id}/repayments`, ctx.bank.token,
			{ amount_fen: 10000001, paid_on: districtDay(0) }), 400, 'validation_failed', 'amount_fen');
		assert.equal((await getOk(`/loans/${loan.id}`, ctx.bank.token)).outstanding_fen, 10000000);
	});

	test('bad bodies: zero, fractions, a bad date, the future, before disbursement, unknown keys', async () => {
		const loan = await disburse(ctx, 10000000);
		const p = (body) => post(`/loans/${loan.id}/repayments`, ctx.bank.token, body);
		expectError(await p({ amount_fen: 0, paid_on: districtDay(0) }), 400, 'validation_failed', 'amount_fen');
		expectError(await p({ paid_on: districtDay(0) }), 400, 'validation_failed', 'amount_fen');
		expectError(await p({ amount_fen: 1, paid_on: '2026-02-30' }), 400, 'validation_failed', 'paid_on');
		expectError(await p({ amount_fen: 1, paid_on: districtDay(2) }), 400, 'validation_failed', 'paid_on');
		expectError(await p({ amount_fen: 1, paid_on: districtDay(-3) }), 400, 'validation_failed', 'paid_on');
		expectError(await p({ amount_fen: 1, paid_on: districtDay(0), extra: 1 }), 400, 'validation_failed', 'extra');
		const raw = await api('POST', `/api/v1/loans/${loan.id}/repayments`, {
			token: ctx.bank.token, rawBody: `{"amount_fen":1.5,"paid_on":"${districtDay(0)}"}`,
			headers: { 'content-type': 'application/json' },
		});
		expectError(raw, 400, 'validation_failed', 'amount_fen');
	});

	test('another bank\'s loan is 404 and a missing one too; sme, park and bureau may not repay (403)', async () => {
		const loan = await disburse(ctx, 10000000);
		const body = { amount_fen: 1, paid_on: districtDay(0) };
		expectError(await post(`/loans/${loan.id}/repayments`, otherBank.token, body), 404, 'not_found');
		expectError(await post('/loans/99999999/repayments', ctx.bank.token, body), 404, 'not_found');
		for (const role of ['sme', 'park', 'bureau']) {
			const u = await roleUser(role);
			expectError(await post(`/loans/${loan.id}/repayments`, u.token, body), 403, 'forbidden');
		}
	});
});

describe('overdue and default reports', () => {
	test('under 90 days is overdue, 90 defaulted with defaulted_on; defaulted is final', async () => {
		const [a, b] = [await disburse(ctx, 10000000), await disburse(ctx, 10000000)];
		const o = expectStatus(await post(`/loans/${a.id}/default`, ctx.bank.token,
			{ overdue_days: 89, as_of: districtDay(0) }), 200);
		assertKeys(o, ['loan_id', 'status', 'overdue_days', 'as_of', 'outstanding_fen', 'bank_suspended']);
		assert.equal(o.status, 'overdue');
		// overdue again (a later report), then defaulted
		expectStatus(await post(`/loans/${a.id}/default`, ctx.bank.token, { overdue_days: 60, as_of: districtDay(0) }), 200);
		const d = await defaultLoan(ctx, a.id);
		assert.equal(d.status, 'defaulted');
		assert.equal((await getOk(`/loans/${a.id}`, ctx.bureau.token)).status, 'defaulted');
		// straight from performing at 400 days
		assert.equal((await post(`/loans/${b.id}/default`, ctx.bank.token,
			{ overdue_days: 400, as_of: districtDay(0) })).json.status, 'defaulted');
		for (const id of [a.id, b.id]) {
			expectError(await post(`/loans/${id}/default`, ctx.bank.token, { overdue_days: 95, as_of: districtDay(0) }),
				409, 'invalid_state');
			expectError(await post(`/loans/${id}/repayments`, ctx.bank.token, { amount_fen: 1, paid_on: districtDay(0) }),
				409, 'invalid_state');
		}
		const rows = await auditRows({ action: 'loan.default', target_id: String(a.id) });
		assert.equal(rows.length, 3);
	});

	test('an overdue loan still takes repayments and is repaid at zero', async () => {
		const loan = await disburse(ctx, 3000000);
		expectStatus(await post(`/loans/${loan.id}/default`, ctx.bank.token, { overdue_days: 30, as_of: districtDay(0) }), 200);
		const r = expectStatus(await post(`/loans/${loan.id}/repayments`, ctx.bank.token,
			{ amount_fen: 3000000, paid_on: districtDay(0) }), 201);
		assert.equal(r.loan_status, 'repaid');
	});

	test('bad reports: 0 days, a bad or future as_of, another bank (404)', async () => {
		const loan = await disburse(ctx, 3000000);
		const p = (body, token = ctx.bank.token) => post(`/loans/${loan.id}/default`, token, body);
		expectError(await p({ overdue_days: 0, as_of: districtDay(0) }), 400, 'validation_failed', 'overdue_days');
		expectError(await p({ overdue_days: 90, as_of: 'yesterday' }), 400, 'validation_failed', 'as_of');
		expectError(await p({ overdue_days: 90, as_of: districtDay(3) }), 400, 'validation_failed', 'as_of');
		expectError(await p({ overdue_days: 90, as_of: districtDay(0) }, otherBank.token), 404, 'not_found');
		assert.equal((await getOk(`/loans/${loan.id}`, ctx.bank.token)).status, 'performing');
	});
});

describe('claims', () => {
	test('the split floors fund and guarantor, the bank takes the remainder; only a defaulted loan takes one', async () => {
		const loan = await disburse(ctx, 20000000);
		expectError(await post(`/loans/${loan.id}/claims`, ctx.bank.token, { loss_fen: 1000 }), 409, 'invalid_state');
		await defaultLoan(ctx, loan.id);
		const c = await fileClaim(ctx, loan.id, 10000003);
		assertKeys(c, CLAIM_KEYS, 'claim');
		assert.equal(c.status, 'filed');
		assert.equal(c.fund_share_fen, 4000001);	// ⌊10000003 × 0.4⌋
		assert.equal(c.guarantor_share_fen, 2000000);	// ⌊10000003 × 0.2⌋
		assert.equal(c.bank_share_fen, 4000002);
		assert.equal(c.fund_share_fen + c.guarantor_share_fen + c.bank_share_fen, c.loss_fen);
		assert.equal(c.fund_id, ctx.fund.id);
		assert.equal(c.program_id, ctx.program.id);
		// one open claim per loan
		expectError(await post(`/loans/${loan.id}/claims`, ctx.bank.token, { loss_fen: 5 }), 409, 'conflict');
		// the bank and the bureau read it; another bank does not
		assert.equal((await getOk(`/claims/${c.id}`, ctx.bank.token)).id, c.id);
		assert.equal((await getOk(`/claims/${c.id}`, ctx.bureau.token)).id, c.id);
		expectError(await api('GET', `/api/v1/claims/${c.id}`, { token: otherBank.token }), 404, 'not_found');
		const mine = await listAll('/api/v1/claims?status=filed', ctx.bank.token);
		assert.ok(mine.some((x) => x.id === c.id));
		assert.ok((await listAll('/api/v1/claims', otherBank.token)).every((x) => x.id !== c.id));
		assert.deepEqual((await listAll(`/api/v1/claims?loan_id=${loan.id}`, ctx.bureau.token)).map((x) => x.id), [c.id]);
		assert.deepEqual(await listAll(`/api/v1/claims?loan_id=${loan.id}`, otherBank.token), []);
	});

	test('loss above outstanding or below 1 is 400 loss_fen; another bank\'s loan 404', async () => {
		const loan = await disburse(ctx, 5000000);
		await defaultLoan(ctx, loan.id);
		expectError(await post(`/loans/${loan.id}/claims`, ctx.bank.token, { loss_fen: 5000001 }), 400, 'validation_failed', 'loss_fen');
		expectError(await post(`/loans/${loan.id}/claims`, ctx.bank.token, { loss_fen: 0 }), 400, 'validation_failed', 'loss_fen');
		expectError(await post(`/loans/${loan.id}/claims`, otherBank.token, { loss_fen: 1 }), 404, 'not_found');
	});

	test('approval pays the fund share in one balanced journal entry; paid is final', async () => {
		const loan = await disburse(ctx, 20000000);
		await defaultLoan(ctx, loan.id);
		await deposit(ctx, 50000000);
		const before = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		const c = await fileClaim(ctx, loan.id, 10000003);
		const paid = expectStatus(await post(`/claims/${c.id}/approve`, ctx.bureau.token), 200);
		assert.equal(paid.status, 'paid');
		assert.match(paid.decided_at, /Z$/);
		const j = await journal(paid.paid_journal_id);
		assert.equal(j.kind, 'claim.pay');
		assert.equal(j.ref_type, 'claim');
		assert.equal(j.ref_id, c.id);
		assert.deepEqual(byKind(j), {
			fund_cash: -4000001, guarantor_share: -2000000, institution_loss: -4000002,
			institution_claim_receivable: 10000003,
		});
		assert.equal(j.postings.reduce((s, p) => s + p.amount_fen, 0), 0);
		const after = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(after.balance_fen, before.balance_fen - 4000001);
		assert.equal(after.claims_paid_fen, before.claims_paid_fen + 4000001);
		for (const action of ['approve', 'reject']) {
			expectError(await post(`/claims/${c.id}/${action}`, ctx.bureau.token, action === 'reject' ? { reason: '重复' } : undefined),
				409, 'invalid_state');
		}
		assert.equal((await auditRows({ action: 'claim.approve', target_id: String(c.id) })).length, 1);
		assert.equal((await ledgerCheck()).balanced, true);
	});

	test('a short fund is 409 insufficient_funds and nothing moves; a deposit then lets it pay', async () => {
		const mine = await fundedProgram();
		await limitsOff(mine);
		const loan = await disburse(mine, 10000000);
		await defaultLoan(mine, loan.id);
		await deposit(mine, 3999999);
		const c = await fileClaim(mine, loan.id, 10000000);	// fund share 4,000,000
		expectError(await post(`/claims/${c.id}/approve`, mine.bureau.token), 409, 'insufficient_funds');
		const f = await getOk(`/funds/${mine.fund.id}`, mine.bureau.token);
		assert.equal(f.balance_fen, 3999999);
		assert.equal(f.claims_paid_fen, 0);
		assert.equal((await getOk(`/claims/${c.id}`, mine.bureau.token)).status, 'filed');
		await deposit(mine, 1);
		assert.equal(expectStatus(await post(`/claims/${c.id}/approve`, mine.bureau.token), 200).status, 'paid');
		assert.equal((await getOk(`/funds/${mine.fund.id}`, mine.bureau.token)).balance_fen, 0);
	});

	test('rejection needs a reason and is final; a rejected claim can be filed again', async () => {
		const loan = await disburse(ctx, 6000000);
		await defaultLoan(ctx, loan.id);
		const c = await fileClaim(ctx, loan.id, 6000000);
		expectError(await post(`/claims/${c.id}/reject`, ctx.bureau.token, { reason: '  ' }), 400, 'validation_failed', 'reason');
		expectError(await post(`/claims/${c.id}/reject`, ctx.bureau.token, {}), 400, 'validation_failed', 'reason');
		const r = expectStatus(await post(`/claims/${c.id}/reject`, ctx.bureau.token, { reason: '材料不全' }), 200);
		assert.equal(r.status, 'rejected');
		assert.equal(r.reason, '材料不全');
		assert.equal(r.paid_journal_id, null);
		expectError(await post(`/claims/${c.id}/approve`, ctx.bureau.token), 409, 'invalid_state');
		expectError(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 1 }), 409, 'invalid_state');
		const again = await fileClaim(ctx, loan.id, 5000000);
		assert.notEqual(again.id, c.id);
		assert.equal((await auditRows({ action: 'claim.reject', target_id: String(c.id) })).length, 1);
	});

	test('decisions are the bureau\'s: the bank may not approve (403); a missing claim is 404', async () => {
		const loan = await disburse(ctx, 6000000);
		await defaultLoan(ctx, loan.id);
		const c = await fileClaim(ctx, loan.id, 100);
		expectError(await post(`/claims/${c.id}/approve`, ctx.bank.token), 403, 'forbidden');
		expectError(await post(`/claims/${c.id}/reject`, ctx.bank.token, { reason: 'x' }), 403, 'forbidden');
		expectError(await post('/claims/99999999/approve', ctx.bureau.token), 404, 'not_found');
		expectError(await post(`/claims/${c.id}/approve`, ctx.bureau.token, { x: 1 }), 400, 'validation_failed');
	});
});

describe('the programme\'s guarantor', () => {
	test('a named guarantor bears its share on its own account; only a guarantor institution may be named', async () => {
		const mine = await fundedProgram();
		await limitsOff(mine);
		const bank = await createInstitution({ kind: 'bank' });
		const g = await createInstitution({ kind: 'guarantor' });
		const path = `/programs/${mine.program.id}/guarantor`;
		expectError(await post(path, mine.bureau.token, { institution_id: bank.id }), 400, 'validation_failed', 'institution_id');
		expectError(await post('/programs/99999999/guarantor', mine.bureau.token, { institution_id: g.id }), 404, 'not_found');
		expectError(await post(path, mine.bank.token, { institution_id: g.id }), 403, 'forbidden');
		assert.deepEqual(expectStatus(await post(path, mine.bureau.token, { institution_id: g.id }), 200),
			{ program_id: mine.program.id, guarantor_institution_id: g.id });
		const loan = await disburse(mine, 10000000);
		await defaultLoan(mine, loan.id);
		await deposit(mine, 4000000);
		const c = await fileClaim(mine, loan.id, 10000000);
		assert.equal(c.guarantor_institution_id, g.id);
		const paid = expectStatus(await post(`/claims/${c.id}/approve`, mine.bureau.token), 200);
		const accounts = await listAll('/api/v1/ledger/accounts', mine.bureau.token);
		const mineG = accounts.find((a) => a.kind === 'guarantor_share' && a.institution_id === g.id);
		assert.equal(mineG.balance_fen, -2000000);
		assert.ok((await journal(paid.paid_journal_id)).postings.some((p) => p.account_id === mineG.id));
		assert.equal((await auditRows({ action: 'program.guarantor', target_id: String(mine.program.id) })).length, 1);
	});
});

describe('recoveries', () => {
	test('recoveries split back by ⌊amount × share / loss⌋ and never pass the loss', async () => {
		const loan = await disburse(ctx, 20000000);
		await defaultLoan(ctx, loan.id);
		await deposit(ctx, 10000000);
		const c = await fileClaim(ctx, loan.id, 10000003);
		expectError(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 1 }), 409, 'invalid_state');
		expectStatus(await post(`/claims/${c.id}/approve`, ctx.bureau.token), 200);
		const fundBefore = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		const r = expectStatus(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 5000000 }), 201);
		assertKeys(r, ['id', 'claim_id', 'amount_fen', 'fund_fen', 'guarantor_fen', 'bank_fen', 'journal_id',
			'claim_recovered_fen', 'created_at']);
		assert.equal(r.fund_fen, Math.floor(5000000 * 4000001 / 10000003));
		assert.equal(r.guarantor_fen, Math.floor(5000000 * 2000000 / 10000003));
		assert.equal(r.fund_fen + r.guarantor_fen + r.bank_fen, 5000000);
		assert.deepEqual(byKind(await journal(r.journal_id)), {
			institution_claim_receivable: -5000000, fund_cash: r.fund_fen, guarantor_share: r.guarantor_fen,
			institution_loss: r.bank_fen,
		});
		const fundAfter = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(fundAfter.balance_fen, fundBefore.balance_fen + r.fund_fen);
		assert.equal(fundAfter.recovered_fen, fundBefore.recovered_fen + r.fund_fen);
		// 5,000,003 remain: one fen more is 400, exactly the rest is fine, then nothing
		expectError(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 5000004 }), 400,
			'validation_failed', 'amount_fen');
		const last = expectStatus(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 5000003 }), 201);
		assert.equal(last.claim_recovered_fen, 10000003);
		expectError(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 1 }), 400,
			'validation_failed', 'amount_fen');
		expectError(await post(`/claims/${c.id}/recoveries`, otherBank.token, { amount_fen: 1 }), 404, 'not_found');
		expectError(await post(`/claims/${c.id}/recoveries`, ctx.bureau.token, { amount_fen: 1 }), 403, 'forbidden');
		assert.equal((await auditRows({ action: 'claim.recovery', target_id: String(c.id) })).length, 2);
		assert.equal((await ledgerCheck()).balanced, true);
	});
});

describe('subsidies', () => {
	test('a month pays ⌊outstanding × bps / 10000 / 12⌋ per performing loan, once', async () => {
		const mine = await fundedProgram({ subsidyBps: 150 });
		const a = await disburse(mine, 33333333);
		const b = await disburse(mine, 10000000);
		const c = await disburse(mine, 10000000);
		expectStatus(await post(`/loans/${b.id}/default`, mine.bank.token, { overdue_days: 10, as_of: districtDay(0) }), 200);
		expectStatus(await post(`/loans/${c.id}/repayments`, mine.bank.token, { amount_fen: 10000000, paid_on: districtDay(0) }), 201);
		const month = districtDay(0).slice(0, 7);
		const s = expectStatus(await post(`/programs/${mine.program.id}/subsidies`, mine.bureau.token, { period: month }), 201);
		assertKeys(s, ['id', 'program_id', 'period', 'subsidy_bps', 'loans', 'total_fen', 'journal_id', 'created_at']);
		assert.equal(s.loans, 1);	// only a is performing
		assert.equal(s.total_fen, Math.floor(33333333 * 150 / 10000 / 12));
		assert.deepEqual(byKind(await journal(s.journal_id)), { bureau_budget: -s.total_fen, subsidy_payable: s.total_fen });
		expectError(await post(`/programs/${mine.program.id}/subsidies`, mine.bureau.token, { period: month }), 409, 'conflict', 'period');
		assert.equal(a.status, 'performing');
		assert.equal((await auditRows({ action: 'program.subsidy', target_id: String(mine.program.id) })).length, 1);
	});

	test('a month with no performing loan records 0 with no journal entry', async () => {
		const mine = await fundedProgram({ subsidyBps: 150 });
		const s = expectStatus(await post(`/programs/${mine.program.id}/subsidies`, mine.bureau.token, { period: '2025-01' }), 201);
		assert.equal(s.total_fen, 0);
		assert.equal(s.loans, 0);
		assert.equal(s.journal_id, null);
	});

	test('bad periods are 400; a future month 400; a missing programme 404; others 403', async () => {
		const p = (body, id = ctx.program.id, token = ctx.bureau.token) => post(`/programs/${id}/subsidies`, token, body);
		for (const period of ['2026-13', '2026-1', '26-01-01', '2026/01', '']) {
			expectError(await p({ period }), 400, 'validation_failed', 'period');
		}
		const next = new Date(Date.now() + 8 * 3600000);
		next.setUTCMonth(next.getUTCMonth() + 1, 1);
		expectError(await p({ period: next.toISOString().slice(0, 7) }), 400, 'validation_failed', 'period');
		expectError(await p({ period: '2025-01' }, 99999999), 404, 'not_found');
		expectError(await p({ period: '2025-01' }, ctx.program.id, ctx.bank.token), 403, 'forbidden');
	});
});

describe('idempotency of loan movements', () => {
	test('a repeated repayment with one key repays once; another body with the key is 409', async () => {
		const loan = await disburse(ctx, 10000000);
		const body = { amount_fen: 1000000, paid_on: districtDay(0) };
		const first = await post(`/loans/${loan.id}/repayments`, ctx.bank.token, body, 'repay-1');
		const again = await post(`/loans/${loan.id}/repayments`, ctx.bank.token, body, 'repay-1');
		assert.equal(first.status, 201);
		assert.equal(again.status, 201);
		assert.deepEqual(again.json, first.json);
		assert.equal(again.headers.get('idempotent-replayed'), 'true');
		expectError(await post(`/loans/${loan.id}/repayments`, ctx.bank.token, { ...body, amount_fen: 2 }, 'repay-1'),
			409, 'conflict', 'Idempotency-Key');
		assert.equal((await getOk(`/loans/${loan.id}`, ctx.bank.token)).outstanding_fen, 9000000);
	});

	test('a refused request is not remembered: the same key works once the cause is fixed', async () => {
		const mine = await fundedProgram();
		await limitsOff(mine);
		const loan = await disburse(mine, 10000000);
		await defaultLoan(mine, loan.id);
		const c = await fileClaim(mine, loan.id, 1000000);
		expectError(await post(`/claims/${c.id}/approve`, mine.bureau.token, undefined, 'approve-1'), 409, 'insufficient_funds');
		await deposit(mine, 400000);
		const ok = expectStatus(await post(`/claims/${c.id}/approve`, mine.bureau.token, undefined, 'approve-1'), 200);
		assert.equal(ok.status, 'paid');
		const again = await post(`/claims/${c.id}/approve`, mine.bureau.token, undefined, 'approve-1');
		assert.equal(again.status, 200);
		assert.equal(again.headers.get('idempotent-replayed'), 'true');
	});
});

describe('lists', () => {
	test('GET /claims pages and filters; a bad status is 400', async () => {
		assertList(await api('GET', '/api/v1/claims?limit=1', { token: ctx.bureau.token }));
		expectError(await api('GET', '/api/v1/claims?status=open', { token: ctx.bureau.token }), 400, 'validation_failed', 'status');
		for (const bad of ['0', '-1', 'x', '1.5']) {
			expectError(await api('GET', `/api/v1/claims?loan_id=${bad}`, { token: ctx.bureau.token }), 400, 'validation_failed', 'loan_id');
		}
		for (const role of ['sme', 'park', 'auditor', 'admin']) {
			expectError(await api('GET', '/api/v1/claims', { token: (await roleUser(role)).token }), 403, 'forbidden');
		}
	});
});
