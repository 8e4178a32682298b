/*
 * Unit tests for the enterprise snapshot: rows in and out, updates in place,
 * published versions that later edits never change (copy-on-write), the
 * order-independent content hash, refusal of bad rows, ids of any size, and
 * the memory it takes per enterprise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "matching/matching.h"
#include "tests/matching/helpers.h"

static matching_snapshot *build(size_t n, uint64_t seed)
{
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	uint64_t rs = seed;

	for (size_t i = 0; i < n; i++) {
		matching_enterprise e = test_random_enterprise(&rs, (int64_t)i + 1);

		assert_int_equal(matching_snapshot_edit_put(ed, &e, NULL), MATCHING_OK);
	}
	return matching_snapshot_edit_publish(ed);
}

static void assert_same_row(const matching_enterprise *a, const matching_enterprise *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->score, b->score);
	assert_int_equal(a->grade, b->grade);
	assert_int_equal(a->town, b->town);
	assert_int_equal(a->industry, b->industry);
	assert_int_equal(a->park_id, b->park_id);
	assert_int_equal(a->tags, b->tags);
	assert_int_equal(a->whitelist, b->whitelist);
	assert_int_equal(a->founded_on, b->founded_on);
	assert_int_equal(a->revenue_fen, b->revenue_fen);
	if (a->whitelist == MATCHING_WL_APPROVED)
		assert_int_equal(a->whitelist_until, b->whitelist_until);
}

static void put_then_get_returns_the_row_and_absent_ids_are_absent(void **state)
{
	(void)state;
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	matching_enterprise e = test_enterprise(42), out;
	matching_snapshot *s;

	assert_int_equal(matching_snapshot_edit_put(ed, &e, NULL), MATCHING_OK);
	assert_true(matching_snapshot_edit_get(ed, 42, &out));
	s = matching_snapshot_edit_publish(ed);
	assert_int_equal(matching_snapshot_count(s), 1);
	assert_true(matching_snapshot_get(s, 42, &out));
	assert_same_row(&e, &out);
	assert_false(matching_snapshot_get(s, 41, &out));
	assert_false(matching_snapshot_get(s, 0, &out));
	assert_false(matching_snapshot_get(s, -42, &out));
	matching_snapshot_free(s);
}

static void update_replaces_the_row_in_place(void **state)
{
	(void)state;
	matching_snapshot *s = build(5000, 1);
	matching_snapshot_edit *ed = matching_snapshot_edit_new(s);
	matching_enterprise e, out;

	assert_true(matching_snapshot_edit_get(ed, 4097, &e));
	e.score = 999;
	e.whitelist = MATCHING_WL_REVOKED;
	assert_int_equal(matching_snapshot_edit_put(ed, &e, NULL), MATCHING_OK);
	matching_snapshot *next = matching_snapshot_edit_publish(ed);

	assert_int_equal(matching_snapshot_count(next), 5000);
	assert_true(matching_snapshot_get(next, 4097, &out));
	assert_int_equal(out.score, 999);
	assert_int_equal(out.whitelist, MATCHING_WL_REVOKED);
	matching_snapshot_free(s);
	matching_snapshot_free(next);
}

static void published_version_never_changes_when_a_later_edit_writes(void **state)
{
	(void)state;
	matching_snapshot *v1 = build(10000, 2), *v2;
	matching_snapshot_edit *ed = matching_snapshot_edit_new(v1), *abandoned;
	matching_enterprise before, e, out;
	uint64_t h1 = matching_snapshot_content_hash(v1);

	assert_true(matching_snapshot_get(v1, 5000, &before));
	e = before;
	e.score = before.score == 1000 ? 999 : (int16_t)(before.score + 1);
	assert_int_equal(matching_snapshot_edit_put(ed, &e, NULL), MATCHING_OK);
	e = test_enterprise(20001);
	assert_int_equal(matching_snapshot_edit_put(ed, &e, NULL), MATCHING_OK);
	v2 = matching_snapshot_edit_publish(ed);
	assert_true(matching_snapshot_get(v1, 5000, &out));
	assert_same_row(&before, &out);
	assert_false(matching_snapshot_get(v1, 20001, &out));
	assert_int_equal(matching_snapshot_count(v1), 10000);
	assert_int_equal(matching_snapshot_content_hash(v1), h1);
	assert_int_equal(matching_snapshot_count(v2), 10001);
	assert_int_not_equal(matching_snapshot_content_hash(v2), h1);
	assert_int_equal(matching_snapshot_version(v1), 1);
	assert_int_equal(matching_snapshot_version(v2), 2);
	abandoned = matching_snapshot_edit_new(v2); /* an edit given up leaves its base alone */
	e.score = 1;
	assert_int_equal(matching_snapshot_edit_put(abandoned, &e, NULL), MATCHING_OK);
	matching_snapshot_edit_free(abandoned);
	matching_snapshot_free(v1); /* v2 keeps what it shares with v1 */
	assert_true(matching_snapshot_get(v2, 20001, &out));
	assert_int_equal(out.score, 700);
	for (int64_t id = 1; id <= 10000; id += 37)
		assert_true(matching_snapshot_get(v2, id, &out));
	matching_snapshot_free(v2);
}

