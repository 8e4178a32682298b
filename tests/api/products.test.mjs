// Loan products (/api/v1/products): a bank creates products for its own
// institution with every field checked (each bad field named), changes them
// through the lifecycle draft → active ↔ paused → retired (every illegal
// transition 409, retired final), and the visibility rules: only active
// products are public, a bank also sees its own in every status (by id and
// with ?mine=1), another bank's product is 404 to read or change. Also the
// list's filters and paging, and the audit rows.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, addPartner, api, assertKeys, assertList, auditRows, createProduct, createProgram, expectError,
	expectStatus, freshUser, listAll, productBody, roleUser,
} from './lib.mjs';

const P = '/api/v1/products';
const PRODUCT_KEYS = ['id', 'institution_id', 'institution_name', 'program_id', 'program_name', 'name',
	'kind', 'amount_min_fen', 'amount_max_fen', 'rate_min_bps', 'rate_max_bps', 'term_min_months',
	'term_max_months', 'collateral', 'criteria', 'monthly_capacity', 'status', 'description',
	'created_at', 'updated_at'];
const CRITERIA_KEYS = ['min_grade', 'min_score', 'industries', 'towns', 'park_ids', 'min_years',
	'min_revenue_fen', 'required_tags', 'whitelist_only'];

let bank;
let otherBank;
let bureau;
let sme;

before(async () => {
	[bank, bureau, sme] = await Promise.all([roleUser('bank'), roleUser('bureau'), roleUser('sme')]);
	otherBank = await freshUser('bank');
});

function assertProduct(p) {
	assertKeys(p, PRODUCT_KEYS, 'product');
	assertKeys(p.criteria, CRITERIA_KEYS, 'criteria');
	assert.ok(Number.isInteger(p.id) && p.id > 0);
	assert.match(p.created_at, RFC3339_UTC);
	assert.match(p.updated_at, RFC3339_UTC);
	return p;
}

const post = (body, token = bank.token) => api('POST', P, { token, body });
const patch = (id, body, token = bank.token) => api('PATCH', `${P}/${id}`, { token, body });
const get = (id, token) => api('GET', `${P}/${id}`, { token });

/** A product of the shared bank moved to status through legal steps. */
async function productIn(status, overrides = {}) {
	const p = await createProduct({ ...overrides, status: status === 'draft' ? 'draft' : 'active' });
	if (status === 'paused' || status === 'retired') expectStatus(await patch(p.id, { status }), 200);
	return p;
}

