// Input limits and strict JSON (api.md Conventions): body and header size,
// nesting, string length, trailing bytes, duplicate and wrong-case keys,
// inexact integers, Content-Type. Every refusal is the error envelope and
// the server keeps answering afterwards.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	api, expectError, expectStatus, rawRequest, registerBody, uniqueName,
} from './lib.mjs';

const LOGIN = '/api/v1/auth/login';
const REGISTER = '/api/v1/auth/register';

async function assertAlive() {
	const res = await api('GET', '/api/v1/health');
	expectStatus(res, 200);
}

test('a body over 1 MiB is 413 payload_too_large', async () => {
	const big = JSON.stringify({ username: 'x', password: 'y', pad: 'a'.repeat(1024 * 1024) });
	assert.ok(Buffer.byteLength(big) > 1024 * 1024);
	// node:http rather than fetch: a server may answer before it has taken
	// the whole body, and the answer must still be seen.
	const res = await rawRequest('POST', LOGIN, {
		headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) },
		body: big,
	});
	expectError(res, 413, 'payload_too_large');
	await assertAlive();
});

test('a chunked body over 1 MiB is 413 payload_too_large', async () => {
	const big = JSON.stringify({ username: 'x', password: 'y', pad: 'a'.repeat(1024 * 1024 + 10) });
	// No Content-Length: node:http sends Transfer-Encoding: chunked.
	const res = await rawRequest('POST', LOGIN, { headers: { 'content-type': 'application/json' }, body: big });
	expectError(res, 413, 'payload_too_large');
	await assertAlive();
});

test('a body of just under 1 MiB is read (and refused for its content, not its size)', async () => {
	// 1 MiB of whitespace around a valid object: the size limit is not hit,
	// the login then fails as an ordinary unknown user.
	const obj = JSON.stringify({ username: uniqueName('nobody'), password: 'Nope-12345678' });
	const body = obj + ' '.repeat(1024 * 1024 - Buffer.byteLength(obj) - 16);
	const res = await api('POST', LOGIN, { rawBody: body });
	expectError(res, 401, 'invalid_credentials');
});

test('syntactically broken JSON is 400 invalid_json', async () => {
	for (const raw of ['{"username":', '{username:"a"}', "{'username':'a'}", '{"a":1,}', '[1,2', 'nul', '{"a":01}', '{"a":"\\x"}']) {
		expectError(await api('POST', LOGIN, { rawBody: raw }), 400, 'invalid_json');
	}
});

test('an empty body where JSON is expected is 400 invalid_json', async () => {
	expectError(await api('POST', LOGIN, { rawBody: '' }), 400, 'invalid_json');
	expectError(await api('POST', LOGIN, { rawBody: '   \n' }), 400, 'invalid_json');
});

test('trailing bytes after the JSON value are 400 invalid_json', async () => {
	const ok = JSON.stringify({ username: 'someone', password: 'Secret-123456' });
	for (const raw of [ok + ' x', ok + '{}', ok + ok, ok + '\u0000']) {
		expectError(await api('POST', LOGIN, { rawBody: raw }), 400, 'invalid_json');
	}
});

test('a duplicate key is 400 invalid_json', async () => {
	const raw = '{"username":"a","username":"admin","password":"Secret-123456"}';
	expectError(await api('POST', LOGIN, { rawBody: raw }), 400, 'invalid_json');
	const body = registerBody();
	const nested = JSON.stringify(body).replace('"town":"nanqiao"', '"town":"nanqiao","town":"fengcheng"');
	assert.notEqual(nested, JSON.stringify(body));
	expectError(await api('POST', REGISTER, { rawBody: nested }), 400, 'invalid_json');
});

test('invalid UTF-8 in the body is 400 invalid_json', async () => {
	const raw = Buffer.concat([
		Buffer.from('{"username":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"Secret-123456"}'),
	]);
	expectError(await api('POST', LOGIN, { rawBody: raw }), 400, 'invalid_json');
	const lone = '{"username":"\\ud800","password":"Secret-123456"}';
	expectError(await api('POST', LOGIN, { rawBody: lone }), 400, 'invalid_json');
});

test('nesting of 33 is 400 invalid_json; 32 gets past the parser', async () => {
	const deep = (n) => '['.repeat(n) + ']'.repeat(n);
	expectError(await api('POST', LOGIN, { rawBody: `{"username":${deep(32)}}` }), 400, 'invalid_json');
	expectError(await api('POST', LOGIN, { rawBody: deep(33) }), 400, 'invalid_json');
	// 32 levels parse; the body is then refused for its shape, not as JSON.
	expectError(await api('POST', LOGIN, { rawBody: deep(32) }), 400, 'validation_failed');
	expectError(await api('POST', LOGIN, { rawBody: deep(10000) }), 400, 'invalid_json');
	await assertAlive();
});

