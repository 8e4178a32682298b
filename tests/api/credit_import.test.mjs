// POST /api/v1/credit-records/batch: JSON and CSV imports, every kind of bad
// row reported by index, duplicates counted and never stored twice, the
// row and size limits, broken CSV, and the scores recomputed before the
// answer. Scores are read with SQL (storedScore) and through
// GET /enterprises/{id}/credit.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	api, assertKeys, auditRows, creditRow, expectError, expectStatus, hex, importCredit,
	importCreditCsv, rawRequest, registerSme, roleUser, sql, storedScore, unescapeBatch, validUscc,
} from './lib.mjs';

const BATCH = '/api/v1/credit-records/batch';
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
// The same day as detail_zh writes it: 2024年3月1日, unpadded.
const dayZh = (offset) => day(offset).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日');

/** Stored records of a source department, by source_record_id. */
function storedRecords(sourceDept) {
	const rows = sql('SELECT source_record_id, enterprise_id, category, value_json,'
		+ " DATE_FORMAT(observed_on, '%Y-%m-%d'), COALESCE(DATE_FORMAT(expires_on, '%Y-%m-%d'), ''),"
		+ ` minor_party, force_majeure, id FROM credit_records WHERE source_dept = '${sourceDept}'`
		+ ' ORDER BY id');
	return rows.map(([srid, ent, category, value, observed, expires, minor, force, id]) => ({
		source_record_id: unescapeBatch(srid), enterprise_id: Number(ent), category,
		value: JSON.parse(unescapeBatch(value)), observed_on: observed, expires_on: expires || null,
		minor_party: minor === '1', force_majeure: force === '1', id: Number(id),
	}));
}

function expectAnswer(res, { accepted, duplicates, rejected = [] }) {
	const body = expectStatus(res, 200);
	assertKeys(body, ['accepted', 'duplicates', 'rejected'], 'import answer');
	assert.equal(body.accepted, accepted, `accepted: ${res.text}`);
	assert.equal(body.duplicates, duplicates, `duplicates: ${res.text}`);
	for (const r of body.rejected) {
		assertKeys(r, ['index', 'code', 'message'], 'rejected row');
		assert.ok(r.message.length > 0);
	}
	assert.deepEqual(body.rejected.map((r) => [r.index, r.code]), rejected, `rejected: ${res.text}`);
	return body;
}

const csvQuote = (s) => `"${String(s).replaceAll('"', '""')}"`;

