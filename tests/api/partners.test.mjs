// Programme partners (/api/v1/programs/{id}/partners): only the bureau
// decides which banks take part in a programme, and a product carries a
// program_id only while its bank is a partner. The self-enrolling bank of
// issue 11 (a bank that is no partner of 东方美谷贷 putting its product into
// it) is refused 403 and nothing changes; removing a partner takes its
// products out of the programme (matching follows) while its loans keep
// their programme. Also the audit rows and who may manage partners.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, addPartner, api, assertKeys, auditRows, createProduct, createProgram, expectError,
	expectStatus, freshUser, institutionOf, productBody, roleUser, sql,
} from './lib.mjs';
import { disburse, fundedProgram, getOk } from './ledger_helpers.mjs';

const G = '/api/v1/programs';
const P = '/api/v1/products';

let bureau;
let sme;
let park;

before(async () => {
	[bureau, sme, park] = await Promise.all([roleUser('bureau'), roleUser('sme'), roleUser('park')]);
});

/** A fresh bank with its institution id. */
async function newBank() {
	const b = await freshUser('bank');
	return { ...b, institutionId: await institutionOf(b.token) };
}

/** A fresh 东方美谷贷-like programme of park 1. */
const newProgram = () => createProgram({ name: `东方美谷贷${Date.now()}${Math.random().toString(16).slice(2, 6)}` });

const productBodyFor = (i) => productBody({ name: `竞态产品${i}`, status: 'active' });
const remove = (programId, institutionId, token = bureau.token) =>
	api('DELETE', `${G}/${programId}/partners/${institutionId}`, { token });
const program = async (id) => expectStatus(await api('GET', `${G}/${id}`), 200);
const product = async (id, token) => expectStatus(await api('GET', `${P}/${id}`, { token }), 200);

describe('the self-enrolling bank', () => {
	test('a bank that is not a partner cannot create a product in the programme: 403, nothing stored', async () => {
		const [g, b] = await Promise.all([newProgram(), newBank()]);
		const before = sql(`SELECT COUNT(*) FROM products WHERE institution_id = ${b.institutionId}`)[0][0];
		const res = await api('POST', P, {
			token: b.token,
			body: { name: '自封的东方美谷产品', kind: 'credit', amount_min_fen: 100000, amount_max_fen: 4e11,
				rate_min_bps: 350, rate_max_bps: 600, term_min_months: 6, term_max_months: 36,
				collateral: 'none', monthly_capacity: 50, status: 'active', program_id: g.id },
		});
		expectError(res, 403, 'forbidden', 'program_id');
		assert.equal(sql(`SELECT COUNT(*) FROM products WHERE institution_id = ${b.institutionId}`)[0][0], before);
		assert.deepEqual((await program(g.id)).products, []);
	});

	test('a bank that is not a partner cannot PATCH its product into the programme: 403, unchanged', async () => {
		const [g, b] = await Promise.all([newProgram(), newBank()]);
		const p = await createProduct({ status: 'active' }, { token: b.token });
		expectError(await api('PATCH', `${P}/${p.id}`, { token: b.token, body: { program_id: g.id, name: '改名' } }),
			403, 'forbidden', 'program_id');
		assert.deepEqual(await product(p.id, b.token), p);
	});

	test('once the bureau adds the bank as partner, POST and PATCH into the programme work', async () => {
		const [g, b] = await Promise.all([newProgram(), newBank()]);
		const p = await createProduct({ status: 'active' }, { token: b.token });
		const added = expectStatus(await addPartner(g.id, b.institutionId), 201);
		assertKeys(added, ['id', 'name', 'program_id', 'added_at'], 'partner');
		assert.equal(added.id, b.institutionId);
		assert.equal(added.program_id, g.id);
		assert.match(added.added_at, RFC3339_UTC);
		// a repeat changes nothing and answers 200 with the same partner
		assert.deepEqual(expectStatus(await addPartner(g.id, b.institutionId), 200), added);
		const q = expectStatus(await api('PATCH', `${P}/${p.id}`, { token: b.token, body: { program_id: g.id } }), 200);
		assert.equal(q.program_id, g.id);
		const r = await createProduct({ status: 'active', program_id: g.id }, { token: b.token, partner: false });
		assert.equal(r.program_id, g.id);
		const shown = await program(g.id);
		assert.deepEqual(shown.partners, [{ id: b.institutionId, name: added.name }]);
		assert.deepEqual(shown.products.map((x) => x.id), [p.id, r.id]);
		const rows = await auditRows({ action: 'program.partner_add', target_id: String(g.id) });
		assert.equal(rows.length, 1, 'the repeat wrote no row');
		assert.equal(rows[0].actor_id, bureau.id);
	});

	test('removing a partner takes its products out of the programme and out of its matches', async () => {
		const [g, b, other] = await Promise.all([newProgram(), newBank(), newBank()]);
		const p = await createProduct({ status: 'active', program_id: g.id }, { token: b.token });
		const o = await createProduct({ status: 'active', program_id: g.id }, { token: other.token });
		expectStatus(await remove(g.id, b.institutionId), 204);
		assert.equal((await product(p.id, b.token)).program_id, null);
		assert.equal((await product(o.id, other.token)).program_id, g.id, 'the other partner stays');
		const shown = await program(g.id);
		assert.deepEqual(shown.partners.map((x) => x.id), [other.institutionId]);
		assert.deepEqual(shown.products.map((x) => x.id), [o.id]);
		// the matching catalogue learnt of it: the public list by programme too
		const listed = expectStatus(await api('GET', `${P}?program_id=${g.id}`), 200).items.map((x) => x.id);
		assert.deepEqual(listed, [o.id]);
		// and the bank cannot put it back
		expectError(await api('PATCH', `${P}/${p.id}`, { token: b.token, body: { program_id: g.id } }),
			403, 'forbidden', 'program_id');
		expectError(await remove(g.id, b.institutionId), 404, 'not_found');
		const rows = await auditRows({ action: 'program.partner_remove', target_id: String(g.id) });
		assert.equal(rows.length, 1);
		assert.equal(sql(`SELECT detail FROM audit_log WHERE id = ${rows[0].id}`)[0][0],
			`institution=${b.institutionId} products=1`);
	});

	test('a loan made before the removal keeps its programme and shares; later ones are outside it', async () => {
		const ctx = await fundedProgram();
		const loan = await disburse(ctx, 40000000);
		assert.equal(loan.program_id, ctx.program.id);
		expectStatus(await remove(ctx.program.id, ctx.product.institution_id), 204);
		const kept = await getOk(`/loans/${loan.id}`, ctx.bureau.token);
		assert.deepEqual({ ...kept, outstanding_fen: 0, status: 0 }, { ...loan, outstanding_fen: 0, status: 0 });
		assert.equal(kept.program_id, ctx.program.id);
		const later = await disburse(ctx, 30000000);
		assert.equal(later.program_id, null, 'a new loan of the product is outside the programme');
	});
});

