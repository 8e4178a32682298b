// Login, lock-out, refresh-token rotation and reuse, logout, session
// lifetimes, /me and password change.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	api, assertKeys, assertNoLeak, createInstitution, createUser, decodeJwt, expectError,
	expectStatus, freshUser, login, loginRaw, registerSme, sql, strongPassword, uniqueName,
} from './lib.mjs';

const ME = '/api/v1/me';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const PASSWORD = '/api/v1/auth/password';

function refresh(refreshToken) {
	return api('POST', REFRESH, { body: { refresh_token: refreshToken } });
}

function me(token) {
	return api('GET', ME, { token });
}

function assertLoginShape(res) {
	const body = expectStatus(res, 200);
	assertKeys(body, ['access_token', 'token_type', 'expires_in', 'refresh_token', 'user'], 'login answer');
	assert.equal(body.token_type, 'Bearer');
	assert.equal(body.expires_in, 900);
	assert.equal(typeof body.access_token, 'string');
	assert.equal(body.access_token.split('.').length, 3);
	assert.equal(typeof body.refresh_token, 'string');
	assert.ok(body.refresh_token.length >= 32, 'refresh token carries enough randomness');
	for (const k of ['id', 'username', 'role', 'org_id']) assert.ok(k in body.user, `user.${k}`);
	assert.doesNotMatch(res.text, /password/i);
	assertNoLeak(res.text);
	return body;
}

/* ----------------------------------------------------------------- login */

test('login answers tokens and the user', async () => {
	const sme = await registerSme();
	const body = assertLoginShape(await loginRaw(sme.username, sme.password));
	assert.equal(body.user.id, sme.user.id);
	assert.equal(body.user.username, sme.username);
	assert.equal(body.user.role, 'sme');
	assert.equal(body.user.org_id, sme.enterprise.id);
	expectStatus(await me(body.access_token), 200);
});

test('login of a bureau user has org_id null', async () => {
	const u = await createUser('bureau');
	const body = assertLoginShape(await loginRaw(u.username, u.password));
	assert.equal(body.user.role, 'bureau');
	assert.equal(body.user.org_id, null);
});

test('wrong password and unknown user are the same 401 invalid_credentials', async () => {
	const sme = await registerSme();
	const wrong = expectError(await loginRaw(sme.username, 'Wrong-password-1'), 401, 'invalid_credentials');
	const unknown = expectError(await loginRaw(uniqueName('ghost'), 'Wrong-password-1'), 401, 'invalid_credentials');
	assert.equal(wrong.message, unknown.message, 'the message does not tell which');
	assert.ok(!('field' in wrong) || wrong.field === unknown.field);
	// The password is case-sensitive.
	const swapped = sme.password.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
	expectError(await loginRaw(sme.username, swapped), 401, 'invalid_credentials');
});

test('the username is matched regardless of case', async () => {
	const sme = await registerSme();
	const body = assertLoginShape(await loginRaw(sme.username.toUpperCase(), sme.password));
	assert.equal(body.user.id, sme.user.id);
});

test('five failures in a row lock the account for 15 minutes, even to the right password', async () => {
	const sme = await registerSme();
	for (let i = 0; i < 5; i++) {
		expectError(await loginRaw(sme.username, `Wrong-password-${i}`), 401, 'invalid_credentials');
	}
	expectError(await loginRaw(sme.username, sme.password), 429, 'account_locked');
	expectError(await loginRaw(sme.username, 'Wrong-password-9'), 429, 'account_locked');
	// Fifteen minutes later (users.locked_until moved into the past) it opens.
	sql(`UPDATE users SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${Number(sme.user.id)}`);
	await login(sme.username, sme.password);
});

test('a success before the fifth failure resets the count', async () => {
	const sme = await registerSme();
	for (let i = 0; i < 4; i++) expectError(await loginRaw(sme.username, `Wrong-${i}-password`), 401, 'invalid_credentials');
	await login(sme.username, sme.password);
	// Without the reset this would be the fifth failure and lock the account.
	expectError(await loginRaw(sme.username, 'Wrong-4-password'), 401, 'invalid_credentials');
	await login(sme.username, sme.password);
});

/* --------------------------------------------------------------- refresh */