describe('JSON import', () => {
	test('valid rows are stored with every field, and the answer counts them', async () => {
		const { enterprise } = await registerSme();
		const dept = `tax_${hex(4)}`;
		const rows = [
			creditRow(enterprise.uscc, { category: 'tax_rating', value: { grade: 'A', year: 2024 }, source_dept: dept, source_record_id: 't1' }),
			creditRow(enterprise.uscc, {
				category: 'admin_penalty', value: { severity: 'general', amount_fen: 9007199254740992, reason: '逾期申报' },
				source_dept: dept, source_record_id: 't2', observed_on: day(-400), expires_on: day(300), minor_party: true, force_majeure: false,
			}),
			creditRow(enterprise.uscc, { category: 'repair', value: { repairs_source_record_id: 't2' }, source_dept: dept, source_record_id: 't3', expires_on: null }),
		];
		expectAnswer(await importCredit(rows), { accepted: 3, duplicates: 0 });
		const stored = storedRecords(dept);
		assert.equal(stored.length, 3);
		assert.deepEqual(stored[0], {
			source_record_id: 't1', enterprise_id: enterprise.id, category: 'tax_rating',
			value: { grade: 'A', year: 2024 }, observed_on: rows[0].observed_on, expires_on: null,
			minor_party: false, force_majeure: false, id: stored[0].id,
		});
		assert.equal(sql(`SELECT JSON_VALUE(value_json, '$.amount_fen') FROM credit_records WHERE id = ${stored[1].id}`)[0][0],
			'9007199254740992', 'amounts are kept exactly');
		assert.equal(stored[1].value.reason, '逾期申报');
		assert.equal(stored[1].expires_on, rows[1].expires_on);
		assert.equal(stored[1].minor_party, true);
		assert.deepEqual(stored[2].value, { repairs_source_record_id: 't2' });
	});

	test('an empty batch is 200 with nothing counted', async () => {
		expectAnswer(await importCredit([]), { accepted: 0, duplicates: 0 });
	});

	test('every kind of bad row is reported by index with a code; the good rows are stored', async () => {
		const { enterprise } = await registerSme({ enterprise: { uscc: usccWithLetter() } });
		const u = enterprise.uscc;
		const dept = `bad_${hex(4)}`;
		const r = (overrides) => creditRow(u, { source_dept: dept, ...overrides });
		const rows = [
			r({ source_record_id: 'good-0' }),
			r({ uscc: '91310120MA1XXXXXXX' }),					// 1 no such enterprise
			r({ uscc: u.toLowerCase() }),						// 2 USCCs match exactly
			r({ category: 'credit_card' }),						// 3
			r({ category: 'social_security', value: { months_paid: 13 } }),		// 4 out of range
			r({ category: 'social_security', value: { months_paid: 6.5 } }),	// 5 not an exact integer
			r({ category: 'tax_rating', value: { grade: 'E', year: 2024 } }),	// 6 grade not in the set
			r({ category: 'tax_rating', value: { grade: 'A' } }),			// 7 missing key
			r({ category: 'patent', value: { count: 2, kind: 'invention', extra: 1 } }),	// 8 unknown key
			r({ category: 'trademark', value: { count: '3' } }),			// 9 wrong type
			r({ category: 'utility_arrears', value: { months_overdue: 1, amount_fen: -5 } }),	// 10 negative amount
			r({ value: 'award' }),							// 11 value not an object
			r({ uscc: 12345 }),							// 12 wrong type
			r({ minor_party: 'yes' }),						// 13 wrong type
			r({ observed_on: '2025-02-30' }),					// 14 not a real date
			r({ observed_on: day(2) }),						// 15 in the future
			r({ observed_on: day(-10), expires_on: day(-20) }),			// 16 expires before observed
			r({ color: 'red' }),							// 17 unknown field
			r({ source_record_id: 'x'.repeat(65) }),				// 18 too long
			r({ source_dept: '' }),							// 19 empty
			'not an object',							// 20
			r({ category: undefined }),						// 21 missing field
			r({ category: 'rnd_expense', value: { amount_fen: 100, year: 1899 } }),	// 22 year out of range
			r({ category: 'env_rating', value: { grade: 'Green' } }),		// 23 grades are case-sensitive
			r({ observed_on: '2025-1-05' }),					// 24 not YYYY-MM-DD
			r({ source_record_id: 'good-25', category: 'commitment', value: { matter: '按时纳税' } }),
			r({ uscc: '统一社会信用代码' }),						// 26 not even ASCII
		];
		const res = await importCredit(rows);
		const body = expectAnswer(res, {
			accepted: 2, duplicates: 0,
			rejected: [
				[1, 'unknown_enterprise'], [2, 'unknown_enterprise'], [3, 'unknown_category'],
				[4, 'invalid_value'], [5, 'invalid_value'], [6, 'invalid_value'], [7, 'invalid_value'],
				[8, 'invalid_value'], [9, 'invalid_value'], [10, 'invalid_value'], [11, 'invalid_value'],
				[12, 'invalid_field'], [13, 'invalid_field'], [14, 'invalid_field'], [15, 'invalid_field'],
				[16, 'invalid_field'], [17, 'invalid_field'], [18, 'invalid_field'], [19, 'invalid_field'],
				[20, 'invalid_field'], [21, 'invalid_field'], [22, 'invalid_value'], [23, 'invalid_value'],
				[24, 'invalid_field'], [26, 'unknown_enterprise'],
			],
		});
		const msg = Object.fromEntries(body.rejected.map((x) => [x.index, x.message]));
		assert.match(msg[8], /extra/, 'an unknown value key is named');
		assert.match(msg[17], /color/, 'an unknown field is named');
		assert.match(msg[7], /year/, 'a missing value key is named');
		assert.match(msg[21], /category/, 'a missing field is named');
		assert.deepEqual(storedRecords(dept).map((x) => x.source_record_id), ['good-0', 'good-25']);
	});

	test('a body that is not {"records": [...]} is 400 naming the field', async () => {
		const token = (await roleUser('bureau')).token;
		expectError(await api('POST', BATCH, { token, body: {} }), 400, 'validation_failed', 'records');
		expectError(await api('POST', BATCH, { token, body: { records: {} } }), 400, 'validation_failed', 'records');
		expectError(await api('POST', BATCH, { token, body: { records: [], extra: 1 } }), 400, 'validation_failed', 'extra');
		expectError(await api('POST', BATCH, { token, body: [] }), 400, 'validation_failed');
		expectError(await api('POST', BATCH, { token, rawBody: '{"records": [' }), 400, 'invalid_json');
	});

	test('a body in another Content-Type is 400', async () => {
		const token = (await roleUser('bureau')).token;
		const res = await api('POST', BATCH, { token, rawBody: 'uscc\n', headers: { 'content-type': 'text/plain' } });
		expectError(res, 400, 'validation_failed');
	});
});

