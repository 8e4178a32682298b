// Matching: products for an application or a hypothetical demand (ranked,
// every criterion explained, hints, in English and Chinese), enterprises for a bank's product
// (approved whitelist only), the snapshot following changes without a
// restart, and the bureau's pairing of open applications within capacity.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	MATCH_CRITERIA, api, approveWhitelist, auditRows, createProduct, createProgram, creditRow, enterpriseMatches, expectError,
	expectStatus, freshUser, importCredit, registerSme, roleUser, setCreditScore, sql, sqlApplication,
} from './lib.mjs';

// Products of this file use amounts nobody else asks for, so other files'
// products and applications never mix in: 10^12 .. 10^13 fen.
const BIG = 1000000000000;
const DEMAND = { amount_fen: String(2 * BIG), term_months: '12' };

function product(overrides = {}, criteria = {}) {
	return createProduct({
		status: 'active', amount_min_fen: BIG, amount_max_fen: 10 * BIG, term_min_months: 6, term_max_months: 36,
		criteria: {
			min_grade: 'C', min_score: null, industries: [], towns: [], park_ids: [], min_years: null,
			min_revenue_fen: null, required_tags: [], whitelist_only: false, ...criteria,
		},
		...overrides,
	});
}

const HAN = /[\u4e00-\u9fff]/;

function assertReasons(item) {
	assert.deepEqual(item.reasons.map((r) => r.criterion), MATCH_CRITERIA);
	for (const r of item.reasons) {
		assert.equal(typeof r.passed, 'boolean');
		assert.equal(typeof r.detail, 'string');
		assert.equal(typeof r.detail_zh, 'string');
		assert.match(r.detail_zh, HAN, `${r.criterion}: ${r.detail_zh}`);
		const keys = Object.keys(r);
		assert.equal(keys.indexOf('detail_zh'), keys.indexOf('detail') + 1, 'detail_zh follows detail');
	}
}

// The numbers of a text, thousands separators dropped ("1,000.50" → 1000.5,
// "2025-10-08" and "2025年10月8日" → 2025, 10, 8), sorted.
function numbers(text) {
	return (text.replace(/(\d),(?=\d{3})/g, '$1').match(/\d+(\.\d+)?/g) || []).map(Number).sort((a, b) => a - b);
}

let sme, bureau, bank;
before(async () => {
	sme = await freshUser('sme');
	setCreditScore(sme.enterprise.id, { grade: 'B', score: 700 });
	bureau = (await roleUser('bureau')).token;
	bank = (await roleUser('bank')).token;
});

