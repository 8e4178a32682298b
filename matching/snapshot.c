/*
 * The enterprise snapshot: every enterprise as columns in chunks of 2,048
 * rows, and an id → row map in 1,024 open-addressing segments. A version is
 * immutable once published; an edit starts by sharing every chunk and
 * segment of its base (reference counts) and copies one only when it first
 * writes to it. Rows never move, so an update touches one chunk; an insert
 * appends a row and touches the last chunk and one map segment.
 *
 * Reference counts are plain ints: the caller serialises every call that
 * creates, edits or frees versions of one lineage (matching.h says why).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

struct matching_snapshot_edit {
	struct matching_snapshot s; /* first: publishing hands out &ed->s */
};

#define MAP_SEGMENT_MIN_CAP 8u

static void set_error(matching_error *err, const char *fmt_id, int64_t id, const char *what)
{
	if (err)
		snprintf(err->message, sizeof err->message, fmt_id, id, what);
}

matching_status matching_enterprise_check(const matching_enterprise *e, matching_error *err)
{
	const char *bad = NULL;
	char buf[8];

	if (e->id < 1)
		bad = "id must be at least 1";
	else if (e->score < MATCHING_SCORE_NONE || e->score > MATCHING_SCORE_MAX)
		bad = "score outside -1..1000";
	else if (e->grade > MATCHING_GRADE_A)
		bad = "grade out of range";
	else if (e->town > MATCHING_TOWN_NONE)
		bad = "town index above 63";
	else if (e->industry != 0 &&
		 matching_industry_pack(matching_industry_unpack(e->industry, buf)) != e->industry)
		bad = "industry is not a packed code";
	else if (e->tags & ~MATCHING_TAG_ALL)
		bad = "unknown tag bits";
	else if (e->whitelist > MATCHING_WL_REVOKED)
		bad = "whitelist state out of range";
	else if (e->revenue_fen < 0 || e->revenue_fen > MATCHING_AMOUNT_MAX_FEN)
		bad = "revenue_fen out of range";
	if (bad) {
		set_error(err, "enterprise %" PRId64 ": %s", e->id, bad);
		return MATCHING_INVALID;
	}
	return MATCHING_OK;
}

/* ------------------------------------------------------------ id map */

static uint64_t id_hash(int64_t id)
{
	return (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);
}

static unsigned segment_of(uint64_t h)
{
	return (unsigned)(h >> 54); /* top 10 bits: MATCHING_MAP_SEGMENTS */
}

static uint32_t slot_of(uint64_t h, uint32_t cap)
{
	return (uint32_t)(h >> 22) & (cap - 1);
}

static size_t segment_bytes(uint32_t cap)
{
	return sizeof(struct matching_map_segment) +
	       (size_t)cap * (sizeof(int64_t) + sizeof(uint32_t));
}

static struct matching_map_segment *segment_new(uint32_t cap)
{
	struct matching_map_segment *g = matching_xcalloc(1, segment_bytes(cap));

	g->refs = 1;
	g->cap = cap;
	g->keys = (int64_t *)(g + 1);
	g->rows = (uint32_t *)(g->keys + cap);
	return g;
}

static void segment_release(struct matching_map_segment *g)
{
	if (g && --g->refs == 0)
		free(g);
}

static void segment_insert(struct matching_map_segment *g, int64_t id, uint32_t row)
{
	uint32_t i = slot_of(id_hash(id), g->cap);

	XYD_ASSERT(id >= 1);	      /* key 0 marks an empty slot */
	XYD_ASSERT(g->used < g->cap); /* a free slot ends the probe */
	while (g->keys[i] != 0)
		i = (i + 1) & (g->cap - 1);
	g->keys[i] = id;
	g->rows[i] = row;
	g->used++;
}

/* The segment for id, owned by this edit and with room for one more key. */
static struct matching_map_segment *segment_for_insert(struct matching_snapshot *s, unsigned si)
{
	struct matching_map_segment *old = s->segments[si], *g;
	uint32_t cap = old ? old->cap : MAP_SEGMENT_MIN_CAP;

	if (old && old->refs == 1 && (old->used + 1) * 2 <= old->cap)
		return old;
	if (old && (old->used + 1) * 2 > cap)
		cap *= 2;
	g = segment_new(cap);
	if (old) {
		if (cap == old->cap) {
			memcpy(g->keys, old->keys, (size_t)cap * sizeof *g->keys);
			memcpy(g->rows, old->rows, (size_t)cap * sizeof *g->rows);
			g->used = old->used;
		} else {
			for (uint32_t i = 0; i < old->cap; i++)
				if (old->keys[i] != 0)
					segment_insert(g, old->keys[i], old->rows[i]);
		}
		segment_release(old);
	}
	s->segments[si] = g;
	XYD_ASSERT(g->refs == 1 && (g->used + 1) * 2 <= g->cap);
	return g;
}