describe('create', () => {
	test('a bank creates a product for its own institution: 201 with the whole product', async () => {
		const body = productBody({
			name: '东方美谷·信用贷',
			kind: 'guarantee',
			collateral: 'property',
			criteria: {
				min_grade: 'B', min_score: 600, industries: ['C', 'C26', 'F'], towns: ['nanqiao', 'xidu'],
				park_ids: [1, 2], min_years: 2, min_revenue_fen: 100000000,
				required_tags: ['tech_sme', 'hi_tech'], whitelist_only: true,
			},
			monthly_capacity: 0,
			status: 'active',
		});
		const p = assertProduct(expectStatus(await post(body), 201));
		assert.equal(p.institution_id, bank.user.org_id);
		assert.equal(typeof p.institution_name, 'string');
		assert.ok(p.institution_name.length > 0);
		assert.equal(p.program_id, null);
		assert.equal(p.program_name, null);
		for (const k of ['name', 'kind', 'amount_min_fen', 'amount_max_fen', 'rate_min_bps', 'rate_max_bps',
			'term_min_months', 'term_max_months', 'collateral', 'monthly_capacity', 'status', 'description']) {
			assert.equal(p[k], body[k], k);
		}
		// tags come back in their declared order
		assert.deepEqual(p.criteria, { ...body.criteria, required_tags: ['hi_tech', 'tech_sme'] });
		assert.deepEqual(expectStatus(await get(p.id), 200), p);
	});

	test('criteria, status and description are optional: no condition, draft, empty', async () => {
		const body = productBody();
		delete body.criteria;
		delete body.status;
		delete body.description;
		const p = assertProduct(expectStatus(await post(body), 201));
		assert.equal(p.status, 'draft');
		assert.equal(p.description, '');
		assert.deepEqual(p.criteria, {
			min_grade: null, min_score: null, industries: [], towns: [], park_ids: [], min_years: null,
			min_revenue_fen: null, required_tags: [], whitelist_only: false,
		});
	});

	test('a product in a programme names it', async () => {
		const g = await createProgram();
		const p = assertProduct(await createProduct({ program_id: g.id }));
		assert.equal(p.program_id, g.id);
		assert.equal(p.program_name, g.name);
	});

	test('the largest amount is 10^15 fen; exact big integers come back exact', async () => {
		const p = await createProduct({ amount_min_fen: 999999999999999, amount_max_fen: 1000000000000000 });
		assert.equal(p.amount_min_fen, 999999999999999);
		assert.equal(p.amount_max_fen, 1000000000000000);
	});

	const bad = [
		['name missing', { name: undefined }, 'name'],
		['name blank', { name: '   ' }, 'name'],
		['name over 200 characters', { name: '贷'.repeat(201) }, 'name'],
		['kind unknown', { kind: 'loan' }, 'kind'],
		['kind missing', { kind: undefined }, 'kind'],
		['amount_min_fen 0', { amount_min_fen: 0 }, 'amount_min_fen'],
		['amount_min_fen a fraction', { amount_min_fen: 1.5 }, 'amount_min_fen'],
		['amount_min_fen a string', { amount_min_fen: '100' }, 'amount_min_fen'],
		['amount_max_fen above 10^15', { amount_max_fen: 1000000000000001 }, 'amount_max_fen'],
		['amount_min_fen above amount_max_fen', { amount_min_fen: 5000, amount_max_fen: 4000 }, 'amount_min_fen'],
		['rate_min_bps 0', { rate_min_bps: 0 }, 'rate_min_bps'],
		['rate_max_bps 3601', { rate_max_bps: 3601 }, 'rate_max_bps'],
		['rate_min_bps above rate_max_bps', { rate_min_bps: 700, rate_max_bps: 600 }, 'rate_min_bps'],
		['term_min_months 0', { term_min_months: 0 }, 'term_min_months'],
		['term_max_months 361', { term_max_months: 361 }, 'term_max_months'],
		['term_min_months above term_max_months', { term_min_months: 40, term_max_months: 36 }, 'term_min_months'],
		['collateral unknown', { collateral: 'car' }, 'collateral'],
		['monthly_capacity negative', { monthly_capacity: -1 }, 'monthly_capacity'],
		['monthly_capacity over 100000', { monthly_capacity: 100001 }, 'monthly_capacity'],
		['monthly_capacity missing', { monthly_capacity: undefined }, 'monthly_capacity'],
		['status paused at creation', { status: 'paused' }, 'status'],
		['status retired at creation', { status: 'retired' }, 'status'],
		['status unknown', { status: 'live' }, 'status'],
		['description over 2000 characters', { description: 'x'.repeat(2001) }, 'description'],
		['program_id unknown', { program_id: 987654321 }, 'program_id'],
		['program_id 0', { program_id: 0 }, 'program_id'],
		['an unknown key', { colour: 'red' }, 'colour'],
		['criteria not an object', { criteria: [] }, 'criteria'],
	];
	for (const [what, change, field] of bad) {
		test(`400 naming ${field}: ${what}`, async () => {
			const body = productBody(change);
			for (const [k, v] of Object.entries(change)) if (v === undefined) delete body[k];
			expectError(await post(body), 400, 'validation_failed', field);
		});
	}

	const badCriteria = [
		['min_grade E', { min_grade: 'E' }, 'criteria.min_grade'],
		['min_grade lower case', { min_grade: 'b' }, 'criteria.min_grade'],
		['min_score 1001', { min_score: 1001 }, 'criteria.min_score'],
		['min_score negative', { min_score: -1 }, 'criteria.min_score'],
		['an unknown industry section', { industries: ['Z'] }, 'criteria.industries[0]'],
		['a division of another section', { industries: ['C', 'A26'] }, 'criteria.industries[1]'],
		['a repeated industry', { industries: ['C26', 'C26'] }, 'criteria.industries[1]'],
		['an industry that is not a string', { industries: [7] }, 'criteria.industries[0]'],
		['an unknown town', { towns: ['nanqiao', 'atlantis'] }, 'criteria.towns[1]'],
		['a repeated town', { towns: ['xidu', 'xidu'] }, 'criteria.towns[1]'],
		['an unknown park', { park_ids: [99] }, 'criteria.park_ids[0]'],
		['a park id as a string', { park_ids: ['1'] }, 'criteria.park_ids[0]'],
		['a repeated park', { park_ids: [1, 2, 1] }, 'criteria.park_ids[2]'],
		['17 industries', { industries: Array(17).fill('C') }, 'criteria.industries'],
		['min_years negative', { min_years: -1 }, 'criteria.min_years'],
		['min_years 201', { min_years: 201 }, 'criteria.min_years'],
		['min_revenue_fen negative', { min_revenue_fen: -5 }, 'criteria.min_revenue_fen'],
		['an unknown tag', { required_tags: ['famous'] }, 'criteria.required_tags[0]'],
		['a repeated tag', { required_tags: ['hi_tech', 'hi_tech'] }, 'criteria.required_tags[1]'],
		['whitelist_only a string', { whitelist_only: 'yes' }, 'criteria.whitelist_only'],
		['whitelist_only null', { whitelist_only: null }, 'criteria.whitelist_only'],
		['an unknown criterion', { min_age: 3 }, 'criteria.min_age'],
	];
	for (const [what, change, field] of badCriteria) {
		test(`400 naming ${field}: ${what}`, async () => {
			const body = productBody();
			body.criteria = { ...body.criteria, ...change };
			expectError(await post(body), 400, 'validation_failed', field);
		});
	}

	test('a number beyond 2^53 is refused, not rounded', async () => {
		const raw = JSON.stringify(productBody()).replace('"amount_max_fen":300000000', '"amount_max_fen":9007199254740993');
		const res = await api('POST', P, { token: bank.token, rawBody: raw });
		expectError(res, 400, 'validation_failed', 'amount_max_fen');
	});

	test('only a bank creates products (the role matrix has the rest); nothing is stored on a refusal', async () => {
		expectError(await post(productBody(), bureau.token), 403, 'forbidden');
		const name = `拒绝${Date.now()}`;
		expectError(await post(productBody({ name, rate_min_bps: 0 })), 400, 'validation_failed', 'rate_min_bps');
		const mine = await listAll(`${P}?mine=1`, bank.token);
		assert.ok(!mine.some((p) => p.name === name));
	});
});

