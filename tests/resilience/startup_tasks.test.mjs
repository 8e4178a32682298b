// A task a migration leaves for the server (startup_tasks, migrations/0008)
// runs at the next start, once: rescore_all gives a score stored before the
// Chinese explanations (no detail_zh) both languages again, and the task is
// gone, so a second start rescores nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { creditRow, expectStatus, importCredit, registerSme, sql } from '../api/lib.mjs';
import { startAndStop } from './server.mjs';

const varDir = mkdtempSync(join(tmpdir(), 'xyd-tasks-'));
after(() => rmSync(varDir, { recursive: true, force: true }));

function storedFactors(enterpriseId) {
	const [[json, at]] = sql(`SELECT factors_json, DATE_FORMAT(computed_at, '%Y-%m-%d %H:%i:%s.%f')
		FROM credit_scores WHERE enterprise_id = ${enterpriseId}`);
	return { factors: JSON.parse(json), at };
}

test('rescore_all runs once at the next start and gives old scores their Chinese explanations', async () => {
	const { enterprise } = await registerSme();
	expectStatus(await importCredit([creditRow(enterprise.uscc, { category: 'tax_rating', value: { grade: 'B', year: 2025 } })]), 200);
	const fresh = storedFactors(enterprise.id);
	assert.ok(fresh.factors.every((f) => f.detail_zh), 'a new score has detail_zh');

	// The score as a server before the Chinese explanations stored it.
	const old = JSON.stringify(fresh.factors.map(({ detail_zh: _, ...f }) => f));
	sql(`UPDATE credit_scores SET factors_json = '${old.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}',
		computed_at = computed_at - INTERVAL 1 DAY WHERE enterprise_id = ${enterprise.id}`);
	sql("INSERT IGNORE INTO startup_tasks (name) VALUES ('rescore_all')");
	const before = storedFactors(enterprise.id);
	assert.ok(before.factors.every((f) => f.detail_zh === undefined));

	const out = await startAndStop(varDir);
	assert.match(out, /Rescored \d+ enterprises/);
	const after1 = storedFactors(enterprise.id);
	assert.deepEqual(after1.factors, fresh.factors, 'the rescore restores both languages');
	assert.notEqual(after1.at, before.at);
	assert.deepEqual(sql("SELECT name FROM startup_tasks WHERE name = 'rescore_all'"), [], 'the task is done');

	const again = await startAndStop(varDir);
	assert.doesNotMatch(again, /Rescored/);
	assert.equal(storedFactors(enterprise.id).at, after1.at, 'a second start rescores nothing');
});