describe('duplicates', () => {
	test('a batch sent again is all duplicates and stores nothing twice', async () => {
		const { enterprise } = await registerSme();
		const dept = `dup_${hex(4)}`;
		const rows = [0, 1, 2].map((i) => creditRow(enterprise.uscc, { source_dept: dept, source_record_id: `d${i}` }));
		expectAnswer(await importCredit(rows), { accepted: 3, duplicates: 0 });
		expectAnswer(await importCredit(rows), { accepted: 0, duplicates: 3 });
		// Changed content under a stored key is still the stored record.
		const changed = { ...rows[0], value: { title: '另一个奖项' } };
		expectAnswer(await importCredit([changed, creditRow(enterprise.uscc, { source_dept: dept, source_record_id: 'd3' })]),
			{ accepted: 1, duplicates: 1 });
		const stored = storedRecords(dept);
		assert.deepEqual(stored.map((x) => x.source_record_id), ['d0', 'd1', 'd2', 'd3']);
		assert.equal(stored[0].value.title, rows[0].value.title);
	});

	test('within a batch an exact repeat is a duplicate and a conflicting one is refused', async () => {
		const { enterprise } = await registerSme();
		const dept = `dupb_${hex(4)}`;
		const a = creditRow(enterprise.uscc, { source_dept: dept, source_record_id: 'same' });
		const other = { ...a, value: { title: '不同内容' } };
		const res = await importCredit([a, { ...a }, other, creditRow(enterprise.uscc, { source_dept: dept, source_record_id: 'SAME' })]);
		const body = expectAnswer(res, { accepted: 2, duplicates: 1, rejected: [[2, 'duplicate_in_batch']] });
		assert.match(body.rejected[0].message, /row 0/);
		assert.deepEqual(storedRecords(dept).map((x) => x.source_record_id), ['same', 'SAME'], 'ids are compared exactly');
	});

	test('the same source record id from another department is another record', async () => {
		const { enterprise } = await registerSme();
		const id = uniqueId();
		const a = creditRow(enterprise.uscc, { source_record_id: id });
		const b = creditRow(enterprise.uscc, { source_record_id: id });
		expectAnswer(await importCredit([a, b]), { accepted: 2, duplicates: 0 });
	});
});

/** A valid USCC holding a letter, so that its lower-case form differs. */
function usccWithLetter() {
	for (;;) {
		const u = validUscc();
		if (/[A-Z]/.test(u)) return u;
	}
}

function uniqueId() {
	return `id_${hex(6)}`;
}

