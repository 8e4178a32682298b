// The enterprise's own pages: registration (with live USCC and ID-number
// checks), the overview, the profile (view and change), the whitelist
// application, loans and notifications. The credit score and consent pages are
// in sme_credit.js, the financing demand, matches and applications in
// sme_apply.js.

import { api, lister, referenceData, register as registerAccount } from '../api.js';
import { date, datetime, fenToYuanInput, maskNotice, months, parseYuanToFen, pct, today, yuan } from '../format.js';
import { register, t } from '../i18n.js';
import { label, options, refName, tone } from '../labels.js';
import { badge, errorText, formField, formValues, h, navigate, pagedTable, replace, showServerError,
	toast, validateForm } from '../ui.js';
import { checkIdNo, checkPassword, checkPhone, checkUscc, checkUsername, messages } from '../validate.js';

register(messages);
register({
	zh: {
		'sme.nav.home': '企业首页', 'sme.nav.profile': '企业信息', 'sme.nav.whitelist': '白名单', 'sme.nav.loans': '我的贷款',
		'sme.nav.notes': '消息通知',
		'sme.reg.title': '企业注册', 'sme.reg.lead': '用统一社会信用代码注册企业账户。带 * 的为必填项；信息会在您输入时检查。',
		'sme.reg.account': '登录账户', 'sme.reg.company': '企业信息', 'sme.reg.username': '用户名', 'sme.reg.password': '密码',
		'sme.reg.password2': '再次输入密码', 'sme.reg.mismatch': '两次输入的密码不一致', 'sme.reg.pw_hint': '至少 12 个字符，包含小写字母、大写字母、数字、符号中的至少 3 类',
		'sme.reg.submit': '注册并登录', 'sme.reg.done': '注册成功，欢迎使用信易贷',
		'sme.reg.done_park': '注册成功。迁入{park}的申请待园区确认，确认前企业不属于任何园区', 'sme.reg.have': '已有账户？',
		'sme.f.uscc': '统一社会信用代码', 'sme.f.uscc_hint': '18 位，见营业执照', 'sme.f.name': '企业名称',
		'sme.f.legal_rep_name': '法定代表人姓名', 'sme.f.legal_rep_id_no': '法定代表人身份证号', 'sme.f.phone': '联系电话',
		'sme.f.industry': '行业门类', 'sme.f.division': '行业大类代码（两位，可不填）', 'sme.f.town': '所在街镇', 'sme.f.park': '所在园区',
		'sme.f.no_park': '不在园区', 'sme.f.capital': '注册资本（元）', 'sme.f.founded_on': '成立日期', 'sme.f.employees': '从业人数',
		'sme.f.revenue': '上年营业收入（元）', 'sme.f.bad_amount': '请输入金额，最多两位小数', 'sme.f.bad_int': '请输入非负整数',
		'sme.f.future': '日期不能晚于今天', 'sme.f.bad_division': '{code} 门类的大类代码为 {min}–{max}', 'sme.f.choose': '请选择',
		'sme.home.title': '企业首页', 'sme.home.grade': '信用等级', 'sme.home.score': '信用分 {score}（模型 {v}）',
		'sme.home.no_score': '尚未评分', 'sme.home.whitelist': '白名单', 'sme.home.valid_until': '有效期至 {d}',
		'sme.home.next': '下一步', 'sme.home.go_credit': '查看评分明细', 'sme.home.go_whitelist': '申请进入白名单',
		'sme.home.go_demand': '提交融资需求', 'sme.home.go_apps': '查看我的申请', 'sme.home.unread': '{n} 条未读通知',
		'sme.home.dishonest': '存在未修复的失信被执行人记录，暂不能进入白名单', 'sme.home.size': '企业规模',
		'sme.profile.title': '企业信息', 'sme.profile.edit': '修改企业信息', 'sme.profile.save': '保存修改',
		'sme.profile.saved': '企业信息已保存', 'sme.profile.nochange': '没有需要保存的修改', 'sme.profile.tags': '资质标签',
		'sme.profile.fixed': '统一社会信用代码、名称和法定代表人信息不能在此修改', 'sme.profile.created': '注册时间',
		'sme.profile.park_change': '迁入{park}：待园区确认（{at} 申请）',
		'sme.profile.park_asked': '迁入申请已提交，待{park}确认；确认前企业仍属原园区',
		'sme.wl.title': '融资需求企业白名单', 'sme.wl.lead': '进入白名单的企业会被合作银行优先看到。白名单由园区、街镇或企业自己申请，区财政局审核，有效期一般为一年。信用等级须为 C 及以上，且无失信被执行人记录。',
		'sme.wl.apply': '申请进入白名单', 'sme.wl.reason': '申请理由', 'sme.wl.reason_hint': '例如：融资用途、经营情况',
		'sme.wl.submit': '提交申请', 'sme.wl.done': '白名单申请已提交，等待区财政局审核', 'sme.wl.history': '申请记录',
		'sme.wl.status': '状态', 'sme.wl.by': '申请方', 'sme.wl.created': '申请时间', 'sme.wl.valid': '有效期至',
		'sme.wl.decision': '审核意见', 'sme.wl.open': '您已有一条待审核或有效的白名单记录',
		'sme.loans.title': '我的贷款', 'sme.loans.inst': '贷款机构', 'sme.loans.principal': '本金', 'sme.loans.outstanding': '未还本金',
		'sme.loans.rate': '年利率', 'sme.loans.term': '期限', 'sme.loans.dates': '放款 / 到期', 'sme.loans.status': '状态',
		'sme.loans.empty': '还没有贷款记录',
		'sme.notes.title': '消息通知', 'sme.notes.when': '时间', 'sme.notes.what': '内容', 'sme.notes.read': '标为已读',
		'sme.notes.is_read': '已读', 'sme.notes.done': '已标为已读', 'sme.notes.open': '查看',
	},
	en: {
		'sme.nav.home': 'My enterprise', 'sme.nav.profile': 'Profile', 'sme.nav.whitelist': 'Whitelist', 'sme.nav.loans': 'My loans',
		'sme.nav.notes': 'Notifications',
		'sme.reg.title': 'Register an enterprise', 'sme.reg.lead': 'Register with your unified social credit code. Fields marked * are required; each is checked as you type.',
		'sme.reg.account': 'Login account', 'sme.reg.company': 'Enterprise', 'sme.reg.username': 'Username', 'sme.reg.password': 'Password',
		'sme.reg.password2': 'Password again', 'sme.reg.mismatch': 'The two passwords differ',
		'sme.reg.pw_hint': 'At least 12 characters, with 3 of: lower case, upper case, digits, symbols',
		'sme.reg.submit': 'Register and log in', 'sme.reg.done': 'Registered. Welcome to Credit Easy Loan',
		'sme.reg.done_park': 'Registered. {park} must confirm the enterprise; until then it is in no park', 'sme.reg.have': 'Have an account?',
		'sme.f.uscc': 'Unified social credit code', 'sme.f.uscc_hint': '18 characters, on the business licence', 'sme.f.name': 'Enterprise name',
		'sme.f.legal_rep_name': 'Legal representative', 'sme.f.legal_rep_id_no': 'Legal representative\'s ID number', 'sme.f.phone': 'Phone',
		'sme.f.industry': 'Industry section', 'sme.f.division': 'Industry division (two digits, optional)', 'sme.f.town': 'Town',
		'sme.f.park': 'Park', 'sme.f.no_park': 'Not in a park', 'sme.f.capital': 'Registered capital (yuan)', 'sme.f.founded_on': 'Founded on',
		'sme.f.employees': 'Employees', 'sme.f.revenue': 'Last year\'s revenue (yuan)', 'sme.f.bad_amount': 'Enter an amount with at most two decimals',
		'sme.f.bad_int': 'Enter a whole number', 'sme.f.future': 'The date cannot be after today',
		'sme.f.bad_division': 'Divisions of section {code} are {min}–{max}', 'sme.f.choose': 'Choose',
		'sme.home.title': 'My enterprise', 'sme.home.grade': 'Credit grade', 'sme.home.score': 'Score {score} (model {v})',
		'sme.home.no_score': 'Not scored yet', 'sme.home.whitelist': 'Whitelist', 'sme.home.valid_until': 'valid until {d}',
		'sme.home.next': 'Next steps', 'sme.home.go_credit': 'See the score in detail', 'sme.home.go_whitelist': 'Apply for the whitelist',
		'sme.home.go_demand': 'File a financing demand', 'sme.home.go_apps': 'My applications', 'sme.home.unread': '{n} unread notifications',
		'sme.home.dishonest': 'An unrepaired dishonest-debtor record keeps the enterprise off the whitelist', 'sme.home.size': 'Size',
		'sme.profile.title': 'Enterprise profile', 'sme.profile.edit': 'Change the profile', 'sme.profile.save': 'Save changes',
		'sme.profile.saved': 'The profile is saved', 'sme.profile.nochange': 'Nothing to save', 'sme.profile.tags': 'Qualifications',
		'sme.profile.fixed': 'The credit code, name and legal representative cannot be changed here', 'sme.profile.created': 'Registered',
		'sme.profile.park_change': 'Moving to {park}: awaiting the park\'s confirmation (asked {at})',
		'sme.profile.park_asked': 'Request sent: {park} must confirm; until then the enterprise stays in its park',
		'sme.wl.title': 'Financing whitelist', 'sme.wl.lead': 'Partner banks see whitelisted enterprises first. A park, a town or the enterprise itself applies; the finance bureau reviews; an entry is usually valid for a year. Grade C or better and no dishonest-debtor record are required.',
		'sme.wl.apply': 'Apply for the whitelist', 'sme.wl.reason': 'Reason', 'sme.wl.reason_hint': 'e.g. what the financing is for, how the business is doing',
		'sme.wl.submit': 'Submit', 'sme.wl.done': 'Whitelist application submitted; the finance bureau will review it',
		'sme.wl.history': 'History', 'sme.wl.status': 'Status', 'sme.wl.by': 'Applied by', 'sme.wl.created': 'Applied on',
		'sme.wl.valid': 'Valid until', 'sme.wl.decision': 'Decision', 'sme.wl.open': 'You already have an entry under review or approved',
		'sme.loans.title': 'My loans', 'sme.loans.inst': 'Lender', 'sme.loans.principal': 'Principal', 'sme.loans.outstanding': 'Outstanding',
		'sme.loans.rate': 'Rate', 'sme.loans.term': 'Term', 'sme.loans.dates': 'Disbursed / due', 'sme.loans.status': 'Status',
		'sme.loans.empty': 'No loans yet',
		'sme.notes.title': 'Notifications', 'sme.notes.when': 'When', 'sme.notes.what': 'Message', 'sme.notes.read': 'Mark as read',
		'sme.notes.is_read': 'Read', 'sme.notes.done': 'Marked as read', 'sme.notes.open': 'Open',
	},
});

