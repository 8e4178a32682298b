// The role matrix: every registered route, called by every role and by an
// anonymous caller. Anonymous on a protected route is 401 unauthenticated;
// a role the route does not allow is 403 forbidden; an allowed role gets
// neither. One row per route in ROUTES; later issues add rows.
//
// A row: {method, path, roles, prepare?, after?}
//   path     may hold {id}; prepare fills it.
//   roles    'public' (anyone, no token needed), ALL (any logged-in role),
//            or a list of roles.
//   prepare  async (ctx, role) => ({body?, params?, token?}): called once per
//            caller (role is 'anonymous' for the anonymous one) to build a
//            request that would succeed for an allowed caller. token
//            replaces the role's shared token (for logout). The shared role
//            users are never locked, logged out or given a new password.
//   after    (ctx, res) => void: sees each answer (to pass state along).

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	ROLES, adminToken, api, createUser, expectError, login, registerBody, roleUser, strongPassword, uniqueName,
} from './lib.mjs';

const ALL = ROLES;
const CALLERS = ['anonymous', ...ROLES];

const ctx = {
	// A throwaway user for lock and unlock, and another to log in as (login,
	// refresh), so that locking one never disturbs the other.
	lockTarget: null,
	loginUser: null,
	async target() {
		if (!this.lockTarget) this.lockTarget = createUser('auditor');
		return this.lockTarget;
	},
	async loginAs() {
		if (!this.loginUser) this.loginUser = createUser('bureau');
		return this.loginUser;
	},
	// Callers of the refresh row pass one chain along: each presents the
	// token the previous one got back (after), so one login serves them all.
	refreshToken: null,
	async nextRefreshToken() {
		if (!this.refreshToken) {
			const t = await this.loginAs();
			this.refreshToken = (await login(t.username, t.password)).refresh_token;
		}
		const token = this.refreshToken;
		this.refreshToken = null;
		return token;
	},
	// A second session of the role's own user, for logout.
	async freshSession(role) {
		const u = await roleUser(role);
		return (await login(u.username, u.password)).token;
	},
};