describe('products for a demand', () => {
	let cheap, dear, gradeA;
	before(async () => {
		dear = await product({ rate_min_bps: 500, rate_max_bps: 600 });
		cheap = await product({ rate_min_bps: 300, rate_max_bps: 600 });
		gradeA = await product({ rate_min_bps: 300, rate_max_bps: 600 }, { min_grade: 'A' });
	});

	test('eligible products are ranked by fit, every criterion explained, shape as api.md', async () => {
		const res = await enterpriseMatches(sme.enterprise.id, DEMAND, sme.token);
		const body = expectStatus(res, 200);
		assert.equal(body.engine_version, 'matching-1');
		assert.match(body.input_hash, /^[0-9a-f]{16}$/);
		const fits = body.items.map((i) => i.fit);
		assert.deepEqual(fits, [...fits].sort((a, b) => b - a));
		const ids = body.items.map((i) => i.product_id);
		assert.ok(ids.indexOf(cheap.id) >= 0 && ids.indexOf(cheap.id) < ids.indexOf(dear.id), res.text);
		for (const i of body.items) {
			assert.equal(i.eligible, true);
			for (const k of ['product_id', 'product_name', 'institution_id', 'institution_name', 'program_id', 'fit'])
				assert.ok(k in i, k);
			assertReasons(i);
			assert.ok(i.reasons.every((r) => r.passed));
		}
		for (let k = 1; k < body.items.length; k++) {
			const a = body.items[k - 1], b = body.items[k];
			if (a.fit === b.fit) assert.ok(a.rate_min_bps <= b.rate_min_bps, 'ties by lower rate');
		}
	});

	test('an ineligible product lists its failed criteria and a hint', async () => {
		const body = expectStatus(await enterpriseMatches(sme.enterprise.id, DEMAND, bureau), 200);
		const item = body.ineligible.find((i) => i.product_id === gradeA.id);
		assert.ok(item, 'grade A product is ineligible');
		assert.equal(item.eligible, false);
		assertReasons(item);
		assert.equal(item.reasons.find((r) => r.criterion === 'min_grade').passed, false);
		assert.match(item.hint, /score|grade/i);
		assert.ok(!body.items.some((i) => i.product_id === gradeA.id));
	});

	test('every detail and hint is also in Chinese, with the same numbers', async () => {
		const body = expectStatus(await enterpriseMatches(sme.enterprise.id, DEMAND, sme.token), 200);
		const item = body.ineligible.find((i) => i.product_id === gradeA.id);
		assert.match(item.hint_zh, HAN);
		assert.equal(item.hint_zh, '需要达到 A 级：目前 700 分，还差 100 分');
		assert.deepEqual(numbers(item.hint_zh), numbers(item.hint));
		const shown = [item, body.items.find((i) => i.product_id === cheap.id), body.items.find((i) => i.product_id === dear.id)];
		for (const i of shown) {
			assert.ok(i, 'product shown');
			for (const r of i.reasons)
				assert.deepEqual(numbers(r.detail_zh), numbers(r.detail), `${r.criterion}: ${r.detail} / ${r.detail_zh}`);
		}
		const amount = shown[1].reasons.find((r) => r.criterion === 'amount');
		assert.equal(amount.detail_zh, '申请 20,000,000,000.00 元，在 10,000,000,000.00 元至 100,000,000,000.00 元之间');
		assert.ok(body.items.every((i) => !('hint' in i) && !('hint_zh' in i)), 'eligible items have no hint');
	});

	test('Chinese details name towns and parks, a programme cap in grouped yuan', async () => {
		const g = await createProgram({ max_amount_per_enterprise_fen: 3 * BIG });
		const p = await product({ rate_min_bps: 330, rate_max_bps: 600, program_id: g.id },
			{ towns: ['nanqiao', 'fengcheng'], park_ids: [1, 2] });
		const body = expectStatus(await enterpriseMatches(sme.enterprise.id, DEMAND, sme.token), 200);
		const item = body.items.find((i) => i.product_id === p.id);
		assert.ok(item, JSON.stringify(body.ineligible.find((i) => i.product_id === p.id)));
		const r = Object.fromEntries(item.reasons.map((x) => [x.criterion, x]));
		assert.equal(r.town.detail, 'nanqiao is among nanqiao, fengcheng');
		assert.equal(r.town.detail_zh, '南桥镇在要求的街镇之列：南桥镇、奉城镇');
		assert.equal(r.park.detail, 'park 1 is among 1, 2');
		assert.equal(r.park.detail_zh, '东方美谷在要求的园区之列：东方美谷、杭州湾开发区');
		assert.equal(r.program_cap.detail_zh, '已有余额 0.00 元加本次申请 20,000,000,000.00 元，未超过项目单户上限 30,000,000,000.00 元');
		assert.deepEqual(numbers(r.program_cap.detail_zh), numbers(r.program_cap.detail));
		// asking past the cap: the hint says how far to lower, in both languages
		const over = expectStatus(await enterpriseMatches(sme.enterprise.id, { amount_fen: String(4 * BIG), term_months: '12' }, sme.token), 200);
		const inel = over.ineligible.find((i) => i.product_id === p.id);
		assert.equal(inel.reasons.find((x) => x.criterion === 'program_cap').passed, false);
		assert.equal(inel.hint, 'lower the amount to 30,000,000,000.00 yuan');
		assert.equal(inel.hint_zh, '将金额降低到 30,000,000,000.00 元');
	});

	test('a demand out of every product range makes them ineligible on amount', async () => {
		const body = expectStatus(await enterpriseMatches(sme.enterprise.id, { amount_fen: '100', term_months: '12' }, sme.token), 200);
		assert.ok(!body.items.some((i) => i.product_id === cheap.id));
		const item = body.ineligible.find((i) => i.product_id === cheap.id);
		assert.equal(item.reasons.find((r) => r.criterion === 'amount').passed, false);
	});

	test('hypothetical demand parameters are validated, naming each', async () => {
		const id = sme.enterprise.id;
		expectError(await enterpriseMatches(id, { term_months: '12' }, sme.token), 400, 'validation_failed', 'amount_fen');
		expectError(await enterpriseMatches(id, { amount_fen: '1000', term_months: 'x' }, sme.token), 400, 'validation_failed', 'term_months');
		expectError(await enterpriseMatches(id, { amount_fen: '1.5', term_months: '12' }, sme.token), 400, 'validation_failed', 'amount_fen');
		expectError(await enterpriseMatches(id, { amount_fen: '1000', term_months: '0' }, sme.token), 400, 'validation_failed', 'term_months');
		expectError(await enterpriseMatches(id, { ...DEMAND, collateral: 'gold' }, sme.token), 400, 'validation_failed', 'collateral');
	});

	test('another enterprise and an unknown one are 404', async () => {
		const other = await freshUser('sme');
		expectError(await enterpriseMatches(sme.enterprise.id, DEMAND, other.token), 404, 'not_found');
		expectError(await enterpriseMatches(999999999, DEMAND, bureau), 404, 'not_found');
	});

	test('an application is matched on its own amount, term and collateral', async () => {
		const appId = sqlApplication(sme.enterprise.id, { amountFen: 2 * BIG, termMonths: 12, status: 'withdrawn' });
		const own = expectStatus(await api('GET', `/api/v1/applications/${appId}/matches`, { token: sme.token }), 200);
		assert.ok(own.items.some((i) => i.product_id === cheap.id));
		expectStatus(await api('GET', `/api/v1/applications/${appId}/matches`, { token: bureau }), 200);
		const other = await freshUser('sme');
		expectError(await api('GET', `/api/v1/applications/${appId}/matches`, { token: other.token }), 404, 'not_found');
		expectError(await api('GET', '/api/v1/applications/999999999/matches', { token: bureau }), 404, 'not_found');
	});

	test('a product change shows in the next answer (no restart)', async () => {
		const p = await product({ rate_min_bps: 320, rate_max_bps: 600 });
		let body = expectStatus(await enterpriseMatches(sme.enterprise.id, DEMAND, sme.token), 200);
		assert.ok(body.items.some((i) => i.product_id === p.id));
		expectStatus(await api('PATCH', `/api/v1/products/${p.id}`, { token: bank, body: { status: 'paused' } }), 200);
		body = expectStatus(await enterpriseMatches(sme.enterprise.id, DEMAND, sme.token), 200);
		assert.ok(!body.items.some((i) => i.product_id === p.id), 'a paused product is not offered');
		assert.ok(!body.ineligible.some((i) => i.product_id === p.id), 'nor shown');
	});
});