const msg = (key) => (key ? t(key) : '');
const amountCheck = (v) => (parseYuanToFen(v) === null ? t('sme.f.bad_amount') : '');
const intCheck = (v) => (/^\d{1,9}$/.test(v) ? '' : t('sme.f.bad_int'));

function industryFields(r, value) {
	const section = value ? value[0] : '';
	const sectionField = formField({ name: 'industry_section', label: t('sme.f.industry'), type: 'select', required: true,
		options: [{ value: '', label: t('sme.f.choose') }, ...r.industries.map((i) => ({ value: i.code, label: `${i.code} ${refName(i)}` }))],
		value: section });
	const division = formField({ name: 'industry_division', label: t('sme.f.division'), inputmode: 'numeric', value: value ? value.slice(1) : '',
		validate: (v) => {
			const sec = r.industries.find((i) => i.code === sectionField.getValue());
			if (!/^\d{2}$/.test(v)) return t('sme.f.bad_int');
			if (sec && (Number(v) < sec.division_min || Number(v) > sec.division_max))
				return t('sme.f.bad_division', { code: sec.code, min: String(sec.division_min).padStart(2, '0'), max: String(sec.division_max).padStart(2, '0') });
			return '';
		} });
	sectionField.control.addEventListener('change', () => { if (division.getValue()) division.check(); });
	return [sectionField, division];
}

