// The administrator's pages (user accounts: create, list, lock, unlock;
// institutions: create, list) and the auditor's audit-log search.

import { api, apiAll, lister } from '../api.js';
import { datetime } from '../format.js';
import { register, t } from '../i18n.js';
import { label, options, tone } from '../labels.js';
import { badge, confirmDialog, errorText, formField, formValues, h, pagedTable, replace, showServerError, toast,
	validateForm } from '../ui.js';
import { checkPassword, checkUsername, messages } from '../validate.js';

register(messages);
register({
	zh: {
		'admin.users.title': '用户管理', 'admin.users.create': '新建用户', 'admin.users.lead': '为银行、园区、区财政局、审计员和管理员开设账户；企业账户由企业自行注册。',
		'admin.f.username': '用户名', 'admin.f.password': '初始密码', 'admin.f.pw_hint': '至少 12 个字符，包含至少 3 类字符；请通过安全渠道告知本人',
		'admin.f.role': '角色', 'admin.f.org': '所属机构或园区', 'admin.f.org_hint': '银行账户选择机构，园区账户选择园区；其他角色不需要',
		'admin.f.org_needed': '此角色需要选择所属机构或园区', 'admin.f.choose': '请选择', 'admin.f.submit': '创建用户',
		'admin.users.created': '已创建用户 {name}', 'admin.users.list': '全部用户', 'admin.users.org': '机构',
		'admin.users.status': '状态', 'admin.users.last': '最近登录', 'admin.users.created_at': '创建时间', 'admin.users.action': '操作',
		'admin.users.lock': '锁定', 'admin.users.unlock': '解锁', 'admin.users.lock_confirm': '锁定用户 {name}？其所有登录会话立即失效。',
		'admin.users.search': '查找用户', 'admin.users.q': '用户名或机构名称', 'admin.users.any': '全部', 'admin.users.find': '查找',
		'admin.users.found': '找到 {n} 个用户', 'admin.users.found_more': '已显示前 {n} 个用户，可翻页查看更多',
		'admin.users.unlock_confirm': '解锁用户 {name}？', 'admin.users.locked': '已锁定 {name}', 'admin.users.unlocked': '已解锁 {name}',
		'admin.inst.title': '金融机构', 'admin.inst.create': '新增机构', 'admin.inst.name': '机构名称', 'admin.inst.kind': '机构类型',
		'admin.inst.submit': '新增机构', 'admin.inst.created': '已新增机构 {name}', 'admin.inst.list': '全部机构',
		'audit.title': '审计日志', 'audit.lead': '记录每一次登录、每一项变更和每一次对企业信用详情的查阅；日志只读，保留至少 180 天。',
		'audit.f.actor': '操作人 ID', 'audit.f.action': '操作', 'audit.f.action_hint': '例如 auth.login、enterprise.credit_read',
		'audit.f.target_type': '对象类型', 'audit.f.target_id': '对象 ID', 'audit.f.from': '起始日期', 'audit.f.to': '截止日期（不含）',
		'audit.f.search': '查询', 'audit.f.bad_id': '请输入正整数', 'audit.f.bad_range': '截止日期须晚于起始日期',
		'audit.at': '时间', 'audit.actor': '操作人', 'audit.role': '角色', 'audit.action': '操作', 'audit.target': '对象',
		'audit.ip': '来源 IP', 'audit.status': '结果', 'audit.found': '查询完成',
	},
	en: {
		'admin.users.title': 'Users', 'admin.users.create': 'New user', 'admin.users.lead': 'Accounts for banks, parks, the finance bureau, auditors and administrators; enterprises register themselves.',
		'admin.f.username': 'Username', 'admin.f.password': 'Initial password', 'admin.f.pw_hint': '12+ characters with 3 kinds; hand it over through a safe channel',
		'admin.f.role': 'Role', 'admin.f.org': 'Institution or park', 'admin.f.org_hint': 'A bank user needs an institution, a park user a park; other roles none',
		'admin.f.org_needed': 'This role needs an institution or park', 'admin.f.choose': 'Choose', 'admin.f.submit': 'Create user',
		'admin.users.created': 'User {name} created', 'admin.users.list': 'All users', 'admin.users.org': 'Organisation',
		'admin.users.status': 'Status', 'admin.users.last': 'Last login', 'admin.users.created_at': 'Created', 'admin.users.action': 'Action',
		'admin.users.lock': 'Lock', 'admin.users.unlock': 'Unlock', 'admin.users.lock_confirm': 'Lock {name}? Every session of the user ends at once.',
		'admin.users.search': 'Find users', 'admin.users.q': 'Username or organisation', 'admin.users.any': 'Any', 'admin.users.find': 'Find',
		'admin.users.found': '{n} users found', 'admin.users.found_more': 'The first {n} users are shown; page on for more',
		'admin.users.unlock_confirm': 'Unlock {name}?', 'admin.users.locked': '{name} is locked', 'admin.users.unlocked': '{name} is unlocked',
		'admin.inst.title': 'Institutions', 'admin.inst.create': 'New institution', 'admin.inst.name': 'Name', 'admin.inst.kind': 'Kind',
		'admin.inst.submit': 'Add institution', 'admin.inst.created': 'Institution {name} added', 'admin.inst.list': 'All institutions',
		'audit.title': 'Audit log', 'audit.lead': 'Every login, every change and every read of an enterprise\'s credit detail; read-only, kept at least 180 days.',
		'audit.f.actor': 'Actor id', 'audit.f.action': 'Action', 'audit.f.action_hint': 'e.g. auth.login, enterprise.credit_read',
		'audit.f.target_type': 'Target type', 'audit.f.target_id': 'Target id', 'audit.f.from': 'From', 'audit.f.to': 'To (exclusive)',
		'audit.f.search': 'Search', 'audit.f.bad_id': 'Enter a positive whole number', 'audit.f.bad_range': 'The end must be after the start',
		'audit.at': 'When', 'audit.actor': 'Actor', 'audit.role': 'Role', 'audit.action': 'Action', 'audit.target': 'Target',
		'audit.ip': 'From IP', 'audit.status': 'Result', 'audit.found': 'Search done',
	},
});