test('a string over 4096 bytes is 400 validation_failed naming the field', async () => {
	const res = await api('POST', LOGIN, { body: { username: 'a'.repeat(4097), password: 'Secret-123456' } });
	expectError(res, 400, 'validation_failed', 'username');
	const body = registerBody({ enterprise: { name: '企'.repeat(1366) } }); // 4098 bytes of UTF-8
	expectError(await api('POST', REGISTER, { body }), 400, 'validation_failed', 'enterprise.name');
});

test('a key in the wrong case is 400 validation_failed naming it', async () => {
	const res = await api('POST', LOGIN, { body: { Username: 'someone', password: 'Secret-123456' } });
	expectError(res, 400, 'validation_failed', 'Username');
	const body = registerBody();
	body.enterprise.USCC = body.enterprise.uscc;
	delete body.enterprise.uscc;
	expectError(await api('POST', REGISTER, { body }), 400, 'validation_failed', 'enterprise.USCC');
});

test('a fraction or an exponent where an integer is expected is 400', async () => {
	const cases = [
		['employees', '1.5'],
		['employees', '1e3'],
		['employees', '50.0'],
		['registered_capital_fen', '1.5'],
		['registered_capital_fen', '1e3'],
		['annual_revenue_fen', '9007199254740993'],
		['annual_revenue_fen', '-1'],
		['employees', '"50"'],
	];
	for (const [key, literal] of cases) {
		const body = registerBody();
		const raw = JSON.stringify(body).replace(new RegExp(`"${key}":\\d+`), `"${key}":${literal}`);
		assert.ok(raw.includes(`"${key}":${literal}`), `replaced ${key}`);
		const res = await api('POST', REGISTER, { rawBody: raw });
		expectError(res, 400, 'validation_failed', `enterprise.${key}`);
	}
});

test('a JSON POST with another Content-Type is refused', async () => {
	const raw = JSON.stringify({ username: uniqueName('nobody'), password: 'Secret-123456' });
	for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
		const res = await api('POST', LOGIN, { rawBody: raw, headers: { 'content-type': ct } });
		assert.ok([400, 415].includes(res.status), `${ct}: ${res.status} ${res.text}`);
		if (res.status === 400) expectError(res, 400, 'validation_failed');
	}
	const none = await api('POST', LOGIN, { rawBody: raw, headers: { 'content-type': null } });
	assert.ok([400, 415].includes(none.status), `no Content-Type: ${none.status} ${none.text}`);
});

test('Content-Type application/json with a charset parameter is accepted', async () => {
	const raw = JSON.stringify({ username: uniqueName('nobody'), password: 'Secret-123456' });
	for (const ct of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
		const res = await api('POST', LOGIN, { rawBody: raw, headers: { 'content-type': ct } });
		expectError(res, 401, 'invalid_credentials');
	}
});

test('a JSON value of the wrong shape is 400 validation_failed', async () => {
	for (const raw of ['[]', '"text"', '42', 'null', 'true']) {
		expectError(await api('POST', LOGIN, { rawBody: raw }), 400, 'validation_failed');
	}
	expectError(await api('POST', LOGIN, { body: { username: 42, password: 'Secret-123456' } }), 400, 'validation_failed', 'username');
	expectError(await api('POST', LOGIN, { body: { username: null, password: 'Secret-123456' } }), 400, 'validation_failed', 'username');
	expectError(await api('POST', LOGIN, { body: { password: 'Secret-123456' } }), 400, 'validation_failed', 'username');
	expectError(await api('POST', LOGIN, { body: { username: 'someone' } }), 400, 'validation_failed', 'password');
});

test('a header block over 16 KiB is 400, 413 or 431 and the server lives on', async () => {
	const headers = {};
	for (let i = 0; i < 5; i++) headers[`x-filler-${i}`] = 'a'.repeat(4000);
	const res = await rawRequest('GET', '/api/v1/health', { headers });
	assert.ok([400, 413, 431].includes(res.status), `status ${res.status}`);
	const one = await rawRequest('GET', '/api/v1/health', { headers: { 'x-big': 'b'.repeat(20 * 1024) } });
	assert.ok([400, 413, 431].includes(one.status), `status ${one.status}`);
	await assertAlive();
});

test('a long request line is refused and the server lives on', async () => {
	const res = await rawRequest('GET', `/api/v1/health?x=${'c'.repeat(20 * 1024)}`);
	assert.ok([400, 404, 413, 414, 431].includes(res.status), `status ${res.status}`);
	await assertAlive();
});

test('a Bearer token longer than any real one is 401, not a crash', async () => {
	const res = await api('GET', '/api/v1/me', { token: 'a'.repeat(8000) });
	expectError(res, 401, 'unauthenticated');
	await assertAlive();
});