describe('CSV import', () => {
	test('RFC 4180: BOM, CRLF, quoted fields, doubled quotes, embedded commas and newlines, any column order', async () => {
		const { enterprise } = await registerSme();
		const dept = `csv_${hex(4)}`;
		const header = 'source_record_id,value,category,uscc,observed_on,source_dept,expires_on,minor_party,force_majeure';
		const lines = [
			// a quoted id with a comma, doubled quotes and a newline; JSON with a newline between tokens
			[csvQuote('a,"1"\nb'), csvQuote(`{"title":\n${JSON.stringify('奖, "优秀" 企业')}}`), 'award', enterprise.uscc, day(-5), dept, '', 'true', '0'],
			['plain', csvQuote('{"months_paid":12}'), 'social_security', enterprise.uscc, day(-5), dept, day(100), '', 'false'],
			['p3', csvQuote('{"count":2,"kind":"utility"}'), 'patent', enterprise.uscc, day(-5), csvQuote(dept), '', '1', 'true'],
		];
		const text = '\ufeff' + header + '\r\n' + lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
		expectAnswer(await importCreditCsv(text), { accepted: 3, duplicates: 0 });
		const stored = storedRecords(dept);
		assert.deepEqual(stored.map((x) => x.source_record_id), ['a,"1"\nb', 'plain', 'p3']);
		assert.deepEqual(stored[0].value, { title: '奖, "优秀" 企业' });
		assert.equal(stored[0].minor_party, true);
		assert.equal(stored[0].force_majeure, false);
		assert.equal(stored[0].expires_on, null);
		assert.equal(stored[1].expires_on, day(100));
		assert.equal(stored[1].minor_party, false);
		assert.deepEqual(stored[2].value, { count: 2, kind: 'utility' });
		assert.equal(stored[2].minor_party, true);
		assert.equal(stored[2].force_majeure, true);
		// Sent again, without the BOM, with LF line ends: all duplicates.
		expectAnswer(await importCreditCsv(text.slice(1).replaceAll('\r\n', '\n')), { accepted: 0, duplicates: 3 });
	});

	test('the optional columns may be left out; a last line without a newline counts', async () => {
		const { enterprise } = await registerSme();
		const dept = `csvm_${hex(4)}`;
		const text = 'uscc,category,value,source_dept,source_record_id,observed_on\n'
			+ `${enterprise.uscc},trademark,"{""count"":4}",${dept},m1,${day(-1)}`;
		expectAnswer(await importCreditCsv(text, { contentType: 'text/csv' }), { accepted: 1, duplicates: 0 });
		assert.deepEqual(storedRecords(dept)[0].value, { count: 4 });
	});

	test('bad CSV rows are reported by their data-row index', async () => {
		const { enterprise } = await registerSme();
		const dept = `csvb_${hex(4)}`;
		const u = enterprise.uscc;
		const head = 'uscc,category,value,source_dept,source_record_id,observed_on,minor_party';
		const rows = [
			[u, 'award', csvQuote('{"title":"ok"}'), dept, 'ok0', day(-1), ''],
			[u, 'award', csvQuote('{"title":"short"}'), dept, 'bad1', day(-1)],		// 1 too few fields
			[u, 'award', csvQuote('{"title":"x"}'), dept, 'bad2', day(-1), 'yes'],		// 2 not a boolean
			[u, 'award', csvQuote('{title:x}'), dept, 'bad3', day(-1), ''],			// 3 value not JSON
			[u, 'award', csvQuote('[1]'), dept, 'bad4', day(-1), ''],			// 4 value not an object
			[u, 'award', '', dept, 'bad5', day(-1), ''],					// 5 value empty
			['NOPE', 'award', csvQuote('{"title":"x"}'), dept, 'bad6', day(-1), ''],	// 6 unknown enterprise
			[u, 'lottery', csvQuote('{"title":"x"}'), dept, 'bad7', day(-1), ''],		// 7 unknown category
			[u, 'award', csvQuote('{"title":"x"}'), dept, 'bad8', '2024/01/01', ''],	// 8 bad date
			[u, 'award', csvQuote('{"title":"ok"}'), dept, 'ok9', day(-1), '0', 'extra'],	// 9 too many fields
			[u, 'award', csvQuote('{"title":"ok"}'), dept, 'ok10', day(-1), '0'],
		];
		const text = head + '\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
		expectAnswer(await importCreditCsv(text), {
			accepted: 2, duplicates: 0,
			rejected: [[1, 'invalid_field'], [2, 'invalid_field'], [3, 'invalid_value'], [4, 'invalid_value'],
				[5, 'invalid_field'], [6, 'unknown_enterprise'], [7, 'unknown_category'], [8, 'invalid_field'],
				[9, 'invalid_field']],
		});
		assert.deepEqual(storedRecords(dept).map((x) => x.source_record_id), ['ok0', 'ok10']);
	});

	test('a broken CSV or header is 400 and stores nothing', async () => {
		const { enterprise } = await registerSme();
		const dept = `csvx_${hex(4)}`;
		const head = 'uscc,category,value,source_dept,source_record_id,observed_on';
		const good = `${enterprise.uscc},award,"{""title"":""x""}",${dept},g1,${day(-1)}`;
		const cases = {
			'unterminated quote': `${head}\n${good}\n${enterprise.uscc},award,"{""title"":""x""}",${dept},"g2,${day(-1)}\n`,
			'quote inside an unquoted field': `${head}\n${good}\n${enterprise.uscc},award,{"title":"x"},${dept},g3,${day(-1)}\n`,
			'text after a closing quote': `${head}\n${good}\n${enterprise.uscc},"award"x,"{}",${dept},g4,${day(-1)}\n`,
			'unknown column': `${head},colour\n${good},red\n`,
			'repeated column': `${head},uscc\n${good},${enterprise.uscc}\n`,
			'missing column': `uscc,category,value,source_dept,observed_on\n${enterprise.uscc},award,"{}",${dept},${day(-1)}\n`,
			'no header, only data': `${good}\n`,
			'empty body but for a BOM': '\ufeff',
		};
		for (const [what, text] of Object.entries(cases)) {
			const res = await importCreditCsv(text);
			expectError(res, 400, 'validation_failed');
			assert.ok(res.json.error.message.length > 10, `${what}: ${res.json.error.message}`);
		}
		assert.equal(storedRecords(dept).length, 0, 'nothing stored');
	});
});

