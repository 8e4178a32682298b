// Funds and the double-entry ledger (api.md "Loans, risk sharing and the
// ledger"): deposits as balanced journal entries, a fund's figures,
// exposure and leverage, the district's limits (the annual cap on paid
// claims, the overdue-rate suspension of a bank and its lifting), the
// stress test, the ledger's accounts, journals and check, append-only
// postings, roles, and one deposit repeated 100 times in parallel with one
// Idempotency-Key moving money once.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	api, assertKeys, assertList, auditRows, districtDay, expectError, expectStatus, listAll, roleUser, sql,
} from './lib.mjs';
import {
	APPROVE, defaultLoan, deposit, disburse, fileClaim, fundedProgram, getOk, ledgerCheck, limitsOff, post,
} from './ledger_helpers.mjs';

const FUND_KEYS = ['id', 'name', 'created_at', 'balance_fen', 'deposited_fen', 'claims_paid_fen', 'recovered_fen',
	'exposure_fen', 'leverage'];
const JOURNAL_KEYS = ['id', 'kind', 'memo', 'ref_type', 'ref_id', 'created_by', 'created_at', 'reverses_journal_id', 'postings'];

const patchFund = async (ctx, body) => api('PATCH', `/api/v1/funds/${ctx.fund.id}`, { token: ctx.bureau.token, body });

/** The deposit journal entries of one fund. */
async function depositsOf(fundId, token) {
	const all = await listAll('/api/v1/ledger/journals?kind=fund.deposit', token);
	return all.filter((j) => j.ref_type === 'fund' && j.ref_id === fundId);
}

describe('reversing a mistaken deposit', () => {
	let bureau;	// the bureau user of the test's programme
	const reverse = (id, body = { reason: '金额录入错误' }, key) =>
		post(`/ledger/journals/${id}/reverse`, bureau.token, body, key);

	test('a reversal is one balanced entry that undoes the deposit; audited; the fund reads net', async () => {
		const c = await fundedProgram();
		bureau = c.bureau;
		await deposit(c, 3000000);
		const wrong = await deposit(c, 7000000);
		const r = expectStatus(await reverse(wrong.id), 201);
		assertKeys(r, JOURNAL_KEYS, 'reversal');
		assert.equal(r.kind, 'reversal');
		assert.equal(r.reverses_journal_id, wrong.id);
		assert.equal(r.memo, '金额录入错误');
		assert.deepEqual([r.ref_type, r.ref_id], ['fund', c.fund.id]);
		assert.deepEqual(r.postings.map((x) => [x.account_kind, x.amount_fen]).sort(),
			[['bureau_budget', 7000000], ['fund_cash', -7000000]]);
		const f = await getOk(`/funds/${c.fund.id}`, c.bureau.token);
		assert.deepEqual([f.balance_fen, f.deposited_fen], [3000000, 3000000]);
		assert.equal((await ledgerCheck()).balanced, true);
		const audit = await auditRows({ action: 'fund.deposit.reverse', target_id: String(c.fund.id) });
		assert.equal(audit.length, 1);
		const listed = await listAll('/api/v1/ledger/journals?kind=reversal', c.bureau.token);
		assert.ok(listed.some((j) => j.id === r.id && j.reverses_journal_id === wrong.id));
		// the original stays as it was: postings are never edited
		const again = (await depositsOf(c.fund.id, c.bureau.token)).find((j) => j.id === wrong.id);
		assert.equal(again.postings.find((x) => x.account_kind === 'fund_cash').amount_fen, 7000000);
	});

	test('twice is 409 conflict; the same Idempotency-Key replays the first answer', async () => {
		const c = await fundedProgram();
		bureau = c.bureau;
		const d = await deposit(c, 1000000);
		const first = expectStatus(await reverse(d.id, undefined, `rev-${d.id}`), 201);
		const replay = expectStatus(await reverse(d.id, undefined, `rev-${d.id}`), 201);
		assert.deepEqual(replay, first);
		expectError(await reverse(d.id), 409, 'conflict');
		const f = await getOk(`/funds/${c.fund.id}`, c.bureau.token);
		assert.equal(f.balance_fen, 0);
	});

	test('only a deposit the fund still holds may be reversed; others are refused and nothing moves', async () => {
		const c = await fundedProgram();
		bureau = c.bureau;
		await limitsOff(c);
		const d = await deposit(c, 5000000);
		const loan = await disburse(c, 20000000);
		await defaultLoan(c, loan.id);
		const claim = await fileClaim(c, loan.id, 10000000);
		const paid = expectStatus(await post(`/claims/${claim.id}/approve`, c.bureau.token), 200);
		const before = await getOk(`/funds/${c.fund.id}`, c.bureau.token);
		expectError(await reverse(d.id), 409, 'insufficient_funds');
		expectError(await reverse(paid.paid_journal_id), 409, 'invalid_state');
		expectError(await reverse(999999999), 404, 'not_found');
		expectError(await reverse(d.id, {}), 400, 'validation_failed', 'reason');
		expectError(await reverse(d.id, { reason: '' }), 400, 'validation_failed', 'reason');
		expectError(await post(`/ledger/journals/${d.id}/reverse`, c.bank.token, { reason: 'x' }), 403, 'forbidden');
		assert.deepEqual(await getOk(`/funds/${c.fund.id}`, c.bureau.token), before);
		assert.equal((await ledgerCheck()).balanced, true);
	});
});

