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
	// --- end credit ---

	// --- enterprises, consent and access log (issue 3) ---
	// --- end enterprises ---

	// --- whitelist (issue 3) ---
	// --- end whitelist ---
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