const STAFF_ROLES = ['bank', 'park', 'bureau', 'auditor', 'admin'];

function userForm(insts, parks, onCreated) {
	const role = formField({ name: 'role', label: t('admin.f.role'), type: 'select', required: true,
		options: [{ value: '', label: t('admin.f.choose') }, ...STAFF_ROLES.map((r) => ({ value: r, label: label('role', r) }))] });
	const orgOptions = (r) => [{ value: '', label: t('admin.f.choose') },
		...(r === 'bank' ? insts.map((i) => ({ value: i.id, label: i.name })) : r === 'park' ? parks.map((p) => ({ value: p.id, label: p.name })) : [])];
	const org = formField({ name: 'org_id', label: t('admin.f.org'), type: 'select', hint: t('admin.f.org_hint'), options: orgOptions(''),
		validate: () => '' });
	const needsOrg = () => ['bank', 'park'].includes(role.getValue());
	org.check = ((orig) => () => {
		if (needsOrg() && !org.getValue()) { org.setError(t('admin.f.org_needed')); return false; }
		return orig();
	})(org.check);
	role.control.addEventListener('change', () => {
		org.control.replaceChildren(...orgOptions(role.getValue()).map((o) => h('option', { value: o.value }, o.label)));
		org.control.disabled = !needsOrg();
		org.setError('');
	});
	org.control.disabled = true;
	const form = h('form', { class: 'form', novalidate: true }, h('div', { class: 'form-grid' },
		formField({ name: 'username', label: t('admin.f.username'), required: true, autocomplete: 'off', validate: (v) => (checkUsername(v) ? t(checkUsername(v)) : '') }),
		formField({ name: 'password', label: t('admin.f.password'), type: 'password', required: true, autocomplete: 'new-password',
			hint: t('admin.f.pw_hint'), validate: (v) => (checkPassword(v) ? t(checkPassword(v)) : '') }),
		role, org), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('admin.f.submit'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const v = formValues(form);
		const body = { username: v.username, password: v.password, role: v.role };
		if (needsOrg()) body.org_id = Number(v.org_id);
		try {
			const u = (await api('POST', '/users', { body })).json;
			toast(t('admin.users.created', { name: u.username }));
			form.reset();
			org.control.disabled = true;
			await onCreated();
		} catch (e) {
			showServerError(form, e);
		}
	});
	return form;
}