uint32_t matching_snapshot_find(const struct matching_snapshot *s, int64_t id)
{
	uint64_t h = id_hash(id);
	const struct matching_map_segment *g = s->segments[segment_of(h)];
	uint32_t i;

	if (!g || id < 1)
		return UINT32_MAX;
	for (i = slot_of(h, g->cap); g->keys[i] != 0; i = (i + 1) & (g->cap - 1))
		if (g->keys[i] == id)
			return g->rows[i];
	return UINT32_MAX;
}

/* ------------------------------------------------------------- rows */

void matching_snapshot_row(const struct matching_snapshot *s, uint32_t row,
			   matching_enterprise *out)
{
	XYD_ASSERT(row < s->count);
	const struct matching_chunk *c = s->chunks[row / MATCHING_CHUNK_ROWS];
	uint32_t i = row % MATCHING_CHUNK_ROWS;

	memset(out, 0, sizeof *out);
	out->id = c->id[i];
	out->score = c->score[i];
	out->grade = c->grade[i];
	out->town = c->town[i];
	out->industry = c->industry[i];
	out->park_id = c->park_id[i];
	out->tags = c->tags[i];
	out->whitelist = c->whitelist[i];
	out->whitelist_until = c->whitelist_until[i];
	out->founded_on = c->founded_on[i];
	out->revenue_fen = c->revenue_fen[i];
}

static void write_row(struct matching_chunk *c, uint32_t i, const matching_enterprise *e)
{
	c->id[i] = e->id;
	c->score[i] = e->score;
	c->grade[i] = e->grade;
	c->town[i] = e->town;
	c->industry[i] = e->industry;
	c->park_id[i] = e->park_id;
	c->tags[i] = e->tags;
	c->whitelist[i] = e->whitelist;
	/* only an approved entry's date is kept, so equal rows hash equal */
	c->whitelist_until[i] = e->whitelist == MATCHING_WL_APPROVED ? e->whitelist_until : 0;
	c->founded_on[i] = e->founded_on;
	c->revenue_fen[i] = e->revenue_fen;
	c->revenue_bucket[i] = matching_revenue_bucket(e->revenue_fen);
}

static void chunk_release(struct matching_chunk *c)
{
	if (c && --c->refs == 0)
		free(c);
}

/* Chunk ci, copied first if another version shares it. */
static struct matching_chunk *chunk_for_write(struct matching_snapshot *s, size_t ci)
{
	struct matching_chunk *c = s->chunks[ci];

	if (c->refs > 1) {
		struct matching_chunk *copy = matching_xmalloc(sizeof *copy);

		memcpy(copy, c, sizeof *copy);
		copy->refs = 1;
		c->refs--;
		s->chunks[ci] = copy;
		c = copy;
	}
	XYD_ASSERT(c->refs == 1); /* written only by the edit that owns it */
	return c;
}

static struct matching_chunk *chunk_append(struct matching_snapshot *s)
{
	if (s->nchunks == s->chunks_cap) {
		s->chunks_cap = s->chunks_cap ? s->chunks_cap * 2 : 16;
		s->chunks = matching_xrealloc(s->chunks, s->chunks_cap * sizeof *s->chunks);
	}
	struct matching_chunk *c = matching_xcalloc(1, sizeof *c);

	c->refs = 1;
	s->chunks[s->nchunks++] = c;
	return c;
}

/* ------------------------------------------------------------ versions */

matching_snapshot_edit *matching_snapshot_edit_new(const matching_snapshot *base)
{
	matching_snapshot_edit *ed = matching_xcalloc(1, sizeof *ed);
	struct matching_snapshot *s = &ed->s;

	if (!base)
		return ed;
	XYD_ASSERT(base->nchunks == (base->count + MATCHING_CHUNK_ROWS - 1) / MATCHING_CHUNK_ROWS);
	s->version = base->version;
	s->count = base->count;
	s->content_hash = base->content_hash;
	s->nchunks = base->nchunks;
	s->chunks_cap = base->nchunks < 16 ? 16 : base->nchunks;
	s->chunks = matching_xmalloc(s->chunks_cap * sizeof *s->chunks);
	for (size_t i = 0; i < base->nchunks; i++) {
		s->chunks[i] = base->chunks[i];
		s->chunks[i]->refs++;
	}
	for (unsigned i = 0; i < MATCHING_MAP_SEGMENTS; i++) {
		s->segments[i] = base->segments[i];
		if (s->segments[i])
			s->segments[i]->refs++;
	}
	return ed;
}

