// What the bank, park and bureau workspaces share (one engineer's pages, so the
// file sits under the bank_ prefix): strings given as {key: [zh, en]} pairs,
// the names of states and kinds, the district's reference data, a form that
// validates as the user types and shows the server's field error, a dialog
// that asks for a few fields, an action button that confirms and reports,
// and raw uploads/downloads (CSV) that api.js cannot express.

import { api, referenceData } from '../api.js';
import { register, t } from '../i18n.js';
import { parseYuanToFen, pct, today, yuan } from '../format.js';
import { refName } from '../labels.js';
import { badge, confirmDialog, errorText, formField, formValues, h, replace, showServerError, toast,
	validateForm } from '../ui.js';

/** Registers {key: [zh, en]} under prefix ('bank' → 'bank.key'). */
export function registerPairs(prefix, pairs) {
	const zh = {}, en = {};
	for (const [k, [z, e]] of Object.entries(pairs)) {
		zh[`${prefix}.${k}`] = z;
		en[`${prefix}.${k}`] = e;
	}
	register({ zh, en });
}

registerPairs('w2', {
	'st.submitted': ['已提交', 'Submitted'], 'st.pending_bank': ['待银行受理', 'Awaiting the bank'],
	'st.accepted': ['已受理', 'Accepted'], 'st.approved': ['已审批', 'Approved'], 'st.disbursed': ['已放款', 'Disbursed'],
	'st.rejected': ['已拒绝', 'Rejected'], 'st.withdrawn': ['已撤回', 'Withdrawn'], 'st.expired': ['已过期', 'Expired'],
	'st.nominated': ['待审核', 'Nominated'], 'st.revoked': ['已撤销', 'Revoked'], 'st.none': ['未申请', 'None'],
	'st.draft': ['草稿', 'Draft'], 'st.active': ['在售', 'Active'], 'st.paused': ['已暂停', 'Paused'],
	'st.retired': ['已下架', 'Retired'], 'st.performing': ['正常', 'Performing'], 'st.overdue': ['逾期', 'Overdue'],
	'st.defaulted': ['已违约', 'Defaulted'], 'st.repaid': ['已结清', 'Repaid'], 'st.filed': ['待审批', 'Filed'],
	'st.paid': ['已赔付', 'Paid'],
	'kind.credit': ['信用贷款', 'Credit'], 'kind.guarantee': ['保证贷款', 'Guarantee'], 'kind.mortgage': ['抵押贷款', 'Mortgage'],
	'kind.ip_pledge': ['知识产权质押', 'IP pledge'], 'kind.receivables': ['应收账款融资', 'Receivables'],
	'col.none': ['无需担保', 'None'], 'col.property': ['房产', 'Property'], 'col.ip': ['知识产权', 'IP'],
	'col.equipment': ['设备', 'Equipment'], 'col.receivables': ['应收账款', 'Receivables'],
	'size.micro': ['微型', 'Micro'], 'size.small': ['小型', 'Small'], 'size.medium': ['中型', 'Medium'],
	'size.large': ['大型', 'Large'],
	'role.sme': ['企业', 'Enterprise'], 'role.park': ['园区', 'Park'], 'role.bureau': ['区财政局', 'Bureau'],
	'role.bank': ['银行', 'Bank'], 'role.town': ['街镇', 'Town'], 'role.system': ['系统', 'System'],
	'any': ['不限', 'Any'], 'save': ['保存', 'Save'], 'saving': ['提交中…', 'Sending…'], 'done': ['已完成', 'Done'],
	'failed': ['操作失败：{msg}', 'Failed: {msg}'], 'downloaded': ['已下载 {name}', 'Downloaded {name}'],
	'back': ['返回', 'Back'], 'yes': ['是', 'Yes'], 'no': ['否', 'No'],
});

/** The label of a state, kind, collateral or size word; the word itself when unknown. */
export function word(group, value) {
	if (value === null || value === undefined || value === '') return '—';
	const key = `w2.${group}.${value}`;
	const s = t(key);
	return s === key ? String(value) : s;
}

const BADGE_KIND = {
	approved: 'ok', disbursed: 'ok', active: 'ok', performing: 'ok', paid: 'ok', repaid: 'ok',
	rejected: 'bad', revoked: 'bad', defaulted: 'bad', overdue: 'bad', retired: 'muted', expired: 'muted',
	withdrawn: 'muted', paused: 'warn', nominated: 'warn', pending_bank: 'warn', filed: 'warn', draft: 'muted',
};