describe('deposits and fund figures', () => {
	test('a deposit is one balanced entry from the bureau budget to the fund; audited', async () => {
		const ctx = await fundedProgram();
		const j = await deposit(ctx, 1234567);
		assertKeys(j, [...JOURNAL_KEYS, 'fund_id', 'amount_fen'], 'deposit');
		assert.equal(j.kind, 'fund.deposit');
		assert.equal(j.memo, '区财政拨款');
		assert.equal(j.fund_id, ctx.fund.id);
		assert.deepEqual(j.postings.map((p) => [p.account_kind, p.amount_fen]).sort(),
			[['bureau_budget', -1234567], ['fund_cash', 1234567]]);
		const rows = await auditRows({ action: 'fund.deposit', target_id: String(ctx.fund.id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].status, 201);
	});

	test('the fund reads balance, deposited, claims paid, recovered, exposure and leverage', async () => {
		const ctx = await fundedProgram();
		await limitsOff(ctx);
		const fresh = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assertKeys(fresh, [...FUND_KEYS, 'limits'], 'fund');
		assert.equal(fresh.balance_fen, 0);
		assert.equal(fresh.leverage, null);
		await deposit(ctx, 1000000);
		await deposit(ctx, 1000000);
		const a = await disburse(ctx, 10000000);
		const b = await disburse(ctx, 5000000);
		let f = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(f.deposited_fen, 2000000);
		assert.equal(f.exposure_fen, 6000000);	// (10,000,000 + 5,000,000) × 40%
		assert.equal(f.leverage, 3);
		await defaultLoan(ctx, b.id);	// defaulted loans leave the exposure
		const c = await fileClaim(ctx, b.id, 1000000);
		expectStatus(await post(`/claims/${c.id}/approve`, ctx.bureau.token), 200);
		expectStatus(await post(`/claims/${c.id}/recoveries`, ctx.bank.token, { amount_fen: 500000 }), 201);
		expectStatus(await post(`/loans/${a.id}/repayments`, ctx.bank.token, { amount_fen: 2500000, paid_on: districtDay(0) }), 201);
		f = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(f.claims_paid_fen, 400000);
		assert.equal(f.recovered_fen, 200000);
		assert.equal(f.balance_fen, 2000000 - 400000 + 200000);
		assert.equal(f.exposure_fen, 3000000);	// 7,500,000 × 40%
		assert.equal(f.leverage, 1.6666);	// floored to 4 places
		const listed = (await listAll('/api/v1/funds', ctx.bureau.token)).find((x) => x.id === ctx.fund.id);
		assertKeys(listed, FUND_KEYS, 'listed fund');
		assert.equal(listed.balance_fen, f.balance_fen);
	});

	test('bad deposits are 400, a missing fund 404, any role but the bureau 403', async () => {
		const ctx = await fundedProgram();
		const p = (body, id = ctx.fund.id, token = ctx.bureau.token) => post(`/funds/${id}/deposits`, token, body);
		expectError(await p({ amount_fen: 0 }), 400, 'validation_failed', 'amount_fen');
		expectError(await p({ amount_fen: -5 }), 400, 'validation_failed', 'amount_fen');
		expectError(await p({ memo: 'x' }), 400, 'validation_failed', 'amount_fen');
		expectError(await p({ amount_fen: 1, memo: 'x'.repeat(501) }), 400, 'validation_failed', 'memo');
		expectError(await p({ amount_fen: 1, fund: 2 }), 400, 'validation_failed', 'fund');
		expectError(await p({ amount_fen: 1 }, 99999999), 404, 'not_found');
		for (const role of ['bank', 'sme', 'park', 'auditor', 'admin']) {
			expectError(await p({ amount_fen: 1 }, ctx.fund.id, (await roleUser(role)).token), 403, 'forbidden');
		}
		assert.equal((await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token)).balance_fen, 0);
		expectError(await api('GET', '/api/v1/funds/99999999', { token: ctx.bureau.token }), 404, 'not_found');
	});

	test('100 parallel repeats of one deposit with one key: one journal entry, one answer', async () => {
		const ctx = await fundedProgram();
		const body = { amount_fen: 777777, memo: '同一笔拨款' };
		const answers = await Promise.all(Array.from({ length: 100 },
			() => post(`/funds/${ctx.fund.id}/deposits`, ctx.bureau.token, body, 'deposit-once')));
		for (const res of answers) assert.equal(res.status, 201, res.text);
		const ids = new Set(answers.map((r) => r.json.id));
		assert.equal(ids.size, 1);
		assert.equal(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 99);
		assert.equal((await depositsOf(ctx.fund.id, ctx.bureau.token)).length, 1);
		assert.equal((await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token)).balance_fen, 777777);
		expectError(await post(`/funds/${ctx.fund.id}/deposits`, ctx.bureau.token, { ...body, amount_fen: 1 }, 'deposit-once'),
			409, 'conflict', 'Idempotency-Key');
		assert.equal((await ledgerCheck()).balanced, true);
	});
});