describe('visibility', () => {
	test('a draft product is 404 to everyone but its own bank', async () => {
		const p = await productIn('draft');
		for (const token of [undefined, otherBank.token, sme.token, bureau.token]) {
			expectError(await get(p.id, token), 404, 'not_found', null);
		}
		assert.equal(expectStatus(await get(p.id, bank.token), 200).status, 'draft');
	});

	test('an active product is public; paused and retired ones are not', async () => {
		const active = await productIn('active');
		assert.equal(expectStatus(await get(active.id), 200).status, 'active');
		assert.equal(expectStatus(await get(active.id, sme.token), 200).id, active.id);
		assert.equal(expectStatus(await get(active.id, otherBank.token), 200).id, active.id);
		for (const status of ['paused', 'retired']) {
			const p = await productIn(status);
			expectError(await get(p.id), 404, 'not_found');
			expectError(await get(p.id, otherBank.token), 404, 'not_found');
			assert.equal(expectStatus(await get(p.id, bank.token), 200).status, status);
		}
	});

	test('an unknown product is 404', async () => {
		expectError(await get(987654321), 404, 'not_found');
		expectError(await get(987654321, bank.token), 404, 'not_found');
	});

	test('a bad token on a public route is 401, not anonymous', async () => {
		const p = await productIn('active');
		expectError(await get(p.id, 'not-a-token'), 401, 'unauthenticated');
		expectError(await api('GET', P, { token: 'not-a-token' }), 401, 'unauthenticated');
	});

	test('the public list shows active products only', async () => {
		const b = await freshUser('bank');
		const made = {};
		for (const status of ['draft', 'active', 'paused', 'retired']) {
			made[status] = await createProduct({ status: status === 'draft' ? 'draft' : 'active' }, { token: b.token });
			if (status === 'paused' || status === 'retired') {
				expectStatus(await patch(made[status].id, { status }, b.token), 200);
			}
		}
		const listed = await listAll(`${P}?institution_id=${b.user.org_id}`);
		assert.deepEqual(listed.map((p) => p.id), [made.active.id]);
		// also for the bank itself: the public list is the public list
		const own = await listAll(`${P}?institution_id=${b.user.org_id}`, b.token);
		assert.deepEqual(own.map((p) => p.id), [made.active.id]);
	});
});

