/*
 * The assignment solver behind the batch pairing: an auction (Bertsekas)
 * with ε-scaling, exact for integer weights.
 *
 * Persons are applications; objects are the places ("slots") of products,
 * product q having min(remaining capacity, applications eligible for q)
 * slots, each with its own price, kept in a per-product min-heap. Each
 * application may also stay alone (a private object worth 0 at price 0).
 * Benefits are B = (fit × (A + 1) + 1) × (A + 1) for A applications: the
 * inner scaling makes the most total fit win first and, among equal fits,
 * the most applications assigned; the outer one makes an ε = 1 solution
 * exact, because ε-complementary slackness bounds the loss by A·ε < A + 1,
 * one unit of the inner weight.
 *
 * Each phase starts with every application unassigned and the prices the
 * last phase left, and runs forward auction: an unassigned application bids
 * for the cheapest slot of its best product, raising its price by the
 * margin over its second-best choice plus ε, and the slot's holder (if any)
 * bids again. ε shrinks eightfold per phase down to 1. The last phase then
 * runs reverse auction on every free slot that a former phase left with a
 * positive price (it lowers its price to attract an application), since an
 * optimum leaves only free places at price 0; profits only rise there, so
 * it ends (Bertsekas, "Auction algorithms for network flow problems", the
 * asymmetric assignment).
 *
 * Deterministic: ties go to the lower edge, slot or application index.
 */
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

enum { WAITING = -1, ALONE = -2 };	/* asg[] of an application holding no slot */
#define THETA 8

struct auction {
	uint32_t na, np;
	const uint32_t *start, *prod;
	const int32_t *fit;
	int64_t scale;			/* A + 1 */
	int64_t eps;
	uint32_t *off;			/* product q owns slot ids off[q] .. off[q + 1) */
	uint32_t *slot_prod;
	int64_t *price;
	int32_t *holder;		/* application, or -1 */
	uint32_t *heap;			/* per product range: slot ids, min-heap by price */
	uint32_t *hpos;			/* slot id -> heap index */
	int32_t *asg;			/* slot id held, WAITING or ALONE */
	uint32_t *asg_edge;		/* the edge of the held slot's product */
	int64_t *profit;		/* reverse auction: benefit - price of the held slot */
	uint32_t *queue;
	size_t qhead, qlen;
	uint32_t *rstart, *redge, *edge_app;	/* per product: the edges into it */
	uint32_t *stack;
	size_t nstack;
};

static int64_t benefit(const struct auction *au, uint32_t e)
{
	return ((int64_t)au->fit[e] * au->scale + 1) * au->scale;
}

/* ------------------------------------------------------------- slot heaps */

static bool slot_less(const struct auction *au, uint32_t x, uint32_t y)
{
	return au->price[x] < au->price[y] || (au->price[x] == au->price[y] && x < y);
}

static void heap_put(struct auction *au, uint32_t i, uint32_t sid)
{
	au->heap[i] = sid;
	au->hpos[sid] = i;
}

