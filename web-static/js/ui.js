// Building blocks of every page: an element builder that only ever sets text
// (data never goes through innerHTML), form fields that validate as the user
// types and show the server's error under the field it names, a paged table,
// toasts that confirm actions, a confirm dialog and a thin ECharts wrapper.

import { register, t } from './i18n.js';

register({
	zh: {
		'ui.more': '加载更多', 'ui.loading': '加载中…', 'ui.empty': '暂无记录', 'ui.ok': '确定', 'ui.cancel': '取消',
		'ui.required': '此项必填', 'ui.fix': '请先修改标出的错误', 'ui.close': '关闭', 'ui.all_loaded': '已全部加载',
		'ui.chart_failed': '图表无法加载', 'ui.error': '出错了：{msg}', 'ui.network': '网络连接失败，请稍后重试',
	},
	en: {
		'ui.more': 'Load more', 'ui.loading': 'Loading…', 'ui.empty': 'Nothing here yet', 'ui.ok': 'OK', 'ui.cancel': 'Cancel',
		'ui.required': 'Required', 'ui.fix': 'Please correct the marked fields first', 'ui.close': 'Close',
		'ui.all_loaded': 'All loaded', 'ui.chart_failed': 'The chart could not be loaded', 'ui.error': 'Error: {msg}',
		'ui.network': 'The network failed; please try again',
	},
});

/** Goes to a hash route ('#/sme/profile'); renders again when it is the current one. */
export function navigate(hash) {
	if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
	else location.hash = hash;
}

let uid = 0;
/** A fresh element id with the given prefix. */
export function nextId(prefix = 'x') {
	uid += 1;
	return `${prefix}-${uid}`;
}

function append(el, child) {
	if (child === null || child === undefined || child === false || child === true) return;
	if (Array.isArray(child)) {
		for (const c of child) append(el, c);
	} else if (child instanceof Node) {
		el.appendChild(child);
	} else {
		el.appendChild(document.createTextNode(String(child)));
	}
}

/**
 * Creates an element. attrs: 'class', 'for', on<Event> handlers (functions),
 * 'dataset' (object), 'style' (string), boolean attributes as true/false, and
 * any other attribute by name; null/undefined/false values are left out.
 * Children: strings (as text), nodes, arrays, null (skipped).
 */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false) continue;
		if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else if (k === 'value' && 'value' in el) el.value = v;
		else if (k === 'checked' || k === 'selected') el[k] = Boolean(v);
		else el.setAttribute(k === 'className' ? 'class' : k, v === true ? '' : String(v));
	}
	append(el, children);
	return el;
}

