// Every limit that protects money is decided inside the transaction that
// moves it (api.md "Limits checked where the money moves"): an approval is
// no more than the amount asked and within the product's range, a
// disbursement is exactly the approved amount, the programme's cap per
// enterprise holds at submit, approve and disburse (also when requests race
// or the bureau lowers the cap), and a product's monthly capacity holds
// under parallel submissions. Each refusal is 409 not_eligible naming the
// limit, and changes nothing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	api, applicationIn, createApplication, createProduct, districtDay, expectError, expectStatus, freshUser,
	roleUser, setCreditScore, sql,
} from './lib.mjs';
import { APPROVE, fundedProgram, getOk, post } from './ledger_helpers.mjs';

const move = (id, action, token, body, key) => post(`/applications/${id}/${action}`, token, body, key);
const TODAY = () => districtDay(0);

/** PATCHes the programme's cap per enterprise as the bureau. */
async function setCap(ctx, capFen) {
	const res = await api('PATCH', `/api/v1/programs/${ctx.program.id}`, {
		token: ctx.bureau.token, body: { max_amount_per_enterprise_fen: capFen },
	});
	expectStatus(res, 200);
}

/** What counts against the cap, read from the database: outstanding loans plus open applications. */
function exposure(enterpriseId, programId) {
	const [[loans, apps]] = sql(`SELECT
		(SELECT COALESCE(SUM(outstanding_fen), 0) FROM loans WHERE enterprise_id = ${enterpriseId} AND program_id = ${programId}),
		(SELECT COALESCE(SUM(IF(a.status = 'approved', a.approved_amount_fen, a.amount_fen)), 0) FROM applications a
		 JOIN products p ON p.id = a.product_id WHERE a.enterprise_id = ${enterpriseId} AND p.program_id = ${programId}
		 AND a.status IN ('pending_bank', 'accepted', 'approved'))`);
	return { loans: Number(loans), apps: Number(apps) };
}

/** n applications of amountFen each, filed (not yet submitted) by ctx.sme. */
function fileApps(ctx, n, amountFen) {
	return Promise.all(Array.from({ length: n }, () => createApplication(ctx.sme.token, { amount_fen: amountFen })));
}

describe('approval and disbursement amounts', () => {
	test('an approval above the amount asked is 409 not_eligible naming amount_fen and changes nothing; a partial approval works', async () => {
		// The product allows up to 3,000,000 yuan; the enterprise asked 500,000.
		const { bank, app } = await applicationIn('accepted');
		const e = expectError(await move(app.id, 'approve', bank.token, { ...APPROVE, amount_fen: 60000000 }),
			409, 'not_eligible', 'amount_fen');
		assert.match(e.message, /asked/);
		const same = await getOk(`/applications/${app.id}`, bank.token);
		assert.equal(same.status, 'accepted');
		assert.equal(same.approved_amount_fen, null);
		// exactly the amount asked, and a part of it, are fine
		const partial = expectStatus(await move(app.id, 'approve', bank.token, { ...APPROVE, amount_fen: 30000000 }), 200);
		assert.equal(partial.status, 'approved');
		assert.equal(partial.approved_amount_fen, 30000000);
		const loan = expectStatus(await move(app.id, 'disburse', bank.token, { disbursed_on: TODAY() }), 201);
		assert.equal(loan.principal_fen, 30000000);
		const whole = await applicationIn('accepted');
		expectStatus(await move(whole.app.id, 'approve', whole.bank.token, { ...APPROVE, amount_fen: whole.app.amount_fen }), 200);
	});

	test('an approval outside the product\'s amount range is 409 not_eligible naming amount_fen', async () => {
		const { bank, app, product } = await applicationIn('accepted');
		for (const amount of [product.amount_min_fen - 1, product.amount_max_fen + 1]) {
			const e = expectError(await move(app.id, 'approve', bank.token, { ...APPROVE, amount_fen: amount }),
				409, 'not_eligible', 'amount_fen');
			assert.match(e.message, /amount range/);
		}
		assert.equal((await getOk(`/applications/${app.id}`, bank.token)).status, 'accepted');
	});

	test('a disbursement of another amount than the approved one is 409 not_eligible and makes no loan', async () => {
		const { bank, app } = await applicationIn('approved');	// approved at 40,000,000 fen
		for (const amount of [40000001, 39999999, 4000000000]) {
			const e = expectError(await move(app.id, 'disburse', bank.token, { disbursed_on: TODAY(), amount_fen: amount }),
				409, 'not_eligible', 'amount_fen');
			assert.match(e.message, /approved/);
		}
		assert.equal(sql(`SELECT COUNT(*) FROM loans WHERE application_id = ${app.id}`)[0][0], '0');
		assert.equal((await getOk(`/applications/${app.id}`, bank.token)).status, 'approved');
		const loan = expectStatus(await move(app.id, 'disburse', bank.token, { disbursed_on: TODAY(), amount_fen: 40000000 }), 201);
		assert.equal(loan.principal_fen, 40000000);
		assert.equal(loan.outstanding_fen, 40000000);
	});

	test('an approval made above the amount asked before approvals were bounded cannot be disbursed', async () => {
		const { bank, app } = await applicationIn('approved');
		sql(`UPDATE applications SET approved_amount_fen = amount_fen + 1 WHERE id = ${app.id}`);
		expectError(await move(app.id, 'disburse', bank.token, { disbursed_on: TODAY() }), 409, 'not_eligible');
		assert.equal(sql(`SELECT COUNT(*) FROM loans WHERE application_id = ${app.id}`)[0][0], '0');
	});
});