describe('mine=1', () => {
	test('a bank lists its own products in every status, and filters them by status', async () => {
		const b = await freshUser('bank');
		const draft = await createProduct({ status: 'draft' }, { token: b.token });
		const active = await createProduct({ status: 'active' }, { token: b.token });
		const paused = await createProduct({ status: 'active' }, { token: b.token });
		expectStatus(await patch(paused.id, { status: 'paused' }, b.token), 200);
		await createProduct({ status: 'draft' }, { token: otherBank.token });
		const mine = await listAll(`${P}?mine=1`, b.token);
		assert.deepEqual(mine.map((p) => p.id), [draft.id, active.id, paused.id]);
		mine.forEach(assertProduct);
		assert.deepEqual((await listAll(`${P}?mine=1&status=draft`, b.token)).map((p) => p.id), [draft.id]);
		assert.deepEqual((await listAll(`${P}?mine=1&status=paused`, b.token)).map((p) => p.id), [paused.id]);
		assert.deepEqual(await listAll(`${P}?mine=1&institution_id=${otherBank.user.org_id}`, b.token), []);
		assert.deepEqual((await listAll(`${P}?mine=0&institution_id=${b.user.org_id}`)).map((p) => p.id), [active.id]);
	});

	test('mine=1 needs a logged-in bank: anonymous 401, other roles 403', async () => {
		expectError(await api('GET', `${P}?mine=1`), 401, 'unauthenticated');
		for (const role of ['sme', 'park', 'bureau', 'admin', 'auditor']) {
			expectError(await api('GET', `${P}?mine=1`, { token: (await roleUser(role)).token }), 403, 'forbidden');
		}
	});

	test('bad mine and status values are 400 naming them', async () => {
		expectError(await api('GET', `${P}?mine=yes`, { token: bank.token }), 400, 'validation_failed', 'mine');
		expectError(await api('GET', `${P}?status=draft`), 400, 'validation_failed', 'status');
		expectError(await api('GET', `${P}?mine=1&status=gone`, { token: bank.token }), 400, 'validation_failed', 'status');
	});
});