test('refresh answers as login with a new refresh token, and the new tokens work', async () => {
	const u = await freshUser('sme');
	const res = await refresh(u.refresh_token);
	const body = assertLoginShape(res);
	assert.notEqual(body.refresh_token, u.refresh_token);
	assert.notEqual(body.access_token, u.token);
	assert.equal(body.user.id, u.id);
	assert.equal(body.user.org_id, u.enterprise.id);
	assert.notEqual(decodeJwt(body.access_token).payload.jti, decodeJwt(u.token).payload.jti);
	expectStatus(await me(body.access_token), 200);
	// and the chain goes on
	const again = assertLoginShape(await refresh(body.refresh_token));
	expectStatus(await me(again.access_token), 200);
});

test('a used refresh token is 401 and revokes the whole family', async () => {
	const u = await freshUser('bureau');
	const r1 = u.refresh_token;
	const second = assertLoginShape(await refresh(r1));
	expectError(await refresh(r1), 401, 'unauthenticated');
	// The newest refresh token of the family is dead too …
	expectError(await refresh(second.refresh_token), 401, 'unauthenticated');
	// … and so are the access tokens of the session.
	expectError(await me(second.access_token), 401, 'unauthenticated');
	expectError(await me(u.token), 401, 'unauthenticated');
	// Another login of the same user is a new family and works.
	const l = await login(u.username, u.password);
	expectStatus(await me(l.token), 200);
	assertLoginShape(await refresh(l.refresh_token));
});

test('reuse in one family leaves the user\'s other sessions alone', async () => {
	const u = await freshUser('bureau');
	const other = await login(u.username, u.password);
	assertLoginShape(await refresh(u.refresh_token));
	expectError(await refresh(u.refresh_token), 401, 'unauthenticated');
	expectStatus(await me(other.token), 200);
	assertLoginShape(await refresh(other.refresh_token));
});

test('an unknown or malformed refresh token is 401; a missing one is 400', async () => {
	for (const t of ['garbage', 'A'.repeat(43), 'x'.repeat(128)]) {
		expectError(await refresh(t), 401, 'unauthenticated');
	}
	// Longer than any refresh token (an access token is one): refused as
	// input (400) or as a token (401).
	const u = await freshUser('auditor');
	for (const t of ['x'.repeat(4000), u.token]) {
		const res = await refresh(t);
		if (res.status === 400) expectError(res, 400, 'validation_failed', 'refresh_token');
		else expectError(res, 401, 'unauthenticated');
	}
	expectError(await api('POST', REFRESH, { body: {} }), 400, 'validation_failed', 'refresh_token');
	expectError(await api('POST', REFRESH, { body: { refresh_token: 12 } }), 400, 'validation_failed', 'refresh_token');
	expectError(await api('POST', REFRESH, { body: { refresh_token: u.refresh_token, extra: 1 } }), 400, 'validation_failed', 'extra');
	// None of that spent the real token.
	assertLoginShape(await refresh(u.refresh_token));
});

test('a session unused for 30 minutes is dead', async () => {
	const u = await freshUser('bureau');
	sql(`UPDATE auth_sessions SET last_used_at = UTC_TIMESTAMP(6) - INTERVAL 31 MINUTE WHERE user_id = ${Number(u.id)}`);
	expectError(await refresh(u.refresh_token), 401, 'unauthenticated');
});

test('a session unused for 29 minutes still refreshes', async () => {
	const u = await freshUser('bureau');
	sql(`UPDATE auth_sessions SET last_used_at = UTC_TIMESTAMP(6) - INTERVAL 29 MINUTE WHERE user_id = ${Number(u.id)}`);
	assertLoginShape(await refresh(u.refresh_token));
});

test('a session is dead 12 hours after login, however busy', async () => {
	const u = await freshUser('bureau');
	sql(`UPDATE auth_sessions SET created_at = created_at - INTERVAL 13 HOUR, ` +
		`expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND, last_used_at = UTC_TIMESTAMP(6) WHERE user_id = ${Number(u.id)}`);
	expectError(await refresh(u.refresh_token), 401, 'unauthenticated');
});

test('refresh does not extend a session past its 12 hours', async () => {
	const u = await freshUser('bureau');
	const before = sql(`SELECT expires_at FROM auth_sessions WHERE user_id = ${Number(u.id)}`);
	const next = assertLoginShape(await refresh(u.refresh_token));
	const after = sql(`SELECT expires_at FROM auth_sessions WHERE user_id = ${Number(u.id)}`);
	assert.deepEqual(after, before, 'expires_at is fixed at login');
	assert.ok(next.refresh_token);
});

/* ---------------------------------------------------------------- logout */