function lockButton(u, reload) {
	const locking = u.status !== 'locked';
	const verb = locking ? 'lock' : 'unlock';
	return h('button', { type: 'button', class: `btn small ${locking ? 'secondary' : ''}`, 'aria-label': `${t(`admin.users.${verb}`)} ${u.username}`,
		onclick: async () => {
			if (!await confirmDialog(t(`admin.users.${verb}_confirm`, { name: u.username }), { ok: t(`admin.users.${verb}`) })) return;
			try {
				await api('POST', `/users/${u.id}/${verb}`);
				toast(t(`admin.users.${locking ? 'locked' : 'unlocked'}`, { name: u.username }));
				await reload();
			} catch (e) {
				toast(errorText(e), 'bad');
			}
		} }, t(`admin.users.${verb}`));
}

/** Search by part of the username or the organisation's name, role and lock state. */
function userFilters(onSearch) {
	const any = { value: '', label: t('admin.users.any') };
	const form = h('form', { class: 'form', novalidate: true, role: 'search' }, h('div', { class: 'form-grid' },
		formField({ name: 'q', label: t('admin.users.q'), type: 'search', attrs: { maxlength: 64 } }),
		formField({ name: 'role', label: t('admin.f.role'), type: 'select',
			options: [any, ...['sme', ...STAFF_ROLES].map((r) => ({ value: r, label: label('role', r) }))] }),
		formField({ name: 'locked', label: t('admin.users.status'), type: 'select',
			options: [any, { value: 'false', label: label('user_status', 'active') }, { value: 'true', label: label('user_status', 'locked') }] })),
	h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('admin.users.find'))));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const v = formValues(form);
		onSearch(Object.fromEntries(Object.entries({ q: v.q.trim(), role: v.role, locked: v.locked }).filter(([, x]) => x)), form);
	});
	return form;
}

async function renderUsers(main) {
	const [insts, parks] = await Promise.all([apiAll('/institutions'), api('GET', '/parks').then((r) => r.json.items)]);
	let filters = {};
	let search = null;
	const table = pagedTable({
		caption: t('admin.users.list'),
		columns: [
			{ label: 'ID', key: 'id' },
			{ label: t('admin.f.username'), key: 'username' },
			{ label: t('admin.f.role'), render: (u) => label('role', u.role) },
			{ label: t('admin.users.org'), render: (u) => u.org_name || '—' },
			{ label: t('admin.users.status'), render: (u) => badge(label('user_status', u.status), tone(u.status)) },
			{ label: t('admin.users.last'), render: (u) => (u.last_login_at ? datetime(u.last_login_at) : '—') },
			{ label: t('admin.users.action'), render: (u) => lockButton(u, () => table.reload()) },
		],
		load: (cursor) => api('GET', '/users', { query: { ...filters, limit: 100, cursor } }).then((r) => r.json)
			.catch((e) => { if (search) showServerError(search, e); throw e; }),
	});
	search = userFilters(async (values) => {
		filters = values;
		const page = await table.reload();
		const n = page?.items?.length ?? 0;
		toast(t(page?.next_cursor ? 'admin.users.found_more' : 'admin.users.found', { n }));
	});
	replace(main, h('h1', null, t('admin.users.title')), h('p', { class: 'muted' }, t('admin.users.lead')),
		h('section', { class: 'card' }, h('h2', null, t('admin.users.create')), userForm(insts, parks, () => table.reload())),
		h('section', { class: 'card' }, h('h2', null, t('admin.users.search')), search), table);
	await table.ready;
}