describe('candidates for a bank product', () => {
	let wl, plain, prod;
	before(async () => {
		prod = await product({ rate_min_bps: 400, rate_max_bps: 600 }, { whitelist_only: false });
		wl = (await registerSme()).enterprise;
		plain = (await registerSme()).enterprise;
		await approveWhitelist(wl.id, { grade: 'B' });
		setCreditScore(plain.id, { grade: 'A' });
	});

	async function candidates(id, query = '', token = bank) {
		return api('GET', `/api/v1/products/${id}/candidates${query}`, { token });
	}

	test('only approved-whitelist enterprises, masked, no credit detail', async () => {
		const body = expectStatus(await candidates(prod.id, '?limit=500'), 200);
		const ids = body.items.map((i) => i.enterprise_id);
		assert.ok(ids.includes(wl.id), 'the approved enterprise is a candidate');
		assert.ok(!ids.includes(plain.id), 'a non-whitelisted enterprise is absent');
		const item = body.items.find((i) => i.enterprise_id === wl.id);
		assert.deepEqual(Object.keys(item).sort(), ['enterprise_id', 'fit', 'grade', 'name', 'reasons', 'score']);
		assert.equal(item.name, wl.name);
		assert.equal(item.grade, 'B');
		assertReasons(item);
		assert.ok(!/legal_rep_id_no|phone|factors/.test(JSON.stringify(body)));
		const fits = body.items.map((i) => i.fit);
		assert.deepEqual(fits, [...fits].sort((a, b) => b - a));
	});

	test('another bank and a bad limit are refused', async () => {
		const other = await freshUser('bank', (await api('POST', '/api/v1/institutions', {
			token: (await roleUser('admin')).token, body: { name: `其他银行${Date.now()}`, kind: 'bank' },
		})).json.id);
		expectError(await candidates(prod.id, '', other.token), 404, 'not_found');
		expectError(await candidates(prod.id, '?limit=0'), 400, 'validation_failed', 'limit');
		expectError(await candidates(prod.id, '?limit=501'), 400, 'validation_failed', 'limit');
	});

	test('a whitelist approval shows in the next answer', async () => {
		const e = (await registerSme()).enterprise;
		let body = expectStatus(await candidates(prod.id, '?limit=500'), 200);
		assert.ok(!body.items.some((i) => i.enterprise_id === e.id));
		await approveWhitelist(e.id, { grade: 'A' });
		body = expectStatus(await candidates(prod.id, '?limit=500'), 200);
		assert.ok(body.items.some((i) => i.enterprise_id === e.id), 'approved: now a candidate');
	});

	test('a score change through the credit service shows in the next answer', async () => {
		const e = (await registerSme()).enterprise;
		await approveWhitelist(e.id, { grade: 'B' });
		let body = expectStatus(await candidates(prod.id, '?limit=500'), 200);
		assert.ok(body.items.some((i) => i.enterprise_id === e.id));
		// A dishonest-debtor record caps the score at grade D: below the product's minimum C.
		const res = await importCredit([creditRow(e.uscc, { category: 'dishonest_debtor', value: { case_no: `(2025)沪0120执${Date.now() % 100000}号` } })]);
		expectStatus(res, 200);
		body = expectStatus(await candidates(prod.id, '?limit=500'), 200);
		assert.ok(!body.items.some((i) => i.enterprise_id === e.id), `grade D is no candidate: ${JSON.stringify(sql(`SELECT grade FROM credit_scores WHERE enterprise_id=${e.id}`))}`);
	});

	test('a profile change (PATCH) shows in the next answer', async () => {
		const p = await product({ rate_min_bps: 410, rate_max_bps: 600 }, { min_revenue_fen: 900000000 });
		const e = (await registerSme({ enterprise: { annual_revenue_fen: 100000000 } })).enterprise;
		await approveWhitelist(e.id, { grade: 'B' });
		let body = expectStatus(await candidates(p.id, '?limit=500'), 200);
		assert.ok(!body.items.some((i) => i.enterprise_id === e.id));
		expectStatus(await api('PATCH', `/api/v1/enterprises/${e.id}`, { token: bureau, body: { annual_revenue_fen: 1000000000 } }), 200);
		body = expectStatus(await candidates(p.id, '?limit=500'), 200);
		assert.ok(body.items.some((i) => i.enterprise_id === e.id));
	});
});

