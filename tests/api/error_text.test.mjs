// Every error reply is UTF-8 JSON, even when its message quotes a request
// path holding raw bytes (libevent passes them on undecoded) or one long
// enough to be cut inside a character. Found by fuzz/fuzz_static_path.c.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { BASE_URL } from './lib.mjs';

/* Sends "GET <path bytes> HTTP/1.1" as is; resolves the status and body bytes. */
function rawGet(pathBytes) {
	const url = new URL(BASE_URL);
	const head = Buffer.concat([Buffer.from('GET '), pathBytes,
		Buffer.from(` HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`)]);
	return new Promise((resolve, reject) => {
		const chunks = [];
		const s = net.connect(Number(url.port), url.hostname, () => s.end(head));
		s.setTimeout(10000, () => s.destroy(new Error('timed out')));
		s.on('data', (c) => chunks.push(c));
		s.on('error', reject);
		s.on('close', () => {
			const all = Buffer.concat(chunks);
			const split = all.indexOf('\r\n\r\n');
			resolve({ status: Number(all.subarray(9, 12).toString()), body: all.subarray(split + 4) });
		});
	});
}

function utf8Json(body) {
	const text = new TextDecoder('utf-8', { fatal: true }).decode(body);	// throws on a bad byte
	return JSON.parse(text);
}

test('a raw byte in the path comes back as ? in a UTF-8 404', async () => {
	for (const path of ['/\xff\xfeab', '/api/v1/\xff']) {
		const res = await rawGet(Buffer.from(path, 'latin1'));
		assert.equal(res.status, 404);
		const json = utf8Json(res.body);
		assert.equal(json.error.code, 'not_found');
		assert.match(json.error.message, /\?/);
	}
});

test('a long UTF-8 path is not cut inside a character in the 404 message', async () => {
	for (const prefix of ['/a', '/ab', '/api/v1/a']) {
		const res = await rawGet(Buffer.from(prefix + '信'.repeat(120), 'utf8'));
		assert.equal(res.status, 404);
		assert.equal(utf8Json(res.body).error.code, 'not_found');
	}
});
