// Applications (/api/v1/applications) and loans (/api/v1/loans): filing a
// demand with consents, submitting it to a product (eligibility, deadline,
// consent for the product's bank), every transition legal and illegal for
// each role, the timeline, the overdue flag, notifications, audit rows,
// loans with the programme's split, and who sees what.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, api, applicationBody, applicationIn, assertKeys, assertList, auditRows, createApplication,
	createInstitution, createProduct, createProgram, districtDay, expectError, expectStatus, freshUser, listAll,
	roleUser, setCreditScore, sql,
} from './lib.mjs';

const A = '/api/v1/applications';
const APP_KEYS = ['id', 'enterprise_id', 'enterprise_name', 'status', 'amount_fen', 'term_months', 'purpose',
	'collateral', 'first_bank_loan', 'authorized_institution_ids', 'product_id', 'product_name', 'institution_id',
	'institution_name', 'pending_since', 'response_due_at', 'overdue', 'approved_amount_fen', 'approved_rate_bps',
	'approved_term_months', 'reject_reason', 'loan_id', 'created_at', 'updated_at', 'timeline'];
const LOAN_KEYS = ['id', 'application_id', 'enterprise_id', 'institution_id', 'product_id', 'program_id',
	'principal_fen', 'outstanding_fen', 'rate_bps', 'term_months', 'disbursed_on', 'maturity_on', 'status', 'shares'];

let bureau;
let park;

before(async () => {
	[bureau, park] = await Promise.all([roleUser('bureau'), roleUser('park')]);
});

const post = (id, action, token, body) => api('POST', `${A}/${id}/${action}`, { token, body });
const get = (id, token) => api('GET', `${A}/${id}`, { token });
const APPROVE = { amount_fen: 40000000, rate_bps: 450, term_months: 12 };