describe('pairing open applications', () => {
	test('dry run within capacity, then a real run submits the assignment', async () => {
		// One place: of two eligible applications exactly one is assigned.
		// An amount band of this run only (earlier runs leave open applications).
		const k = 100 + Math.floor(Math.random() * 800);
		const q = await product({ rate_min_bps: 250, rate_max_bps: 600, monthly_capacity: 1, amount_min_fen: k * BIG, amount_max_fen: k * BIG + BIG / 2 });
		const e1 = (await registerSme()).enterprise, e2 = (await registerSme()).enterprise;
		setCreditScore(e1.id, { grade: 'B' });
		setCreditScore(e2.id, { grade: 'A' });
		const a1 = sqlApplication(e1.id, { amountFen: k * BIG }), a2 = sqlApplication(e2.id, { amountFen: k * BIG });
		const dry = expectStatus(await api('POST', '/api/v1/matching/pairings', { token: bureau, body: { dry_run: true } }), 200);
		assert.equal(dry.engine_version, 'matching-1');
		const mine = dry.assignments.filter((a) => a.application_id === a1 || a.application_id === a2);
		assert.equal(mine.length, 1, JSON.stringify(dry));
		assert.equal(mine[0].product_id, q.id);
		assert.equal(dry.assignments.filter((a) => a.product_id === q.id).length, 1, 'capacity 1 respected');
		const other = mine[0].application_id === a1 ? a2 : a1;
		assert.ok(dry.unassigned.includes(other));
		assert.equal(typeof dry.total_fit, 'number');
		assert.deepEqual(sql(`SELECT status FROM applications WHERE id IN (${a1},${a2})`).flat(), ['submitted', 'submitted']);
		const rows = await auditRows({ action: 'matching.pairing' });
		assert.ok(rows.length >= 1);

		const real = expectStatus(await api('POST', '/api/v1/matching/pairings', { token: bureau, body: { dry_run: false } }), 200);
		const done = real.assignments.find((a) => a.application_id === mine[0].application_id);
		assert.ok(done, JSON.stringify(real));
		assert.equal(done.submitted, true, JSON.stringify(done));
		assert.equal(sql(`SELECT status FROM applications WHERE id = ${done.application_id}`)[0][0], 'pending_bank');
		assert.equal(sql(`SELECT status FROM applications WHERE id = ${other}`)[0][0], 'submitted');
		// The place is used: the next pairing gives q nobody.
		const again = expectStatus(await api('POST', '/api/v1/matching/pairings', { token: bureau, body: {} }), 200);
		assert.ok(!again.assignments.some((a) => a.product_id === q.id));
		assert.ok(again.unassigned.includes(other));
	});

	test('two applications of one enterprise are never paired past their programme cap together', async () => {
		// A narrow amount band of this run only; the cap fits either application, not both.
		const lo = (1 + Math.floor(Math.random() * 9)) * BIG + BIG / 2 + Math.floor(Math.random() * 100000) * 1000000;
		const g = await createProgram({ max_amount_per_enterprise_fen: 2 * lo });
		const q = await product({ program_id: g.id, monthly_capacity: 5, amount_min_fen: lo, amount_max_fen: lo + 2000000 });
		const e = (await registerSme()).enterprise;
		setCreditScore(e.id, { grade: 'B' });
		const a1 = sqlApplication(e.id, { amountFen: lo }), a2 = sqlApplication(e.id, { amountFen: lo + 1000 });
		const dry = expectStatus(await api('POST', '/api/v1/matching/pairings', { token: bureau, body: { dry_run: true } }), 200);
		const mine = dry.assignments.filter((a) => a.application_id === a1 || a.application_id === a2);
		// q (subsidised, the park's own programme) is the better fit for both; only one may have it.
		assert.equal(mine.filter((a) => a.product_id === q.id).length, 1, JSON.stringify(mine));
		for (const a of mine.filter((x) => x.product_id !== q.id)) {
			const other = expectStatus(await api('GET', `/api/v1/products/${a.product_id}`, { token: bureau }), 200);
			assert.notEqual(other.program_id, g.id);
		}
	});

	test('the body is checked strictly', async () => {
		expectError(await api('POST', '/api/v1/matching/pairings', { token: bureau, body: { dry_run: 'yes' } }), 400, 'validation_failed', 'dry_run');
		expectError(await api('POST', '/api/v1/matching/pairings', { token: bureau, body: { dryrun: true } }), 400, 'validation_failed', 'dryrun');
	});
});
