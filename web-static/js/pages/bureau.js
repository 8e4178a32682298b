// The finance bureau's workspace, part one: the whitelist review queue
// (approve, reject, revoke), credit-record import from a department's CSV or
// JSON file with every rejected row shown by its line, the credit-model
// versions (list, create from an existing one's weights, activate), and the
// holiday calendar that response deadlines count working days by. Funds,
// claims and the ledger are in bureau_money.js; statistics in bureau_stats.js.

import { api, lister } from '../api.js';
import { t } from '../i18n.js';
import { date, datetime, num, today } from '../format.js';
import { badge, h, navigate, pagedTable, replace, toast } from '../ui.js';
import { actionButton, askDialog, card, filterTabs, intIn, pageTop, postRaw, registerPairs, simpleForm,
	stateBadge, statusTabs, word } from './bank_common.js';
import { routes as moneyRoutes } from './bureau_money.js';
import { routes as statsRoutes } from './bureau_stats.js';

registerPairs('bureau', {
	'wl.title': ['白名单审核', 'Whitelist review'],
	'wl.lead': ['审核园区、街镇或企业自荐的融资需求白名单；只有信用等级 C 及以上、无失信被执行记录的企业可以通过。',
		'Review nominations to the financing whitelist; only grade C or better without a dishonest-debtor record may be approved.'],
	enterprise: ['企业', 'Enterprise'], by: ['提名方', 'Nominated by'], reason: ['理由', 'Reason'], status: ['状态', 'Status'],
	created: ['提名时间', 'Nominated'], valid_until: ['有效期至', 'Valid until'], action: ['操作', 'Action'],
	approve: ['通过', 'Approve'], reject: ['驳回', 'Reject'], revoke: ['撤销', 'Revoke'],
	'approve.title': ['通过 {name} 的白名单申请', 'Approve {name}'], valid_days: ['有效天数', 'Valid for (days)'],
	approved: ['已通过，企业进入白名单', 'Approved; the enterprise is on the whitelist'],
	'reject.title': ['驳回 {name} 的白名单申请', 'Reject {name}'], rejected: ['已驳回', 'Rejected'],
	'revoke.title': ['撤销 {name} 的白名单资格', 'Revoke {name}'], revoked: ['已撤销', 'Revoked'],
	decision: ['审核意见', 'Decision note'],
	'imp.title': ['信用信息导入', 'Credit-record import'],
	'imp.lead': ['上传部门提供的 CSV（首行为列名：uscc, category, value, source_dept, source_record_id, observed_on, expires_on, minor_party, force_majeure）或 JSON 文件（{"records":[…]}），每批最多 10,000 行。有问题的行会逐行列出，其余行照常入库；重复导入同一来源记录不会重复计入。',
		'Upload a department\'s CSV (header row: uscc, category, value, source_dept, source_record_id, observed_on, expires_on, minor_party, force_majeure) or a JSON file ({"records":[…]}), up to 10,000 rows. Bad rows are listed by line; the others are stored; a record sent again is not counted twice.'],
	file: ['选择文件', 'File'], upload: ['上传并导入', 'Upload and import'], need_file: ['请选择 .csv 或 .json 文件', 'Choose a .csv or .json file'],
	too_big: ['文件超过 16 MB', 'The file is over 16 MB'], bad_json: ['JSON 文件无法解析：{msg}', 'The JSON file cannot be read: {msg}'],
	result: ['导入结果', 'Import result'], accepted: ['入库', 'Stored'], duplicates: ['重复（已忽略）', 'Duplicates (skipped)'],
	rejected_rows: ['被拒绝的行', 'Rejected rows'], line: ['行号', 'Line'], code: ['原因代码', 'Code'], message: ['说明', 'Message'],
	row: ['该行内容', 'The row'], imported: ['导入完成：入库 {a}，重复 {d}，拒绝 {r}', 'Imported: {a} stored, {d} duplicates, {r} rejected'],
	'm.title': ['信用评分模型', 'Credit-score models'],
	'm.lead': ['评分卡以数据形式保存；新版本激活后会重新为全部企业评分，每个分数都注明所用版本。',
		'Scorecards are data; activating a version rescores every enterprise, and each score names its version.'],
	version: ['版本', 'Version'], active: ['当前使用', 'Active'], activated: ['激活时间', 'Activated'],
	activate: ['激活', 'Activate'], 'activate.confirm': ['激活 {v} 将重新为全部企业评分，确认？', 'Activating {v} rescores every enterprise. Go ahead?'],
	'activated.done': ['已激活，重新评分 {n} 家企业', 'Activated; {n} enterprises rescored'],
	'm.new': ['新建模型版本', 'New model version'], weights: ['权重（JSON，须包含全部权重项）', 'Weights (JSON, every key)'],
	'm.base': ['以此版本为基础', 'Start from'], 'm.created': ['已创建模型版本', 'Model version created'],
	bad_weights: ['权重须为 JSON 对象', 'Weights must be a JSON object'],
	'h.title': ['节假日与调休', 'Holidays and working weekends'],
	'h.lead': ['银行响应时限按工作日计算：跳过法定节假日，调休上班日计为工作日。',
		'Response deadlines count working days: public holidays are skipped and make-up working days count.'],
	year: ['年份', 'Year'], day: ['日期', 'Day'], name: ['名称', 'Name'], is_workday: ['调休上班日', 'Make-up working day'],
	'h.add': ['添加 / 修改', 'Add or change'], 'h.saved': ['已保存', 'Saved'], workday: ['上班', 'Working day'], holiday: ['休息', 'Holiday'],
	'rc.unknown_enterprise': ['无此信用代码的企业', 'No such enterprise'], 'rc.unknown_category': ['未知的信息类别', 'Unknown category'],
	'rc.invalid_value': ['取值不合规', 'Invalid value'], 'rc.invalid_field': ['字段不合规', 'Invalid field'],
	'rc.duplicate_in_batch': ['本批次内重复', 'Repeated in this file'],
	'm.created_at': ['创建时间', 'Created'], new_version: ['新版本号', 'New version name'], version_taken: ['该版本号已存在', 'This version exists already'],
});