describe('limits', () => {
	test('10,000 rows are accepted in one batch', async () => {
		const { enterprise } = await registerSme();
		const dept = `max_${hex(4)}`;
		const rows = Array.from({ length: 10000 }, (_, i) => creditRow(enterprise.uscc, {
			category: 'trademark', value: { count: 1 }, source_dept: dept, source_record_id: `m${i}`,
		}));
		expectAnswer(await importCredit(rows), { accepted: 10000, duplicates: 0 });
		assert.equal(Number(sql(`SELECT COUNT(*) FROM credit_records WHERE source_dept = '${dept}'`)[0][0]), 10000);
	});

	test('10,001 rows are 413 payload_too_large, as JSON and as CSV, and nothing is stored', async () => {
		const { enterprise } = await registerSme();
		const dept = `over_${hex(4)}`;
		const rows = Array.from({ length: 10001 }, (_, i) => creditRow(enterprise.uscc, { source_dept: dept, source_record_id: `o${i}` }));
		expectError(await importCredit(rows), 413, 'payload_too_large');
		const csv = 'uscc,category,value,source_dept,source_record_id,observed_on\n'
			+ rows.map((r) => [r.uscc, r.category, csvQuote(JSON.stringify(r.value)), r.source_dept, r.source_record_id, r.observed_on].join(',')).join('\n');
		expectError(await importCreditCsv(csv), 413, 'payload_too_large');
		assert.equal(Number(sql(`SELECT COUNT(*) FROM credit_records WHERE source_dept = '${dept}'`)[0][0]), 0);
	});

	test('a body over 16 MiB is 413', async () => {
		const token = (await roleUser('bureau')).token;
		const big = '{"records":[' + `"${'x'.repeat(4000)}",`.repeat(4300) + '1]}';
		assert.ok(Buffer.byteLength(big) > 16 * 1024 * 1024);
		// The server may refuse before it has read the body: an answer, if one
		// arrives, is 413, and the server stays up.
		const res = await rawRequest('POST', BATCH, {
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(big) },
			body: big,
		}).catch((err) => ({ status: 413, text: String(err) }));
		assert.equal(res.status, 413, res.text.slice(0, 200));
		expectStatus(await api('GET', '/api/v1/health'), 200);
	});

	test('a body over the usual 1 MiB is taken on this route', async () => {
		const { enterprise } = await registerSme();
		const dept = `mib_${hex(4)}`;
		const pad = '说明'.repeat(150);
		const rows = Array.from({ length: 1500 }, (_, i) => creditRow(enterprise.uscc, {
			category: 'commitment', value: { matter: `${pad}${i}` }, source_dept: dept, source_record_id: `c${i}`,
		}));
		assert.ok(Buffer.byteLength(JSON.stringify({ records: rows })) > 1024 * 1024);
		expectAnswer(await importCredit(rows), { accepted: 1500, duplicates: 0 });
	});
});