describe('limits', () => {
	test('the annual cap: paid fund shares this year stay within cap_bps of the disbursed principal', async () => {
		const ctx = await fundedProgram();	// cap 250 bps
		expectStatus(await patchFund(ctx, { overdue_suspension_bps: 10000 }), 200);
		const a = await disburse(ctx, 10000000);
		const b = await disburse(ctx, 10000000);	// disbursed 20,000,000: cap 500,000
		await deposit(ctx, 5000000);
		await defaultLoan(ctx, a.id);
		await defaultLoan(ctx, b.id);
		const c1 = await fileClaim(ctx, a.id, 1000000);	// fund 400,000
		expectStatus(await post(`/claims/${c1.id}/approve`, ctx.bureau.token), 200);
		const c2 = await fileClaim(ctx, b.id, 250003);	// fund 100,001: one fen past the cap
		expectError(await post(`/claims/${c2.id}/approve`, ctx.bureau.token), 409, 'not_eligible');
		let f = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(f.claims_paid_fen, 400000);
		const p = f.limits.programs.find((x) => x.program_id === ctx.program.id);
		assertKeys(p, ['program_id', 'name', 'disbursed_principal_fen', 'exposure_fen', 'annual_cap_fen',
			'claims_paid_this_year_fen', 'cap_remaining_fen']);
		assert.deepEqual([p.disbursed_principal_fen, p.annual_cap_fen, p.claims_paid_this_year_fen, p.cap_remaining_fen],
			[20000000, 500000, 400000, 100000]);
		expectStatus(await patchFund(ctx, { annual_claims_cap_bps: 251 }), 200);	// cap 502,000
		expectStatus(await post(`/claims/${c2.id}/approve`, ctx.bureau.token), 200);
		f = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(f.limits.annual_claims_cap_bps, 251);
		assert.equal(f.claims_paid_fen, 500001);
	});

	test('a bank past the overdue threshold is suspended from disbursing in the programme until the bureau lifts it', async () => {
		const ctx = await fundedProgram();	// threshold 500 bps
		const a = await disburse(ctx, 10000000);
		const b = await disburse(ctx, 190000000);
		// 10,000,000 of 200,000,000 is exactly 500 bps: not past the threshold
		let r = expectStatus(await post(`/loans/${a.id}/default`, ctx.bank.token, { overdue_days: 30, as_of: districtDay(0) }), 200);
		assert.equal(r.bank_suspended, false);
		expectStatus(await post(`/loans/${b.id}/repayments`, ctx.bank.token, { amount_fen: 1000000, paid_on: districtDay(0) }), 201);
		r = expectStatus(await post(`/loans/${a.id}/default`, ctx.bank.token, { overdue_days: 45, as_of: districtDay(0) }), 200);
		assert.equal(r.bank_suspended, true);	// 10,000,000 / 199,000,000 = 502 bps
		const f = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		const s = f.limits.suspensions.find((x) => x.institution_id === ctx.bank.user.org_id);
		assertKeys(s, ['program_id', 'institution_id', 'institution_name', 'overdue_rate_bps', 'threshold_bps', 'suspended_at']);
		assert.equal(s.overdue_rate_bps, 502);
		assert.equal(s.threshold_bps, 500);
		// a new loan in the programme is refused at disbursement
		const app = expectStatus(await post('/applications', ctx.sme.token, {
			amount_fen: 1000000, term_months: 12, purpose: '周转', collateral: 'none', authorized_institution_ids: [],
		}), 201);
		expectStatus(await post(`/applications/${app.id}/submit`, ctx.sme.token, { product_id: ctx.product.id }), 200);
		expectStatus(await post(`/applications/${app.id}/accept`, ctx.bank.token), 200);
		expectStatus(await post(`/applications/${app.id}/approve`, ctx.bank.token, { amount_fen: 1000000, ...APPROVE }), 200);
		const refused = expectError(await post(`/applications/${app.id}/disburse`, ctx.bank.token, { disbursed_on: districtDay(0) }),
			409, 'not_eligible');
		assert.match(refused.message, /suspended/);
		// lifting: the bank may not; the bureau must give a reason; twice is 404
		const lift = { institution_id: ctx.bank.user.org_id, reason: '已整改' };
		expectError(await post(`/programs/${ctx.program.id}/suspensions/lift`, ctx.bank.token, lift), 403, 'forbidden');
		expectError(await post(`/programs/${ctx.program.id}/suspensions/lift`, ctx.bureau.token, { institution_id: lift.institution_id }),
			400, 'validation_failed', 'reason');
		const lifted = expectStatus(await post(`/programs/${ctx.program.id}/suspensions/lift`, ctx.bureau.token, lift), 200);
		assert.deepEqual(lifted, { program_id: ctx.program.id, institution_id: lift.institution_id, suspended: false });
		expectError(await post(`/programs/${ctx.program.id}/suspensions/lift`, ctx.bureau.token, lift), 404, 'not_found');
		expectStatus(await post(`/applications/${app.id}/disburse`, ctx.bank.token, { disbursed_on: districtDay(0) }), 201);
		assert.equal((await auditRows({ action: 'suspension.lift', target_id: String(ctx.program.id) })).length, 1);
	});

	test('limits are set by PATCH within range; {} and bad values are 400', async () => {
		const ctx = await fundedProgram();
		const f = expectStatus(await patchFund(ctx, { annual_claims_cap_bps: 300 }), 200);
		assert.equal(f.limits.annual_claims_cap_bps, 300);
		assert.equal(f.limits.overdue_suspension_bps, 500);
		expectError(await patchFund(ctx, {}), 400, 'validation_failed');
		expectError(await patchFund(ctx, { annual_claims_cap_bps: 10001 }), 400, 'validation_failed', 'annual_claims_cap_bps');
		expectError(await patchFund(ctx, { overdue_suspension_bps: 0 }), 400, 'validation_failed', 'overdue_suspension_bps');
		expectError(await patchFund(ctx, { balance_fen: 1 }), 400, 'validation_failed', 'balance_fen');
		expectError(await api('PATCH', '/api/v1/funds/99999999', { token: ctx.bureau.token, body: { annual_claims_cap_bps: 1 } }),
			404, 'not_found');
		assert.equal((await auditRows({ action: 'fund.limits', target_id: String(ctx.fund.id) })).length, 1);
	});
});

