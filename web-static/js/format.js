// How the pages show numbers and dates: money arrives as integer fen and is shown
// in yuan with thousands separators, rates arrive in basis points and are shown
// as percentages, dates the Chinese way. Integer and string arithmetic only, so
// no amount is ever rounded through a float.

import { lang, register, t } from './i18n.js';

register({
	zh: { 'format.masked': '（已按规定脱敏显示）', 'format.months': '{n} 个月', 'format.none': '—' },
	en: { 'format.masked': '(masked as the rules require)', 'format.months': '{n} months', 'format.none': '—' },
});

const DISTRICT_OFFSET_MS = 8 * 3600 * 1000;	// Fengxian keeps China Standard Time, UTC+8

function groupThousands(digits) {
	return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fen as yuan: zh "1,234,567.89 元", en "¥1,234,567.89"; '—' for null. */
export function yuan(fen) {
	if (fen === null || fen === undefined || fen === '') return t('format.none');
	let n = BigInt(fen);
	const neg = n < 0n;
	if (neg) n = -n;
	const whole = groupThousands((n / 100n).toString());
	const cents = (n % 100n).toString().padStart(2, '0');
	const sign = neg ? '-' : '';
	return lang() === 'en' ? `${sign}¥${whole}.${cents}` : `${sign}${whole}.${cents} 元`;
}

/**
 * A yuan amount typed by a person ("1,234.5", "¥ 20000", "3000 元") as integer
 * fen; null unless it is a non-negative amount with at most two decimals that
 * fits in 2^53 fen.
 */
export function parseYuanToFen(str) {
	if (typeof str !== 'string') return null;
	const s = str.replace(/[\s,，¥￥]/g, '').replace(/元$/, '');
	const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
	if (!m) return null;
	const fen = BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0') || '0');
	if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return null;
	return Number(fen);
}

/** Fen as a plain yuan string for an input field ("1234.5" → "1234.50"); '' for null. */
export function fenToYuanInput(fen) {
	if (fen === null || fen === undefined) return '';
	const n = BigInt(fen);
	return `${n / 100n}.${(n % 100n).toString().padStart(2, '0')}`;
}

/** Basis points as a percentage: 435 → "4.35%". */
export function pct(bps) {
	if (bps === null || bps === undefined) return t('format.none');
	const n = Math.trunc(Number(bps));
	const a = Math.abs(n);
	return `${n < 0 ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}%`;
}

/** A ratio 0–1 (e.g. approval_rate) as a percentage with one decimal. */
export function ratio(x) {
	if (x === null || x === undefined || Number.isNaN(Number(x))) return t('format.none');
	return `${(Number(x) * 100).toFixed(1)}%`;
}

/** An integer with thousands separators. */
export function num(n) {
	if (n === null || n === undefined) return t('format.none');
	return groupThousands(String(n));
}

/** A term in months: "12 个月" / "12 months". */
export function months(n) {
	return t('format.months', { n });
}

// Splits 'YYYY-MM-DD' or an RFC 3339 instant into district-time parts.
function parts(iso) {
	if (typeof iso !== 'string' || !iso) return null;
	if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { y: iso.slice(0, 4), m: iso.slice(5, 7), d: iso.slice(8, 10), time: null };
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return null;
	const s = new Date(ms + DISTRICT_OFFSET_MS).toISOString();
	return { y: s.slice(0, 4), m: s.slice(5, 7), d: s.slice(8, 10), time: s.slice(11, 16) };
}

/** A date: zh "2026年11月28日", en "2026-11-28"; instants in district time. */
export function date(iso) {
	const p = parts(iso);
	if (!p) return t('format.none');
	return lang() === 'en' ? `${p.y}-${p.m}-${p.d}` : `${p.y}年${Number(p.m)}月${Number(p.d)}日`;
}

/** An instant with the district's clock time: "2026年11月28日 17:12". */
export function datetime(iso) {
	const p = parts(iso);
	if (!p) return t('format.none');
	return p.time ? `${date(iso)} ${p.time}` : date(iso);
}

/** Today in the district as YYYY-MM-DD (for date inputs). */
export function today() {
	return new Date(Date.now() + DISTRICT_OFFSET_MS).toISOString().slice(0, 10);
}

/** The note to show beside a value the server masked ('' when it is whole). */
export function maskNotice(value) {
	return typeof value === 'string' && value.includes('*') ? t('format.masked') : '';
}