const ROUTES = [
	{ method: 'GET', path: '/api/v1/health', roles: 'public' },
	{ method: 'GET', path: '/metrics', roles: 'public' },
	{ method: 'GET', path: '/api/v1/towns', roles: 'public' },
	{ method: 'GET', path: '/api/v1/parks', roles: 'public' },
	{ method: 'GET', path: '/api/v1/industries', roles: 'public' },
	{
		method: 'POST', path: '/api/v1/auth/register', roles: 'public',
		prepare: async () => ({ body: registerBody() }),
	},
	{
		method: 'POST', path: '/api/v1/auth/login', roles: 'public',
		prepare: async (c) => {
			const t = await c.loginAs();
			return { body: { username: t.username, password: t.password } };
		},
	},
	{
		method: 'POST', path: '/api/v1/auth/refresh', roles: 'public',
		prepare: async (c) => ({ body: { refresh_token: await c.nextRefreshToken() } }),
		after: (c, res) => { if (res.status === 200) c.refreshToken = res.json.refresh_token; },
	},
	{
		method: 'POST', path: '/api/v1/auth/logout', roles: ALL,
		prepare: async (c, role) => (role === 'anonymous' ? {} : { token: await c.freshSession(role) }),
	},
	{ method: 'GET', path: '/api/v1/me', roles: ALL },
	{
		// An empty body: allowed roles get 400, and no shared password changes.
		method: 'POST', path: '/api/v1/auth/password', roles: ALL,
		prepare: async () => ({ body: {} }),
	},
	{
		method: 'POST', path: '/api/v1/users', roles: ['admin'],
		prepare: async () => ({ body: { username: uniqueName('mx'), password: strongPassword(), role: 'auditor', org_id: null } }),
	},
	{ method: 'GET', path: '/api/v1/users', roles: ['admin'] },
	{
		method: 'POST', path: '/api/v1/users/{id}/lock', roles: ['admin'],
		prepare: async (c) => ({ params: { id: (await c.target()).user.id } }),
	},
	{
		method: 'POST', path: '/api/v1/users/{id}/unlock', roles: ['admin'],
		prepare: async (c) => ({ params: { id: (await c.target()).user.id } }),
	},
	{
		method: 'POST', path: '/api/v1/institutions', roles: ['admin'],
		prepare: async () => ({ body: { name: `矩阵银行${uniqueName('i')}`, kind: 'bank' } }),
	},
	{ method: 'GET', path: '/api/v1/institutions', roles: ALL },
	{ method: 'GET', path: '/api/v1/audit', roles: ['auditor'] },

	// --- credit: records import and credit models (issue 3) ---
	{
		// An empty batch: the bureau gets 200 and nothing is stored.
		method: 'POST', path: '/api/v1/credit-records/batch', roles: ['bureau'],
		prepare: async () => ({ body: { records: [] } }),
	},
	{ method: 'GET', path: '/api/v1/credit-models', roles: ['bureau'] },
	{
		method: 'POST', path: '/api/v1/credit-models', roles: ['bureau'],
		prepare: async () => ({ body: { version: uniqueName('mx'), weights: (await import('./lib.mjs')).V1_WEIGHTS } }),
	},
	{
		// v1 is active already: activating it again rescores and changes nothing else.
		method: 'POST', path: '/api/v1/credit-models/{version}/activate', roles: ['bureau'],
		prepare: async () => ({ params: { version: 'v1' } }),
	},
	// --- end credit ---

	// --- enterprises, consent and access log (issue 3) ---
	// One fresh enterprise of park 1 (state on ctx under ent*) serves these
	// rows: scored, approved on the whitelist and with consent for the bank
	// role's institution, so every allowed caller's request succeeds; the
	// sme caller acts as that enterprise (its token replaces the shared one).
	// Helpers come from lib.mjs through a dynamic import (the same module
	// instance, so the same role users).
	...(() => {
		const ent = (c) => {
			c.entSetup ??= import('./lib.mjs').then(async (lib) => {
				const sme = await lib.freshUser('sme');
				const id = sme.enterprise.id;
				lib.sqlCreditScore(id, { score: 700, grade: 'B' });
				lib.sqlWhitelistEntry(id);
				const institution = (await roleUser('bank')).user.org_id;
				const res = await api('POST', `/api/v1/enterprises/${id}/authorizations`, {
					token: sme.token, body: { institution_id: institution },
				});
				assert.equal(res.status, 201, res.text);
				return { id, sme, institution };
			});
			return c.entSetup;
		};
		const on = async (c, role, extra = {}) => {
			const e = await ent(c);
			return { params: { id: e.id }, ...(role === 'sme' ? { token: e.sme.token } : {}), ...extra };
		};
		const readers = ['sme', 'bank', 'park', 'bureau'];
		return [
			{ method: 'GET', path: '/api/v1/enterprises', roles: ['bureau', 'park', 'bank'] },
			{ method: 'GET', path: '/api/v1/enterprises/{id}', roles: readers, prepare: on },
			{
				method: 'PATCH', path: '/api/v1/enterprises/{id}', roles: ['sme', 'bureau'],
				prepare: (c, role) => on(c, role, { body: { employees: 51 } }),
			},
			{ method: 'GET', path: '/api/v1/enterprises/{id}/credit', roles: readers, prepare: on },
			{ method: 'GET', path: '/api/v1/enterprises/{id}/credit-records', roles: readers, prepare: on },
			{
				method: 'POST', path: '/api/v1/enterprises/{id}/authorizations', roles: ['sme'],
				prepare: async (c, role) => on(c, role, { body: { institution_id: (await ent(c)).institution } }),
			},
			{ method: 'GET', path: '/api/v1/enterprises/{id}/authorizations', roles: ['sme', 'bureau'], prepare: on },
			{
				// Forbidden callers are refused before the ids are looked up;
				// the sme revokes a consent made for it.
				method: 'DELETE', path: '/api/v1/enterprises/{id}/authorizations/{auth_id}', roles: ['sme'],
				prepare: async (c, role) => {
					const e = await ent(c);
					if (role !== 'sme') return { params: { id: e.id, auth_id: 1 } };
					const res = await api('POST', `/api/v1/enterprises/${e.id}/authorizations`, {
						token: e.sme.token, body: { institution_id: e.institution },
					});
					assert.equal(res.status, 201, res.text);
					return { token: e.sme.token, params: { id: e.id, auth_id: res.json.id } };
				},
			},
			{ method: 'GET', path: '/api/v1/enterprises/{id}/access-log', roles: ['sme', 'bureau'], prepare: on },
			{ method: 'GET', path: '/api/v1/park-changes', roles: ['park', 'bureau'] },
			...['confirm', 'reject'].map((action) => ({
				// The park role's operator (park 1) decides a fresh request into park 1.
				method: 'POST', path: `/api/v1/park-changes/{id}/${action}`, roles: ['park'],
				prepare: async (c, role) => {
					const body = action === 'reject' ? { reason: '矩阵驳回' } : undefined;
					if (role !== 'park') return { params: { id: 1 }, body };
					const lib = await import('./lib.mjs');
					const made = await lib.registerSme({ enterprise: { park_id: null } });
					const l = await lib.login(made.username, made.password);
					const res = await api('PATCH', `/api/v1/enterprises/${made.enterprise.id}`, { token: l.token, body: { park_id: 1 } });
					return { params: { id: res.json.park_change.id }, body };
				},
			})),
		];
	})(),
	// --- end enterprises ---

	// --- whitelist (issue 3) ---
	// Helpers come from lib.mjs through a dynamic import (the same module
	// instance, so the same role users); state is kept on ctx under wl*.
	// Forbidden callers are refused before the id is looked up, so only the
	// allowed ones get a real entry.
	{
		method: 'POST', path: '/api/v1/whitelist', roles: ['sme', 'park', 'bureau'],
		prepare: async (c, role) => {
			const lib = await import('./lib.mjs');
			if (role === 'sme') {
				const sme = await lib.freshUser('sme');
				return { token: sme.token, body: { enterprise_id: sme.enterprise.id, reason: '矩阵自荐' } };
			}
			const e = (await lib.registerSme({ enterprise: { park_id: 1 } })).enterprise;
			return { body: { enterprise_id: e.id, reason: '矩阵推荐' } };
		},
	},
	{ method: 'GET', path: '/api/v1/whitelist', roles: ['sme', 'park', 'bureau', 'bank'] },
	{
		// One approved entry of the shared sme's enterprise (park 1): every
		// allowed role sees it.
		method: 'GET', path: '/api/v1/whitelist/{id}', roles: ['sme', 'park', 'bureau', 'bank'],
		prepare: async (c) => {
			c.wlApproved ??= import('./lib.mjs').then(async (lib) =>
				lib.approveWhitelist((await roleUser('sme')).enterprise.id, { grade: 'B' }));
			return { params: { id: (await c.wlApproved).id } };
		},
	},
	{
		method: 'POST', path: '/api/v1/whitelist/{id}/approve', roles: ['bureau'],
		prepare: async (c, role) => {
			if (role !== 'bureau') return { params: { id: 1 }, body: { valid_days: 30 } };
			const lib = await import('./lib.mjs');
			const e = (await lib.registerSme()).enterprise;
			lib.setCreditScore(e.id, { grade: 'B' });
			return { params: { id: (await lib.nominateWhitelist(e.id)).id }, body: { valid_days: 30 } };
		},
	},
	{
		method: 'POST', path: '/api/v1/whitelist/{id}/reject', roles: ['bureau'],
		prepare: async (c, role) => {
			if (role !== 'bureau') return { params: { id: 1 }, body: { reason: '矩阵驳回' } };
			const lib = await import('./lib.mjs');
			const e = (await lib.registerSme()).enterprise;
			return { params: { id: (await lib.nominateWhitelist(e.id)).id }, body: { reason: '矩阵驳回' } };
		},
	},
	{
		method: 'POST', path: '/api/v1/whitelist/{id}/revoke', roles: ['bureau'],
		prepare: async (c, role) => {
			if (role !== 'bureau') return { params: { id: 1 }, body: { reason: '矩阵撤销' } };
			const lib = await import('./lib.mjs');
			const e = (await lib.registerSme()).enterprise;
			return { params: { id: (await lib.approveWhitelist(e.id)).id }, body: { reason: '矩阵撤销' } };
		},
	},
	// --- end whitelist ---

	// --- products and programmes (issue 4) ---
	// Helpers come from lib.mjs through a dynamic import (the same module
	// instance, so the same role users); state is kept on ctx under pg*: one
	// active product of the bank role's institution and one programme of
	// park 1 (the park role's park). Forbidden callers are refused before
	// ids are looked up, so only the allowed ones need a real target.
	...(() => {
		const lib = () => import('./lib.mjs');
		const product = (c) => (c.pgProduct ??= lib().then((l) => l.createProduct({ status: 'active' })));
		const program = (c) => (c.pgProgram ??= lib().then((l) => l.createProgram({ park_id: 1 })));
		const onProduct = async (c, role, extra = {}) => ({ params: { id: (await product(c)).id }, ...extra });
		const onProgram = async (c, role, extra = {}) => ({ params: { id: (await program(c)).id }, ...extra });
		return [
			{ method: 'GET', path: '/api/v1/products', roles: 'public' },
			{ method: 'GET', path: '/api/v1/products/{id}', roles: 'public', prepare: onProduct },
			{
				method: 'POST', path: '/api/v1/products', roles: ['bank'],
				prepare: async () => ({ body: (await lib()).productBody() }),
			},
			{
				method: 'PATCH', path: '/api/v1/products/{id}', roles: ['bank'],
				prepare: (c, role) => onProduct(c, role, { body: { description: '矩阵修改' } }),
			},
			{ method: 'GET', path: '/api/v1/programs', roles: 'public' },
			{ method: 'GET', path: '/api/v1/programs/{id}', roles: 'public', prepare: onProgram },
			{
				method: 'POST', path: '/api/v1/programs', roles: ['bureau'],
				prepare: async () => ({ body: (await lib()).programBody() }),
			},
			{
				method: 'PATCH', path: '/api/v1/programs/{id}', roles: ['bureau'],
				prepare: (c, role) => onProgram(c, role, { body: { description: '矩阵修改' } }),
			},
			{
				method: 'POST', path: '/api/v1/funds', roles: ['bureau'],
				prepare: async () => ({ body: { name: uniqueName('矩阵基金') } }),
			},
			{
				method: 'POST', path: '/api/v1/programs/{id}/recommendations', roles: ['park'],
				prepare: async (c, role) => {
					if (role !== 'park') return onProgram(c, role, { body: { enterprise_ids: [1], message: '矩阵推荐' } });
					const e = (await (await lib()).registerSme({ enterprise: { park_id: 1 } })).enterprise;
					return onProgram(c, role, { body: { enterprise_ids: [e.id], message: '矩阵推荐' } });
				},
			},
			{ method: 'GET', path: '/api/v1/programs/{id}/funnel', roles: ['park', 'bureau'], prepare: onProgram },
			{
				method: 'POST', path: '/api/v1/programs/{id}/partners', roles: ['bureau'],
				prepare: async (c, role) => onProgram(c, role, { body: { institution_id: (await product(c)).institution_id } }),
			},
			{
				// The bureau removes a partner it has just added (the bank of pgProduct stays out after).
				method: 'DELETE', path: '/api/v1/programs/{id}/partners/{institution_id}', roles: ['bureau'],
				prepare: async (c, role) => {
					const g = await program(c);
					const inst = (await product(c)).institution_id;
					if (role === 'bureau') await (await lib()).addPartner(g.id, inst);
					return { params: { id: g.id, institution_id: inst } };
				},
			},
			{ method: 'GET', path: '/api/v1/notifications', roles: ALL },
			{
				// Each allowed caller reads a notification of its own, made with SQL.
				method: 'POST', path: '/api/v1/notifications/{id}/read', roles: ALL,
				prepare: async (c, role) => {
					if (role === 'anonymous') return { params: { id: 1 } };
					return { params: { id: (await lib()).sqlNotification((await roleUser(role)).id) } };
				},
			},
		];
	})(),
	// --- end products ---
	// --- matching (issue 4) ---
	// The shared sme's enterprise, one application of it (made with SQL)
	// and one product of the bank role's institution.
	...(() => {
		const lib = () => import('./lib.mjs');
		const app = (c) => (c.mtApp ??= lib().then(async (l) => l.sqlApplication((await roleUser('sme')).enterprise.id,
			{ status: 'withdrawn' })));
		const prod = (c) => (c.mtProduct ??= lib().then((l) => l.createProduct({ status: 'active' })));
		return [
			{
				method: 'GET', path: '/api/v1/applications/{id}/matches', roles: ['sme', 'bureau'],
				prepare: async (c, role) => (role === 'anonymous' ? { params: { id: 1 } } : { params: { id: await app(c) } }),
			},
			{
				method: 'GET', path: '/api/v1/enterprises/{id}/matches?amount_fen=50000000&term_months=12', roles: ['sme', 'bureau'],
				prepare: async () => ({ params: { id: (await roleUser('sme')).enterprise.id } }),
			},
			{
				method: 'GET', path: '/api/v1/products/{id}/candidates', roles: ['bank'],
				prepare: async (c, role) => (role === 'anonymous' ? { params: { id: 1 } } : { params: { id: (await prod(c)).id } }),
			},
			{
				method: 'POST', path: '/api/v1/matching/pairings', roles: ['bureau'],
				prepare: async () => ({ body: { dry_run: true } }),
			},
		];
	})(),
	// --- end matching ---
	// --- applications (issue 4) ---
	// Applications of the shared sme's enterprise (park 1, scored B) to an
	// active product of the bank role's institution, moved through the API
	// to the stage each row needs; state on ctx under ap*. Forbidden
	// callers are refused before ids are looked up, so they get id 1.
	...(() => {
		const lib = () => import('./lib.mjs');
		const product = (c) => (c.apProduct ??= lib().then(async (l) => {
			l.setCreditScore((await roleUser('sme')).enterprise.id, { grade: 'B' });
			return l.createProduct({ status: 'active' });
		}));
		const appIn = async (stage) => {
			const l = await lib();
			const [sme, bank] = [await roleUser('sme'), await roleUser('bank')];
			const p = await product(ctx);
			const app = await l.createApplication(sme.token);
			const steps = [['submit', sme, { product_id: p.id }], ['accept', bank], ['approve', bank,
				{ amount_fen: 40000000, rate_bps: 450, term_months: 12 }], ['disburse', bank, { disbursed_on: l.districtDay(0) }]];
			const upto = ['submitted', 'pending_bank', 'accepted', 'approved', 'disbursed'].indexOf(stage);
			let last = app;
			for (const [action, who, body] of steps.slice(0, upto)) {
				const res = await api('POST', `/api/v1/applications/${app.id}/${action}`, { token: who.token, body });
				assert.ok(res.status === 200 || res.status === 201, res.text);
				last = res.json;
			}
			return { app, last };
		};
		const readers = ['sme', 'bank', 'park', 'bureau'];
		const onApp = (stage, body) => async (c, role) => {
			if (role === 'anonymous' || !stage.roles.includes(role)) return { params: { id: 1 }, body };
			return { params: { id: (await appIn(stage.at)).app.id }, body };
		};
		const shared = (c) => (c.apShared ??= appIn('disbursed'));
		return [
			{
				method: 'POST', path: '/api/v1/applications', roles: ['sme'],
				prepare: async () => ({ body: (await lib()).applicationBody() }),
			},
			{ method: 'GET', path: '/api/v1/applications', roles: readers },
			{
				method: 'GET', path: '/api/v1/applications/{id}', roles: readers,
				prepare: async (c, role) => (role === 'anonymous' ? { params: { id: 1 } } : { params: { id: (await shared(c)).app.id } }),
			},
			{
				method: 'POST', path: '/api/v1/applications/{id}/submit', roles: ['sme'],
				prepare: async (c, role) => {
					const body = { product_id: role === 'sme' ? (await product(c)).id : 1 };
					return onApp({ roles: ['sme'], at: 'submitted' }, body)(c, role);
				},
			},
			{ method: 'POST', path: '/api/v1/applications/{id}/accept', roles: ['bank'], prepare: onApp({ roles: ['bank'], at: 'pending_bank' }) },
			{
				method: 'POST', path: '/api/v1/applications/{id}/approve', roles: ['bank'],
				prepare: onApp({ roles: ['bank'], at: 'accepted' }, { amount_fen: 40000000, rate_bps: 450, term_months: 12 }),
			},
			{
				method: 'POST', path: '/api/v1/applications/{id}/reject', roles: ['bank'],
				prepare: onApp({ roles: ['bank'], at: 'pending_bank' }, { reason: '矩阵拒绝' }),
			},
			{
				method: 'POST', path: '/api/v1/applications/{id}/disburse', roles: ['bank'],
				prepare: async (c, role) => onApp({ roles: ['bank'], at: 'approved' },
					{ disbursed_on: (await lib()).districtDay(0) })(c, role),
			},
			{ method: 'POST', path: '/api/v1/applications/{id}/withdraw', roles: ['sme'], prepare: onApp({ roles: ['sme'], at: 'submitted' }) },
			{ method: 'GET', path: '/api/v1/loans', roles: readers },
			{
				method: 'GET', path: '/api/v1/loans/{id}', roles: readers,
				prepare: async (c, role) => (role === 'anonymous' ? { params: { id: 1 } } : { params: { id: (await shared(c)).last.id } }),
			},
			{
				method: 'POST', path: '/api/v1/holidays', roles: ['bureau'],
				prepare: async () => ({ body: { day: `2198-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`, name: '矩阵假日', is_workday: false } }),
			},
			{ method: 'GET', path: '/api/v1/holidays', roles: ['bureau'] },
		];
	})(),
	// --- end applications ---

	// --- stats (issue 5) ---
	{ method: 'GET', path: '/api/v1/stats/overview?from=2026-01-01&to=2026-12-31', roles: ['bureau', 'park', 'bank'] },
	{ method: 'GET', path: '/api/v1/stats/breakdown?by=institution', roles: ['bureau', 'park', 'bank'] },
	{ method: 'GET', path: '/api/v1/stats/export.csv?by=month', roles: ['bureau', 'park', 'bank'] },
	{ method: 'GET', path: '/api/v1/stats/responses', roles: ['bureau'] },
	// --- end stats ---
	// ledger
	// A funded programme of the shared bank and sme (limits off, so that a
	// default never suspends the bank), loans moved through the API to the
	// state each row needs; state on ctx under lg*. Forbidden callers are
	// refused before ids are looked up, so they get id 1.
	...(() => {
		const h = () => import('./ledger_helpers.mjs');
		const fixture = (c) => (c.lgFixture ??= (async () => {
			const m = await h();
			const f = await m.fundedProgram({ bankUser: await roleUser('bank'), smeUser: await roleUser('sme') });
			await m.limitsOff(f);
			await m.deposit(f, 100000);
			return f;
		})());
		const loan = async (c, state) => {
			const m = await h();
			const f = await fixture(c);
			const l = await m.disburse(f, 1000000);
			if (state === 'performing') return l;
			await m.defaultLoan(f, l.id);
			if (state === 'defaulted') return l;
			const claim = await m.fileClaim(f, l.id, 100);
			if (state === 'filed') return claim;
			assert.equal((await m.post(`/claims/${claim.id}/approve`, f.bureau.token)).status, 200);
			return claim;
		};
		const on = (roles, state, body) => async (c, role) =>
			(role === 'anonymous' || !roles.includes(role) ? { params: { id: 1 }, body } : { params: { id: (await loan(c, state)).id }, body });
		const onFund = (body) => async (c, role) =>
			(role === 'bureau' ? { params: { id: (await fixture(c)).fund.id }, body } : { params: { id: 1 }, body });
		const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
		return [
			{ method: 'POST', path: '/api/v1/loans/{id}/repayments', roles: ['bank'], prepare: on(['bank'], 'performing', { amount_fen: 1, paid_on: today }) },
			{ method: 'POST', path: '/api/v1/loans/{id}/default', roles: ['bank'], prepare: on(['bank'], 'performing', { overdue_days: 10, as_of: today }) },
			{ method: 'POST', path: '/api/v1/loans/{id}/claims', roles: ['bank'], prepare: on(['bank'], 'defaulted', { loss_fen: 1 }) },
			{ method: 'GET', path: '/api/v1/claims', roles: ['bank', 'bureau'] },
			{ method: 'GET', path: '/api/v1/claims/{id}', roles: ['bank', 'bureau'], prepare: on(['bank', 'bureau'], 'filed') },
			{ method: 'POST', path: '/api/v1/claims/{id}/approve', roles: ['bureau'], prepare: on(['bureau'], 'filed') },
			{ method: 'POST', path: '/api/v1/claims/{id}/reject', roles: ['bureau'], prepare: on(['bureau'], 'filed', { reason: '矩阵驳回' }) },
			{ method: 'POST', path: '/api/v1/claims/{id}/recoveries', roles: ['bank'], prepare: on(['bank'], 'paid', { amount_fen: 1 }) },
			{
				// A fresh programme each time: a month is paid once per programme.
				method: 'POST', path: '/api/v1/programs/{id}/subsidies', roles: ['bureau'],
				prepare: async (c, role) => ({
					params: { id: role === 'bureau' ? (await (await import('./lib.mjs')).createProgram()).id : 1 },
					body: { period: '2025-01' },
				}),
			},
			{
				// The bureau lifts the suspension of a fresh bank whose only loan defaulted.
				method: 'POST', path: '/api/v1/programs/{id}/suspensions/lift', roles: ['bureau'],
				prepare: async (c, role) => {
					if (role !== 'bureau') return { params: { id: 1 }, body: { institution_id: 1, reason: '矩阵' } };
					const m = await h();
					const f = await m.fundedProgram();
					const l = await m.disburse(f, 1000000);
					assert.equal((await m.defaultLoan(f, l.id)).bank_suspended, true);
					return { params: { id: f.program.id }, body: { institution_id: f.bank.user.org_id, reason: '矩阵解除' } };
				},
			},
			{
				method: 'POST', path: '/api/v1/programs/{id}/guarantor', roles: ['bureau'],
				prepare: async (c, role) => (role === 'bureau'
					? { params: { id: (await fixture(c)).program.id },
						body: { institution_id: (c.lgGuarantor ??= (await (await import('./lib.mjs')).createInstitution({ kind: 'guarantor' })).id) } }
					: { params: { id: 1 }, body: { institution_id: 1 } }),
			},
			{ method: 'GET', path: '/api/v1/funds', roles: ['bureau'] },
			{ method: 'GET', path: '/api/v1/funds/{id}', roles: ['bureau'], prepare: onFund() },
			{ method: 'PATCH', path: '/api/v1/funds/{id}', roles: ['bureau'], prepare: onFund({ annual_claims_cap_bps: 10000 }) },
			{ method: 'POST', path: '/api/v1/funds/{id}/deposits', roles: ['bureau'], prepare: onFund({ amount_fen: 1 }) },
			{ method: 'GET', path: '/api/v1/funds/{id}/stress?default_rate_bps=500', roles: ['bureau'], prepare: onFund() },
			{ method: 'GET', path: '/api/v1/ledger/accounts', roles: ['bureau', 'auditor'] },
			{ method: 'GET', path: '/api/v1/ledger/journals', roles: ['bureau', 'auditor'] },
			{ method: 'GET', path: '/api/v1/ledger/check', roles: ['bureau', 'auditor'] },
			{
				method: 'POST', path: '/api/v1/ledger/journals/{id}/reverse', roles: ['bureau'],
				prepare: async (c, role) => (role === 'bureau'
					? { params: { id: (await (await h()).deposit(await fixture(c), 100)).id }, body: { reason: '录入错误' } }
					: { params: { id: 1 }, body: { reason: '录入错误' } }),
			},
		];
	})(),
	// end ledger
];

