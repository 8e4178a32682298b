// The masking sweep, run last: every answer the API tests received (lib.mjs
// records them with the caller's role and organisation) is searched for
// every enterprise's legal representative's ID number and phone. One may
// appear whole only in an answer to the enterprise itself or to the bureau.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

import { sql } from './lib.mjs';

const file = process.env.XYD_TEST_VAR ? `${process.env.XYD_TEST_VAR}/api-answers.jsonl` : null;

test('no answer of the whole run shows an unmasked ID number or phone to anyone but its enterprise and the bureau', () => {
	assert.ok(file && existsSync(file), 'the recorded answers of the API tests exist');
	const rows = sql('SELECT id, legal_rep_id_no, phone FROM enterprises');
	assert.ok(rows.length > 0, 'the run registered enterprises');
	const owners = new Map();	// a personal number → the enterprise it belongs to
	for (const [id, idNo, phone] of rows) {
		owners.set(idNo, Number(id));
		if (phone.length >= 8) owners.set(phone, Number(id));
	}
	const pattern = /[0-9X]{11,18}/g;
	const leaks = [];
	let answers = 0;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line) continue;
		const a = JSON.parse(line);
		answers++;
		for (const number of a.text.match(pattern) ?? []) {
			const owner = owners.get(number);
			if (owner === undefined) continue;
			// Registration answers the new enterprise itself, before it has a token.
			const allowed = a.role === 'bureau' || (a.role === 'sme' && a.org === owner) ||
				a.path === '/api/v1/auth/register';
			if (!allowed) leaks.push(`${a.method} ${a.path} as ${a.role}: number of enterprise ${owner}`);
		}
	}
	assert.ok(answers > 1000, `the sweep read the run's answers (${answers})`);
	assert.deepEqual(leaks.slice(0, 20), [], 'unmasked personal numbers in answers');
});