test('logout is 204; the access token and its refresh token stop at once', async () => {
	const u = await freshUser('sme');
	const res = await api('POST', LOGOUT, { token: u.token });
	assert.equal(res.status, 204, res.text);
	assert.equal(res.text, '');
	expectError(await me(u.token), 401, 'unauthenticated');
	expectError(await refresh(u.refresh_token), 401, 'unauthenticated');
	// Logging out twice is 401: the token is gone.
	expectError(await api('POST', LOGOUT, { token: u.token }), 401, 'unauthenticated');
});

test('logout after a refresh kills the refreshed tokens of that session', async () => {
	const u = await freshUser('bureau');
	const next = assertLoginShape(await refresh(u.refresh_token));
	assert.equal((await api('POST', LOGOUT, { token: next.access_token })).status, 204);
	expectError(await refresh(next.refresh_token), 401, 'unauthenticated');
	expectError(await me(next.access_token), 401, 'unauthenticated');
});

test('logout ends only its own session', async () => {
	const u = await freshUser('bureau');
	const other = await login(u.username, u.password);
	assert.equal((await api('POST', LOGOUT, { token: u.token })).status, 204);
	expectStatus(await me(other.token), 200);
	assertLoginShape(await refresh(other.refresh_token));
});

test('logout without a token is 401', async () => {
	expectError(await api('POST', LOGOUT), 401, 'unauthenticated');
});

/* -------------------------------------------------------------------- me */

test('me describes an sme with its enterprise', async () => {
	const u = await freshUser('sme');
	const body = expectStatus(await me(u.token), 200);
	assertKeys(body, ['id', 'username', 'role', 'org_id', 'org_name'], 'me');
	assert.deepEqual(body, {
		id: u.id, username: u.username, role: 'sme', org_id: u.enterprise.id, org_name: u.enterprise.name,
	});
});

test('me describes a bank user with its institution and a park user with its park', async () => {
	const inst = await createInstitution({ name: `奉贤农商银行${uniqueName('b').slice(-8)}` });
	const bank = await freshUser('bank', inst.id);
	assert.deepEqual(expectStatus(await me(bank.token), 200), {
		id: bank.id, username: bank.username, role: 'bank', org_id: inst.id, org_name: inst.name,
	});
	const park = await freshUser('park', 1);
	assert.deepEqual(expectStatus(await me(park.token), 200), {
		id: park.id, username: park.username, role: 'park', org_id: 1, org_name: '东方美谷',
	});
});

test('me of bureau and auditor has null org', async () => {
	for (const role of ['bureau', 'auditor']) {
		const u = await freshUser(role);
		assert.deepEqual(expectStatus(await me(u.token), 200), {
			id: u.id, username: u.username, role, org_id: null, org_name: null,
		});
	}
});

/* -------------------------------------------------------------- password */

test('password change is 204; the new password logs in and the old one does not', async () => {
	const u = await freshUser('sme');
	const next = strongPassword();
	const res = await api('POST', PASSWORD, { token: u.token, body: { old_password: u.password, new_password: next } });
	assert.equal(res.status, 204, res.text);
	assert.equal(res.text, '');
	expectError(await loginRaw(u.username, u.password), 401, 'invalid_credentials');
	const l = await login(u.username, next);
	expectStatus(await me(l.token), 200);
});

test('a wrong old password is 400 on old_password and changes nothing', async () => {
	const u = await freshUser('bureau');
	const res = await api('POST', PASSWORD, { token: u.token, body: { old_password: 'Not-the-password-1', new_password: strongPassword() } });
	expectError(res, 400, 'validation_failed', 'old_password');
	await login(u.username, u.password);
});

test('a weak new password is 400 on new_password and changes nothing', async () => {
	const u = await freshUser('bureau');
	for (const weak of ['short', 'alllowercaseletters', 'lowercase123456']) {
		const res = await api('POST', PASSWORD, { token: u.token, body: { old_password: u.password, new_password: weak } });
		expectError(res, 400, 'validation_failed', 'new_password');
	}
	await login(u.username, u.password);
});

test('password change refuses missing and unknown keys', async () => {
	const u = await freshUser('bureau');
	expectError(await api('POST', PASSWORD, { token: u.token, body: { new_password: strongPassword() } }), 400, 'validation_failed', 'old_password');
	expectError(await api('POST', PASSWORD, { token: u.token, body: { old_password: u.password } }), 400, 'validation_failed', 'new_password');
	expectError(await api('POST', PASSWORD, { token: u.token, body: { old_password: u.password, new_password: strongPassword(), username: 'admin' } }),
		400, 'validation_failed', 'username');
	await login(u.username, u.password);
});