const WL_TABS = ['nominated', 'approved', 'rejected', 'revoked', 'expired'];

function wlActions(w, reload) {
	const ask = (verb, fields, body) => actionButton(t(`bureau.${verb}`), {
		kind: verb === 'approve' ? '' : 'secondary', done: t(`bureau.${verb === 'approve' ? 'approved' : `${verb}d`}`),
		after: reload,
		run: () => askDialog({
			title: t(`bureau.${verb}.title`, { name: w.enterprise_name }), okLabel: t(`bureau.${verb}`), fields,
			send: (v) => api('POST', `/whitelist/${w.id}/${verb}`, { body: body(v) }),
		}),
	});
	const reasonField = [{ name: 'reason', label: t('bureau.decision'), type: 'textarea', required: true }];
	if (w.status === 'nominated') {
		return h('span', { class: 'actions' },
			ask('approve', [{ name: 'valid_days', label: t('bureau.valid_days'), inputmode: 'numeric', value: 365,
				required: true, validate: intIn(1, 1095) }], (v) => ({ valid_days: Number(v.valid_days) })),
			ask('reject', reasonField, (v) => ({ reason: v.reason })));
	}
	if (w.status === 'approved') return ask('revoke', reasonField, (v) => ({ reason: v.reason }));
	return '';
}

async function renderWhitelist(main, params, query) {
	const { status, tabs } = statusTabs(query, WL_TABS, '#/bureau/whitelist');
	pageTop(main, t('bureau.wl.title'), t('bureau.wl.lead'));
	main.append(tabs);
	let table = null;
	table = pagedTable({
		caption: word('st', status),
		columns: [
			{ label: t('bureau.enterprise'), key: 'enterprise_name' },
			{ label: t('bureau.by'), render: (w) => word('role', w.nominated_by_role) },
			{ label: t('bureau.reason'), key: 'reason' },
			{ label: t('bureau.created'), render: (w) => date(w.created_at) },
			{ label: t('bureau.status'), render: (w) => stateBadge(w.status) },
			{ label: t('bureau.valid_until'), render: (w) => (w.valid_until ? date(w.valid_until) : '—') },
			{ label: t('bureau.action'), render: (w) => wlActions(w, () => table.reload()) },
		],
		load: lister('/whitelist', { status }),
	});
	main.append(card(null, table));
	await table.ready;
}

