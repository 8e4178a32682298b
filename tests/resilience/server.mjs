// A server of the test's own (XYD_TEST_SERVER_BIN, default the ASan build)
// on a free port against the suite's database (XYD_TEST_DB_URL), for tests
// that kill or restart the server under the shared one.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { ADMIN_PASSWORD, REPO_ROOT } from '../api/lib.mjs';

const START_TIMEOUT_MS = 30000;
const serverBin = process.env.XYD_TEST_SERVER_BIN || join(REPO_ROOT, 'build/asan/xinyidai');
const dbUrl = process.env.XYD_TEST_DB_URL;
const jwtKey = join(process.env.XYD_TEST_VAR || '', 'jwt.key');

export function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/**
 * Starts a server with its own XYD_VAR (varDir) and the suite's JWT key;
 * resolves {child, base, stderr(), stdout()} once /health answers 200.
 */
export async function startServer(varDir) {
	const port = await freePort();
	const child = spawn(serverBin, [], {
		cwd: REPO_ROOT,
		env: {
			...process.env, XYD_DB: dbUrl, XYD_VAR: varDir, XYD_JWT_SECRET_FILE: jwtKey,
			XYD_LISTEN: `127.0.0.1:${port}`, XYD_ADMIN_PASSWORD: ADMIN_PASSWORD, XYD_DEMO: '0', XYD_THREADS: '2',
			XYD_LOG_LEVEL: 'warn',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '', stdout = '';
	child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
	child.stdout.on('data', (d) => { stdout = (stdout + d).slice(-4000); });
	const base = `http://127.0.0.1:${port}`;
	const end = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < end) {
		if (child.exitCode !== null) throw new Error(`the server exited at start: ${stderr}`);
		try {
			if ((await fetch(`${base}/api/v1/health`)).status === 200) return { child, base, stderr: () => stderr, stdout: () => stdout };
		} catch { /* not listening yet */ }
		await new Promise((r) => setTimeout(r, 100));
	}
	child.kill('SIGKILL');
	throw new Error(`the server did not become healthy: ${stderr}`);
}

/** Resolves once child has exited. */
export function stopped(child) {
	return child.exitCode !== null || child.signalCode !== null
		? Promise.resolve() : new Promise((r) => child.once('exit', r));
}

/** Starts a server with its own XYD_VAR (varDir), stops it with SIGTERM,
 * asserts a clean exit and resolves its standard output: one start-up's work. */
export async function startAndStop(varDir) {
	const server = await startServer(varDir);
	server.child.kill('SIGTERM');
	await stopped(server.child);
	if (server.child.exitCode !== 0) throw new Error(`the server exited ${server.child.exitCode}: ${server.stderr()}`);
	return server.stdout();
}