describe('stress', () => {
	test('what the fund would pay and keep: stressed loss, the cap, the balance', async () => {
		const ctx = await fundedProgram();	// cap 250 bps
		await disburse(ctx, 10000000);	// exposure 4,000,000; cap 250,000
		await deposit(ctx, 300000);
		const s = await getOk(`/funds/${ctx.fund.id}/stress?default_rate_bps=1000`, ctx.bureau.token);
		assertKeys(s, ['fund_id', 'default_rate_bps', 'balance_fen', 'exposure_fen', 'stressed_loss_fen',
			'beyond_annual_cap_fen', 'payable_fen', 'would_pay_fen', 'balance_after_fen', 'shortfall_fen']);
		assert.deepEqual([s.stressed_loss_fen, s.beyond_annual_cap_fen, s.payable_fen, s.would_pay_fen,
			s.balance_after_fen, s.shortfall_fen], [400000, 150000, 250000, 250000, 50000, 0]);
		expectStatus(await patchFund(ctx, { annual_claims_cap_bps: 10000 }), 200);
		const all = await getOk(`/funds/${ctx.fund.id}/stress?default_rate_bps=10000`, ctx.bureau.token);
		assert.deepEqual([all.stressed_loss_fen, all.payable_fen, all.would_pay_fen, all.balance_after_fen, all.shortfall_fen],
			[4000000, 4000000, 300000, 0, 3700000]);
		const none = await getOk(`/funds/${ctx.fund.id}/stress?default_rate_bps=0`, ctx.bureau.token);
		assert.equal(none.would_pay_fen, 0);
		for (const q of ['', '?default_rate_bps=', '?default_rate_bps=-1', '?default_rate_bps=10001', '?default_rate_bps=5.5']) {
			expectError(await api('GET', `/api/v1/funds/${ctx.fund.id}/stress${q}`, { token: ctx.bureau.token }),
				400, 'validation_failed', 'default_rate_bps');
		}
		expectError(await api('GET', '/api/v1/funds/99999999/stress?default_rate_bps=1', { token: ctx.bureau.token }), 404, 'not_found');
	});
});

