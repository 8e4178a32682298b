// Keyboard only, as someone who cannot use a mouse: log in with Tab, typing
// and Enter; every focused control shows a focus ring; search the user list
// with Enter; open a confirmation with Enter, back out of it with Escape
// (focus returns to the button and nothing changes), then confirm with the
// keyboard. Screenshots: screenshots/keyboard-<n>.png.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ADMIN_PASSWORD, adminToken, api, createUser, expectStatus, listAll } from '../api/lib.mjs';
import { DESKTOP, closeBrowser, newPage, open, settled, shot } from './lib.mjs';

after(closeBrowser);

/** What has focus: its tag, name, label and whether a focus ring shows. */
function focused(page) {
	return page.evaluate(() => {
		const e = document.activeElement;
		const cs = e ? getComputedStyle(e) : null;
		return e && {
			tag: e.tagName.toLowerCase(), name: e.getAttribute('name'), label: e.getAttribute('aria-label') || e.textContent.trim(),
			ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, inDialog: Boolean(e.closest('dialog')),
		};
	});
}

/** Presses Tab until pred(focused) holds, checking each stop has a ring. */
async function tabTo(page, pred, what, max = 60) {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		const f = await focused(page);
		if (f && f.tag !== 'body') assert.ok(f.ring, `${f.tag} "${f.label}" shows a focus ring`);
		if (f && pred(f)) return f;
	}
	throw new Error(`${what}: not reached in ${max} Tab presses`);
}

test('keyboard only: log in, search users, back out of a confirmation and confirm another', async () => {
	const target = await createUser('auditor');
	const page = await newPage(DESKTOP);
	await open(page, '#/login');

	await tabTo(page, (f) => f.name === 'username', 'the username field');
	await page.keyboard.type('admin');
	await tabTo(page, (f) => f.name === 'password', 'the password field');
	await page.keyboard.type(ADMIN_PASSWORD);
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => !location.hash.startsWith('#/login'));
	await settled(page);
	await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor();

	await tabTo(page, (f) => f.name === 'q', 'the user search field');
	await page.keyboard.type(target.username);
	await page.keyboard.press('Enter');
	await page.getByRole('status').getByText('找到 1 个用户').waitFor();
	await shot(page, 'keyboard');

	const lockName = `锁定 ${target.username}`;
	await tabTo(page, (f) => f.label === lockName, 'the lock button');
	await page.keyboard.press('Enter');
	await page.getByRole('dialog').waitFor();
	assert.ok((await focused(page)).inDialog, 'focus moves into the confirmation');
	await shot(page, 'keyboard');
	await page.keyboard.press('Escape');
	await page.getByRole('dialog').waitFor({ state: 'detached' });
	assert.equal((await focused(page)).label, lockName, 'focus returns to the button');
	const still = (await listAll(`/api/v1/users?q=${target.username}`, await adminToken()))[0];
	assert.equal(still.status, 'active', 'Escape changed nothing');

	await page.keyboard.press('Enter');
	await page.getByRole('dialog').waitFor();
	await tabTo(page, (f) => f.inDialog && f.label === '锁定', 'the confirm button', 4);
	await page.keyboard.press('Enter');
	await page.getByRole('status').getByText(`已锁定 ${target.username}`).waitFor();
	const locked = expectStatus(await api('GET', `/api/v1/users?q=${target.username}`, { token: await adminToken() }), 200).items[0];
	assert.equal(locked.status, 'locked');
	await shot(page, 'keyboard');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