function placeFields(r, town, parkId) {
	return [
		formField({ name: 'town', label: t('sme.f.town'), type: 'select', required: true, value: town,
			options: [{ value: '', label: t('sme.f.choose') }, ...r.towns.map((x) => ({ value: x.code, label: refName(x) }))] }),
		formField({ name: 'park_id', label: t('sme.f.park'), type: 'select', value: parkId ?? '',
			options: [{ value: '', label: t('sme.f.no_park') }, ...r.parks.map((x) => ({ value: x.id, label: refName(x) }))] }),
	];
}

function registerFields(r) {
	const pw = formField({ name: 'password', label: t('sme.reg.password'), type: 'password', required: true,
		autocomplete: 'new-password', hint: t('sme.reg.pw_hint'), validate: (v) => msg(checkPassword(v)) });
	const pw2 = formField({ name: 'password2', label: t('sme.reg.password2'), type: 'password', required: true,
		autocomplete: 'new-password', validate: (v) => (v === pw.getValue() ? '' : t('sme.reg.mismatch')) });
	const account = [formField({ name: 'username', label: t('sme.reg.username'), required: true, autocomplete: 'username',
		validate: (v) => msg(checkUsername(v)) }), pw, pw2];
	const company = [
		formField({ name: 'uscc', label: t('sme.f.uscc'), required: true, hint: t('sme.f.uscc_hint'), attrs: { maxlength: 18 },
			validate: (v) => msg(checkUscc(v)) }),
		formField({ name: 'name', label: t('sme.f.name'), required: true, autocomplete: 'organization' }),
		formField({ name: 'legal_rep_name', label: t('sme.f.legal_rep_name'), required: true }),
		formField({ name: 'legal_rep_id_no', label: t('sme.f.legal_rep_id_no'), required: true, attrs: { maxlength: 18 },
			validate: (v) => msg(checkIdNo(v)) }),
		formField({ name: 'phone', label: t('sme.f.phone'), required: true, type: 'tel', autocomplete: 'tel', validate: (v) => msg(checkPhone(v)) }),
		...industryFields(r, ''), ...placeFields(r, '', ''),
		formField({ name: 'registered_capital_fen', label: t('sme.f.capital'), required: true, inputmode: 'decimal', validate: amountCheck }),
		formField({ name: 'founded_on', label: t('sme.f.founded_on'), type: 'date', required: true, attrs: { max: today() },
			validate: (v) => (v > today() ? t('sme.f.future') : '') }),
		formField({ name: 'employees', label: t('sme.f.employees'), required: true, inputmode: 'numeric', validate: intCheck }),
		formField({ name: 'annual_revenue_fen', label: t('sme.f.revenue'), required: true, inputmode: 'decimal', validate: amountCheck }),
	];
	return { account, company };
}

