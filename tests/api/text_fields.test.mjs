// Free text and CSV (issue 11): names, purposes and memos refuse control
// characters (C0 with CR, LF and TAB, DEL, C1) with 400 naming the field and
// store nothing; descriptions, reasons and messages keep line feeds only.
// The statistics export puts an apostrophe before a cell that starts with
// = + - @, TAB, CR or LF, so a spreadsheet shows it as text.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	BASE_URL, api, applicationBody, applicationIn, expectError, expectStatus, hex, productBody, programBody,
	registerBody, roleUser, sql,
} from './lib.mjs';

const CONTROLS = ['\r', '\n', '\u0007', '\u0085', '\t', '\u007f'];
const shown = (c) => JSON.stringify(c);

/** RFC 4180 rows of text (CRLF or LF line ends, quoted fields). */
function csvRows(text) {
	const rows = [];
	let row = [], cell = '', quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') { row.push(cell); cell = ''; }
		else if (c === '\r' && text[i + 1] === '\n') { /* the CR of CRLF */ }
		else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
		else cell += c;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

test('export cells beginning with CR, LF, TAB, =, +, -, @ come out guarded', async () => {
	const { bank, product } = await applicationIn('pending_bank');
	for (const start of ['\r', '\n', '\t', '=', '+', '-', '@']) {
		// Names no longer take control characters: put them in as root, as
		// data from before this rule or from another door would be.
		const code = start.charCodeAt(0);
		sql(`UPDATE products SET name = CONCAT(CHAR(${code}), 'SUM(1)贷') WHERE id = ${product.id}`);
		const res = await fetch(`${BASE_URL}/api/v1/stats/export.csv?by=product`, { headers: { authorization: `Bearer ${bank.token}` } });
		assert.equal(res.status, 200);
		const rows = csvRows(Buffer.from(await res.arrayBuffer()).subarray(3).toString('utf8'));
		const row = rows.find((r) => r[0] === String(product.id));
		assert.ok(row, `no row for the product with ${shown(start)}`);
		assert.equal(row[1], `'${start}SUM(1)贷`, `the cell starting ${shown(start)}`);
	}
});

test('product names with control characters are refused naming the field, nothing created', async () => {
	const { token, user } = await roleUser('bank');
	const count = () => Number(sql(`SELECT COUNT(*) FROM products WHERE institution_id = ${user.org_id}`)[0][0]);
	const before = count();
	for (const c of CONTROLS) {
		const res = await api('POST', '/api/v1/products', { token, body: productBody({ name: `产品${c}${hex(2)}` }) });
		expectError(res, 400, 'validation_failed', 'name');
	}
	assert.equal(count(), before);
	const made = expectStatus(await api('POST', '/api/v1/products', { token, body: productBody() }), 201);
	for (const c of CONTROLS) {
		const res = await api('PATCH', `/api/v1/products/${made.id}`, { token, body: { name: `改名${c}` } });
		expectError(res, 400, 'validation_failed', 'name');
	}
	const stored = sql(`SELECT HEX(name) FROM products WHERE id = ${made.id}`)[0][0];
	assert.equal(Buffer.from(stored, 'hex').toString('utf8'), made.name);
});

test('a description keeps its line feeds; other control characters are refused', async () => {
	const { token } = await roleUser('bank');
	const made = expectStatus(await api('POST', '/api/v1/products', {
		token, body: productBody({ description: '第一行\n第二行' }),
	}), 201);
	assert.equal(made.description, '第一行\n第二行');
	for (const c of ['\r', '\t', '\u0007', '\u0085']) {
		expectError(await api('POST', '/api/v1/products', { token, body: productBody({ description: `a${c}b` }) }),
			400, 'validation_failed', 'description');
	}
});

test('programme names with control characters are refused naming the field, nothing created', async () => {
	const { token } = await roleUser('bureau');
	const count = () => Number(sql('SELECT COUNT(*) FROM programs')[0][0]);
	const before = count();
	for (const c of CONTROLS) {
		expectError(await api('POST', '/api/v1/programs', { token, body: programBody({ name: `东方美谷贷${c}${hex(2)}` }) }),
			400, 'validation_failed', 'name');
	}
	assert.equal(count(), before);
});

test('enterprise, institution and fund names, purposes and memos refuse them too', async () => {
	const admin = await roleUser('admin');
	const bureau = await roleUser('bureau');
	const sme = await roleUser('sme');
	for (const c of ['\n', '\u0085']) {
		expectError(await api('POST', '/api/v1/auth/register', { body: registerBody({ enterprise: { name: `企业${c}有限公司` } }) }),
			400, 'validation_failed', 'enterprise.name');
		expectError(await api('POST', '/api/v1/auth/register', { body: registerBody({ enterprise: { legal_rep_name: `张${c}三` } }) }),
			400, 'validation_failed', 'enterprise.legal_rep_name');
		expectError(await api('POST', '/api/v1/institutions', { token: admin.token, body: { name: `银行${c}${hex(2)}`, kind: 'bank' } }),
			400, 'validation_failed', 'name');
		expectError(await api('POST', '/api/v1/funds', { token: bureau.token, body: { name: `基金${c}${hex(2)}` } }),
			400, 'validation_failed', 'name');
		expectError(await api('POST', '/api/v1/applications', { token: sme.token, body: applicationBody({ purpose: `采购${c}原料` }) }),
			400, 'validation_failed', 'purpose');
	}
	const fund = expectStatus(await api('POST', '/api/v1/funds', { token: bureau.token, body: { name: `基金${hex(4)}` } }), 201);
	expectError(await api('POST', `/api/v1/funds/${fund.id}/deposits`, {
		token: bureau.token, body: { amount_fen: 100, memo: '拨款\r\n第二行' },
	}), 400, 'validation_failed', 'memo');
});