static void sift_down(struct auction *au, uint32_t q, uint32_t i)
{
	uint32_t base = au->off[q], n = au->off[q + 1] - base, sid = au->heap[i];

	for (;;) {
		uint32_t l = 2 * (i - base) + 1 + base, m = i;

		if (l - base < n && slot_less(au, au->heap[l], m == i ? sid : au->heap[m]))
			m = l;
		if (l + 1 - base < n && slot_less(au, au->heap[l + 1], m == i ? sid : au->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		heap_put(au, i, au->heap[m]);
		i = m;
	}
	heap_put(au, i, sid);
}

static void sift_up(struct auction *au, uint32_t q, uint32_t i)
{
	uint32_t base = au->off[q], sid = au->heap[i];

	while (i > base) {
		uint32_t parent = (i - base - 1) / 2 + base;

		if (!slot_less(au, sid, au->heap[parent]))
			break;
		heap_put(au, i, au->heap[parent]);
		i = parent;
	}
	heap_put(au, i, sid);
}

/* The price of product q's second-cheapest slot, or INT64_MAX. */
static int64_t second_price(const struct auction *au, uint32_t q)
{
	uint32_t base = au->off[q], n = au->off[q + 1] - base;
	int64_t p = INT64_MAX;

	if (n >= 2)
		p = au->price[au->heap[base + 1]];
	if (n >= 3 && au->price[au->heap[base + 2]] < p)
		p = au->price[au->heap[base + 2]];
	return p;
}

/* --------------------------------------------------------- forward auction */

static void enqueue(struct auction *au, uint32_t a)
{
	au->queue[(au->qhead + au->qlen++) % au->na] = a;
}

static void bid(struct auction *au, uint32_t a)
{
	int64_t v1 = INT64_MIN, v2 = INT64_MIN;
	uint32_t e1 = UINT32_MAX, q, sid;

	for (uint32_t e = au->start[a]; e < au->start[a + 1]; e++) {
		uint32_t p = au->prod[e];
		int64_t v;

		if (au->off[p] == au->off[p + 1])
			continue;
		v = benefit(au, e) - au->price[au->heap[au->off[p]]];
		if (v > v1) {
			v2 = v1;
			v1 = v;
			e1 = e;
		} else if (v > v2) {
			v2 = v;
		}
	}
	if (e1 == UINT32_MAX || v1 <= 0) {
		au->asg[a] = ALONE;
		return;
	}
	q = au->prod[e1];
	if (second_price(au, q) != INT64_MAX && benefit(au, e1) - second_price(au, q) > v2)
		v2 = benefit(au, e1) - second_price(au, q);
	if (v2 < 0)
		v2 = 0;				/* staying alone is worth 0 */
	sid = au->heap[au->off[q]];
	if (au->holder[sid] >= 0) {
		au->asg[au->holder[sid]] = WAITING;
		enqueue(au, (uint32_t)au->holder[sid]);
	}
	au->price[sid] += v1 - v2 + au->eps;
	au->holder[sid] = (int32_t)a;
	au->asg[a] = (int32_t)sid;
	au->asg_edge[a] = e1;
	sift_down(au, q, au->off[q]);
}

static void forward_phase(struct auction *au)
{
	for (uint32_t s = 0; s < au->off[au->np]; s++)
		au->holder[s] = -1;
	au->qhead = au->qlen = 0;
	for (uint32_t a = 0; a < au->na; a++) {
		au->asg[a] = au->start[a + 1] > au->start[a] ? WAITING : ALONE;
		if (au->asg[a] == WAITING)
			enqueue(au, a);
	}
	while (au->qlen) {
		uint32_t a = au->queue[au->qhead];

		au->qhead = (au->qhead + 1) % au->na;
		au->qlen--;
		bid(au, a);
	}
}

/* --------------------------------------------------------- reverse auction */

static void build_reverse(struct auction *au)
{
	uint32_t ne = au->start[au->na];

	au->rstart = matching_xcalloc(au->np + 1, sizeof *au->rstart);
	au->redge = matching_xmalloc((size_t)ne * sizeof *au->redge);
	au->edge_app = matching_xmalloc((size_t)ne * sizeof *au->edge_app);
	for (uint32_t a = 0; a < au->na; a++)
		for (uint32_t e = au->start[a]; e < au->start[a + 1]; e++) {
			au->edge_app[e] = a;
			au->rstart[au->prod[e] + 1]++;
		}
	for (uint32_t q = 0; q < au->np; q++)
		au->rstart[q + 1] += au->rstart[q];
	for (uint32_t e = 0; e < ne; e++)
		au->redge[au->rstart[au->prod[e]]++] = e;
	memmove(au->rstart + 1, au->rstart, au->np * sizeof *au->rstart);
	au->rstart[0] = 0;
}

/* Free slot sid, priced above 0, lowers its price to draw the application
 * that gains most from it, or to 0 when none gains more than ε. */
static void reverse_step(struct auction *au, uint32_t sid)
{
	uint32_t q = au->slot_prod[sid], e1 = UINT32_MAX, i1 = 0;
	int64_t b1 = INT64_MIN, b2 = INT64_MIN;
	int32_t old;

	for (uint32_t k = au->rstart[q]; k < au->rstart[q + 1]; k++) {
		uint32_t e = au->redge[k], i = au->edge_app[e];
		int64_t b = benefit(au, e) - au->profit[i];

		if (b > b1) {
			b2 = b1;
			b1 = b;
			e1 = e;
			i1 = i;
		} else if (b > b2) {
			b2 = b;
		}
	}
	if (e1 == UINT32_MAX || b1 - au->eps <= 0) {
		au->price[sid] = 0;
		sift_up(au, q, au->hpos[sid]);
		return;
	}
	old = au->asg[i1];
	au->price[sid] = b2 - au->eps > 0 ? b2 - au->eps : 0;
	sift_up(au, q, au->hpos[sid]);
	au->holder[sid] = (int32_t)i1;
	au->asg[i1] = (int32_t)sid;
	au->asg_edge[i1] = e1;
	au->profit[i1] = benefit(au, e1) - au->price[sid];
	if (old >= 0) {
		au->holder[old] = -1;
		if (au->price[old] > 0)
			au->stack[au->nstack++] = (uint32_t)old;
	}
}

static void reverse_phase(struct auction *au)
{
	uint32_t nslots = au->off[au->np];

	build_reverse(au);
	for (uint32_t a = 0; a < au->na; a++)
		au->profit[a] = au->asg[a] >= 0 ? benefit(au, au->asg_edge[a]) - au->price[au->asg[a]] : 0;
	au->stack = matching_xmalloc((size_t)nslots * sizeof *au->stack);
	au->nstack = 0;
	for (uint32_t s = 0; s < nslots; s++)
		if (au->holder[s] < 0 && au->price[s] > 0)
			au->stack[au->nstack++] = s;
	while (au->nstack) {
		uint32_t sid = au->stack[--au->nstack];

		if (au->holder[sid] < 0 && au->price[sid] > 0)
			reverse_step(au, sid);
	}
}

/* ------------------------------------------------------------------ solve */

static void slots_init(struct auction *au, const int32_t *cap)
{
	uint32_t *indeg = matching_xcalloc(au->np, sizeof *indeg), nslots;

	for (uint32_t e = 0; e < au->start[au->na]; e++)
		indeg[au->prod[e]]++;
	au->off = matching_xmalloc((au->np + 1) * sizeof *au->off);
	au->off[0] = 0;
	for (uint32_t q = 0; q < au->np; q++) {
		uint32_t c = cap[q] > 0 ? (uint32_t)cap[q] : 0;

		au->off[q + 1] = au->off[q] + (c < indeg[q] ? c : indeg[q]);
	}
	free(indeg);
	nslots = au->off[au->np];
	au->slot_prod = matching_xmalloc((size_t)nslots * sizeof *au->slot_prod);
	au->price = matching_xcalloc(nslots, sizeof *au->price);
	au->holder = matching_xmalloc((size_t)nslots * sizeof *au->holder);
	au->heap = matching_xmalloc((size_t)nslots * sizeof *au->heap);
	au->hpos = matching_xmalloc((size_t)nslots * sizeof *au->hpos);
	for (uint32_t q = 0; q < au->np; q++)
		for (uint32_t s = au->off[q]; s < au->off[q + 1]; s++) {
			au->slot_prod[s] = q;
			heap_put(au, s, s);
		}
}

void matching_solve(uint32_t napps, uint32_t nprods, const uint32_t *start, const uint32_t *prod,
		    const int32_t *fit, const int32_t *cap, int32_t *asg)
{
	struct auction au = {
		.na = napps, .np = nprods, .start = start, .prod = prod, .fit = fit,
		.scale = (int64_t)napps + 1,
	};
	int64_t top = 0;

	if (napps == 0)
		return;
	slots_init(&au, cap);
	au.asg = matching_xmalloc(napps * sizeof *au.asg);
	au.asg_edge = matching_xmalloc(napps * sizeof *au.asg_edge);
	au.profit = matching_xmalloc(napps * sizeof *au.profit);
	au.queue = matching_xmalloc(napps * sizeof *au.queue);
	for (uint32_t e = 0; e < start[napps]; e++)
		top = benefit(&au, e) > top ? benefit(&au, e) : top;
	au.eps = top / THETA > 1 ? top / THETA : 1;
	for (;;) {
		forward_phase(&au);
		if (au.eps == 1)
			break;
		au.eps = au.eps / THETA > 1 ? au.eps / THETA : 1;
	}
	reverse_phase(&au);
	for (uint32_t a = 0; a < napps; a++)
		asg[a] = au.asg[a] >= 0 ? (int32_t)au.slot_prod[au.asg[a]] : -1;
	free(au.off), free(au.slot_prod), free(au.price), free(au.holder), free(au.heap), free(au.hpos);
	free(au.asg), free(au.asg_edge), free(au.profit), free(au.queue);
	free(au.rstart), free(au.redge), free(au.edge_app), free(au.stack);
}