static void content_hash_depends_on_rows_not_on_their_order_or_history(void **state)
{
	(void)state;
	matching_snapshot_edit *a = matching_snapshot_edit_new(NULL),
			       *b = matching_snapshot_edit_new(NULL);
	matching_enterprise rows[300], changed;
	uint64_t rs = 3;
	matching_snapshot *sa, *sb, *sc;

	for (int i = 0; i < 300; i++)
		rows[i] = test_random_enterprise(&rs, 1000 + i);
	for (int i = 0; i < 300; i++) {
		assert_int_equal(matching_snapshot_edit_put(a, &rows[i], NULL), MATCHING_OK);
		assert_int_equal(matching_snapshot_edit_put(b, &rows[299 - i], NULL), MATCHING_OK);
	}
	sa = matching_snapshot_edit_publish(a);
	sb = matching_snapshot_edit_publish(b);
	assert_int_equal(matching_snapshot_content_hash(sa), matching_snapshot_content_hash(sb));
	b = matching_snapshot_edit_new(sb);
	changed = rows[7];
	changed.revenue_fen += 1;
	matching_snapshot_edit_put(b, &changed, NULL);
	matching_snapshot_edit_put(b, &rows[7], NULL); /* and back */
	sc = matching_snapshot_edit_publish(b);
	assert_int_equal(matching_snapshot_content_hash(sc), matching_snapshot_content_hash(sa));
	matching_snapshot_free(sa);
	matching_snapshot_free(sb);
	matching_snapshot_free(sc);
}

static void date_of_an_entry_that_is_not_approved_is_not_kept(void **state)
{
	(void)state;
	matching_snapshot_edit *a = matching_snapshot_edit_new(NULL),
			       *b = matching_snapshot_edit_new(NULL);
	matching_enterprise e = test_enterprise(5), out;
	matching_snapshot *sa, *sb;

	e.whitelist = MATCHING_WL_NOMINATED;
	e.whitelist_until = 12345;
	matching_snapshot_edit_put(a, &e, NULL);
	e.whitelist_until = 999;
	matching_snapshot_edit_put(b, &e, NULL);
	sa = matching_snapshot_edit_publish(a);
	sb = matching_snapshot_edit_publish(b);
	assert_int_equal(matching_snapshot_content_hash(sa), matching_snapshot_content_hash(sb));
	assert_true(matching_snapshot_get(sa, 5, &out));
	assert_int_equal(out.whitelist_until, 0);
	matching_snapshot_free(sa);
	matching_snapshot_free(sb);
}

static void bad_rows_are_refused_and_change_nothing(void **state)
{
	(void)state;
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	matching_enterprise good = test_enterprise(1), bad;
	matching_error err;
	matching_snapshot *s;

	assert_int_equal(matching_snapshot_edit_put(ed, &good, NULL), MATCHING_OK);
	bad = good;
	bad.score = 1001;
	assert_int_equal(matching_snapshot_edit_put(ed, &bad, &err), MATCHING_INVALID);
	assert_string_equal(err.message, "enterprise 1: score outside -1..1000");
	bad = good;
	bad.id = 0;
	assert_int_equal(matching_snapshot_edit_put(ed, &bad, &err), MATCHING_INVALID);
	bad = good;
	bad.industry = 0x03b00000;
	assert_int_equal(matching_snapshot_edit_put(ed, &bad, &err), MATCHING_INVALID);
	bad = good;
	bad.tags = 0x80;
	assert_int_equal(matching_snapshot_edit_put(ed, &bad, &err), MATCHING_INVALID);
	bad = good;
	bad.whitelist = MATCHING_WL_EXPIRED;
	assert_int_equal(matching_snapshot_edit_put(ed, &bad, &err), MATCHING_INVALID);
	bad = good;
	bad.revenue_fen = -1;
	assert_int_equal(matching_snapshot_edit_put(ed, &bad, &err), MATCHING_INVALID);
	s = matching_snapshot_edit_publish(ed);
	assert_int_equal(matching_snapshot_count(s), 1);
	assert_true(matching_snapshot_get(s, 1, &bad));
	assert_same_row(&good, &bad);
	matching_snapshot_free(s);
}

static void ids_of_any_size_are_found_across_many_chunks(void **state)
{
	(void)state;
	enum { N = 20000 };
	static int64_t ids[N];
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	uint64_t rs = 9;
	matching_enterprise e, out;
	matching_snapshot *s;

	for (int i = 0; i < N; i++) {
		ids[i] = i % 2 ? (int64_t)(test_rand(&rs) >> 2) + 1 : (int64_t)i + 1;
		e = test_random_enterprise(&rs, ids[i]);
		assert_int_equal(matching_snapshot_edit_put(ed, &e, NULL), MATCHING_OK);
	}
	s = matching_snapshot_edit_publish(ed);
	assert_int_equal(matching_snapshot_count(s), N);
	for (int i = 0; i < N; i++) {
		assert_true(matching_snapshot_get(s, ids[i], &out));
		assert_int_equal(out.id, ids[i]);
	}
	assert_false(matching_snapshot_get(s, INT64_MAX, &out));
	matching_snapshot_free(s);
}

static void snapshot_takes_under_128_bytes_per_enterprise(void **state)
{
	(void)state;
	matching_snapshot *s = build(100000, 4);
	size_t per = matching_snapshot_bytes(s) / matching_snapshot_count(s);

	assert_true(per < 128);
	matching_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_then_get_returns_the_row_and_absent_ids_are_absent),
		cmocka_unit_test(update_replaces_the_row_in_place),
		cmocka_unit_test(published_version_never_changes_when_a_later_edit_writes),
		cmocka_unit_test(content_hash_depends_on_rows_not_on_their_order_or_history),
		cmocka_unit_test(date_of_an_entry_that_is_not_approved_is_not_kept),
		cmocka_unit_test(bad_rows_are_refused_and_change_nothing),
		cmocka_unit_test(ids_of_any_size_are_found_across_many_chunks),
		cmocka_unit_test(snapshot_takes_under_128_bytes_per_enterprise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