describe('the programme\'s cap per enterprise', () => {
	test('four applications submitted in parallel, each under the cap, together over it: only what fits is accepted', async () => {
		const ctx = await fundedProgram();
		await setCap(ctx, 100000000);	// 1,000,000 yuan; four of 400,000 yuan
		const apps = await fileApps(ctx, 4, 40000000);
		const answers = await Promise.all(apps.map((a) => move(a.id, 'submit', ctx.sme.token, { product_id: ctx.product.id })));
		const won = answers.filter((r) => r.status === 200);
		assert.equal(won.length, 2, `statuses ${answers.map((r) => r.status)}`);
		for (const r of answers.filter((x) => x.status !== 200)) {
			const e = expectError(r, 409, 'not_eligible', 'product_id');
			assert.match(e.message, /cap per enterprise/);
		}
		assert.ok(exposure(ctx.sme.enterprise.id, ctx.program.id).apps <= 100000000);
		// approve and disburse all that were accepted: still within the cap
		await Promise.all(won.map(async (r) => {
			const id = r.json.id;
			expectStatus(await move(id, 'accept', ctx.bank.token), 200);
			expectStatus(await move(id, 'approve', ctx.bank.token, { ...APPROVE, amount_fen: 40000000 }), 200);
			expectStatus(await move(id, 'disburse', ctx.bank.token, { disbursed_on: TODAY() }), 201);
		}));
		const x = exposure(ctx.sme.enterprise.id, ctx.program.id);
		assert.equal(x.loans, 80000000);
		assert.equal(x.apps, 0);
		// a refused one stays submitted; with room made by a repayment it goes through
		const refused = apps.find((a) => !won.some((r) => r.json.id === a.id));
		assert.equal((await getOk(`/applications/${refused.id}`, ctx.sme.token)).status, 'submitted');
		expectError(await move(refused.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 409, 'not_eligible', 'product_id');
		const [loan] = (await getOk('/loans', ctx.sme.token)).items;
		expectStatus(await post(`/loans/${loan.id}/repayments`, ctx.bank.token, { amount_fen: 20000000, paid_on: TODAY() }), 201);
		expectStatus(await move(refused.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 200);
		assert.equal(exposure(ctx.sme.enterprise.id, ctx.program.id).loans + 40000000, 100000000);
	});

	test('a withdrawal or rejection gives the room back', async () => {
		const ctx = await fundedProgram();
		await setCap(ctx, 50000000);
		const [a, b, c] = await fileApps(ctx, 3, 30000000);
		expectStatus(await move(a.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 200);
		expectError(await move(b.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 409, 'not_eligible', 'product_id');
		expectStatus(await move(a.id, 'withdraw', ctx.sme.token), 200);
		expectStatus(await move(b.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 200);
		expectError(await move(c.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 409, 'not_eligible', 'product_id');
		expectStatus(await move(b.id, 'reject', ctx.bank.token, { reason: '资料不全' }), 200);
		expectStatus(await move(c.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 200);
	});

	test('the cap is checked again at approve and at disburse after the bureau lowers it; a refused disbursement retried with its key goes through once there is room', async () => {
		const ctx = await fundedProgram();
		await setCap(ctx, 200000000);
		const [a, b] = await fileApps(ctx, 2, 80000000);
		for (const x of [a, b]) {
			expectStatus(await move(x.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 200);
			expectStatus(await move(x.id, 'accept', ctx.bank.token), 200);
		}
		expectStatus(await move(a.id, 'approve', ctx.bank.token, { ...APPROVE, amount_fen: 80000000 }), 200);
		await setCap(ctx, 100000000);
		let e = expectError(await move(b.id, 'approve', ctx.bank.token, { ...APPROVE, amount_fen: 80000000 }),
			409, 'not_eligible', 'amount_fen');
		assert.match(e.message, /cap per enterprise/);
		assert.equal((await getOk(`/applications/${b.id}`, ctx.bank.token)).status, 'accepted');
		expectStatus(await move(b.id, 'approve', ctx.bank.token, { ...APPROVE, amount_fen: 20000000 }), 200);
		await setCap(ctx, 90000000);
		const key = `cap-${a.id}`;
		e = expectError(await move(a.id, 'disburse', ctx.bank.token, { disbursed_on: TODAY() }, key), 409, 'not_eligible');
		assert.match(e.message, /cap per enterprise/);
		assert.equal(sql(`SELECT COUNT(*) FROM loans WHERE application_id = ${a.id}`)[0][0], '0');
		await setCap(ctx, 100000000);
		const loan = expectStatus(await move(a.id, 'disburse', ctx.bank.token, { disbursed_on: TODAY() }, key), 201);
		assert.equal(loan.principal_fen, 80000000);
		const again = await move(a.id, 'disburse', ctx.bank.token, { disbursed_on: TODAY() }, key);
		assert.equal(expectStatus(again, 201).id, loan.id, 'the retry replays, no second loan');
		expectStatus(await move(b.id, 'disburse', ctx.bank.token, { disbursed_on: TODAY() }), 201);
		const x = exposure(ctx.sme.enterprise.id, ctx.program.id);
		assert.equal(x.loans, 100000000);
	});

	test('applications already pending over a lowered cap: parallel approvals and disbursements never take the enterprise above it', async () => {
		const ctx = await fundedProgram();
		const apps = await fileApps(ctx, 4, 40000000);
		for (const a of apps) {
			expectStatus(await move(a.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }), 200);
			expectStatus(await move(a.id, 'accept', ctx.bank.token), 200);
		}
		await setCap(ctx, 100000000);
		const approvals = await Promise.all(apps.map((a) =>
			move(a.id, 'approve', ctx.bank.token, { ...APPROVE, amount_fen: 40000000 })));
		// all four still count as accepted at 40,000,000: no approval fits
		for (const r of approvals) expectError(r, 409, 'not_eligible', 'amount_fen');
		// two withdrawn: two fit, approved and disbursed in parallel
		expectStatus(await move(apps[2].id, 'withdraw', ctx.sme.token), 200);
		expectStatus(await move(apps[3].id, 'withdraw', ctx.sme.token), 200);
		const ok = await Promise.all(apps.slice(0, 2).map((a) =>
			move(a.id, 'approve', ctx.bank.token, { ...APPROVE, amount_fen: 40000000 })));
		ok.forEach((r) => expectStatus(r, 200));
		await setCap(ctx, 60000000);
		const paid = await Promise.all(apps.slice(0, 2).map((a) =>
			move(a.id, 'disburse', ctx.bank.token, { disbursed_on: TODAY() })));
		// 80,000,000 approved against a cap of 60,000,000: neither fits
		for (const r of paid) expectError(r, 409, 'not_eligible');
		const x = exposure(ctx.sme.enterprise.id, ctx.program.id);
		assert.equal(x.loans, 0);
		assert.ok(x.loans + x.apps <= 80000000);
	});

	test('open applications summing past int64 are over any cap, never wrapped round to room', async () => {
		const ctx = await fundedProgram();
		await setCap(ctx, 1000000000000000);	// 10^15 fen, the largest cap
		const [mine] = await fileApps(ctx, 1, 1000000);
		// 9,300 pending applications of 10^15 fen each: 9.3 × 10^18 > 2^63 − 1
		const tag = `int64-${mine.id}`;
		sql(`INSERT INTO applications (enterprise_id, product_id, institution_id, status, amount_fen, term_months,
			purpose, collateral, pending_since, response_due_at, created_by)
			SELECT ${ctx.sme.enterprise.id}, ${ctx.product.id}, ${ctx.product.institution_id}, 'pending_bank',
			1000000000000000, 12, '${tag}', 'none', NULL, NULL, ${ctx.sme.id} FROM seq_1_to_9300`);
		try {
			const e = expectError(await move(mine.id, 'submit', ctx.sme.token, { product_id: ctx.product.id }),
				409, 'not_eligible', 'product_id');
			assert.match(e.message, /cap per enterprise/);
			assert.equal((await getOk(`/applications/${mine.id}`, ctx.sme.token)).status, 'submitted');
		} finally {
			sql(`DELETE FROM applications WHERE enterprise_id = ${ctx.sme.enterprise.id} AND purpose = '${tag}'`);
		}
	});
});

describe('a product\'s monthly capacity', () => {
	test('parallel submissions against a capacity of 2, 30 rounds: never more than 2 accepted', async () => {
		const bank = await freshUser('bank');
		const smes = await Promise.all([0, 1].map(() => freshUser('sme')));
		for (const s of smes) setCreditScore(s.enterprise.id, { grade: 'B' });
		for (let round = 0; round < 30; round++) {
			const product = await createProduct({ status: 'active', monthly_capacity: 2 }, { token: bank.token });
			const apps = await Promise.all(Array.from({ length: 5 }, (_, i) =>
				createApplication(smes[i % 2].token)));
			const answers = await Promise.all(apps.map((a, i) =>
				move(a.id, 'submit', smes[i % 2].token, { product_id: product.id })));
			const statuses = answers.map((r) => r.status);
			const won = statuses.filter((s) => s === 200).length;
			assert.ok(won <= 2, `round ${round}: ${won} accepted with capacity 2 (${statuses})`);
			for (const r of answers) if (r.status !== 200) expectError(r, 409, 'not_eligible', 'product_id');
			const [[n]] = sql(`SELECT COUNT(*) FROM applications WHERE product_id = ${product.id}`);
			assert.ok(Number(n) <= 2, `round ${round}: ${n} applications on the product`);
		}
	});

	test('a product whose capacity is taken refuses naming its monthly capacity', async () => {
		const { sme, product } = await applicationIn('pending_bank', { productOverrides: { monthly_capacity: 1 } });
		const next = await createApplication(sme.token);
		const e = expectError(await move(next.id, 'submit', sme.token, { product_id: product.id }), 409, 'not_eligible', 'product_id');
		assert.match(e.message, /capacity/);
		assert.equal((await getOk(`/applications/${next.id}`, sme.token)).status, 'submitted');
	});
});

test('the server still answers health after the races', async () => {
	expectStatus(await api('GET', '/api/v1/health'), 200);
	assert.ok((await roleUser('bureau')).token);
});