/** The enterprise body of register/patch from the form values (amounts to fen). */
function enterpriseFromForm(v) {
	const e = { ...v };
	e.industry = v.industry_section + (v.industry_division || '');
	delete e.industry_section;
	delete e.industry_division;
	for (const k of ['registered_capital_fen', 'annual_revenue_fen']) if (k in e) e[k] = parseYuanToFen(v[k]);
	if ('employees' in e) e.employees = Number(v.employees);
	if ('park_id' in e) e.park_id = v.park_id === '' ? null : Number(v.park_id);
	return e;
}

/** The server names 'industry'; the form asks for it in two fields. */
function aliasField(e) {
	if (e && e.field && /(^|\.)industry$/.test(e.field)) e.field = 'industry_section';
	return e;
}

async function renderRegister(main) {
	const r = await referenceData();
	const { account, company } = registerFields(r);
	const form = h('form', { class: 'form', novalidate: true },
		h('h2', null, t('sme.reg.account')), h('div', { class: 'form-grid' }, account),
		h('h2', null, t('sme.reg.company')), h('div', { class: 'form-grid' }, company),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('sme.reg.submit'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const v = formValues(form);
		const { username, password } = v;
		delete v.username; delete v.password; delete v.password2;
		const enterprise = enterpriseFromForm(v);
		if (enterprise.park_id === null) delete enterprise.park_id;
		form.querySelector('button[type=submit]').disabled = true;
		try {
			const made = await registerAccount({ username, password, enterprise });
			const pc = made.enterprise.park_change;	// a park named waits for the park's confirmation
			toast(pc ? t('sme.reg.done_park', { park: pc.park_name }) : t('sme.reg.done'));
			navigate('#/sme');
		} catch (e) {
			showServerError(form, aliasField(e));
		} finally {
			form.querySelector('button[type=submit]').disabled = false;
		}
	});
	replace(main, h('h1', null, t('sme.reg.title')), h('p', { class: 'muted' }, t('sme.reg.lead')),
		h('section', { class: 'card' }, form),
		h('p', null, `${t('sme.reg.have')} `, h('a', { href: '#/login' }, t('app.login'))));
}