describe('a removal racing a product write', () => {
	test('no product is left in a programme its bank is no longer a partner of', async () => {
		const [g, b] = await Promise.all([newProgram(), newBank()]);
		const body = (i) => ({ ...productBodyFor(i), program_id: g.id });
		const mine = await createProduct({ status: 'active' }, { token: b.token });
		for (let i = 0; i < 12; i++) {
			expectStatus(await addPartner(g.id, b.institutionId), 201);
			const [made, patched, gone] = await Promise.all([
				api('POST', P, { token: b.token, body: body(i) }),
				api('PATCH', `${P}/${mine.id}`, { token: b.token, body: { program_id: g.id } }),
				remove(g.id, b.institutionId),
			]);
			expectStatus(gone, 204);
			for (const res of [made, patched]) assert.ok([200, 201, 403].includes(res.status), res.text);
			const stray = sql('SELECT COUNT(*) FROM products p LEFT JOIN program_partners pp'
				+ ' ON pp.program_id = p.program_id AND pp.institution_id = p.institution_id'
				+ ` WHERE p.program_id = ${g.id} AND pp.program_id IS NULL`)[0][0];
			assert.equal(stray, '0', `round ${i}: a product stayed in the programme without its partner`);
		}
	});
});

describe('who manages partners', () => {
	test('only the bureau: sme, bank and park get 403 on POST and DELETE', async () => {
		const [g, b] = await Promise.all([newProgram(), newBank()]);
		for (const u of [sme, park, b]) {
			expectError(await api('POST', `${G}/${g.id}/partners`, { token: u.token, body: { institution_id: b.institutionId } }),
				403, 'forbidden');
			expectError(await remove(g.id, b.institutionId, u.token), 403, 'forbidden');
		}
		assert.deepEqual((await program(g.id)).partners, []);
	});

	test('only a bank is a partner; unknown programme, institution and partner are refused', async () => {
		const g = await newProgram();
		const guarantor = sql("SELECT id FROM institutions WHERE kind <> 'bank' LIMIT 1");
		if (guarantor.length) {
			expectError(await addPartner(g.id, Number(guarantor[0][0])), 400, 'validation_failed', 'institution_id');
		}
		expectError(await addPartner(g.id, 987654321), 400, 'validation_failed', 'institution_id');
		expectError(await addPartner(987654321, 1), 404, 'not_found');
		expectError(await api('POST', `${G}/${g.id}/partners`, { token: bureau.token, body: {} }),
			400, 'validation_failed', 'institution_id');
		expectError(await api('POST', `${G}/${g.id}/partners`, { token: bureau.token, body: { institution_id: 'x' } }),
			400, 'validation_failed', 'institution_id');
		expectError(await remove(g.id, 987654321), 404, 'not_found');
		expectError(await remove(g.id, 'abc'), 404, 'not_found');
	});
});
