// Scorecard versions: GET/POST /api/v1/credit-models and
// POST /api/v1/credit-models/{version}/activate. Weights are data, checked
// whole; activation makes one version the only active one and rescores
// every enterprise before answering, and each score names its version.
// Activating the version that is already active is 200 and rescores again
// (idempotent: it finishes a rescoring that was cut short). Every test that
// activates another version puts v1 back before it ends.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import {
	RFC3339_UTC, V1_WEIGHTS, api, assertKeys, assertList, auditRows, creditRow, expectError,
	expectStatus, hex, importCredit, listAll, registerSme, roleUser, sql, storedScore, weightsWith,
} from './lib.mjs';

const MODELS = '/api/v1/credit-models';

async function bureau() {
	return (await roleUser('bureau')).token;
}

const newVersion = () => `t-${hex(4)}.${hex(2)}`;

async function create(version, weights, token) {
	return api('POST', MODELS, { token: token ?? (await bureau()), body: { version, weights } });
}

async function activate(version) {
	return api('POST', `${MODELS}/${encodeURIComponent(version)}/activate`, { token: await bureau(), body: {} });
}

function enterpriseCount() {
	return Number(sql('SELECT COUNT(*) FROM enterprises')[0][0]);
}

after(async () => {
	// Leave v1 active for every other test file.
	const res = await activate('v1');
	assert.equal(res.status, 200, res.text);
});

describe('listing and creating versions', () => {
	test('v1 is listed, active, with the weights of api.md', async () => {
		const items = await listAll(MODELS, await bureau());
		const v1 = items.find((m) => m.version === 'v1');
		assert.ok(v1, 'v1 is listed');
		assertKeys(v1, ['version', 'weights', 'active', 'created_by', 'created_at', 'activated_at'], 'model');
		assert.deepEqual(v1.weights, V1_WEIGHTS);
		assert.equal(v1.created_by, null);
		assert.match(v1.created_at, RFC3339_UTC);
		assert.match(v1.activated_at, RFC3339_UTC);
		assert.equal(items.filter((m) => m.active).length, 1, 'exactly one version is active');
	});

	test('a new version is 201, inactive, audited, and listed in creation order with a cursor', async () => {
		const b = await roleUser('bureau');
		const version = newVersion();
		const res = await create(version, weightsWith({ base: 420 }), b.token);
		const m = expectStatus(res, 201);
		assertKeys(m, ['version', 'weights', 'active', 'created_by', 'created_at', 'activated_at'], 'model');
		assert.equal(m.version, version);
		assert.equal(m.active, false);
		assert.equal(m.activated_at, null);
		assert.equal(m.created_by, b.id);
		assert.deepEqual(m.weights, weightsWith({ base: 420 }));
		const second = newVersion();
		expectStatus(await create(second, V1_WEIGHTS, b.token), 201);
		const page = assertList(await api('GET', `${MODELS}?limit=1`, { token: b.token }));
		assert.equal(page.items.length, 1);
		assert.equal(page.items[0].version, 'v1', 'the oldest first');
		assert.ok(page.next_cursor);
		const all = await listAll(MODELS, b.token, { limit: 2 });
		const versions = all.map((x) => x.version);
		assert.ok(versions.indexOf(version) >= 0 && versions.indexOf(version) < versions.indexOf(second));
		const audit = await auditRows({ action: 'credit_model.create', target_id: version });
		assert.equal(audit.length, 1);
		assert.equal(audit[0].actor_id, b.id);
		assert.equal(audit[0].status, 201);
	});

	test('a version that exists is 409 conflict', async () => {
		const version = newVersion();
		expectStatus(await create(version, V1_WEIGHTS), 201);
		expectError(await create(version, V1_WEIGHTS), 409, 'conflict', 'version');
		expectError(await create('v1', V1_WEIGHTS), 409, 'conflict', 'version');
	});

	test('bad versions are 400 naming version', async () => {
		for (const v of ['', 'v 2', 'v/2', 'é1', 'x'.repeat(33)]) expectError(await create(v, V1_WEIGHTS), 400, 'validation_failed', 'version');
		expectError(await create(42, V1_WEIGHTS), 400, 'validation_failed', 'version');
	});

	test('weights: every key is required, unknown keys and bad values are 400 naming the key', async () => {
		const token = await bureau();
		const without = (key, sub) => {
			const w = JSON.parse(JSON.stringify(V1_WEIGHTS));
			if (sub) delete w[key][sub];
			else delete w[key];
			return w;
		};
		const cases = [
			[without('base'), 'weights.base'],
			[without('grade_c_min'), 'weights.grade_c_min'],
			[without('tax_rating', 'none'), 'weights.tax_rating.none'],
			[without('env_rating', 'black'), 'weights.env_rating.black'],
			[weightsWith({ bonus: 5 }), 'weights.bonus'],
			[weightsWith({ tax_rating: { E: 1 } }), 'weights.tax_rating.E'],
			[weightsWith({ base: 1001 }), 'weights.base'],
			[weightsWith({ base: -1 }), 'weights.base'],
			[weightsWith({ social_security_per_month: -10 }), 'weights.social_security_per_month'],
			[weightsWith({ patent_invention: -1 }), 'weights.patent_invention'],
			[weightsWith({ penalty_serious: 150 }), 'weights.penalty_serious'],
			[weightsWith({ commitment_broken_each: 60 }), 'weights.commitment_broken_each'],
			[weightsWith({ utility_arrears_min: 90 }), 'weights.utility_arrears_min'],
			[weightsWith({ penalty_window_years: 0 }), 'weights.penalty_window_years'],
			[weightsWith({ tax_rating: { A: 1001 } }), 'weights.tax_rating.A'],
			[weightsWith({ awards_max: 10.5 }), 'weights.awards_max'],
			[weightsWith({ awards_max: '40' }), 'weights.awards_max'],
			[weightsWith({ awards_max: null }), 'weights.awards_max'],
			[weightsWith({ env_rating: 5 }), 'weights.env_rating'],
			[weightsWith({ grade_b_min: 800 }), 'weights.grade_b_min'],
			[weightsWith({ grade_c_min: 700 }), 'weights.grade_b_min'],
		];
		for (const [w, field] of cases) {
			const res = await create(newVersion(), w, token);
			expectError(res, 400, 'validation_failed', field);
		}
		expectError(await api('POST', MODELS, { token, body: { version: newVersion() } }), 400, 'validation_failed', 'weights');
		expectError(await api('POST', MODELS, { token, body: { version: newVersion(), weights: [] } }), 400, 'validation_failed', 'weights');
		expectError(await api('POST', MODELS, { token, body: { version: newVersion(), weights: V1_WEIGHTS, note: 'x' } }), 400, 'validation_failed', 'note');
		const raw = JSON.stringify({ version: newVersion(), weights: V1_WEIGHTS }).replace('"base":400', '"base":4e2');
		expectError(await api('POST', MODELS, { token, rawBody: raw }), 400, 'validation_failed', 'weights.base');
	});
});

