// Idempotency-Key on POST /applications and POST /applications/{id}/disburse:
// the same key, user and body answer the first answer again and change
// nothing; another body or path is 409 conflict; a malformed key is 400;
// twenty identical requests at once make exactly one application.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { api, applicationBody, applicationIn, districtDay, expectError, expectStatus, freshUser, hex, sql } from './lib.mjs';

const A = '/api/v1/applications';
const withKey = (key) => ({ 'idempotency-key': key });
const count = (enterpriseId) => Number(sql(`SELECT COUNT(*) FROM applications WHERE enterprise_id = ${enterpriseId}`)[0][0]);

describe('Idempotency-Key', () => {
	test('the same key and body answer the first answer again and store one application', async () => {
		const sme = await freshUser('sme');
		const key = `k-${hex(8)}`;
		const body = applicationBody();
		const first = await api('POST', A, { token: sme.token, body, headers: withKey(key) });
		expectStatus(first, 201);
		const second = await api('POST', A, { token: sme.token, body, headers: withKey(key) });
		assert.equal(second.status, 201);
		assert.equal(second.text, first.text);
		assert.equal(second.headers.get('idempotent-replayed'), 'true');
		assert.equal(count(sme.enterprise.id), 1);
		const audits = sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'application.create' AND target_id = '${first.json.id}'`);
		assert.equal(audits[0][0], '1');
	});

	test('the same key with another body or path is 409 conflict naming the header', async () => {
		const sme = await freshUser('sme');
		const key = `k-${hex(8)}`;
		expectStatus(await api('POST', A, { token: sme.token, body: applicationBody(), headers: withKey(key) }), 201);
		const res = await api('POST', A, { token: sme.token, body: applicationBody({ amount_fen: 60000000 }), headers: withKey(key) });
		expectError(res, 409, 'conflict', 'Idempotency-Key');
		// the same bytes reformatted are another body
		const raw = JSON.stringify(applicationBody(), null, 2);
		expectError(await api('POST', A, { token: sme.token, rawBody: raw, headers: withKey(key) }), 409, 'conflict', 'Idempotency-Key');
		assert.equal(count(sme.enterprise.id), 1);
	});

	test('keys are per user: another user with the same key makes its own application', async () => {
		const [a, b] = await Promise.all([freshUser('sme'), freshUser('sme')]);
		const key = `shared-${hex(6)}`;
		expectStatus(await api('POST', A, { token: a.token, body: applicationBody(), headers: withKey(key) }), 201);
		expectStatus(await api('POST', A, { token: b.token, body: applicationBody(), headers: withKey(key) }), 201);
		assert.equal(count(a.enterprise.id), 1);
		assert.equal(count(b.enterprise.id), 1);
	});

	test('a malformed key is 400 naming Idempotency-Key', async () => {
		const sme = await freshUser('sme');
		for (const key of ['a'.repeat(65), 'has space', 'tab\there', '钥匙']) {
			const res = await api('POST', A, { token: sme.token, body: applicationBody(), headers: withKey(key) }).catch(() => null);
			if (res === null) continue;	// fetch refuses some header bytes itself
			expectError(res, 400, 'validation_failed', 'Idempotency-Key');
		}
		assert.equal(count(sme.enterprise.id), 0);
	});

	test('a refused request is not remembered: the same key works once the cause is fixed', async () => {
		const sme = await freshUser('sme');
		const key = `k-${hex(8)}`;
		const body = applicationBody({ authorized_institution_ids: [99999999] });
		expectError(await api('POST', A, { token: sme.token, body, headers: withKey(key) }), 400, 'validation_failed');
		expectStatus(await api('POST', A, { token: sme.token, body: applicationBody(), headers: withKey(key) }), 201);
	});

	test('20 identical requests at once make exactly one application, and all get its answer', async () => {
		const sme = await freshUser('sme');
		const key = `par-${hex(8)}`;
		const body = applicationBody();
		const answers = await Promise.all(Array.from({ length: 20 }, () =>
			api('POST', A, { token: sme.token, body, headers: withKey(key) })));
		for (const r of answers) assert.equal(r.status, 201, r.text);
		assert.equal(new Set(answers.map((r) => r.json.id)).size, 1);
		assert.equal(count(sme.enterprise.id), 1);
	});

	test('disburse with a key: a retry returns the same loan and makes no second one', async () => {
		const { bank, app } = await applicationIn('approved');
		const key = `loan-${hex(8)}`;
		const body = { disbursed_on: districtDay(0) };
		const path = `${A}/${app.id}/disburse`;
		const first = await api('POST', path, { token: bank.token, body, headers: withKey(key) });
		expectStatus(first, 201);
		const again = await api('POST', path, { token: bank.token, body, headers: withKey(key) });
		assert.equal(again.status, 201);
		assert.equal(again.text, first.text);
		assert.equal(sql(`SELECT COUNT(*) FROM loans WHERE application_id = ${app.id}`)[0][0], '1');
		// without the key, a second disbursement is an illegal transition
		expectError(await api('POST', path, { token: bank.token, body }), 409, 'invalid_state');
	});

	test('keys older than 48 hours are purged and the key is free again', async () => {
		const sme = await freshUser('sme');
		const key = `old-${hex(8)}`;
		expectStatus(await api('POST', A, { token: sme.token, body: applicationBody(), headers: withKey(key) }), 201);
		sql(`UPDATE idempotency_keys SET created_at = UTC_TIMESTAMP(6) - INTERVAL 49 HOUR WHERE idem_key = '${key}'`);
		const res = await api('POST', A, { token: sme.token, body: applicationBody({ amount_fen: 70000000 }), headers: withKey(key) });
		expectStatus(res, 201);
		assert.equal(count(sme.enterprise.id), 2);
	});
});