describe('scores and records of the import', () => {
	test('affected scores are recomputed before the answer, with evidence', async () => {
		const { enterprise } = await registerSme();	// founded 2018-05-01
		const before = storedScore(enterprise.id);
		assert.ok(before, 'a new enterprise is scored at registration');
		assert.equal(before.model_version, 'v1');
		assert.equal(before.score, 400 + 60 + 50, 'base, no tax record, years capped');
		assert.equal(before.grade, 'C');
		const dept = `sc_${hex(4)}`;
		expectAnswer(await importCredit([
			creditRow(enterprise.uscc, { category: 'tax_rating', value: { grade: 'A', year: 2024 }, source_dept: dept, source_record_id: 'tax' }),
			creditRow(enterprise.uscc, { category: 'social_security', value: { months_paid: 12 }, source_dept: dept, source_record_id: 'ss' }),
		]), { accepted: 2, duplicates: 0 });
		const after = storedScore(enterprise.id);
		assert.equal(after.score, 400 + 200 + 120 + 50);
		assert.equal(after.grade, 'B');
		const ids = Object.fromEntries(storedRecords(dept).map((r) => [r.source_record_id, r.id]));
		const tax = after.factors.find((f) => f.factor === 'tax_rating');
		assert.deepEqual(tax.evidence, [ids.tax]);
		assert.equal(tax.points, 200);

		expectAnswer(await importCredit([
			creditRow(enterprise.uscc, { category: 'housing_fund', value: { months_paid: 12 }, source_dept: dept, source_record_id: 'hf' }),
		]), { accepted: 1, duplicates: 0 });
		Object.assign(ids, Object.fromEntries(storedRecords(dept).map((r) => [r.source_record_id, r.id])));
		const third = storedScore(enterprise.id);
		assert.equal(third.score, 830);
		assert.equal(third.grade, 'A');

		// The API shows the same score with every factor.
		const res = await api('GET', `/api/v1/enterprises/${enterprise.id}/credit`, { token: (await roleUser('bureau')).token });
		const credit = expectStatus(res, 200);
		assert.equal(credit.score, 830);
		assert.equal(credit.grade, 'A');
		assert.equal(credit.model_version, 'v1');
		assert.equal(credit.factors.length, 13);
		const names = credit.factors.map((f) => f.factor);
		assert.deepEqual(names, ['tax_rating', 'social_security', 'housing_fund', 'utility_arrears', 'patents',
			'trademarks', 'rnd_expense', 'env_rating', 'years_in_business', 'awards', 'commitments', 'penalties',
			'dishonest_debtor']);
		for (const f of credit.factors) {
			assertKeys(f, ['factor', 'points', 'max_points', 'detail', 'detail_zh', 'evidence'], `factor ${f.factor}`);
			assert.ok(Number.isInteger(f.points) && Number.isInteger(f.max_points));
			assert.equal(typeof f.detail, 'string');
			assert.equal(typeof f.detail_zh, 'string');
			assert.ok(f.detail_zh.length > 0, `factor ${f.factor} has a Chinese detail`);
			assert.ok(f.evidence.every(Number.isInteger));
		}
		const hf = credit.factors.find((f) => f.factor === 'housing_fund');
		assert.deepEqual(hf.evidence, [ids.hf]);
		assert.equal(hf.detail, `12 of the last 12 months paid (record ${ids.hf}): +60`);
		assert.equal(hf.detail_zh, `近 12 个月缴纳 12 个月（记录 ${ids.hf}）：+60`);
	});

	test('a dishonest-debtor record caps the score at 499, grade D, until repaired', async () => {
		const { enterprise } = await registerSme();
		const dept = `dd_${hex(4)}`;
		expectAnswer(await importCredit([
			creditRow(enterprise.uscc, { category: 'tax_rating', value: { grade: 'A', year: 2024 }, source_dept: dept, source_record_id: 't' }),
			creditRow(enterprise.uscc, { category: 'social_security', value: { months_paid: 12 }, source_dept: dept, source_record_id: 's' }),
			creditRow(enterprise.uscc, { category: 'dishonest_debtor', value: { case_no: '(2024)沪0120执123号' }, source_dept: dept, source_record_id: 'dd' }),
		]), { accepted: 3, duplicates: 0 });
		let s = storedScore(enterprise.id);
		assert.equal(s.score, 499);
		assert.equal(s.grade, 'D');
		assert.equal(s.dishonest_debtor, true);
		expectAnswer(await importCredit([
			creditRow(enterprise.uscc, { category: 'repair', value: { repairs_source_record_id: 'dd' }, source_dept: dept, source_record_id: 'fix' }),
		]), { accepted: 1, duplicates: 0 });
		s = storedScore(enterprise.id);
		assert.equal(s.dishonest_debtor, false);
		assert.equal(s.score, 770);
	});

	test('expired, force-majeure and minor-party records count 0 and are named in the detail', async () => {
		const { enterprise } = await registerSme();
		const dept = `len_${hex(4)}`;
		const row = (id, overrides) => creditRow(enterprise.uscc, { source_dept: dept, source_record_id: id, ...overrides });
		expectAnswer(await importCredit([
			row('tax', { category: 'tax_rating', value: { grade: 'A', year: 2024 }, observed_on: day(-400), expires_on: day(-1) }),
			row('aw1', { observed_on: day(-40), expires_on: day(30) }),
			row('aw2', { force_majeure: true }),
			row('pen', { category: 'admin_penalty', value: { severity: 'serious', amount_fen: 100, reason: '违规' }, minor_party: true }),
		]), { accepted: 4, duplicates: 0 });
		const ids = Object.fromEntries(storedRecords(dept).map((r) => [r.source_record_id, r.id]));
		const s = storedScore(enterprise.id);
		const f = Object.fromEntries(s.factors.map((x) => [x.factor, x]));
		assert.equal(f.tax_rating.points, 60, 'an expired rating counts as none');
		assert.match(f.tax_rating.detail, new RegExp(`${ids.tax}.*expired ${day(-1)}`));
		assert.match(f.tax_rating.detail_zh, new RegExp(`^暂无记录：\\+60；记录 ${ids.tax} 已于 ${dayZh(-1)}过期`));
		assert.deepEqual(f.awards.evidence, [ids.aw1], 'an award that expires later counts');
		assert.match(f.awards.detail, new RegExp(`${ids.aw2}.*force majeure`));
		assert.match(f.awards.detail_zh, new RegExp(`荣誉（记录 ${ids.aw1}）：\\+20；记录 ${ids.aw2}：不可抗力，不计`));
		assert.equal(f.penalties.points, 0);
		assert.match(f.penalties.detail, new RegExp(`${ids.pen}.*minor party`));
		assert.match(f.penalties.detail_zh, new RegExp(`记录 ${ids.pen}：当事人为未成年人，不计`));
		assert.equal(s.score, 510 + 20);
	});

	test('one batch rescores every enterprise it names', async () => {
		const a = (await registerSme()).enterprise;
		const b = (await registerSme()).enterprise;
		const dept = `two_${hex(4)}`;
		expectAnswer(await importCreditCsv('uscc,category,value,source_dept,source_record_id,observed_on\n'
			+ `${a.uscc},env_rating,"{""grade"":""black""}",${dept},a,${day(-3)}\n`
			+ `${b.uscc},env_rating,"{""grade"":""green""}",${dept},b,${day(-3)}\n`), { accepted: 2, duplicates: 0 });
		assert.equal(storedScore(a.id).score, 510 - 200);
		assert.equal(storedScore(b.id).score, 510 + 40);
	});

	test('each import writes its batch row and an audit row with the counts', async () => {
		const { enterprise } = await registerSme();
		const bureau = await roleUser('bureau');
		const dept = `aud_${hex(4)}`;
		const rows = [creditRow(enterprise.uscc, { source_dept: dept }), creditRow(enterprise.uscc, { category: 'nope', source_dept: dept })];
		expectAnswer(await importCredit(rows), { accepted: 1, duplicates: 0, rejected: [[1, 'unknown_category']] });
		const [batch] = sql('SELECT b.id, b.imported_by, b.format, b.rows_total, b.rows_accepted, b.rows_duplicate,'
			+ ` b.rows_rejected FROM credit_import_batches b JOIN credit_records r ON r.batch_id = b.id WHERE r.source_dept = '${dept}'`);
		assert.deepEqual(batch.slice(1), [String(bureau.id), 'json', '2', '1', '0', '1']);
		const audit = await auditRows({ action: 'credit.import', target_id: batch[0] });
		assert.equal(audit.length, 1);
		assert.equal(audit[0].actor_id, bureau.id);
		assert.equal(audit[0].target_type, 'credit_import_batch');
		assert.equal(audit[0].status, 200);
		const [detail] = sql(`SELECT detail FROM audit_log WHERE id = ${audit[0].id}`)[0];
		assert.match(detail, /accepted=1 duplicates=0 rejected=1/);
	});
});