describe('create', () => {
	test('an sme files an application: 201 submitted with its timeline and consents', async () => {
		const sme = await freshUser('sme');
		const inst = await createInstitution();
		const app = await createApplication(sme.token, { authorized_institution_ids: [inst.id], first_bank_loan: true });
		assertKeys(app, APP_KEYS, 'application');
		assert.equal(app.status, 'submitted');
		assert.equal(app.enterprise_id, sme.enterprise.id);
		assert.equal(app.first_bank_loan, true);
		assert.deepEqual(app.authorized_institution_ids, [inst.id]);
		assert.equal(app.product_id, null);
		assert.equal(app.overdue, false);
		assert.equal(app.timeline.length, 1);
		assertKeys(app.timeline[0], ['status', 'at', 'by_role']);
		assert.equal(app.timeline[0].status, 'submitted');
		assert.equal(app.timeline[0].by_role, 'sme');
		assert.match(app.timeline[0].at, RFC3339_UTC);
		const auths = sql(`SELECT institution_id, source, application_id, DATEDIFF(expires_at, granted_at)
			FROM credit_authorizations WHERE enterprise_id = ${sme.enterprise.id}`);
		assert.deepEqual(auths, [[String(inst.id), 'application', String(app.id), '180']]);
	});

	test('a missing institution is 400 naming its index; nothing is stored', async () => {
		const sme = await freshUser('sme');
		const inst = await createInstitution();
		const res = await api('POST', A, { token: sme.token, body: applicationBody({ authorized_institution_ids: [inst.id, 99999999] }) });
		expectError(res, 400, 'validation_failed', 'authorized_institution_ids[1]');
		assert.equal(sql(`SELECT COUNT(*) FROM applications WHERE enterprise_id = ${sme.enterprise.id}`)[0][0], '0');
	});

	test('bad fields are 400 naming the field', async () => {
		const sme = await freshUser('sme');
		for (const [over, field] of [
			[{ amount_fen: 0 }, 'amount_fen'], [{ amount_fen: 1.5 }, 'amount_fen'], [{ term_months: 0 }, 'term_months'],
			[{ purpose: '   ' }, 'purpose'], [{ collateral: 'gold' }, 'collateral'], [{ extra: 1 }, 'extra'],
			[{ authorized_institution_ids: [1, 1] }, 'authorized_institution_ids[1]'],
			[{ authorized_institution_ids: ['x'] }, 'authorized_institution_ids[0]'],
		]) {
			const res = await api('POST', A, { token: sme.token, body: applicationBody(over) });
			expectError(res, 400, 'validation_failed', field);
		}
	});

	test('creating writes an audit row and notifies the enterprise', async () => {
		const sme = await freshUser('sme');
		const app = await createApplication(sme.token);
		const rows = await auditRows({ action: 'application.create', target_id: String(app.id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].status, 201);
		const notes = (await listAll('/api/v1/notifications', sme.token)).filter((n) => n.ref_id === app.id);
		assert.ok(notes.length >= 1);
	});
});

describe('submit', () => {
	test('submit moves to pending_bank with a deadline 3 working days on, consent for the bank and notifications', async () => {
		const { sme, bank, product, app } = await applicationIn('pending_bank');
		assert.equal(app.status, 'pending_bank');
		assert.equal(app.product_id, product.id);
		assert.equal(app.institution_id, bank.user.org_id);
		assert.match(app.pending_since, RFC3339_UTC);
		assert.match(app.response_due_at, RFC3339_UTC);
		const days = (Date.parse(app.response_due_at) - Date.parse(app.pending_since)) / 86400000;
		assert.ok(Number.isInteger(days) && days >= 3 && days <= 12, `deadline ${days} days`);
		assert.deepEqual(app.timeline.map((e) => e.status), ['submitted', 'pending_bank']);
		// the product's bank may now read the credit detail
		setCreditScore(sme.enterprise.id, { grade: 'B' });
		const credit = await api('GET', `/api/v1/enterprises/${sme.enterprise.id}/credit`, { token: bank.token });
		assert.equal(credit.status, 200, credit.text);
		const bankNotes = (await listAll('/api/v1/notifications', bank.token)).filter((n) => n.ref_id === app.id);
		assert.equal(bankNotes.length, 1);
		const rows = await auditRows({ action: 'application.submit', target_id: String(app.id) });
		assert.equal(rows.length, 1);
	});

	test('the deadline skips the seeded holidays (a Friday before a week off)', async () => {
		const { app } = await applicationIn('pending_bank');
		// recompute in SQL for the row as stored: the due day is a working day
		const [[due, isHoliday]] = sql(`SELECT DATE(response_due_at + INTERVAL 8 HOUR),
			COALESCE((SELECT is_workday = 0 FROM public_holidays WHERE day = DATE(a.response_due_at + INTERVAL 8 HOUR)), 0)
			FROM applications a WHERE id = ${app.id}`);
		assert.equal(isHoliday, '0', `due ${due} is a holiday`);
	});

	test('a product whose criteria the enterprise fails is 409 not_eligible; nothing changes', async () => {
		const { sme, app } = await applicationIn('submitted', { grade: 'C' });
		const bank = await freshUser('bank');
		const strict = await createProduct({ status: 'active', criteria: { min_grade: 'A' } }, { token: bank.token });
		const e = expectError(await post(app.id, 'submit', sme.token, { product_id: strict.id }), 409, 'not_eligible');
		assert.ok(e.message.length > 10);
		assert.equal(expectStatus(await get(app.id, sme.token), 200).status, 'submitted');
	});

	test('an unknown or inactive product is 404 naming product_id', async () => {
		const { sme, bank, app } = await applicationIn('submitted');
		expectError(await post(app.id, 'submit', sme.token, { product_id: 99999999 }), 404, 'not_found', 'product_id');
		const draft = await createProduct({ status: 'draft' }, { token: bank.token });
		expectError(await post(app.id, 'submit', sme.token, { product_id: draft.id }), 404, 'not_found', 'product_id');
	});

	test('another enterprise cannot submit it (404), and a second submit is 409 invalid_state', async () => {
		const { sme, product, app } = await applicationIn('pending_bank');
		const other = await freshUser('sme');
		expectError(await post(app.id, 'submit', other.token, { product_id: product.id }), 404, 'not_found');
		expectError(await post(app.id, 'submit', sme.token, { product_id: product.id }), 409, 'invalid_state');
	});
});

describe('transitions', () => {
	test('the whole path: accept, approve, disburse, with timeline, audit rows and notifications', async () => {
		const { sme, app, loan } = await applicationIn('disbursed');
		assert.equal(app.status, 'disbursed');
		assert.deepEqual(app.timeline.map((e) => [e.status, e.by_role]), [
			['submitted', 'sme'], ['pending_bank', 'sme'], ['accepted', 'bank'], ['approved', 'bank'], ['disbursed', 'bank']]);
		assert.equal(app.loan_id, loan.id);
		for (const action of ['accept', 'approve', 'disburse']) {
			const rows = await auditRows({ action: `application.${action}`, target_id: String(app.id) });
			assert.equal(rows.length, 1, action);
		}
		const notes = (await listAll('/api/v1/notifications', sme.token)).filter((n) => n.ref_type === 'application' && n.ref_id === app.id);
		assert.ok(notes.length >= 5, `notifications ${notes.length}`);
		assertKeys(loan, LOAN_KEYS, 'loan');
		assert.equal(loan.principal_fen, 40000000);
		assert.equal(loan.outstanding_fen, 40000000);
		assert.equal(loan.status, 'performing');
		assert.deepEqual(loan.shares, { fund_bps: 0, bank_bps: 10000, guarantor_bps: 0 });
	});

	test('a programme product snapshots the programme split; maturity is disbursed_on + term', async () => {
		const program = await createProgram({ fund_share_bps: 3000, bank_share_bps: 5000, guarantor_share_bps: 2000 });
		const { loan } = await applicationIn('disbursed', { productOverrides: { program_id: program.id } });
		assert.equal(loan.program_id, program.id);
		assert.deepEqual(loan.shares, { fund_bps: 3000, bank_bps: 5000, guarantor_bps: 2000 });
		const d = new Date(loan.disbursed_on + 'T00:00:00Z');
		d.setUTCMonth(d.getUTCMonth() + 12);
		assert.equal(loan.maturity_on, d.toISOString().slice(0, 10));
	});

	test('approve outside the product ranges: an amount is 409 not_eligible, a rate or term 400, naming the field', async () => {
		const { bank, app } = await applicationIn('accepted');
		expectError(await post(app.id, 'approve', bank.token, { ...APPROVE, amount_fen: 1 }), 409, 'not_eligible', 'amount_fen');
		for (const [over, field] of [[{ rate_bps: 100 }, 'rate_bps'], [{ term_months: 60 }, 'term_months']]) {
			expectError(await post(app.id, 'approve', bank.token, { ...APPROVE, ...over }), 400, 'validation_failed', field);
		}
	});

	test('disburse dates: not a date, in the future, before approval are 400', async () => {
		const { bank, app } = await applicationIn('approved');
		expectError(await post(app.id, 'disburse', bank.token, { disbursed_on: '2025-02-30' }), 400, 'validation_failed', 'disbursed_on');
		expectError(await post(app.id, 'disburse', bank.token, { disbursed_on: districtDay(2) }), 400, 'validation_failed', 'disbursed_on');
		expectError(await post(app.id, 'disburse', bank.token, { disbursed_on: districtDay(-3) }), 400, 'validation_failed', 'disbursed_on');
		assert.equal(sql(`SELECT COUNT(*) FROM loans WHERE application_id = ${app.id}`)[0][0], '0');
	});

	test('reject from pending_bank and from accepted keeps the reason; withdraw before approval', async () => {
		const a = await applicationIn('pending_bank');
		let r = expectStatus(await post(a.app.id, 'reject', a.bank.token, { reason: '资料不全' }), 200);
		assert.equal(r.status, 'rejected');
		assert.equal(r.reject_reason, '资料不全');
		const b = await applicationIn('accepted');
		r = expectStatus(await post(b.app.id, 'reject', b.bank.token, { reason: '额度不足' }), 200);
		assert.equal(r.status, 'rejected');
		for (const stage of ['submitted', 'pending_bank', 'accepted']) {
			const c = await applicationIn(stage);
			r = expectStatus(await post(c.app.id, 'withdraw', c.sme.token), 200);
			assert.equal(r.status, 'withdrawn', stage);
			assert.equal(r.timeline.at(-1).status, 'withdrawn');
		}
		expectError(await post(a.app.id, 'reject', a.bank.token, { reason: '   ' }), 400, 'validation_failed', 'reason');
	});

	test('every illegal transition is 409 invalid_state', async () => {
		const legal = {
			submitted: ['withdraw'],
			pending_bank: ['accept', 'reject', 'withdraw'],
			accepted: ['approve', 'reject', 'withdraw'],
			approved: ['disburse'],
			disbursed: [],
		};
		for (const stage of Object.keys(legal)) {
			const s = await applicationIn(stage);
			const bodies = { approve: APPROVE, reject: { reason: '不符合' }, disburse: { disbursed_on: districtDay(0) } };
			for (const action of ['accept', 'approve', 'reject', 'disburse', 'withdraw']) {
				if (legal[stage].includes(action)) continue;
				const token = action === 'withdraw' ? s.sme.token : s.bank.token;
				if (stage === 'submitted' && action !== 'withdraw') {
					// not yet submitted to the bank's product: the bank cannot see it
					expectError(await post(s.app.id, action, token, bodies[action]), 404, 'not_found');
					continue;
				}
				expectError(await post(s.app.id, action, token, bodies[action]), 409, 'invalid_state');
			}
		}
	});

	test('another institution\'s bank gets 404 for every bank action and for reads', async () => {
		const { app } = await applicationIn('pending_bank');
		const other = await freshUser('bank');
		for (const [action, body] of [['accept'], ['approve', APPROVE], ['reject', { reason: 'x' }], ['disburse', { disbursed_on: districtDay(0) }]]) {
			expectError(await post(app.id, action, other.token, body), 404, 'not_found');
		}
		expectError(await get(app.id, other.token), 404, 'not_found');
	});

	test('roles the route does not allow are 403', async () => {
		const { app, bank, sme } = await applicationIn('pending_bank');
		expectError(await post(app.id, 'accept', sme.token), 403, 'forbidden');
		expectError(await post(app.id, 'withdraw', bank.token), 403, 'forbidden');
		expectError(await post(app.id, 'accept', bureau.token), 403, 'forbidden');
		expectError(await post(app.id, 'submit', park.token, { product_id: 1 }), 403, 'forbidden');
	});
});

describe('reads', () => {
	test('visibility: sme own, bank submitted to it, park its park, bureau all', async () => {
		const { sme, bank, app } = await applicationIn('pending_bank');
		const other = await freshUser('sme');
		expectStatus(await get(app.id, sme.token), 200);
		expectStatus(await get(app.id, bank.token), 200);
		expectStatus(await get(app.id, bureau.token), 200);
		expectStatus(await get(app.id, park.token), 200);	// registered in park 1
		expectError(await get(app.id, other.token), 404, 'not_found');
		const park2 = await freshUser('park', 2);
		expectError(await get(app.id, park2.token), 404, 'not_found');
		const own = await listAll(A, sme.token);
		assert.deepEqual(own.map((a) => a.id), [app.id]);
		assert.deepEqual((await listAll(A, bank.token)).map((a) => a.id), [app.id]);
		assert.equal((await listAll(A, other.token)).length, 0);
		assert.equal((await listAll(A, bank.token))[0].timeline.length, 2);
	});

	test('status filter, bad filters are 400', async () => {
		const { sme } = await applicationIn('pending_bank');
		await createApplication(sme.token);
		assert.equal((await listAll(`${A}?status=submitted`, sme.token)).length, 1);
		assert.equal((await listAll(`${A}?status=pending_bank`, sme.token)).length, 1);
		expectError(await api('GET', `${A}?status=nope`, { token: sme.token }), 400, 'validation_failed', 'status');
		expectError(await api('GET', `${A}?overdue=2`, { token: sme.token }), 400, 'validation_failed', 'overdue');
	});

	test('a pending_bank application past its deadline is overdue and listed with overdue=1', async () => {
		const { sme, app } = await applicationIn('pending_bank');
		assert.equal(app.overdue, false);
		sql(`UPDATE applications SET response_due_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE id = ${app.id}`);
		assert.equal(expectStatus(await get(app.id, sme.token), 200).overdue, true);
		const overdue = await listAll(`${A}?overdue=1`, bureau.token);
		assert.ok(overdue.some((a) => a.id === app.id));
		assert.ok(overdue.every((a) => a.overdue && a.status === 'pending_bank'));
	});

	test('loans: bank its own, sme its own, park its park, bureau all; others 404', async () => {
		const { sme, bank, loan } = await applicationIn('disbursed');
		for (const token of [sme.token, bank.token, bureau.token, park.token]) {
			assertKeys(expectStatus(await api('GET', `/api/v1/loans/${loan.id}`, { token }), 200), LOAN_KEYS);
		}
		for (const role of ['sme', 'bank']) {
			const other = await freshUser(role);
			expectError(await api('GET', `/api/v1/loans/${loan.id}`, { token: other.token }), 404, 'not_found');
			assert.equal((await listAll('/api/v1/loans', other.token)).length, 0);
		}
		assert.deepEqual((await listAll('/api/v1/loans', sme.token)).map((l) => l.id), [loan.id]);
		assert.deepEqual((await listAll('/api/v1/loans', bank.token)).map((l) => l.id), [loan.id]);
		assertList(await api('GET', '/api/v1/loans', { token: bureau.token }));
	});
});

describe('expiry', () => {
	// The server's housekeeping round runs every XYD_HOUSEKEEPING_S seconds
	// (1 s under make test); wait for it to reach the application.
	async function statusEventually(id, token, want, timeoutMs = 15000) {
		const until = Date.now() + timeoutMs;
		let app;
		do {
			app = expectStatus(await get(id, token), 200);
			if (app.status === want) return app;
			await new Promise((r) => setTimeout(r, 250));
		} while (Date.now() < until);
		return app;
	}

	test('a demand never sent to a product expires 30 days after it was made, by "system", with a notification', async () => {
		const { sme, app } = await applicationIn('submitted');
		sql(`UPDATE applications SET created_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY WHERE id = ${app.id}`);
		const after = await statusEventually(app.id, sme.token, 'expired');
		assert.equal(after.status, 'expired');
		const last = after.timeline[after.timeline.length - 1];
		assert.deepEqual([last.status, last.by_role], ['expired', 'system']);
		const [[notes]] = sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'application.expired'
			AND ref_type = 'application' AND ref_id = ${app.id}`);
		assert.equal(notes, '1');
		const audit = await auditRows({ action: 'application.expire', target_id: String(app.id) });
		assert.deepEqual(audit.map((r) => [r.role, r.actor_id]), [['system', null]]);
		expectError(await post(app.id, 'withdraw', sme.token), 409, 'invalid_state');
	});

	test('a demand younger than 30 days, and one a bank answered, do not expire', async () => {
		const young = await applicationIn('submitted');
		sql(`UPDATE applications SET created_at = UTC_TIMESTAMP(6) - INTERVAL 29 DAY WHERE id = ${young.app.id}`);
		const accepted = await applicationIn('accepted');
		sql(`UPDATE applications SET created_at = UTC_TIMESTAMP(6) - INTERVAL 90 DAY,
			response_due_at = UTC_TIMESTAMP(6) - INTERVAL 60 DAY WHERE id = ${accepted.app.id}`);
		// A fresh stale one: once it has expired, a round has passed over the others.
		const probe = await applicationIn('submitted');
		sql(`UPDATE applications SET created_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY WHERE id = ${probe.app.id}`);
		assert.equal((await statusEventually(probe.app.id, probe.sme.token, 'expired')).status, 'expired');
		assert.equal(expectStatus(await get(young.app.id, young.sme.token), 200).status, 'submitted');
		assert.equal(expectStatus(await get(accepted.app.id, accepted.sme.token), 200).status, 'accepted');
	});

	test('a pending_bank application 30 days past its bank\'s deadline expires; the bank can no longer accept it', async () => {
		const { sme, bank, app } = await applicationIn('pending_bank');
		sql(`UPDATE applications SET response_due_at = UTC_TIMESTAMP(6) - INTERVAL 31 DAY WHERE id = ${app.id}`);
		const after = await statusEventually(app.id, sme.token, 'expired');
		assert.equal(after.status, 'expired');
		assert.equal(after.timeline.at(-1).by_role, 'system');
		expectError(await post(app.id, 'accept', bank.token), 409, 'invalid_state');
	});
});

describe('holidays', () => {
	test('the seeded 2025 National Day break is listed; the bureau adds a day', async () => {
		const items = assertList(await api('GET', '/api/v1/holidays?year=2025', { token: bureau.token })).items;
		assert.ok(items.some((h) => h.day === '2025-10-01' && !h.is_workday));
		assert.ok(items.some((h) => h.day === '2025-10-11' && h.is_workday));
		const day = `2199-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
		const res = await api('POST', '/api/v1/holidays', { token: bureau.token, body: { day, name: '测试假日', is_workday: false } });
		expectStatus(res, [200, 201]);
		const again = await api('POST', '/api/v1/holidays', { token: bureau.token, body: { day, name: '测试假日', is_workday: true } });
		expectStatus(again, 200);
		expectError(await api('POST', '/api/v1/holidays', { token: bureau.token, body: { day: '2025-13-01', name: 'x', is_workday: false } }), 400, 'validation_failed', 'day');
	});
});
