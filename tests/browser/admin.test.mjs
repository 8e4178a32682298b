// The administrator at 1440 px: adds an institution, creates a bank user for
// it (the form checks the password as it is typed), finds the user by its
// institution's name and locks it; the new user's login is then refused and
// the "locked" filter lists it. The auditor finds the creation in the audit log.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ADMIN_PASSWORD, adminToken, api, freshUser, hex, listAll, loginRaw, strongPassword } from '../api/lib.mjs';
import { DESKTOP, closeBrowser, loginAs, newPage, settled, shot } from './lib.mjs';

after(closeBrowser);

test('an administrator adds an institution, creates a bank user for it and locks the user', async () => {
	const page = await newPage(DESKTOP);
	await loginAs(page, { username: 'admin', password: ADMIN_PASSWORD });
	await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor();

	await page.getByRole('navigation').getByRole('link', { name: '金融机构', exact: true }).click();
	await settled(page);
	const instName = `浏览器测试银行${hex(3)}`;
	await page.getByLabel(/^机构名称/).fill(instName);
	await page.getByLabel(/^机构类型/).selectOption('bank');
	await page.getByRole('button', { name: '新增机构' }).click();
	await page.getByRole('status').getByText(`已新增机构 ${instName}`).waitFor();

	await page.getByRole('navigation').getByRole('link', { name: '用户管理', exact: true }).click();
	await settled(page);
	const username = `web_bank_${hex(4)}`, password = strongPassword();
	const create = page.locator('section').filter({ has: page.getByRole('heading', { name: '新建用户' }) });
	await create.getByLabel(/^用户名/).fill(username);
	const pw = create.getByLabel(/^初始密码/);
	await pw.fill('short');
	await page.getByText('密码至少 12 个字符').waitFor();
	await pw.fill(password);
	await create.getByLabel(/^角色/).selectOption('bank');
	await create.getByRole('button', { name: '创建用户' }).click();
	await page.getByText('此角色需要选择所属机构或园区').waitFor();
	await create.getByLabel(/^所属机构或园区/).selectOption({ label: instName });
	await create.getByRole('button', { name: '创建用户' }).click();
	await page.getByRole('status').getByText(`已创建用户 ${username}`).waitFor();
	assert.equal((await loginRaw(username, password)).status, 200);

	const search = page.getByRole('search');
	await search.getByLabel(/^用户名或机构名称/).fill(instName);
	await search.getByRole('button', { name: '查找' }).click();
	await page.getByRole('status').getByText('找到 1 个用户').waitFor();
	const rows = page.locator('table tbody tr');
	assert.equal(await rows.count(), 1);
	const row = rows.filter({ hasText: username });
	await row.getByText(instName).waitFor();
	await row.scrollIntoViewIfNeeded();
	await shot(page, 'admin', { fullPage: false });
	await row.getByRole('button', { name: `锁定 ${username}` }).click();
	await page.getByRole('dialog').getByRole('button', { name: '锁定' }).click();
	await page.getByRole('status').getByText(`已锁定 ${username}`).waitFor();
	assert.equal((await loginRaw(username, password)).status, 429);
	// a second locked bank user, so that the filtered list differs from the last one
	const other = await freshUser('bank');
	await api('POST', `/api/v1/users/${other.id}/lock`, { token: await adminToken() });
	const locked = await listAll('/api/v1/users?role=bank&locked=true', await adminToken());
	assert.ok(locked.length >= 2 && locked.length <= 100);
	await search.getByLabel(/^用户名或机构名称/).fill('');
	await search.getByLabel(/^角色/).selectOption('bank');
	await search.getByLabel(/^状态/).selectOption('true');
	await search.getByRole('button', { name: '查找' }).click();
	await page.getByRole('status').getByText(`找到 ${locked.length} 个用户`).waitFor();
	assert.equal(await rows.count(), locked.length);
	await rows.filter({ hasText: username }).waitFor();
	await rows.filter({ hasText: other.username }).waitFor();
	for (const text of await page.locator('table tbody tr td:nth-child(5)').allTextContents()) assert.equal(text, '已锁定');
	await shot(page, 'admin', { fullPage: false });
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the auditor searches the audit log by action', async () => {
	const auditor = await freshUser('auditor');
	const page = await newPage(DESKTOP);
	await loginAs(page, auditor);
	await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
	await page.getByLabel(/^操作人 ID/).fill('abc');
	await page.getByText('请输入正整数').waitFor();
	await page.getByLabel(/^操作人 ID/).fill('');
	await page.getByLabel(/^操作$/).fill('user.create');
	await page.getByRole('button', { name: '查询' }).click();
	await page.getByRole('status').getByText('查询完成').waitFor();
	const cells = page.locator('table tbody tr td:nth-child(4)');
	await cells.first().waitFor();
	for (const text of await cells.allTextContents()) assert.match(text, /user\.create/);
	await shot(page, 'admin');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