/** A badge for a state word. */
export function stateBadge(status) {
	return badge(word('st', status || 'none'), BADGE_KIND[status] || '');
}

let refPromise = null;
/** The towns, parks and industry sections, loaded once: {towns, parks, industries}. */
export function refData() {
	if (!refPromise) {
		refPromise = referenceData().catch((e) => {
			refPromise = null;
			throw e;
		});
	}
	return refPromise;
}

/** The name of the town of code, from ref (refData()). */
export function townName(ref, code) {
	return code ? refName(ref.towns.find((x) => x.code === code)) : '—';
}

/** A page heading plus an optional lead paragraph, replacing main's content. */
export function pageTop(main, title, lead) {
	replace(main, h('h1', null, title), lead ? h('p', { class: 'lead' }, lead) : null);
}

/** A card section with a heading. */
export function card(title, ...children) {
	return h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...children);
}

/**
 * A form of formField specs that validates as the user types, checks all on
 * submit, calls submit(values) and shows the server's error under the field it
 * names. Returns the form element (its .fields maps name → field).
 */
export function simpleForm({ fields, submitLabel, submit, className = 'form' }) {
	const made = fields.map((f) => (f instanceof Node ? f : formField(f)));
	const btn = h('button', { type: 'submit', class: 'btn' }, submitLabel || t('w2.save'));
	const form = h('form', { class: className, novalidate: true }, made, h('div', { class: 'actions' }, btn));
	form.fields = Object.fromEntries(made.filter((f) => f.dataset && f.dataset.name).map((f) => [f.dataset.name, f]));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		btn.disabled = true;
		try {
			await submit(formValues(form), form);
		} catch (e) {
			showServerError(form, e);
		} finally {
			btn.disabled = false;
		}
	});
	return form;
}

/**
 * A modal dialog asking for the given fields; resolves with their values, or
 * null when cancelled. send(values) runs before it closes; its error stays in
 * the dialog under the field the server names.
 */
export function askDialog({ title, fields, okLabel, send }) {
	return new Promise((resolve) => {
		let result = null;
		const dlg = h('dialog', { class: 'dialog', 'aria-label': title });
		const form = simpleForm({
			fields, submitLabel: okLabel,
			submit: async (values) => {
				result = send ? (await send(values)) ?? values : values;
				dlg.close();
			},
		});
		form.querySelector('.actions').prepend(h('button', { type: 'button', class: 'btn secondary',
			onclick: () => dlg.close() }, t('ui.cancel')));
		dlg.append(h('h2', null, title), form);
		dlg.addEventListener('close', () => {
			dlg.remove();
			resolve(result);
		});
		document.body.appendChild(dlg);
		dlg.showModal();
	});
}

/**
 * A button that (after confirm, when given) runs run(), toasts done (a text,
 * or a function of run's result) and calls after(result); an error is toasted
 * and left on the page beside the button.
 */
export function actionButton(label, { confirm, run, done, after, kind = '' }) {
	const note = h('span', { class: 'field-error', role: 'alert' });
	const btn = h('button', { type: 'button', class: `btn ${kind}`.trim() }, label);
	btn.addEventListener('click', async () => {
		note.textContent = '';
		if (confirm && !(await confirmDialog(confirm))) return;
		btn.disabled = true;
		try {
			const r = await run();
			if (r === null) return;	// the user cancelled a dialog inside run
			toast((typeof done === 'function' ? done(r) : done) || t('w2.done'));
			if (after) await after(r);
		} catch (e) {
			note.textContent = t('w2.failed', { msg: errorText(e) });
			toast(t('w2.failed', { msg: errorText(e) }), 'error');
		} finally {
			btn.disabled = false;
		}
	});
	return h('span', { class: 'action' }, btn, note);
}

/** A definition list from [[label, value] …]. */
export function facts(rows) {
	return h('dl', { class: 'kv facts' }, rows.filter(Boolean).map(([k, v]) => [h('dt', null, k),
		h('dd', null, v === null || v === undefined || v === '' ? '—' : v)]));
}

/** Options for a select: [{value, label}] with an "any" first when wanted. */
function options(list, { any = false } = {}) {
	return [...(any ? [{ value: '', label: t('w2.any') }] : []), ...list];
}