/** Removes every child of el and appends the given children. */
export function replace(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

/**
 * A labelled form control that validates as the user types.
 * spec: {name, label, type ('text', 'password', 'number', 'date', 'select',
 * 'textarea', 'checkbox', 'checkboxes'), value, options ([{value, label}] for
 * select/checkboxes), required, validate (value → message or ''), hint,
 * placeholder, autocomplete, inputmode, attrs (more control attributes), wide
 * (spans both columns of a .form-grid)}. Returns the wrapper element, which
 * carries .control, .getValue(), .setValue(v), .setError(msg) and .check().
 */
export function formField(spec) {
	const id = nextId(`f-${spec.name.replace(/\W/g, '_')}`);
	const errId = `${id}-err`, hintId = `${id}-hint`;
	const control = makeControl(spec, id);
	const described = [spec.hint ? hintId : null, errId].filter(Boolean).join(' ');
	if (spec.type !== 'checkboxes') control.setAttribute('aria-describedby', described);
	const err = h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' });
	const label = spec.type === 'checkboxes'
		? h('legend', null, spec.label)
		: h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
	const wrap = h(spec.type === 'checkboxes' ? 'fieldset' : 'div',
		{ class: `field field-${spec.type || 'text'}${spec.wide ? ' wide' : ''}`, dataset: { name: spec.name } },
		spec.type === 'checkbox' ? [control, label] : [label, control],
		spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null, err);
	wrap.control = control;
	wrap.getValue = () => readControl(spec, control);
	wrap.setValue = (v) => writeControl(spec, control, v);
	wrap.setError = (msg) => {
		err.textContent = msg || '';
		wrap.classList.toggle('invalid', Boolean(msg));
		if (spec.type !== 'checkboxes') control.setAttribute('aria-invalid', msg ? 'true' : 'false');
	};
	wrap.check = () => {
		const v = wrap.getValue();
		let msg = '';
		if (spec.required && (v === '' || v === null || (Array.isArray(v) && v.length === 0))) msg = t('ui.required');
		else if (spec.validate && v !== '' && v !== null) msg = spec.validate(v) || '';
		wrap.setError(msg);
		return !msg;
	};
	let touched = false;
	control.addEventListener('input', () => { touched = true; wrap.check(); });
	control.addEventListener('change', () => { touched = true; wrap.check(); });
	control.addEventListener('blur', () => { if (touched) wrap.check(); }, true);
	if (spec.value !== undefined && spec.value !== null) wrap.setValue(spec.value);
	return wrap;
}

function makeControl(spec, id) {
	const common = { id, name: spec.name, required: spec.required || false, autocomplete: spec.autocomplete,
		inputmode: spec.inputmode, placeholder: spec.placeholder, ...(spec.attrs || {}) };
	if (spec.type === 'select')
		return h('select', common, (spec.options || []).map((o) => h('option', { value: o.value }, o.label)));
	if (spec.type === 'textarea') return h('textarea', { ...common, rows: 3 });
	if (spec.type === 'checkboxes') {
		return h('div', { id, class: 'checks', role: 'group' }, (spec.options || []).map((o) => {
			const cid = nextId(id);
			return h('span', { class: 'check' }, h('input', { type: 'checkbox', id: cid, name: spec.name, value: o.value }),
				h('label', { for: cid }, o.label));
		}));
	}
	return h('input', { ...common, type: spec.type || 'text' });
}

function readControl(spec, c) {
	if (spec.type === 'checkbox') return c.checked;
	if (spec.type === 'checkboxes')
		return [...c.querySelectorAll('input:checked')].map((i) => i.value);
	return c.value.trim();
}

function writeControl(spec, c, v) {
	if (spec.type === 'checkbox') c.checked = Boolean(v);
	else if (spec.type === 'checkboxes')
		for (const i of c.querySelectorAll('input')) i.checked = (v || []).map(String).includes(i.value);
	else c.value = v === null || v === undefined ? '' : String(v);
}

/** The fields of a form (elements made by formField). */
export function fieldsOf(form) {
	return [...form.querySelectorAll('.field')].filter((f) => typeof f.check === 'function');
}

/** Checks every field; focuses the first invalid one; true when all pass. */
export function validateForm(form) {
	clearFormError(form);
	const bad = fieldsOf(form).filter((f) => !f.check());
	if (bad.length) {
		formError(form, t('ui.fix'));
		(bad[0].control.querySelector ? bad[0].control.querySelector('input') || bad[0].control : bad[0].control).focus();
	}
	return bad.length === 0;
}

/** {name: value} of every field of the form. */
export function formValues(form) {
	const out = {};
	for (const f of fieldsOf(form)) out[f.dataset.name] = f.getValue();
	return out;
}

function formError(form, msg) {
	let box = form.querySelector(':scope > .form-error');
	if (!box) {
		box = h('p', { class: 'form-error', role: 'alert' });
		form.prepend(box);
	}
	box.textContent = msg;
	box.hidden = !msg;
}

function clearFormError(form) {
	const box = form.querySelector(':scope > .form-error');
	if (box) box.hidden = true;
}

register({
	zh: {
		'ui.err.conflict.uscc': '该统一社会信用代码已经注册过', 'ui.err.conflict.username': '该用户名已被使用',
		'ui.err.invalid_credentials': '用户名或密码不正确', 'ui.err.account_locked': '账户已锁定，请稍后再试或联系管理员',
		'ui.err.forbidden': '您的账户无权进行此操作', 'ui.err.not_found': '找不到该记录，或您无权查看',
		'ui.err.rate_limited': '操作过于频繁，请稍后再试', 'ui.err.unavailable': '服务暂时不可用，请稍后再试',
		'ui.err.internal': '服务器出错了，请稍后再试', 'ui.err.payload_too_large': '提交的内容太大',
		'ui.err.not_eligible': '不符合条件', 'ui.err.invalid_state': '当前状态下不能进行此操作', 'ui.err.conflict': '与现有记录冲突',
		'ui.err.insufficient_funds': '资金余额不足',
	},
	en: {
		'ui.err.conflict.uscc': 'This unified social credit code is already registered', 'ui.err.conflict.username': 'This username is taken',
		'ui.err.invalid_credentials': 'Wrong username or password', 'ui.err.account_locked': 'The account is locked; try again later or ask the administrator',
		'ui.err.forbidden': 'Your account may not do this', 'ui.err.not_found': 'Not found, or not yours to see',
		'ui.err.rate_limited': 'Too many attempts; try again later', 'ui.err.unavailable': 'The service is briefly unavailable; try again later',
		'ui.err.internal': 'The server failed; try again later', 'ui.err.payload_too_large': 'What you sent is too large',
		'ui.err.not_eligible': 'Not eligible', 'ui.err.invalid_state': 'Not possible in the current state', 'ui.err.conflict': 'Conflicts with an existing record',
		'ui.err.insufficient_funds': 'Insufficient funds',
	},
});

// Codes whose server message names the particular reason, worth showing after ours.
const DETAILED = ['not_eligible', 'invalid_state', 'conflict', 'insufficient_funds'];

/**
 * The message to show a person for an error: our words for the api.md code
 * (with the server's particular reason where it has one), the server's
 * message for field validation, and its own words for a network failure.
 */
export function errorText(e) {
	if (!e || typeof e !== 'object') return String(e);
	if (e.code === 'network') return t('ui.network');
	const field = e.field ? e.field.split('.').pop() : '';
	const specific = `ui.err.${e.code}.${field}`;
	if (field && t(specific) !== specific) return t(specific);
	const general = `ui.err.${e.code}`;
	if (t(general) === general) return e.message || String(e.code);
	return DETAILED.includes(e.code) && e.message ? `${t(general)}：${e.message}` : t(general);
}

/**
 * Shows the server's error: under the field it names (matched by the full
 * name, 'enterprise.uscc', or its last part, 'uscc'), or at the top of the form.
 */
export function showServerError(form, apiError) {
	const field = apiError && apiError.field;
	const fields = fieldsOf(form);
	const target = field && (fields.find((f) => f.dataset.name === field)
		|| fields.find((f) => f.dataset.name === field.split('.').pop().replace(/\[\d+\]$/, '')));
	if (target) {
		target.setError(errorText(apiError));
		target.control.focus();
		clearFormError(form);
	} else {
		formError(form, errorText(apiError));
	}
}

/**
 * A table that pages: columns [{key, label, render?(row) → node|string,
 * num?: true}], load(cursor) → {items, next_cursor}. The "more" button
 * appends the next page. Returns the element, with .reload() answering the
 * first page loaded (null when it failed).
 */
export function pagedTable({ columns, load, caption, empty }) {
	const tbody = h('tbody');
	const status = h('p', { class: 'table-status', 'aria-live': 'polite' });
	const more = h('button', { type: 'button', class: 'btn secondary more', hidden: true }, t('ui.more'));
	const table = h('table', { class: 'table' }, caption ? h('caption', null, caption) : null,
		h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
		tbody);
	const wrap = h('div', { class: 'paged' }, h('div', { class: 'table-wrap' }, table), status, more);
	let cursor = null, count = 0;
	async function page() {
		more.disabled = true;
		status.textContent = t('ui.loading');
		try {
			const res = await load(cursor);
			for (const row of res.items) tbody.appendChild(renderRow(columns, row));
			count += res.items.length;
			cursor = res.next_cursor || null;
			more.hidden = !cursor;
			status.textContent = count === 0 ? (empty || t('ui.empty')) : '';
			return res;
		} catch (e) {
			status.textContent = t('ui.error', { msg: errorText(e) });
			return null;
		} finally {
			more.disabled = false;
		}
	}
	more.addEventListener('click', page);
	wrap.reload = () => {
		tbody.replaceChildren();
		cursor = null;
		count = 0;
		return page();
	};
	wrap.ready = page();
	return wrap;
}

function renderRow(columns, row) {
	return h('tr', null, columns.map((c) => {
		const v = c.render ? c.render(row) : row[c.key];
		return h('td', { class: c.num ? 'num' : null, 'data-label': c.label }, v === null || v === undefined ? '—' : v);
	}));
}

let toastRegion = null;
/** Confirms an action in a polite live region; the message fades after a while. */
export function toast(msg, kind = 'ok') {
	if (!toastRegion) {
		toastRegion = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
		document.body.appendChild(toastRegion);
	}
	const item = h('div', { class: `toast ${kind}` }, msg);
	toastRegion.appendChild(item);
	// At most two at once, so that confirmations never cover the page on a phone.
	while (toastRegion.children.length > 2) toastRegion.firstChild.remove();
	setTimeout(() => item.remove(), 4500);
}

/** A modal yes/no question; resolves true for OK. */
export function confirmDialog(msg, { ok, cancel } = {}) {
	return new Promise((resolve) => {
		const dlg = h('dialog', { class: 'dialog', 'aria-label': msg },
			h('p', null, msg),
			h('div', { class: 'actions' },
				h('button', { type: 'button', class: 'btn secondary', value: 'no', onclick: () => dlg.close('no') }, cancel || t('ui.cancel')),
				h('button', { type: 'button', class: 'btn', value: 'yes', onclick: () => dlg.close('yes') }, ok || t('ui.ok'))));
		dlg.addEventListener('close', () => {
			dlg.remove();
			resolve(dlg.returnValue === 'yes');
		});
		document.body.appendChild(dlg);
		dlg.showModal();
	});
}

let echartsModule = null;
/**
 * Draws an ECharts option into el (loading the vendored ECharts on first use)
 * and keeps it sized to el. Returns the chart instance, or null when ECharts
 * cannot be loaded (the element then says so).
 */
export async function chart(el, option) {
	try {
		echartsModule = echartsModule || await import('../vendor/echarts.esm.min.mjs');
	} catch {
		el.textContent = t('ui.chart_failed');
		return null;
	}
	const inst = echartsModule.getInstanceByDom(el) || echartsModule.init(el, null, { renderer: 'canvas' });
	inst.setOption({ textStyle: { fontFamily: 'inherit' }, ...option }, true);
	if (!el.dataset.sized) {
		el.dataset.sized = '1';
		new ResizeObserver(() => inst.resize()).observe(el);
	}
	return inst;
}

/** A small badge for a status word (state, grade …). */
export function badge(text, kind = '') {
	return h('span', { class: `badge ${kind}` }, text);
}
