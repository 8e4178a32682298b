// A database upgraded to migration 0011 holds audit rows written before the
// hash chain existed. The startup task "audit_chain" chains them at the next
// start, once, in id order from the genesis, and appends go on after them.
// Simulated here on the suite's database: the chain emptied and its head set
// back as 0011 leaves it, as root.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { api, expectStatus, freshUser, roleUser, sql } from '../api/lib.mjs';
import { startAndStop } from './server.mjs';

const varDir = mkdtempSync(join(tmpdir(), 'xyd-chain-'));
after(() => rmSync(varDir, { recursive: true, force: true }));

async function verify() {
	const token = (await roleUser('auditor')).token;
	return expectStatus(await api('GET', '/api/v1/audit/verify', { token }), 200);
}

test('audit rows older than the chain are chained once at the next start', async () => {
	await verify();	// the auditor's own login is audited before the chain is emptied
	sql('DROP TRIGGER audit_chain_no_delete; DELETE FROM audit_chain;'
		+ " CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain FOR EACH ROW"
		+ " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_chain is append-only';"
		+ " UPDATE audit_chain_head SET last_id = 0, last_hash = REPEAT('0', 64),"
		+ ' legacy_to_id = (SELECT MAX(id) FROM audit_log);'
		+ " INSERT IGNORE INTO startup_tasks (name) VALUES ('audit_chain')");
	const total = Number(sql('SELECT COUNT(*) FROM audit_log')[0][0]);
	assert.ok(total > 0);

	const out = await startAndStop(varDir);
	assert.match(out, new RegExp(`Chained ${total} audit rows`));
	assert.deepEqual(sql("SELECT name FROM startup_tasks WHERE name = 'audit_chain'"), [], 'the task is done');
	assert.deepEqual(sql('SELECT legacy_to_id FROM audit_chain_head'), [['NULL']]);

	const v = await verify();
	assert.deepEqual([v.ok, v.first_bad_id], [true, null]);
	assert.ok(v.rows >= total);
	// New rows go on from the chained ones.
	await freshUser('sme');
	assert.equal((await verify()).ok, true);
	assert.doesNotMatch(await startAndStop(varDir), /Chained/, 'a second start chains nothing');
});