describe('the ledger', () => {
	test('accounts, journals and the check, for the bureau and the auditor only', async () => {
		const ctx = await fundedProgram();
		await deposit(ctx, 5000);
		for (const role of ['bureau', 'auditor']) {
			const token = (await roleUser(role)).token;
			const accounts = await listAll('/api/v1/ledger/accounts', token);
			const cash = accounts.find((a) => a.kind === 'fund_cash' && a.fund_id === ctx.fund.id);
			assertKeys(cash, ['id', 'kind', 'fund_id', 'institution_id', 'program_id', 'owner_name', 'balance_fen']);
			assert.equal(cash.balance_fen, 5000);
			assert.equal(cash.owner_name, ctx.fund.name);
			assert.equal(accounts.filter((a) => a.kind === 'bureau_budget').length, 1);
			const page = assertList(await api('GET', '/api/v1/ledger/journals?limit=1', { token }));
			assert.equal(page.items.length, 1);
			assertKeys(page.items[0], JOURNAL_KEYS, 'journal');
			const check = await getOk('/ledger/check', token);
			assertKeys(check, ['balanced', 'journals', 'imbalance_fen', 'postings', 'accounts', 'unbalanced_journals',
				'mismatched_accounts', 'negative_funds']);
			assert.equal(check.balanced, true);
			assert.equal(check.imbalance_fen, 0);
			assert.ok(check.journals >= 1);
		}
		for (const role of ['bank', 'sme', 'park', 'admin']) {
			const token = (await roleUser(role)).token;
			for (const path of ['accounts', 'journals', 'check']) {
				expectError(await api('GET', `/api/v1/ledger/${path}`, { token }), 403, 'forbidden');
			}
		}
		expectError(await api('GET', '/api/v1/ledger/journals?kind=bogus', { token: ctx.bureau.token }), 400, 'validation_failed', 'kind');
		expectError(await api('POST', '/api/v1/ledger/check', { token: ctx.bureau.token }), 405, 'method_not_allowed');
	});

	test('postings and journals are append-only: UPDATE and DELETE are refused by the database', async () => {
		const ctx = await fundedProgram();
		const j = await deposit(ctx, 100);
		assert.throws(() => sql(`UPDATE ledger_postings SET amount_fen = amount_fen + 1 WHERE journal_id = ${j.id}`), /append-only/);
		assert.throws(() => sql(`DELETE FROM ledger_postings WHERE journal_id = ${j.id}`), /append-only/);
		assert.throws(() => sql(`UPDATE ledger_journals SET memo = 'x' WHERE id = ${j.id}`), /append-only/);
		assert.throws(() => sql(`DELETE FROM ledger_journals WHERE id = ${j.id}`), /append-only/);
		// and a fund's cash cannot be set below zero behind the ledger's back
		assert.throws(() => sql(`UPDATE ledger_accounts SET balance_fen = -1 WHERE kind = 'fund_cash' AND fund_id = ${ctx.fund.id}`));
		assert.equal((await ledgerCheck()).balanced, true);
	});

	test('a stored balance that drifts from its postings is found by the check', async () => {
		const ctx = await fundedProgram();
		await deposit(ctx, 100);
		const where = `kind = 'fund_cash' AND fund_id = ${ctx.fund.id}`;
		sql(`UPDATE ledger_accounts SET balance_fen = balance_fen + 7 WHERE ${where}`);
		try {
			const check = await ledgerCheck();
			assert.equal(check.balanced, false);
			assert.equal(check.mismatched_accounts, 1);
			assert.equal(check.imbalance_fen, 7);
		} finally {
			sql(`UPDATE ledger_accounts SET balance_fen = balance_fen - 7 WHERE ${where}`);
		}
		assert.equal((await ledgerCheck()).balanced, true);
	});
});

describe('lists', () => {
	test('accounts, journals, funds and claims page by cursor: every item once, bad limits 400', async () => {
		const ctx = await fundedProgram();
		await deposit(ctx, 1);
		for (const path of ['/api/v1/ledger/accounts', '/api/v1/ledger/journals', '/api/v1/funds', '/api/v1/claims']) {
			const whole = await listAll(path, ctx.bureau.token, { limit: 500 });
			const paged = await listAll(path, ctx.bureau.token, { limit: 7 });
			const ids = paged.map((x) => x.id);
			assert.equal(new Set(ids).size, ids.length, `${path}: no item twice`);
			const seen = new Set(ids);
			for (const x of whole) assert.ok(seen.has(x.id), `${path}: item ${x.id} is on some page`);
			expectError(await api('GET', `${path}?limit=501`, { token: ctx.bureau.token }), 400, 'validation_failed', 'limit');
			expectError(await api('GET', `${path}?cursor=x`, { token: ctx.bureau.token }), 400, 'validation_failed', 'cursor');
		}
	});
});
