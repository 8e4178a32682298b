// Every page in every role's menu on a 375 px phone: it renders with a
// heading, raises no script error, does not scroll sideways (wide tables
// scroll inside their own box) and keeps its text at WCAG AA contrast. The
// roles act on real data: an enterprise and a bank with a disbursed loan
// between them, the 东方美谷 park, the bureau, the administrator and an
// auditor. Screenshots: screenshots/phone-<role>-<n>.png.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ADMIN_PASSWORD, applicationIn, freshUser } from '../api/lib.mjs';
import { PHONE, assertContrast, assertFitsWidth, closeBrowser, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

/** The menu's pages for the logged-in user, in menu order. */
async function menuPages(page) {
	const hrefs = await page.locator('nav a[href^="#/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	return [...new Set(hrefs)];
}

async function sweep(role, user) {
	const page = await newPage(PHONE);
	if (user) await loginAs(page, user);
	else await open(page, '#/');
	const pages = await menuPages(page);
	let texts = 0;
	assert.ok(pages.length >= 2, `${role} has a menu (${pages.join(' ')})`);
	for (const hash of pages) {
		await open(page, hash);
		await page.locator('main h1').first().waitFor();
		await assertFitsWidth(page, `${role} ${hash}`);
		texts += await assertContrast(page, `${role} ${hash}`);
		await shot(page, `phone-${role}`, { fullPage: false });
	}
	assert.deepEqual(page.errors, [], `${role}: no script errors`);
	await page.context().close();
	return { pages: pages.length, texts };
}

test('every menu page of every role fits a 375 px phone', async () => {
	const { sme, bank } = await applicationIn('disbursed');
	const users = {
		public: null,
		sme,
		bank,
		park: await freshUser('park', 1),
		bureau: await freshUser('bureau'),
		admin: { username: 'admin', password: ADMIN_PASSWORD },
		auditor: await freshUser('auditor'),
	};
	let pages = 0, texts = 0;
	for (const [role, user] of Object.entries(users)) {
		const r = await sweep(role, user);
		pages += r.pages;
		texts += r.texts;
	}
	console.log(`# ${pages} menu pages checked at 375 px, ${texts} text elements for contrast`);
});
