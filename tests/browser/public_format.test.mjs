// The pages' own arithmetic and checks, run in node without a browser: the
// USCC and ID-number checks against the project's test vectors (the same
// vectors the C validators pass), and the money, rate and date formats.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { date, datetime, parseYuanToFen, pct, yuan } from '../../web-static/js/format.js';
import { setLang } from '../../web-static/js/i18n.js';
import { checkIdNo, checkPassword, checkUscc } from '../../web-static/js/validate.js';

// The little of a page that setLang touches.
globalThis.document ??= { documentElement: {} };
globalThis.window ??= new EventTarget();

function vectors(name) {
	return readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8').trim().split('\n').slice(1)
		.map((line) => line.split(','));
}

test('the USCC check accepts exactly the valid test vectors', () => {
	const rows = vectors('uscc_vectors.csv');
	assert.ok(rows.length >= 10);
	for (const [code, expect, note] of rows) assert.equal(checkUscc(code) === '', expect === 'valid', `${code} (${note})`);
});

test('the ID-number check accepts exactly the valid test vectors', () => {
	const rows = vectors('id_vectors.csv');
	assert.ok(rows.length >= 10);
	for (const [id, expect, note] of rows) assert.equal(checkIdNo(id) === '', expect === 'valid', `${id} (${note})`);
});

test('a birth date after today is refused', () => {
	assert.equal(checkIdNo('310120198001010017', new Date('1979-12-31T00:00:00Z')), 'validate.id_birth');
});

test('the password policy: 12 characters and 3 of 4 classes', () => {
	assert.equal(checkPassword('Abcdefghij1'), 'validate.pw_short');
	assert.equal(checkPassword('abcdefghijk1'), 'validate.pw_classes');
	assert.equal(checkPassword('Abcdefghijk1'), '');
	assert.equal(checkPassword('密码密码密码密码-Ab1x'), '');
});

test('typed yuan become exact fen, never through a float', () => {
	const cases = [['1', 100], ['0.1', 10], ['0.29', 29], ['1,234,567.89', 123456789], ['¥ 20000', 2000000],
		['3000 元', 300000], ['90071992547409.91', 9007199254740991]];
	for (const [s, fen] of cases) assert.equal(parseYuanToFen(s), fen, s);
	for (const s of ['', '1.234', '-5', '1e3', 'abc', '90071992547409.92', '1.2.3'])
		assert.equal(parseYuanToFen(s), null, s);
});

test('fen show as yuan with thousands separators, rates as percentages, dates the Chinese way', () => {
	setLang('zh');
	assert.equal(yuan(123456789), '1,234,567.89 元');
	assert.equal(yuan(5), '0.05 元');
	assert.equal(yuan(-100050), '-1,000.50 元');
	assert.equal(pct(435), '4.35%');
	assert.equal(pct(50), '0.50%');
	assert.equal(date('2026-11-28'), '2026年11月28日');
	assert.equal(datetime('2026-11-28T17:30:00Z'), '2026年11月29日 01:30');	// district time, UTC+8
	setLang('en');
	assert.equal(yuan(123456789), '¥1,234,567.89');
	assert.equal(date('2026-11-28'), '2026-11-28');
	setLang('zh');
});