describe('list filters and paging', () => {
	test('kind, institution_id and program_id filter the public list', async () => {
		const b = await freshUser('bank');
		const g = await createProgram();
		const credit = await createProduct({ status: 'active', kind: 'credit' }, { token: b.token });
		const ip = await createProduct({ status: 'active', kind: 'ip_pledge', collateral: 'ip', program_id: g.id }, { token: b.token });
		const inst = `institution_id=${b.user.org_id}`;
		assert.deepEqual((await listAll(`${P}?${inst}&kind=ip_pledge`)).map((p) => p.id), [ip.id]);
		assert.deepEqual((await listAll(`${P}?${inst}&kind=credit`)).map((p) => p.id), [credit.id]);
		assert.deepEqual((await listAll(`${P}?program_id=${g.id}`)).map((p) => p.id), [ip.id]);
		assert.deepEqual(await listAll(`${P}?program_id=${g.id}&kind=credit`), []);
		const all = await listAll(P);
		assert.ok(all.every((p) => p.status === 'active'));
		assert.ok(all.some((p) => p.id === credit.id) && all.some((p) => p.id === ip.id));
	});

	const badFilters = [
		['kind=loan', 'kind'], ['institution_id=abc', 'institution_id'], ['institution_id=0', 'institution_id'],
		['institution_id=-3', 'institution_id'], ['institution_id=01', 'institution_id'], ['program_id=1.5', 'program_id'],
		['program_id=', 'program_id'], ['program_id=+7', 'program_id'],
		['limit=0', 'limit'], ['limit=501', 'limit'], ['cursor=zz', 'cursor'],
	];
	for (const [query, field] of badFilters) {
		test(`GET /products?${query} is 400 naming ${field}`, async () => {
			expectError(await api('GET', `${P}?${query}`), 400, 'validation_failed', field);
		});
	}

	test('pages follow ids, each at most limit long, with next_cursor null at the end', async () => {
		const b = await freshUser('bank');
		const ids = [];
		for (let i = 0; i < 5; i++) ids.push((await createProduct({ status: 'active' }, { token: b.token })).id);
		const q = `${P}?institution_id=${b.user.org_id}`;
		const first = assertList(await api('GET', `${q}&limit=2`));
		assert.deepEqual(first.items.map((p) => p.id), ids.slice(0, 2));
		assert.equal(typeof first.next_cursor, 'string');
		const second = assertList(await api('GET', `${q}&limit=2&cursor=${first.next_cursor}`));
		assert.deepEqual(second.items.map((p) => p.id), ids.slice(2, 4));
		const third = assertList(await api('GET', `${q}&limit=2&cursor=${second.next_cursor}`));
		assert.deepEqual(third.items.map((p) => p.id), ids.slice(4));
		assert.equal(third.next_cursor, null);
		assert.deepEqual((await listAll(q, undefined, { limit: 1 })).map((p) => p.id), ids);
	});
});