function allowed(route, caller) {
	if (route.roles === 'public') return true;
	if (caller === 'anonymous') return false;
	return route.roles.includes(caller);
}

function fillPath(path, params = {}) {
	return path.replace(/\{(\w+)\}/g, (_, k) => {
		assert.ok(k in params, `prepare must give {${k}}`);
		return encodeURIComponent(String(params[k]));
	});
}

before(async () => {
	// Log every role in once, up front, so each case below is one request.
	for (const role of ROLES) await roleUser(role);
	await adminToken();
});

for (const route of ROUTES) {
	describe(`${route.method} ${route.path}`, () => {
		for (const caller of CALLERS) {
			const ok = allowed(route, caller);
			const expect = ok ? 'allowed' : caller === 'anonymous' ? '401' : '403';
			test(`${caller}: ${expect}`, async () => {
				const req = route.prepare ? await route.prepare(ctx, caller) : {};
				let token = null;
				if (caller !== 'anonymous') token = req.token ?? (await roleUser(caller)).token;
				const path = fillPath(route.path, req.params);
				const res = await api(route.method, path, { token, body: req.body });
				if (route.after) route.after(ctx, res);
				const where = `${caller} ${route.method} ${path}: ${res.status} ${res.text.slice(0, 300)}`;
				if (ok) {
					assert.ok(res.status !== 401 && res.status !== 403, where);
					assert.ok(res.status !== 404 && res.status !== 405, `route is registered: ${where}`);
					assert.ok(res.status < 500, where);
				} else if (caller === 'anonymous') {
					expectError(res, 401, 'unauthenticated');
				} else {
					expectError(res, 403, 'forbidden');
				}
			});
		}
	});
}

test('the shared role users are still logged in after the matrix', async () => {
	for (const role of ROLES) {
		const u = await roleUser(role);
		const res = await api('GET', '/api/v1/me', { token: u.token });
		assert.equal(res.status, 200, `${role}: ${res.text}`);
		assert.equal(res.json.role, role);
	}
});
