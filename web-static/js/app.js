// The shell: a hash router over the routes every page module exports
// (pages/index.js), the header with the service's name, the role's navigation,
// login and logout, and the language switch that re-renders the current page.
// A page module's route: {path: '/bank/products/:id', roles: ['bank'] (absent
// = public), nav: {zh, en} (shown in the menu of those roles), order: n (menu
// position, default 100), navAlways: true (a public page also in the menus of
// logged-in users), render: async (main, params, query, session) => {…}} where
// params are the path's :names, query the hash's URLSearchParams and session
// {user, role, org, orgName} or null.

import { ApiError, login, logout, session, setLoginPrompt } from './api.js';
import { langTag, lang, pick, register, setLang, t } from './i18n.js';
import { errorText, formField, h, navigate, replace, showServerError, toast, validateForm } from './ui.js';
import * as pages from './pages/index.js';

register({
	zh: {
		'app.name': '奉贤区信易贷', 'app.tagline': '中小微企业融资信用服务平台', 'app.login': '登录', 'app.logout': '退出',
		'app.register': '企业注册', 'app.switch': 'English', 'app.switch_label': 'Switch to English',
		'app.menu': '菜单', 'app.nav': '主导航', 'app.username': '用户名', 'app.password': '密码',
		'app.login_title': '登录', 'app.login_again': '登录已过期，请重新登录，您填写的内容会保留',
		'app.not_found': '找不到这个页面', 'app.forbidden': '您的账户无权访问此页面', 'app.home': '返回首页',
		'app.error': '页面加载失败：{msg}', 'app.logged_out': '已安全退出', 'app.welcome': '欢迎，{name}',
		'app.skip': '跳到正文', 'app.footer': '奉贤区财政局 · 区社会信用体系建设联席会议办公室 指导',
		'app.role.sme': '企业', 'app.role.bank': '金融机构', 'app.role.park': '园区', 'app.role.bureau': '区财政局',
		'app.role.admin': '系统管理员', 'app.role.auditor': '安全审计员', 'app.no_account': '还没有账户？企业可以',
	},
	en: {
		'app.name': 'Fengxian Credit Easy Loan', 'app.tagline': 'Credit-based financing for small enterprises',
		'app.login': 'Log in', 'app.logout': 'Log out', 'app.register': 'Register an enterprise', 'app.switch': '中文',
		'app.switch_label': '切换到中文', 'app.menu': 'Menu', 'app.nav': 'Main navigation', 'app.username': 'Username',
		'app.password': 'Password', 'app.login_title': 'Log in',
		'app.login_again': 'Your session has expired. Log in again; what you typed is kept.',
		'app.not_found': 'This page does not exist', 'app.forbidden': 'Your account may not open this page',
		'app.home': 'Back to the home page', 'app.error': 'The page could not be loaded: {msg}',
		'app.logged_out': 'You have logged out', 'app.welcome': 'Welcome, {name}', 'app.skip': 'Skip to content',
		'app.footer': 'Guided by the Fengxian District Finance Bureau and the district social credit office',
		'app.role.sme': 'Enterprise', 'app.role.bank': 'Institution', 'app.role.park': 'Park', 'app.role.bureau': 'Finance bureau',
		'app.role.admin': 'Administrator', 'app.role.auditor': 'Auditor', 'app.no_account': 'No account yet? Enterprises can',
	},
});

const shellRoutes = [
	{ path: '/login', render: renderLogin },
];
const routes = [...shellRoutes, ...Object.values(pages).flat()].map((r) => ({ ...r, re: pathRegex(r.path) }));

function pathRegex(path) {
	const names = [];
	const src = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (m, n) => {
		names.push(n);
		return '([^/]+)';
	});
	return { rx: new RegExp(`^${src}/?$`), names };
}