matching_status matching_snapshot_edit_put(matching_snapshot_edit *ed, const matching_enterprise *e,
					   matching_error *err)
{
	struct matching_snapshot *s = &ed->s;
	matching_enterprise old;
	struct matching_chunk *c;
	uint32_t row;
	matching_status st = matching_enterprise_check(e, err);

	if (st != MATCHING_OK)
		return st;
	row = matching_snapshot_find(s, e->id);
	if (row != UINT32_MAX) {
		matching_snapshot_row(s, row, &old);
		s->content_hash -= matching_fnv_enterprise(MATCHING_FNV_OFFSET, &old);
		c = chunk_for_write(s, row / MATCHING_CHUNK_ROWS);
	} else {
		if (s->count >= MATCHING_ENTERPRISES_MAX) {
			set_error(err, "enterprise %" PRId64 ": %s", e->id, "snapshot is full");
			return MATCHING_LIMIT;
		}
		row = (uint32_t)s->count;
		c = row % MATCHING_CHUNK_ROWS == 0 ? chunk_append(s)
						   : chunk_for_write(s, s->nchunks - 1);
		segment_insert(segment_for_insert(s, segment_of(id_hash(e->id))), e->id, row);
		s->count++;
		/* the count, the chunks and the id map agree */
		XYD_ASSERT(s->count <= MATCHING_ENTERPRISES_MAX);
		XYD_ASSERT(s->nchunks ==
			   (s->count + MATCHING_CHUNK_ROWS - 1) / MATCHING_CHUNK_ROWS);
		XYD_ASSERT(matching_snapshot_find(s, e->id) == row);
	}
	write_row(c, row % MATCHING_CHUNK_ROWS, e);
	if (row % MATCHING_CHUNK_ROWS == 0 || e->id < c->id_min)
		c->id_min = e->id;
	matching_snapshot_row(s, row, &old); /* hash what is stored */
	s->content_hash += matching_fnv_enterprise(MATCHING_FNV_OFFSET, &old);
	return MATCHING_OK;
}

bool matching_snapshot_edit_get(const matching_snapshot_edit *ed, int64_t id,
				matching_enterprise *out)
{
	return matching_snapshot_get(&ed->s, id, out);
}

matching_snapshot *matching_snapshot_edit_publish(matching_snapshot_edit *ed)
{
	ed->s.version++;
	return &ed->s;
}

static void snapshot_release(struct matching_snapshot *s)
{
	for (size_t i = 0; i < s->nchunks; i++)
		chunk_release(s->chunks[i]);
	for (unsigned i = 0; i < MATCHING_MAP_SEGMENTS; i++)
		segment_release(s->segments[i]);
	free(s->chunks);
}

void matching_snapshot_edit_free(matching_snapshot_edit *ed)
{
	if (!ed)
		return;
	snapshot_release(&ed->s);
	free(ed);
}

void matching_snapshot_free(matching_snapshot *s)
{
	if (!s)
		return;
	snapshot_release(s);
	free(s); /* the edit it was published from, whose first member it is */
}

bool matching_snapshot_get(const matching_snapshot *s, int64_t id, matching_enterprise *out)
{
	uint32_t row = matching_snapshot_find(s, id);

	if (row == UINT32_MAX)
		return false;
	matching_snapshot_row(s, row, out);
	return true;
}

size_t matching_snapshot_count(const matching_snapshot *s)
{
	return s->count;
}

uint64_t matching_snapshot_version(const matching_snapshot *s)
{
	return s->version;
}

uint64_t matching_snapshot_content_hash(const matching_snapshot *s)
{
	return s->content_hash;
}

size_t matching_snapshot_bytes(const matching_snapshot *s)
{
	size_t bytes = sizeof(matching_snapshot_edit) + s->chunks_cap * sizeof *s->chunks;

	bytes += s->nchunks * sizeof(struct matching_chunk);
	for (unsigned i = 0; i < MATCHING_MAP_SEGMENTS; i++)
		if (s->segments[i])
			bytes += segment_bytes(s->segments[i]->cap);
	return bytes;
}