/** GET /enterprises/{own id}. */
export function ownEnterprise(s) {
	return api('GET', `/enterprises/${s.org}`).then((r) => r.json);
}

async function renderHome(main, params, query, s) {
	const [e, unread, apps] = await Promise.all([ownEnterprise(s),
		api('GET', '/notifications', { query: { unread: 1, limit: 100 } }).then((r) => r.json.items.length),
		api('GET', '/applications', { query: { limit: 5 } }).then((r) => r.json.items)]);
	const wl = e.whitelist;
	replace(main, h('h1', null, e.name), h('p', { class: 'muted' }, `${e.uscc} · ${t('sme.home.size')}: ${label('size', e.size_class)}`),
		e.park_change ? h('p', null, t('sme.profile.park_change',
			{ park: e.park_change.park_name, at: datetime(e.park_change.requested_at) })) : null,
		h('div', { class: 'grid three' },
			h('section', { class: 'card' }, h('h2', null, t('sme.home.grade')),
				e.credit ? [h('span', { class: 'grade', 'aria-label': `${t('sme.home.grade')} ${e.credit.grade}` }, e.credit.grade),
					h('p', null, t('sme.home.score', { score: e.credit.score, v: e.credit.model_version }))]
					: h('p', null, t('sme.home.no_score')),
				e.credit && e.credit.dishonest_debtor ? h('p', { class: 'field-error' }, t('sme.home.dishonest')) : null,
				h('a', { href: '#/sme/credit' }, t('sme.home.go_credit'))),
			h('section', { class: 'card' }, h('h2', null, t('sme.home.whitelist')),
				h('p', null, badge(label('whitelist', wl ? wl.status : 'none'), tone(wl ? wl.status : '')),
					wl && wl.valid_until ? ` ${t('sme.home.valid_until', { d: date(wl.valid_until) })}` : ''),
				h('a', { href: '#/sme/whitelist' }, t('sme.home.go_whitelist'))),
			h('section', { class: 'card' }, h('h2', null, t('sme.home.next')),
				h('p', null, h('a', { class: 'btn', href: '#/sme/demand' }, t('sme.home.go_demand'))),
				h('p', null, h('a', { href: '#/sme/applications' }, t('sme.home.go_apps'))),
				h('p', null, h('a', { href: '#/sme/notifications' }, t('sme.home.unread', { n: unread >= 100 ? '99+' : unread }))))),
		apps.length ? h('section', { class: 'card' }, h('h2', null, t('sme.home.go_apps')),
			h('ul', null, apps.map((a) => h('li', null, h('a', { href: `#/sme/applications/${a.id}` },
				`${date(a.created_at)} · ${yuan(a.amount_fen)} · ${months(a.term_months)}`), ' ',
				badge(label('app_status', a.status), tone(a.status)))))) : null);
}