describe('change', () => {
	test('the owning bank changes any field; the merged product is returned and stored', async () => {
		const g = await createProgram();
		const p = await createProduct({ criteria: { min_grade: 'C', towns: ['nanqiao'], whitelist_only: true } });
		expectStatus(await addPartner(g.id, p.institution_id), [200, 201]); // partners.test.mjs: else 403
		const res = await patch(p.id, {
			name: '改名后的产品', rate_max_bps: 800, program_id: g.id, description: '新说明',
			criteria: { min_score: 650, industries: ['C26'] },
		});
		const q = assertProduct(expectStatus(res, 200));
		assert.equal(q.name, '改名后的产品');
		assert.equal(q.rate_max_bps, 800);
		assert.equal(q.rate_min_bps, p.rate_min_bps);
		assert.equal(q.program_id, g.id);
		assert.equal(q.program_name, g.name);
		assert.equal(q.description, '新说明');
		// criteria merge member by member
		assert.equal(q.criteria.min_score, 650);
		assert.deepEqual(q.criteria.industries, ['C26']);
		assert.equal(q.criteria.min_grade, 'C');
		assert.deepEqual(q.criteria.towns, ['nanqiao']);
		assert.equal(q.criteria.whitelist_only, true);
		assert.equal(q.created_at, p.created_at);
		assert.deepEqual(expectStatus(await get(p.id, bank.token), 200), q);
		// null clears an optional value
		const r = assertProduct(expectStatus(await patch(p.id, { program_id: null, criteria: { min_grade: null, towns: [] } }), 200));
		assert.equal(r.program_id, null);
		assert.equal(r.criteria.min_grade, null);
		assert.deepEqual(r.criteria.towns, []);
	});

	test('another bank\'s product is 404 to PATCH and stays as it was', async () => {
		const p = await createProduct({ status: 'active' });
		expectError(await patch(p.id, { name: '抢来的' }, otherBank.token), 404, 'not_found', null);
		expectError(await patch(p.id, { status: 'retired' }, otherBank.token), 404, 'not_found');
		expectError(await patch(987654321, { name: 'x' }), 404, 'not_found');
		assert.deepEqual(expectStatus(await get(p.id), 200), p);
	});

	test('the merged product is checked again: a new maximum below the old minimum is 400 naming it', async () => {
		const p = await createProduct({ amount_min_fen: 1000000, amount_max_fen: 2000000 });
		expectError(await patch(p.id, { amount_max_fen: 999999 }), 400, 'validation_failed', 'amount_max_fen');
		expectError(await patch(p.id, { amount_min_fen: 2000001 }), 400, 'validation_failed', 'amount_min_fen');
		expectError(await patch(p.id, { term_min_months: 37 }), 400, 'validation_failed', 'term_min_months');
		expectError(await patch(p.id, { rate_max_bps: 349 }), 400, 'validation_failed', 'rate_max_bps');
		expectError(await patch(p.id, { rate_max_bps: 3601 }), 400, 'validation_failed', 'rate_max_bps');
		expectError(await patch(p.id, { criteria: { towns: ['nowhere'] } }), 400, 'validation_failed', 'criteria.towns[0]');
		expectError(await patch(p.id, { program_id: 987654321 }), 400, 'validation_failed', 'program_id');
		expectError(await patch(p.id, { kind: 'loan' }), 400, 'validation_failed', 'kind');
		expectError(await patch(p.id, { institution_id: 1 }), 400, 'validation_failed', 'institution_id');
		expectError(await patch(p.id, {}), 400, 'validation_failed');
		// both ends together may move past the old ones
		const q = expectStatus(await patch(p.id, { amount_min_fen: 5000000, amount_max_fen: 6000000 }), 200);
		assert.equal(q.amount_min_fen, 5000000);
		assert.deepEqual({ ...expectStatus(await get(p.id, bank.token), 200), updated_at: 0 }, { ...q, updated_at: 0 });
	});

	const legal = [
		['draft', 'active'], ['active', 'paused'], ['paused', 'active'],
		['draft', 'retired'], ['active', 'retired'], ['paused', 'retired'],
		['draft', 'draft'], ['active', 'active'], ['paused', 'paused'],
	];
	for (const [from, to] of legal) {
		test(`status ${from} → ${to} is allowed`, async () => {
			const p = await productIn(from);
			const q = expectStatus(await patch(p.id, { status: to }), 200);
			assert.equal(q.status, to);
		});
	}

	const illegal = [['draft', 'paused'], ['active', 'draft'], ['paused', 'draft']];
	for (const [from, to] of illegal) {
		test(`status ${from} → ${to} is 409 invalid_state and changes nothing`, async () => {
			const p = await productIn(from);
			const before = expectStatus(await get(p.id, bank.token), 200);
			expectError(await patch(p.id, { status: to, name: '不应保存' }), 409, 'invalid_state', 'status');
			assert.deepEqual(expectStatus(await get(p.id, bank.token), 200), before);
		});
	}

	test('retired is final: any change at all is 409 invalid_state', async () => {
		const p = await productIn('retired');
		for (const body of [{ status: 'active' }, { status: 'retired' }, { status: 'draft' }, { description: '复活' }]) {
			expectError(await patch(p.id, body), 409, 'invalid_state');
		}
		// validation still comes first for a malformed body
		expectError(await patch(p.id, { status: 'zombie' }), 400, 'validation_failed', 'status');
		assert.equal(expectStatus(await get(p.id, bank.token), 200).status, 'retired');
	});
});

describe('audit', () => {
	test('product.create and product.update are audited with the product as target', async () => {
		const p = await createProduct();
		expectStatus(await patch(p.id, { status: 'active' }), 200);
		const rows = await auditRows({ target_type: 'product', target_id: String(p.id) });
		assert.deepEqual(rows.map((r) => [r.action, r.status, r.actor_id, r.role]), [
			['product.update', 200, bank.id, 'bank'],
			['product.create', 201, bank.id, 'bank'],
		]);
	});
});