async function renderInstitutions(main) {
	const table = pagedTable({
		caption: t('admin.inst.list'),
		columns: [
			{ label: 'ID', key: 'id' },
			{ label: t('admin.inst.name'), key: 'name' },
			{ label: t('admin.inst.kind'), render: (i) => label('inst_kind', i.kind) },
			{ label: t('admin.users.created_at'), render: (i) => datetime(i.created_at) },
		],
		load: lister('/institutions', { limit: 50 }),
	});
	const form = h('form', { class: 'form', novalidate: true }, h('div', { class: 'form-grid' },
		formField({ name: 'name', label: t('admin.inst.name'), required: true, attrs: { maxlength: 200 } }),
		formField({ name: 'kind', label: t('admin.inst.kind'), type: 'select', required: true, options: options('inst_kind') })),
	h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('admin.inst.submit'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		try {
			const i = (await api('POST', '/institutions', { body: formValues(form) })).json;
			toast(t('admin.inst.created', { name: i.name }));
			form.reset();
			await table.reload();
		} catch (e) {
			showServerError(form, e);
		}
	});
	replace(main, h('h1', null, t('admin.inst.title')),
		h('section', { class: 'card' }, h('h2', null, t('admin.inst.create')), form), table);
	await table.ready;
}

function auditFilters(onSearch) {
	const idCheck = (v) => (/^[1-9]\d{0,17}$/.test(v) ? '' : t('audit.f.bad_id'));
	const from = formField({ name: 'from', label: t('audit.f.from'), type: 'date' });
	const to = formField({ name: 'to', label: t('audit.f.to'), type: 'date',
		validate: (v) => (from.getValue() && v <= from.getValue() ? t('audit.f.bad_range') : '') });
	const form = h('form', { class: 'form', novalidate: true, role: 'search' }, h('div', { class: 'form-grid' },
		formField({ name: 'actor_id', label: t('audit.f.actor'), inputmode: 'numeric', validate: idCheck }),
		formField({ name: 'action', label: t('audit.f.action'), hint: t('audit.f.action_hint'), attrs: { maxlength: 64 } }),
		formField({ name: 'target_type', label: t('audit.f.target_type'), attrs: { maxlength: 64 } }),
		formField({ name: 'target_id', label: t('audit.f.target_id'), attrs: { maxlength: 64 } }), from, to),
	h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('audit.f.search'))));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		if (validateForm(form)) onSearch(formValues(form), form);
	});
	return form;
}

async function renderAudit(main) {
	let filters = {};
	let form = null;
	const table = pagedTable({
		caption: t('audit.title'),
		columns: [
			{ label: t('audit.at'), render: (a) => datetime(a.at) },
			{ label: t('audit.actor'), render: (a) => (a.actor_id === null ? '—' : `#${a.actor_id}`) },
			{ label: t('audit.role'), render: (a) => label('role', a.role) },
			{ label: t('audit.action'), render: (a) => h('code', null, a.action) },
			{ label: t('audit.target'), render: (a) => (a.target_type ? `${a.target_type} ${a.target_id ?? ''}` : '—') },
			{ label: t('audit.ip'), key: 'ip' },
			{ label: t('audit.status'), render: (a) => badge(String(a.status), a.status < 300 ? 'ok' : a.status < 500 ? 'warn' : 'bad'), num: true },
		],
		load: (cursor) => api('GET', '/audit', { query: { ...filters, limit: 50, cursor } }).then((r) => r.json)
			.catch((e) => { if (form) showServerError(form, e); throw e; }),
	});
	form = auditFilters(async (values) => {
		filters = values;
		await table.reload();
		toast(t('audit.found'));
	});
	replace(main, h('h1', null, t('audit.title')), h('p', { class: 'muted' }, t('audit.lead')),
		h('section', { class: 'card' }, form), table);
	await table.ready;
}

export const routes = [
	{ path: '/admin/users', roles: ['admin'], nav: { zh: '用户管理', en: 'Users' }, order: 1, render: renderUsers },
	{ path: '/admin/institutions', roles: ['admin'], nav: { zh: '金融机构', en: 'Institutions' }, order: 2, render: renderInstitutions },
	{ path: '/audit', roles: ['auditor'], nav: { zh: '审计日志', en: 'Audit log' }, order: 1, render: renderAudit },
];