describe('activation', () => {
	test('an unknown version is 404', async () => {
		expectError(await activate(newVersion()), 404, 'not_found');
		expectError(await activate('x'.repeat(40)), 404, 'not_found');
	});

	test('activating rescores every enterprise with the new weights; each score names its version', async () => {
		const { enterprise: plain } = await registerSme();		// no records: 400 + 60 + 50
		const { enterprise: rated } = await registerSme();
		expectStatus(await importCredit([creditRow(rated.uscc, { category: 'tax_rating', value: { grade: 'B', year: 2024 } })]), 200);
		assert.equal(storedScore(plain.id).score, 510);
		assert.equal(storedScore(rated.id).score, 600);
		const version = newVersion();
		expectStatus(await create(version, weightsWith({ tax_rating: { none: 160, B: 100 } })), 201);
		try {
			const res = await activate(version);
			const body = expectStatus(res, 200);
			assertKeys(body, ['version', 'weights', 'active', 'created_by', 'created_at', 'activated_at', 'rescored'], 'activation');
			assert.equal(body.version, version);
			assert.equal(body.active, true);
			assert.match(body.activated_at, RFC3339_UTC);
			assert.equal(body.rescored, enterpriseCount());
			assert.equal(sql(`SELECT COUNT(*) FROM credit_scores WHERE model_version <> '${version}'`)[0][0], '0',
				'every score names the new version');
			assert.equal(sql('SELECT COUNT(*) FROM enterprises e LEFT JOIN credit_scores s ON s.enterprise_id = e.id'
				+ ' WHERE s.enterprise_id IS NULL')[0][0], '0', 'every enterprise has a score');
			const p = storedScore(plain.id);
			assert.equal(p.score, 610);
			assert.equal(p.grade, 'C');
			assert.equal(p.model_version, version);
			assert.equal(p.factors.find((f) => f.factor === 'tax_rating').points, 160);
			assert.equal(storedScore(rated.id).score, 550);

			const items = await listAll(MODELS, await bureau());
			assert.deepEqual(items.filter((m) => m.active).map((m) => m.version), [version]);
			assert.equal(items.find((m) => m.version === 'v1').active, false);
			const audit = await auditRows({ action: 'credit_model.activate', target_id: version });
			assert.equal(audit.length, 1);
			assert.equal(audit[0].status, 200);

			// What is scored while it is active is scored by it.
			const { enterprise: fresh } = await registerSme();
			assert.equal(storedScore(fresh.id).model_version, version);
			assert.equal(storedScore(fresh.id).score, 610);
			expectStatus(await importCredit([creditRow(plain.uscc, { category: 'tax_rating', value: { grade: 'A', year: 2024 } })]), 200);
			assert.deepEqual([storedScore(plain.id).score, storedScore(plain.id).model_version], [650, version]);
		} finally {
			const back = expectStatus(await activate('v1'), 200);
			assert.equal(back.rescored, enterpriseCount());
		}
		assert.equal(storedScore(plain.id).score, 650, 'v1 again: tax A');
		assert.equal(storedScore(rated.id).model_version, 'v1');
		assert.equal(storedScore(rated.id).score, 600);
	});

	test('activating the active version again is 200 and rescores again (idempotent)', async () => {
		const { enterprise } = await registerSme();
		sql(`UPDATE credit_scores SET score = 1, grade = 'D' WHERE enterprise_id = ${enterprise.id}`);
		const first = expectStatus(await activate('v1'), 200);
		assert.equal(first.active, true);
		assert.equal(first.rescored, enterpriseCount());
		assert.equal(storedScore(enterprise.id).score, 510, 'the stale score is recomputed');
		const second = expectStatus(await activate('v1'), 200);
		assert.equal(second.activated_at, first.activated_at, 'the activation time stays');
		const items = await listAll(MODELS, await bureau());
		assert.deepEqual(items.filter((m) => m.active).map((m) => m.version), ['v1']);
	});
});
