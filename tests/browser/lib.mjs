// Shared helpers for the browser journeys (tests/browser/*.test.mjs): Debian's
// chromium driven headless through playwright-core against the same throwaway
// server as the API tests (XYD_TEST_BASE_URL), pages at a given viewport,
// logging in through the real login page, and numbered screenshots under
// tests/browser/screenshots/ for a person to look at. Data a journey needs is
// made through the API with tests/api/lib.mjs, as the API tests do.

import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { BASE_URL } from '../api/lib.mjs';

export { BASE_URL };
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };
export const SHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));
const ACTION_TIMEOUT_MS = 15000;

let browserPromise = null;

/** The one headless chromium of this test file (launched on first use). */
export function browser() {
	if (!browserPromise) {
		browserPromise = chromium.launch({
			executablePath: process.env.XYD_TEST_CHROMIUM || '/usr/bin/chromium',
			headless: true,
			args: ['--no-sandbox'],
		});
	}
	return browserPromise;
}

/** Closes the browser; call it in the file's after() hook. */
export async function closeBrowser() {
	if (!browserPromise) return;
	const b = await browserPromise;
	browserPromise = null;
	await b.close();
}

/**
 * A new page in a fresh context (its own storage) at viewport (DESKTOP by
 * default), Chinese locale. Page errors and failed console messages are
 * collected in page.errors, so a journey can assert the page threw nothing.
 */
export async function newPage(viewport = DESKTOP, { locale = 'zh-CN' } = {}) {
	const context = await (await browser()).newContext({ viewport, locale, baseURL: BASE_URL });
	const page = await context.newPage();
	page.setDefaultTimeout(ACTION_TIMEOUT_MS);
	page.errors = [];
	page.on('pageerror', (e) => page.errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
	return page;
}

/**
 * Opens a hash route ('#/products') and waits until the page has rendered;
 * the current route is loaded afresh (a same-hash goto would not render again).
 */
export async function open(page, hash = '#/') {
	if (new URL(page.url(), BASE_URL).hash === hash) await page.reload();
	else await page.goto(`/${hash}`);
	await settled(page);
}

/** Waits until the main area is rendered (not busy) and has a heading. */
export async function settled(page) {
	await page.waitForFunction(() => {
		const m = document.getElementById('main');
		return m && !m.hasAttribute('aria-busy') && m.querySelector('h1');
	});
}

/**
 * Logs in through the login page as user ({username, password}) and waits
 * for the role's landing page.
 */
export async function loginAs(page, user) {
	await open(page, '#/login');
	await page.getByLabel(/用户名|Username/).fill(user.username);
	await page.getByLabel(/^(密码|Password)/).fill(user.password);
	await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
	await page.waitForFunction(() => !location.hash.startsWith('#/login'));
	await settled(page);
}

const shotCounts = new Map();
/**
 * Saves a screenshot as screenshots/<journey>-<n>.png (n counts from 1 per
 * journey) and returns its path: the whole page, or with fullPage:false only
 * the window (for pages that grew very long, such as a list paged far down).
 */
export async function shot(page, journey, { fullPage = true } = {}) {
	mkdirSync(SHOT_DIR, { recursive: true });
	const n = (shotCounts.get(journey) || 0) + 1;
	shotCounts.set(journey, n);
	const path = `${SHOT_DIR}${journey}-${n}.png`;
	await page.screenshot({ path, fullPage });
	return path;
}

/**
 * Asserts that every visible form control on the page has a label (a <label>,
 * aria-label or aria-labelledby), so that it can be found and used without
 * seeing it. Returns how many controls were checked.
 */
export async function assertLabelled(page) {
	const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
		.filter((el) => el.offsetParent !== null && el.type !== 'hidden')
		.filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
			&& !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
		.map((el) => el.outerHTML.slice(0, 120)));
	if (unlabelled.length) throw new Error(`controls without a label: ${unlabelled.join('\n')}`);
	return page.evaluate(() => document.querySelectorAll('input, select, textarea, button').length);
}