/** The text of each record by its index: CSV lines after the header (quoted newlines kept), or JSON records. */
function rowsOf(text, isJson) {
	if (isJson) return JSON.parse(text).records.map((r, i) => ({ line: i + 1, text: JSON.stringify(r) }));
	const rows = [];
	let start = 0, quoted = false, line = 1, rowLine = 1;
	for (let i = 0; i <= text.length; i++) {
		const c = text[i];
		if (c === '"') quoted = !quoted;
		if ((c === '\n' && !quoted) || i === text.length) {
			const row = text.slice(start, i).replace(/\r$/, '');
			if (row.trim() !== '' || i < text.length) rows.push({ line: rowLine, text: row });
			start = i + 1;
			rowLine = line + 1;
		}
		if (c === '\n') line += 1;
	}
	return rows.slice(1);	// the header row is not a record
}

/** A row code of the import in words. */
function codeName(code) {
	const s = t(`bureau.rc.${code}`);
	return s === `bureau.rc.${code}` ? '' : s;
}

function importResult(r, rows, isJson) {
	const items = r.rejected.map((x) => ({ ...x, ...(rows[x.index] || { line: x.index + (isJson ? 1 : 2), text: '' }) }));
	return card(t('bureau.result'),
		h('p', { class: 'import-counts' }, t('bureau.imported', { a: num(r.accepted), d: num(r.duplicates), r: num(r.rejected.length) })),
		items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
			h('caption', null, t('bureau.rejected_rows')),
			h('thead', null, h('tr', null, ['line', 'code', 'message', 'row'].map((k) => h('th', { scope: 'col' }, t(`bureau.${k}`))))),
			h('tbody', null, items.map((x) => h('tr', { class: 'rejected-row' },
				h('td', { 'data-label': t('bureau.line') }, String(x.line)),
				h('td', { 'data-label': t('bureau.code') }, codeName(x.code), ' ', h('code', null, x.code)),
				h('td', { 'data-label': t('bureau.message') }, x.message),
				h('td', { 'data-label': t('bureau.row') }, h('code', null, x.text))))))) : null);
}

async function renderImport(main) {
	pageTop(main, t('bureau.imp.title'), t('bureau.imp.lead'));
	const out = h('div', { 'aria-live': 'polite' });
	const form = simpleForm({
		submitLabel: t('bureau.upload'),
		fields: [{ name: 'file', label: t('bureau.file'), type: 'file', required: true, attrs: { accept: '.csv,.json,text/csv,application/json' },
			validate: () => {
				const f = form.fields.file.control.files[0];
				if (!f || !/\.(csv|json)$/i.test(f.name)) return t('bureau.need_file');
				return f.size > 16 * 1024 * 1024 ? t('bureau.too_big') : '';
			} }],
		submit: async () => {
			const file = form.fields.file.control.files[0];
			const text = await file.text();
			const isJson = /\.json$/i.test(file.name);
			let rows = [];
			try {
				rows = rowsOf(text, isJson);
			} catch (e) {
				throw Object.assign(new Error(t('bureau.bad_json', { msg: e.message })), { field: 'file' });
			}
			const { json } = await postRaw('/credit-records/batch', text, isJson ? 'application/json' : 'text/csv; charset=utf-8');
			toast(t('bureau.imported', { a: json.accepted, d: json.duplicates, r: json.rejected.length }));
			replace(out, importResult(json, rows, isJson));
		},
	});
	main.append(card(null, form), out);
}

async function renderModels(main) {
	pageTop(main, t('bureau.m.title'), t('bureau.m.lead'));
	const { json } = await api('GET', '/credit-models', { query: { limit: 100 } });
	const reload = () => navigate('#/bureau/models');
	main.append(card(null, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
		h('thead', null, h('tr', null, ['version', 'active', 'm.created_at', 'activated', 'action'].map((k) =>
			h('th', { scope: 'col' }, t(`bureau.${k}`))))),
		h('tbody', null, json.items.map((m) => h('tr', null,
			h('td', null, m.version), h('td', null, m.active ? badge(t('bureau.active'), 'ok') : ''),
			h('td', null, datetime(m.created_at)), h('td', null, datetime(m.activated_at)),
			h('td', null, m.active ? '' : actionButton(t('bureau.activate'), {
				confirm: t('bureau.activate.confirm', { v: m.version }),
				run: async () => (await api('POST', `/credit-models/${encodeURIComponent(m.version)}/activate`)).json,
				done: (r) => t('bureau.activated.done', { n: num(r.rescored ?? 0) }), after: reload,
			})))))))));
	main.append(card(t('bureau.m.new'), newModelForm(json.items, reload)));
}

