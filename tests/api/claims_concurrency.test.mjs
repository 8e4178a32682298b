// Claims approved at once: 50 parallel approvals of claims on one fund
// that can pay only some of them. Exactly as many are paid as the balance
// allows, the rest are 409 insufficient_funds, no claim is paid twice, the
// fund never goes below zero and the ledger stays balanced. Also: one claim
// approved 20 times at once is paid once.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { expectError, listAll } from './lib.mjs';
import {
	defaultLoan, deposit, disburse, fileClaim, fundedProgram, getOk, ledgerCheck, limitsOff, post,
} from './ledger_helpers.mjs';

const CLAIMS = 50;
const LOSS_FEN = 1000000;		// fund share 40%: 400,000 a claim
const FUND_SHARE_FEN = 400000;
const PAYABLE = 17;			// the deposit covers this many, and 123 fen more

/** A programme with n defaulted loans, each with a filed claim of LOSS_FEN. */
async function claimsOnOneFund(n) {
	const ctx = await fundedProgram();
	await limitsOff(ctx);
	const loans = [];
	for (let i = 0; i < n; i++) loans.push(await disburse(ctx, 2000000));
	const claims = [];
	for (const loan of loans) {
		await defaultLoan(ctx, loan.id);
		claims.push(await fileClaim(ctx, loan.id, LOSS_FEN));
	}
	return { ctx, claims };
}

describe('parallel claim approvals', () => {
	test(`${CLAIMS} approvals at once on a fund that pays ${PAYABLE}: exactly ${PAYABLE} paid, none twice, never negative`, async () => {
		const { ctx, claims } = await claimsOnOneFund(CLAIMS);
		await deposit(ctx, PAYABLE * FUND_SHARE_FEN + 123);
		const answers = await Promise.all(claims.map((c) => post(`/claims/${c.id}/approve`, ctx.bureau.token)));
		const paid = answers.filter((r) => r.status === 200);
		const refused = answers.filter((r) => r.status === 409);
		assert.equal(paid.length + refused.length, CLAIMS,
			`every answer is 200 or 409: ${answers.map((r) => r.status).join(',')}`);
		assert.equal(paid.length, PAYABLE);
		for (const r of refused) expectError(r, 409, 'insufficient_funds');
		for (const r of paid) assert.equal(r.json.status, 'paid');
		const fund = await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token);
		assert.equal(fund.balance_fen, 123);
		assert.equal(fund.claims_paid_fen, PAYABLE * FUND_SHARE_FEN);
		// one claim.pay entry per paid claim, none for the refused
		const ids = new Set(claims.map((c) => c.id));
		const pays = (await listAll('/api/v1/ledger/journals?kind=claim.pay', ctx.bureau.token))
			.filter((j) => ids.has(j.ref_id));
		assert.equal(pays.length, PAYABLE);
		assert.equal(new Set(pays.map((j) => j.ref_id)).size, PAYABLE);
		assert.deepEqual(new Set(paid.map((r) => r.json.id)), new Set(pays.map((j) => j.ref_id)));
		const states = await Promise.all(claims.map((c) => getOk(`/claims/${c.id}`, ctx.bureau.token)));
		assert.equal(states.filter((c) => c.status === 'paid').length, PAYABLE);
		assert.equal(states.filter((c) => c.status === 'filed').length, CLAIMS - PAYABLE);
		const check = await ledgerCheck();
		assert.equal(check.balanced, true);
		assert.equal(check.negative_funds, 0);
		assert.equal(check.imbalance_fen, 0);
	});

	test('one claim approved 20 times at once is paid once; the others are 409 invalid_state', async () => {
		const { ctx, claims } = await claimsOnOneFund(1);
		await deposit(ctx, 10 * FUND_SHARE_FEN);
		const answers = await Promise.all(Array.from({ length: 20 },
			() => post(`/claims/${claims[0].id}/approve`, ctx.bureau.token)));
		assert.equal(answers.filter((r) => r.status === 200).length, 1);
		for (const r of answers.filter((x) => x.status !== 200)) expectError(r, 409, 'invalid_state');
		assert.equal((await getOk(`/funds/${ctx.fund.id}`, ctx.bureau.token)).balance_fen, 9 * FUND_SHARE_FEN);
		assert.equal((await ledgerCheck()).balanced, true);
	});
});