/** Options from a group of words ('kind', ['credit', …]). */
export function wordOptions(group, values, opts) {
	return options(values.map((v) => ({ value: v, label: word(group, v) })), opts);
}

/** Tab-like filter links: [{label, hash}] with the current one marked. */
export function filterTabs(items, currentHash) {
	return h('nav', { class: 'tabs', 'aria-label': t('w2.filter') },
		items.map((it) => h('a', { href: it.hash, class: 'tab', 'aria-current': it.hash === currentHash ? 'page' : null },
			it.label)));
}
registerPairs('w2', { filter: ['筛选', 'Filter'] });

/**
 * The state a list page shows, from ?status= (the first of statuses when
 * absent or unknown), and the tabs that link each state of base ('#/bureau/claims').
 */
export function statusTabs(query, statuses, base) {
	const status = statuses.includes(query.get('status')) ? query.get('status') : statuses[0];
	const tabs = filterTabs(statuses.map((s) => ({ label: word('st', s), hash: `${base}?status=${s}` })),
		`${base}?status=${status}`);
	return { status, tabs };
}

// ---- files ---------------------------------------------------------------

/** POSTs text (a CSV or JSON file) with its content type; returns {status, json}. */
export async function postRaw(path, text, contentType) {
	return api('POST', path, { rawBody: text, contentType });
}

/** GETs path with query and saves the answer as filename (fetch + Blob: the token is no cookie). */
export async function downloadFile(path, query, filename) {
	const { blob } = await api('GET', path, { query, asBlob: true });
	const url = URL.createObjectURL(blob);
	const a = h('a', { href: url, download: filename, hidden: true });
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
	toast(t('w2.downloaded', { name: filename }));
}

// ---- validators (value → message or '') -------------------------------

registerPairs('w2', {
	range: ['范围 {min} – {max}', 'Range {min} – {max}'], out_of_range: ['须在 {min} 至 {max} 之间', 'Must be {min} to {max}'],
	bad_amount: ['请输入金额，最多两位小数', 'Enter an amount with at most two decimals'],
	bad_rate: ['请输入百分比，最多两位小数，如 4.35', 'Enter a percentage with at most two decimals, such as 4.35'],
	bad_int: ['请输入整数', 'Enter a whole number'], future: ['不能晚于今天', 'Not after today'],
});

/** A validator of an integer string within [min, max]. */
export function intIn(min, max) {
	return (v) => (!/^\d+$/.test(String(v)) ? t('w2.bad_int')
		: Number(v) < min || Number(v) > max ? t('w2.out_of_range', { min, max }) : '');
}

/** A validator of a yuan string within [minFen, maxFen] (either may be null). */
export function yuanIn(minFen, maxFen) {
	return (v) => {
		const fen = parseYuanToFen(v);
		if (fen === null) return t('w2.bad_amount');
		if ((minFen !== null && fen < minFen) || (maxFen !== null && fen > maxFen))
			return t('w2.out_of_range', { min: minFen === null ? yuan(0) : yuan(minFen), max: maxFen === null ? '∞' : yuan(maxFen) });
		return '';
	};
}

/** A validator of a YYYY-MM-DD date not after today (district time). */
export function notFuture(v) {
	return v > today() ? t('w2.future') : '';
}

/** A typed percentage ("4.35", "4.35%", "4") as basis points; null unless 0–100 with ≤ 2 decimals. */
export function parsePctToBps(str) {
	const m = /^(\d{1,3})(?:\.(\d{1,2}))?%?$/.exec(String(str).trim());
	if (!m) return null;
	const bps = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0') || '0');
	return bps > 10000 ? null : bps;
}

/** A validator of a percentage within [minBps, maxBps]. */
export function pctIn(minBps, maxBps) {
	return (v) => {
		const bps = parsePctToBps(v);
		if (bps === null) return t('w2.bad_rate');
		return bps < minBps || bps > maxBps ? t('w2.out_of_range', { min: pct(minBps), max: pct(maxBps) }) : '';
	};
}

/** Basis points as the text of a percentage input: 435 → "4.35". */
export function bpsToPctInput(bps) {
	if (bps === null || bps === undefined) return '';
	return `${Math.trunc(bps / 100)}.${String(bps % 100).padStart(2, '0')}`;
}