function newModelForm(models, reload) {
	const base = models.find((m) => m.active) || models[0];
	let form = null;
	form = simpleForm({
		submitLabel: t('bureau.m.new'),
		fields: [
			{ name: 'base', label: t('bureau.m.base'), type: 'select', value: base ? base.version : '',
				options: models.map((m) => ({ value: m.version, label: m.version })) },
			{ name: 'version', label: t('bureau.new_version'), required: true, attrs: { maxlength: 32 },
				validate: (v) => (models.some((m) => m.version === v) ? t('bureau.version_taken') : '') },
			{ name: 'weights', label: t('bureau.weights'), type: 'textarea', required: true,
				value: base ? JSON.stringify(base.weights, null, 2) : '{}', attrs: { rows: 14, spellcheck: 'false' },
				validate: (v) => { try { const o = JSON.parse(v); return o && typeof o === 'object' && !Array.isArray(o) ? '' : t('bureau.bad_weights'); } catch { return t('bureau.bad_weights'); } } },
		],
		submit: async (v) => {
			await api('POST', '/credit-models', { body: { version: v.version, weights: JSON.parse(v.weights) } });
			toast(t('bureau.m.created'));
			reload();
		},
	});
	form.fields.base.control.addEventListener('change', () => {
		const m = models.find((x) => x.version === form.fields.base.getValue());
		if (m) form.fields.weights.setValue(JSON.stringify(m.weights, null, 2));
	});
	return form;
}

async function renderHolidays(main, params, query) {
	const year = /^\d{4}$/.test(query.get('year') || '') ? query.get('year') : today().slice(0, 4);
	pageTop(main, t('bureau.h.title'), t('bureau.h.lead'));
	const y = Number(year);
	main.append(filterTabs([y - 1, y, y + 1].map((x) => ({ label: String(x), hash: `#/bureau/holidays?year=${x}` })),
		`#/bureau/holidays?year=${year}`));
	const table = pagedTable({
		caption: t('bureau.year') + ' ' + year,
		columns: [
			{ label: t('bureau.day'), render: (x) => date(x.day) },
			{ label: t('bureau.name'), key: 'name' },
			{ label: t('bureau.is_workday'), render: (x) => (x.is_workday ? t('bureau.workday') : t('bureau.holiday')) },
		],
		load: lister('/holidays', { year, limit: 100 }),
	});
	const form = simpleForm({
		submitLabel: t('bureau.h.add'),
		fields: [
			{ name: 'day', label: t('bureau.day'), type: 'date', required: true },
			{ name: 'name', label: t('bureau.name'), required: true, attrs: { maxlength: 50 } },
			{ name: 'is_workday', label: t('bureau.is_workday'), type: 'checkbox' },
		],
		submit: async (v) => {
			await api('POST', '/holidays', { body: { day: v.day, name: v.name, is_workday: v.is_workday } });
			toast(t('bureau.h.saved'));
			navigate(`#/bureau/holidays?year=${v.day.slice(0, 4)}`);
		},
	});
	main.append(card(t('bureau.h.add'), form), card(null, table));
	await table.ready;
}

export const routes = [
	{ path: '/bureau/whitelist', roles: ['bureau'], nav: { zh: '白名单审核', en: 'Whitelist' }, render: renderWhitelist },
	{ path: '/bureau/import', roles: ['bureau'], nav: { zh: '信用信息导入', en: 'Import' }, render: renderImport },
	{ path: '/bureau/models', roles: ['bureau'], nav: { zh: '评分模型', en: 'Models' }, render: renderModels },
	...moneyRoutes,
	...statsRoutes,
	{ path: '/bureau/holidays', roles: ['bureau'], nav: { zh: '节假日', en: 'Holidays' }, render: renderHolidays },
];
