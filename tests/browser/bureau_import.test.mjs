// The bureau's credit-record import at 1440 px: a department's CSV file with
// one good row and two bad ones is uploaded through the file picker; the page
// reports the counts and lists each rejected row by its line in the file with
// the server's code and the row's text, and the good row is on the
// enterprise's record. A JSON file is reported by record number the same way.
// Screenshots: tests/browser/screenshots/bureau-import-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, createUser, expectStatus, hex, registerSme, roleUser, validUscc } from '../api/lib.mjs';
import { closeBrowser, DESKTOP, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

const dir = mkdtempSync(join(tmpdir(), 'xyd-import-'));
const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);

test('bureau import: a CSV with bad rows stores the good one and lists the bad ones by line', async () => {
	const { enterprise } = await registerSme();
	const bureau = await createUser('bureau');
	const dept = `dept_${hex(4)}`;
	const stranger = validUscc();
	const csv = 'uscc,category,value,source_dept,source_record_id,observed_on\n'
		+ `${enterprise.uscc},award,"{""title"":""区级诚信示范企业""}",${dept},r1,${day(-3)}\n`
		+ `${stranger},award,"{""title"":""x""}",${dept},r2,${day(-3)}\n`
		+ `${enterprise.uscc},no_such_category,"{}",${dept},r3,${day(-3)}\n`;
	const file = join(dir, `records-${dept}.csv`);
	writeFileSync(file, csv);

	const page = await newPage(DESKTOP);
	await loginAs(page, bureau);
	await open(page, '#/bureau/import');
	await page.getByRole('button', { name: '上传并导入' }).click();
	await page.getByText('此项必填').waitFor();	// nothing chosen yet
	await page.getByLabel('选择文件').setInputFiles(file);
	await page.getByRole('button', { name: '上传并导入' }).click();
	await page.getByText('导入完成：入库 1，重复 0，拒绝 2').first().waitFor();
	const rows = page.locator('tr.rejected-row');
	assert.equal(await rows.count(), 2);
	const first = await rows.nth(0).innerText(), second = await rows.nth(1).innerText();
	assert.match(first, /^3\s/, 'the unknown enterprise is line 3 of the file');
	assert.match(first, /unknown_enterprise/);
	assert.ok(first.includes(stranger), 'the row text is shown');
	assert.match(second, /^4\s/);
	assert.match(second, /unknown_category/);
	await shot(page, 'bureau-import');

	const stored = expectStatus(await api('GET', `/api/v1/enterprises/${enterprise.id}/credit-records`,
		{ token: (await roleUser('bureau')).token }), 200);
	assert.ok(stored.items.some((r) => r.source_dept === dept && r.source_record_id === 'r1'));
	assert.ok(!stored.items.some((r) => r.source_record_id === 'r3'));

	await page.getByLabel('选择文件').setInputFiles(file);
	await page.getByRole('button', { name: '上传并导入' }).click();
	await page.getByText('导入完成：入库 0，重复 1，拒绝 2').first().waitFor();
	assert.deepEqual(page.errors, []);
});

test('bureau import: a JSON file reports its bad record by number', async () => {
	const { enterprise } = await registerSme();
	const bureau = await createUser('bureau');
	const dept = `deptj_${hex(4)}`;
	const records = [
		{ uscc: enterprise.uscc, category: 'trademark', value: { count: 2 }, source_dept: dept, source_record_id: 'j1', observed_on: day(-2) },
		{ uscc: enterprise.uscc, category: 'trademark', value: { count: 'many' }, source_dept: dept, source_record_id: 'j2', observed_on: day(-2) },
	];
	const file = join(dir, `records-${dept}.json`);
	writeFileSync(file, JSON.stringify({ records }));
	const page = await newPage(DESKTOP);
	await loginAs(page, bureau);
	await open(page, '#/bureau/import');
	await page.getByLabel('选择文件').setInputFiles(file);
	await page.getByRole('button', { name: '上传并导入' }).click();
	await page.getByText('导入完成：入库 1，重复 0，拒绝 1').first().waitFor();
	const row = await page.locator('tr.rejected-row').first().innerText();
	assert.match(row, /^2\s/, 'the second record is number 2');
	assert.match(row, /invalid_value/);
	await shot(page, 'bureau-import');
	assert.deepEqual(page.errors, []);
});