function profileList(e, r) {
	const row = (k, v, note) => [h('dt', null, k), h('dd', null, v ?? '—', note ? h('span', { class: 'muted' }, ` ${note}`) : null)];
	const industry = r.industries.find((i) => i.code === e.industry[0]);
	return h('dl', { class: 'kv' },
		row(t('sme.f.uscc'), e.uscc), row(t('sme.f.name'), e.name), row(t('sme.f.legal_rep_name'), e.legal_rep_name),
		row(t('sme.f.legal_rep_id_no'), e.legal_rep_id_no, maskNotice(e.legal_rep_id_no)),
		row(t('sme.f.phone'), e.phone, maskNotice(e.phone)),
		row(t('sme.f.industry'), `${e.industry} ${refName(industry)}`),
		row(t('sme.f.town'), refName(r.towns.find((x) => x.code === e.town))),
		row(t('sme.f.park'), e.park_id ? refName(r.parks.find((x) => x.id === e.park_id)) : t('sme.f.no_park'),
			e.park_change ? t('sme.profile.park_change', { park: refName(r.parks.find((x) => x.id === e.park_change.park_id)),
				at: datetime(e.park_change.requested_at) }) : null),
		row(t('sme.f.capital'), yuan(e.registered_capital_fen)), row(t('sme.f.founded_on'), date(e.founded_on)),
		row(t('sme.f.employees'), String(e.employees)), row(t('sme.f.revenue'), yuan(e.annual_revenue_fen)),
		row(t('sme.home.size'), label('size', e.size_class)),
		row(t('sme.profile.tags'), e.tags.length ? e.tags.map((x) => label('tag', x)).join('、') : '—'),
		row(t('sme.profile.created'), datetime(e.created_at)));
}

/** Only the fields that changed, as the PATCH body. */
function profileChanges(e, v) {
	const next = enterpriseFromForm(v);
	const body = {};
	for (const k of ['phone', 'employees', 'annual_revenue_fen', 'industry', 'town', 'park_id'])
		if (next[k] !== e[k]) body[k] = next[k];
	return body;
}

async function renderProfile(main, params, query, s) {
	const [e, r] = await Promise.all([ownEnterprise(s), referenceData()]);
	const view = h('section', { class: 'card' }, profileList(e, r));
	const form = h('form', { class: 'form', novalidate: true },
		h('p', { class: 'muted' }, t('sme.profile.fixed')),
		h('div', { class: 'form-grid' },
			formField({ name: 'phone', label: t('sme.f.phone'), type: 'tel', required: true, value: e.phone, validate: (v) => msg(checkPhone(v)) }),
			formField({ name: 'employees', label: t('sme.f.employees'), required: true, value: e.employees, inputmode: 'numeric', validate: intCheck }),
			formField({ name: 'annual_revenue_fen', label: t('sme.f.revenue'), required: true, value: fenToYuanInput(e.annual_revenue_fen),
				inputmode: 'decimal', validate: amountCheck }),
			...industryFields(r, e.industry), ...placeFields(r, e.town, e.park_id)),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('sme.profile.save'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const body = profileChanges(e, formValues(form));
		if (!Object.keys(body).length) return void toast(t('sme.profile.nochange'));
		try {
			const updated = (await api('PATCH', `/enterprises/${e.id}`, { body })).json;
			Object.assign(e, updated);
			replace(view, profileList(updated, r));
			// A move into another park waits for that park: the form shows the park it is in.
			form.elements.park_id.value = updated.park_id === null ? '' : String(updated.park_id);
			const asked = 'park_id' in body && updated.park_change;
			toast(asked ? t('sme.profile.park_asked', { park: refName(r.parks.find((x) => x.id === updated.park_change.park_id)) })
				: t('sme.profile.saved'));
		} catch (err) {
			showServerError(form, aliasField(err));
		}
	});
	replace(main, h('h1', null, t('sme.profile.title')), h('div', { class: 'grid two' }, view,
		h('section', { class: 'card' }, h('h2', null, t('sme.profile.edit')), form)));
}

async function renderWhitelist(main, params, query, s) {
	const table = pagedTable({
		caption: t('sme.wl.history'),
		columns: [
			{ label: t('sme.wl.status'), render: (w) => badge(label('whitelist', w.status), tone(w.status)) },
			{ label: t('sme.wl.by'), render: (w) => label('role', w.nominated_by_role) },
			{ label: t('sme.wl.reason'), key: 'reason' },
			{ label: t('sme.wl.created'), render: (w) => date(w.created_at) },
			{ label: t('sme.wl.valid'), render: (w) => (w.valid_until ? date(w.valid_until) : '—') },
			{ label: t('sme.wl.decision'), render: (w) => w.decision_reason || '—' },
		],
		load: lister('/whitelist'),
	});
	const reason = formField({ name: 'reason', label: t('sme.wl.reason'), type: 'textarea', required: true, hint: t('sme.wl.reason_hint'),
		attrs: { maxlength: 500 } });
	const form = h('form', { class: 'form', novalidate: true }, reason,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('sme.wl.submit'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		try {
			await api('POST', '/whitelist', { body: { enterprise_id: s.org, reason: reason.getValue() } });
			toast(t('sme.wl.done'));
			reason.setValue('');
			await table.reload();
		} catch (e) {
			if (e.code === 'conflict') e.message = t('sme.wl.open');
			showServerError(form, e);
		}
	});
	replace(main, h('h1', null, t('sme.wl.title')), h('p', null, t('sme.wl.lead')),
		h('section', { class: 'card' }, h('h2', null, t('sme.wl.apply')), form), table);
	await table.ready;
}

