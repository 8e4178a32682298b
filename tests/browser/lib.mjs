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
 * Asserts that the page does not scroll sideways: nothing outside a table's
 * own scrolling box reaches past the window's right edge. Returns the widest
 * right edge seen, in CSS pixels.
 */
export async function assertFitsWidth(page, what = page.url()) {
	const r = await page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll('body *')]
			.filter((e) => !e.closest('.table-wrap') && getComputedStyle(e).position !== 'fixed')
			.map((e) => ({ e, right: e.getBoundingClientRect().right }))
			.filter((x) => x.right > w + 1);
		return { w, scroll: document.documentElement.scrollWidth,
			wide: wide.slice(0, 3).map((x) => `${x.e.tagName.toLowerCase()}.${x.e.className} ends at ${Math.round(x.right)}`) };
	});
	if (r.scroll > r.w + 1 || r.wide.length)
		throw new Error(`${what} is wider than the ${r.w} px window (${r.scroll} px): ${r.wide.join('; ')}`);
	return r.scroll;
}

/**
 * Asserts WCAG 2 AA contrast for the visible text on the page: 4.5:1, or 3:1
 * for large text (24 px, or 18.66 px bold). The background is the first
 * opaque one among the element's ancestors (white when none); text over an
 * image or a gradient is skipped. Returns how many text elements it checked.
 */
export async function assertContrast(page, what = page.url()) {
	const bad = await page.evaluate(() => {
		const rgb = (c) => { const m = c.match(/[\d.]+/g) || []; return { r: +m[0], g: +m[1], b: +m[2], a: m[3] === undefined ? 1 : +m[3] }; };
		const lum = ({ r, g, b }) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
			.reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
		const over = (fg, bg) => ({ r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) });
		function background(el) {
			for (let e = el; e; e = e.parentElement) {
				const cs = getComputedStyle(e);
				if (cs.backgroundImage !== 'none') return null;
				const c = rgb(cs.backgroundColor);
				if (c.a >= 0.99) return c;
			}
			return { r: 255, g: 255, b: 255, a: 1 };
		}
		const out = [];
		let checked = 0;
		for (const el of document.querySelectorAll('body *')) {
			const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
			if (!own || !el.checkVisibility?.({ opacityProperty: true, visibilityProperty: true })) continue;
			const cs = getComputedStyle(el);
			const r = el.getBoundingClientRect();
			if (r.width < 2 || r.height < 2 || el.closest('[aria-hidden="true"], .sr-only, canvas, svg')) continue;
			const bg = background(el);
			if (!bg) continue;
			const fg = over(rgb(cs.color), bg);
			const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
			const ratio = (hi + 0.05) / (lo + 0.05);
			const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
			const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
			checked++;
			if (ratio < need - 0.01)
				out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 24)}" ${ratio.toFixed(2)}:1 (${cs.color} on rgb(${bg.r}, ${bg.g}, ${bg.b}))`);
		}
		return { checked, out };
	});
	if (bad.out.length) throw new Error(`${what}: text below WCAG AA contrast:\n${bad.out.slice(0, 8).join('\n')}`);
	return bad.checked;
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
