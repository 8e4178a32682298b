// Access tokens (api.md Conventions): a protected route refuses a missing,
// malformed, unsigned, wrongly signed or tampered bearer token with 401
// unauthenticated, and the tokens the server issues carry the claims api.md
// names.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import {
	api, craftJwt, decodeJwt, expectError, expectStatus, roleUser,
} from './lib.mjs';

const ME = '/api/v1/me';

// The claims of the user's real token (so only the header or the signature
// is at fault), with a fresh jti and any overrides.
function claimsLike(user, overrides = {}) {
	return { ...decodeJwt(user.token).payload, jti: randomBytes(16).toString('hex'), ...overrides };
}

test('a protected route without Authorization is 401 unauthenticated', async () => {
	expectError(await api('GET', ME), 401, 'unauthenticated');
});

test('a malformed Authorization header is 401 unauthenticated', async () => {
	const sme = await roleUser('sme');
	const values = [
		'Bearer garbage',
		'Bearer ',
		'Bearer',
		'Bearer a.b.c',
		'Bearer ....',
		`Basic ${Buffer.from('admin:x').toString('base64')}`,
		`Token ${sme.token}`,
		`${sme.token}`,
		`Bearer ${sme.token}x`,
		`Bearer ${sme.token.split('.').slice(0, 2).join('.')}`,
		`Bearer ${sme.token}.extra`,
	];
	for (const v of values) {
		const res = await api('GET', ME, { headers: { authorization: v } });
		expectError(res, 401, 'unauthenticated');
	}
});

test('an issued access token is HS256 with sub, role, iat, exp = iat + 900 and jti', async () => {
	const sme = await roleUser('sme');
	const { header, payload } = decodeJwt(sme.token);
	assert.equal(header.alg, 'HS256');
	assert.equal(payload.sub === sme.id || payload.sub === String(sme.id), true, `sub ${payload.sub}`);
	assert.equal(payload.role, 'sme');
	assert.equal(Number(payload.org), sme.enterprise.id, 'org is the enterprise id for sme');
	assert.ok(Number.isInteger(payload.iat) && Number.isInteger(payload.exp));
	assert.equal(payload.exp - payload.iat, 900);
	assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 120, 'iat is now');
	assert.equal(typeof payload.jti, 'string');
	assert.ok(payload.jti.length >= 16, 'jti is long enough to be unique');
	const bureau = await roleUser('bureau');
	assert.ok(!('org' in decodeJwt(bureau.token).payload), 'no org claim for bureau');
	assert.notEqual(decodeJwt(bureau.token).payload.jti, payload.jti);
});

test('a token with alg none is 401', async () => {
	const sme = await roleUser('sme');
	for (const alg of ['none', 'None', 'NONE']) {
		const token = craftJwt({ alg, typ: 'JWT' }, claimsLike(sme), null);
		expectError(await api('GET', ME, { token }), 401, 'unauthenticated');
	}
	// Unsigned, but with the real token's own header and claims.
	const [, body] = sme.token.split('.');
	const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
	expectError(await api('GET', ME, { token: none }), 401, 'unauthenticated');
});

test('an HS256 token signed with another key is 401', async () => {
	const sme = await roleUser('sme');
	for (const key of [randomBytes(32), Buffer.alloc(0), 'secret', Buffer.alloc(32)]) {
		const token = craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsLike(sme), key);
		expectError(await api('GET', ME, { token }), 401, 'unauthenticated');
	}
});

test('a token claiming another algorithm is 401', async () => {
	const sme = await roleUser('sme');
	for (const alg of ['HS384', 'HS512', 'RS256', 'ES256', 'hs256']) {
		const token = craftJwt({ alg, typ: 'JWT' }, claimsLike(sme), randomBytes(32));
		expectError(await api('GET', ME, { token }), 401, 'unauthenticated');
	}
	// The real signature under a header that names another algorithm.
	const [, body, sig] = sme.token.split('.');
	const swapped = `${Buffer.from('{"alg":"HS512","typ":"JWT"}').toString('base64url')}.${body}.${sig}`;
	expectError(await api('GET', ME, { token: swapped }), 401, 'unauthenticated');
});

test('a real token whose claims were edited is 401', async () => {
	const sme = await roleUser('sme');
	const [head, , sig] = sme.token.split('.');
	const { payload } = decodeJwt(sme.token);
	const edits = [
		{ ...payload, role: 'admin' },
		{ ...payload, role: 'bureau' },
		{ ...payload, exp: payload.exp + 86400 },
		{ ...payload, sub: Number(payload.sub) + 1 },
	];
	for (const p of edits) {
		const token = `${head}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${sig}`;
		expectError(await api('GET', ME, { token }), 401, 'unauthenticated');
	}
	// A token forged as admin is refused on an admin route too, not 403.
	const forged = `${head}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${sig}`;
	expectError(await api('GET', '/api/v1/users', { token: forged }), 401, 'unauthenticated');
});

test('the untouched token still works after all that', async () => {
	const sme = await roleUser('sme');
	const body = expectStatus(await api('GET', ME, { token: sme.token }), 200);
	assert.equal(body.id, sme.id);
});