async function renderLoans(main) {
	const table = pagedTable({
		caption: t('sme.loans.title'), empty: t('sme.loans.empty'),
		columns: [
			{ label: '#', key: 'id' },
			{ label: t('sme.loans.inst'), render: (l) => l.institution_name || `#${l.institution_id}` },
			{ label: t('sme.loans.principal'), render: (l) => yuan(l.principal_fen), num: true },
			{ label: t('sme.loans.outstanding'), render: (l) => yuan(l.outstanding_fen), num: true },
			{ label: t('sme.loans.rate'), render: (l) => pct(l.rate_bps), num: true },
			{ label: t('sme.loans.term'), render: (l) => months(l.term_months) },
			{ label: t('sme.loans.dates'), render: (l) => `${date(l.disbursed_on)} / ${date(l.maturity_on)}` },
			{ label: t('sme.loans.status'), render: (l) => badge(label('loan_status', l.status), tone(l.status)) },
		],
		load: lister('/loans'),
	});
	replace(main, h('h1', null, t('sme.loans.title')), table);
	await table.ready;
}

function noteLink(n) {
	if (n.ref_type === 'application' && n.ref_id) return h('a', { href: `#/sme/applications/${n.ref_id}` }, t('sme.notes.open'));
	if (n.ref_type === 'program' && n.ref_id) return h('a', { href: `#/programs/${n.ref_id}` }, t('sme.notes.open'));
	return null;
}

async function renderNotifications(main) {
	const readButton = (n) => {
		if (n.read_at) return badge(t('sme.notes.is_read'));
		const btn = h('button', { type: 'button', class: 'btn small secondary', 'aria-label': `${t('sme.notes.read')}: ${n.title}`,
			onclick: async () => {
				try {
					await api('POST', `/notifications/${n.id}/read`);
					btn.replaceWith(badge(t('sme.notes.is_read')));
					toast(t('sme.notes.done'));
				} catch (e) {
					toast(errorText(e), 'bad');
				}
			} }, t('sme.notes.read'));
		return btn;
	};
	const table = pagedTable({
		caption: t('sme.notes.title'),
		columns: [
			{ label: t('sme.notes.when'), render: (n) => datetime(n.created_at) },
			{ label: t('sme.notes.what'), render: (n) => h('span', null, h('strong', null, n.title), ' ', n.body, ' ', noteLink(n)) },
			{ label: t('sme.notes.read'), render: readButton },
		],
		load: lister('/notifications'),
	});
	replace(main, h('h1', null, t('sme.notes.title')), table);
	await table.ready;
}

const SME = ['sme'];
export const routes = [
	{ path: '/register', render: renderRegister },
	{ path: '/sme', roles: SME, nav: { zh: '企业首页', en: 'My enterprise' }, order: 1, render: renderHome },
	{ path: '/sme/profile', roles: SME, nav: { zh: '企业信息', en: 'Profile' }, order: 2, render: renderProfile },
	{ path: '/sme/whitelist', roles: SME, nav: { zh: '白名单', en: 'Whitelist' }, order: 5, render: renderWhitelist },
	{ path: '/sme/loans', roles: SME, nav: { zh: '我的贷款', en: 'My loans' }, order: 8, render: renderLoans },
	{ path: '/sme/notifications', roles: SME, nav: { zh: '消息', en: 'Messages' }, order: 9, render: renderNotifications },
];