/** The current hash as {path, query}: '#/products?kind=credit'. */
function currentLocation() {
	const raw = location.hash.replace(/^#/, '') || '/';
	const [path, qs] = raw.split('?');
	return { path: path || '/', query: new URLSearchParams(qs || '') };
}

function findRoute(path) {
	for (const r of routes) {
		const m = r.re.rx.exec(path);
		if (m) {
			const params = {};
			r.re.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
			return { route: r, params };
		}
	}
	return null;
}

/** The first page in the menu of role: where a login of that role lands. */
function homeOf(role) {
	const r = routes.filter((x) => x.nav && x.roles && x.roles.includes(role))
		.sort((a, b) => (a.order ?? 100) - (b.order ?? 100))[0];
	return r ? `#${r.path}` : '#/';
}

const main = () => document.getElementById('main');
let renderSeq = 0;

async function render() {
	const seq = ++renderSeq;
	const { path, query } = currentLocation();
	const found = findRoute(path);
	const s = await session().catch(() => null);
	if (seq !== renderSeq) return;
	renderHeader(s);
	const el = main();
	el.setAttribute('aria-busy', 'true');
	try {
		if (!found) return void replace(el, message(t('app.not_found')));
		const { route, params } = found;
		if (route.roles && !s) return void navigate(`#/login?next=${encodeURIComponent(location.hash)}`);
		if (route.roles && !route.roles.includes(s.role)) return void replace(el, message(t('app.forbidden')));
		replace(el);
		await route.render(el, params, query, s);
	} catch (e) {
		if (seq !== renderSeq) return;
		const msg = e instanceof ApiError && e.status === 404 ? t('app.not_found') : t('app.error', { msg: errorText(e) });
		replace(el, message(msg));
	} finally {
		if (seq === renderSeq) {
			el.removeAttribute('aria-busy');
			const h1 = el.querySelector('h1');
			if (h1) {
				h1.tabIndex = -1;
				document.title = `${h1.textContent} · ${t('app.name')}`;
				// After a navigation, a screen reader starts at the new page's heading.
				if (seq > 1 && !document.querySelector('dialog[open]')) h1.focus();
			}
		}
	}
}

function message(text) {
	return h('section', { class: 'card notice' }, h('h1', null, text), h('p', null, h('a', { href: '#/' }, t('app.home'))));
}

function renderHeader(s) {
	const header = document.getElementById('header');
	const { path } = currentLocation();
	// Logged in, the menu is the role's own pages (plus public ones marked navAlways).
	const navItems = routes.filter((r) => r.nav && (s ? (r.roles ? r.roles.includes(s.role) : r.navAlways) : !r.roles))
		.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
	const nav = h('nav', { class: 'nav', 'aria-label': t('app.nav') },
		h('ul', null, navItems.map((r) => h('li', null,
			h('a', { href: `#${r.path}`, 'aria-current': r.path === path ? 'page' : null }, pick(r.nav))))));
	const langBtn = h('button', { type: 'button', class: 'btn ghost lang', lang: lang() === 'zh' ? 'en' : 'zh-CN',
		'aria-label': t('app.switch_label'), onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh') }, t('app.switch'));
	const account = s
		? h('div', { class: 'account' },
			h('span', { class: 'who' }, `${s.user.username} · ${t(`app.role.${s.role}`)}`, s.orgName ? ` · ${s.orgName}` : ''),
			h('button', { type: 'button', class: 'btn ghost', onclick: doLogout }, t('app.logout')))
		: h('div', { class: 'account' }, h('a', { class: 'btn ghost', href: '#/login' }, t('app.login')),
			h('a', { class: 'btn ghost', href: '#/register' }, t('app.register')));
	const toggle = h('button', { type: 'button', class: 'btn ghost menu-toggle', 'aria-expanded': 'false',
		onclick: (ev) => {
			const open = header.classList.toggle('open');
			ev.currentTarget.setAttribute('aria-expanded', String(open));
		} }, t('app.menu'));
	header.classList.remove('open');
	replace(header,
		h('div', { class: 'bar' },
			h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '信'),
				h('span', null, h('strong', null, t('app.name')), h('small', null, t('app.tagline')))),
			h('div', { class: 'tools' }, langBtn, toggle)),
		h('div', { class: 'menu' }, nav, account));
	document.getElementById('footer').textContent = t('app.footer');
	document.querySelector('.skip').textContent = t('app.skip');
}

async function doLogout() {
	await logout();
	toast(t('app.logged_out'));
	navigate('#/');
}

function loginForm(onDone) {
	const user = formField({ name: 'username', label: t('app.username'), required: true, autocomplete: 'username' });
	const pass = formField({ name: 'password', label: t('app.password'), type: 'password', required: true,
		autocomplete: 'current-password' });
	const form = h('form', { class: 'form', novalidate: true }, user, pass,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('app.login'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const btn = form.querySelector('button[type=submit]');
		btn.disabled = true;
		try {
			const s = await login(user.getValue(), pass.getValue());
			await onDone(s);
		} catch (e) {
			showServerError(form, e);
		} finally {
			btn.disabled = false;
		}
	});
	return form;
}

async function renderLogin(el, params, query) {
	const next = query.get('next');
	replace(el, h('section', { class: 'card narrow' }, h('h1', null, t('app.login_title')),
		loginForm((s) => navigate(next && next.startsWith('#/') && !next.startsWith('#/login') ? next : homeOf(s.role))),
		h('p', null, `${t('app.no_account')} `, h('a', { href: '#/register' }, t('app.register')))));
}

// The login dialog over the current page, used when a session ends under a
// page the user is filling in: the page and its inputs stay in the DOM.
let dialogOpen = null;
function promptLogin() {
	if (dialogOpen) return dialogOpen;
	dialogOpen = new Promise((resolve, reject) => {
		let done = false;
		const dlg = h('dialog', { class: 'dialog login-dialog', 'aria-labelledby': 'login-dialog-title' },
			h('h2', { id: 'login-dialog-title' }, t('app.login_title')), h('p', null, t('app.login_again')));
		dlg.appendChild(loginForm(() => {
			done = true;
			dlg.close();
		}));
		dlg.appendChild(h('button', { type: 'button', class: 'btn ghost', onclick: () => dlg.close() }, t('ui.close')));
		dlg.addEventListener('close', () => {
			dlg.remove();
			dialogOpen = null;
			if (done) {
				renderHeader(null);
				session().then(renderHeader, () => {});
				resolve();
			} else {
				reject(new ApiError(401, 'unauthenticated', t('app.login_again')));
			}
		});
		document.body.appendChild(dlg);
		dlg.showModal();
	});
	return dialogOpen;
}

function start() {
	document.documentElement.lang = langTag();
	setLoginPrompt(promptLogin);
	window.addEventListener('hashchange', () => { if (!location.hash || location.hash.startsWith('#/')) render(); });
	document.querySelector('.skip').addEventListener('click', (ev) => {
		ev.preventDefault();	// '#main' is not a route: move the focus instead
		main().focus();
	});
	window.addEventListener('xyd:lang', render);
	render();
}

start();
