// Lock-out under parallel guessing: the fifth wrong password locks the
// account however many guesses arrive at once. Each guess is reserved in
// the database before the password is checked, so 30 parallel attempts let
// exactly five be evaluated (401) and refuse the other 25 (429), and the
// right password is refused after them until the lock ends.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expectError, login, loginRaw, registerSme, sql } from './lib.mjs';

const PARALLEL = 30;
const ROUNDS = 4;
const MAX_FAILURES = 5;	// docs/api.md: the fifth wrong password in a row locks

test('30 parallel wrong passwords evaluate exactly 5 guesses, then the account is locked', async () => {
	for (let round = 0; round < ROUNDS; round++) {
		const sme = await registerSme();
		const answers = await Promise.all(Array.from({ length: PARALLEL },
			(_, i) => loginRaw(sme.username, `Wrong-password-${round}-${i}`)));
		const counts = {};
		for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
		assert.deepEqual(counts, { 401: MAX_FAILURES, 429: PARALLEL - MAX_FAILURES },
			`round ${round}: answers ${JSON.stringify(counts)}`);
		for (const a of answers) {
			if (a.status === 401) expectError(a, 401, 'invalid_credentials');
			else expectError(a, 429, 'account_locked');
		}
		expectError(await loginRaw(sme.username, sme.password), 429, 'account_locked');
		// When the lock ends the right password opens the account again.
		sql(`UPDATE users SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${Number(sme.user.id)}`);
		await login(sme.username, sme.password);
	}
});
