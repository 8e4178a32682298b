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
 * Forward auction: an unassigned application bids for the cheapest slot of
 * its best product, raising that slot's price by its margin over the best
 * *other* product (or staying alone) plus ε, and the slot's holder, if
 * any, bids again. Measuring the margin against other products only
 * (Bertsekas and Castañon's rule for similar objects) keeps the places of
 * one product from bidding each other up ε at a time; ε-slackness then
 * holds per product, at its cheapest slot's price, which is what the dual
 * needs.
 *
 * Reverse auction: an optimum leaves no free place above price 0, but a
 * product full in one phase may end a later one with free places still
 * priced. After every phase, each such product drops all its places to the
 * one price that keeps every outside application within ε, and the
 * outsiders that gain more than ε fill its free places, which may free
 * places elsewhere. Every move raises someone's profit by at least ε and
 * profits are bounded, so it ends; done after every phase rather than only
 * the last, the moves stay few, because each phase starts close to the
 * last one's balance.
 *
 * ε starts at an eighth of the largest benefit and shrinks eightfold per
 * phase down to 1; between phases each product keeps one price (its
 * cheapest slot's when full, 0 otherwise) and every application starts
 * unassigned. Deterministic: ties go to the lower edge, slot or
 * application index.
 */
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

enum { WAITING = -1, ALONE = -2 }; /* asg[] of an application holding no slot */
enum { THETA = 8 };		   /* ε shrinks this much per phase */

/* An outside application's gain from moving into a product, reverse auction. */
struct gain {
	int64_t b;
	uint32_t app;
	int32_t fit;
};

struct auction {
	uint32_t na, np;
	const uint32_t *start, *prod;
	const int32_t *fit;
	int64_t scale; /* A + 1 */
	int64_t eps;
	uint32_t *off; /* product q owns slot ids off[q] .. off[q + 1) */
	uint32_t *slot_prod;
	int64_t *price;
	int32_t *holder;    /* application, or -1 */
	uint32_t *heap;	    /* per product range: slot ids, min-heap by price */
	int32_t *asg;	    /* slot id held, WAITING or ALONE */
	uint32_t *asg_edge; /* the edge of the held slot's product */
	int32_t *asg_prod;  /* product of the held slot, or -1 (reverse auction) */
	int64_t *profit;    /* reverse auction: benefit - price of the held slot */
	uint32_t *queue;    /* applications waiting to bid, a ring */
	size_t qhead, qlen;
	uint32_t *rstart, *rapp; /* per product: the applications that may take it */
	int32_t *rfit;		 /* and their fit */
	struct gain *top;	 /* reverse step scratch */
	uint32_t *stack;
	size_t nstack, stack_cap;
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

/* --------------------------------------------------------- forward auction */

static void enqueue(struct auction *au, uint32_t a)
{
	XYD_ASSERT(au->qlen < au->na); /* each application waits at most once */
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
	if (v2 < 0)
		v2 = 0;	      /* staying alone is worth 0 */
	XYD_ASSERT(v1 >= v2); /* a bid raises the price by at least eps */
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

/*
 * Carries one price per product into the next phase: the cheapest of its
 * slots when the product is full (that is its price in the dual), and 0
 * when it has a free place (a free place is worth nothing at the optimum).
 * Fewer stale prices means less reverse auction at the end.
 */
static void reprice(struct auction *au)
{
	for (uint32_t q = 0; q < au->np; q++) {
		uint32_t lo = au->off[q], hi = au->off[q + 1];
		int64_t p = lo < hi ? au->price[au->heap[lo]] : 0;

		for (uint32_t s = lo; s < hi; s++)
			if (au->holder[s] < 0)
				p = 0;
		for (uint32_t s = lo; s < hi; s++) {
			au->price[s] = p;
			au->holder[s] = -1;
			heap_put(au, s, s);
		}
	}
}

static void forward_phase(struct auction *au)
{
	reprice(au);
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
	uint32_t ne = au->start[au->na], maxslots = 0;

	au->rstart = matching_xcalloc(au->np + 1, sizeof *au->rstart);
	au->rapp = matching_xmalloc((size_t)ne * sizeof *au->rapp);
	au->rfit = matching_xmalloc((size_t)ne * sizeof *au->rfit);
	for (uint32_t e = 0; e < ne; e++)
		au->rstart[au->prod[e] + 1]++;
	for (uint32_t q = 0; q < au->np; q++) {
		au->rstart[q + 1] += au->rstart[q];
		maxslots = au->off[q + 1] - au->off[q] > maxslots ? au->off[q + 1] - au->off[q]
								  : maxslots;
	}
	for (uint32_t a = 0; a < au->na; a++)
		for (uint32_t e = au->start[a]; e < au->start[a + 1]; e++) {
			uint32_t k = au->rstart[au->prod[e]]++;

			au->rapp[k] = a;
			au->rfit[k] = au->fit[e];
		}
	memmove(au->rstart + 1, au->rstart, au->np * sizeof *au->rstart);
	au->rstart[0] = 0;
	au->top = matching_xmalloc(((size_t)maxslots + 1) * sizeof *au->top);
}

static void push_product(struct auction *au, uint32_t q)
{
	if (au->nstack == au->stack_cap) {
		au->stack_cap = au->stack_cap ? 2 * au->stack_cap : 1024;
		au->stack = matching_xrealloc(au->stack, au->stack_cap * sizeof *au->stack);
	}
	au->stack[au->nstack++] = q;
}

static bool priced_free_slots(const struct auction *au, uint32_t q, uint32_t *nfree)
{
	bool priced = false;

	*nfree = 0;
	for (uint32_t s = au->off[q]; s < au->off[q + 1]; s++)
		if (au->holder[s] < 0) {
			(*nfree)++;
			priced = priced || au->price[s] > 0;
		}
	return priced;
}

static bool gain_worse(const struct gain *x, const struct gain *y)
{
	return x->b < y->b || (x->b == y->b && x->app > y->app);
}

/* Keeps the k best gains in au->top[0..*n) as a min-heap. */
static void gain_offer(struct gain *h, uint32_t *n, uint32_t k, struct gain g)
{
	uint32_t i;

	if (*n < k) {
		for (i = (*n)++; i > 0 && gain_worse(&g, &h[(i - 1) / 2]); i = (i - 1) / 2)
			h[i] = h[(i - 1) / 2];
		h[i] = g;
		return;
	}
	if (!gain_worse(&h[0], &g))
		return;
	for (i = 0;;) {
		uint32_t l = 2 * i + 1, m = i;
		const struct gain *best = &g;

		if (l < *n && gain_worse(&h[l], best))
			m = l, best = &h[l];
		if (l + 1 < *n && gain_worse(&h[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = g;
}

static int cmp_gain_desc(const void *a, const void *b)
{
	const struct gain *x = a, *y = b;

	return gain_worse(y, x) ? -1 : gain_worse(x, y) ? 1 : 0;
}

/* Moves application i into free slot sid of product q at price p. */
static void move_in(struct auction *au, uint32_t i, uint32_t sid, uint32_t q, int32_t fit,
		    int64_t p)
{
	int32_t old = au->asg[i];

	if (old >= 0) {
		au->holder[old] = -1;
		if (au->price[old] > 0)
			push_product(au, au->slot_prod[old]);
	}
	au->holder[sid] = (int32_t)i;
	au->asg[i] = (int32_t)sid;
	au->asg_prod[i] = (int32_t)q;
	au->profit[i] = ((int64_t)fit * au->scale + 1) * au->scale - p;
	for (uint32_t e = au->start[i]; e < au->start[i + 1]; e++)
		if (au->prod[e] == q)
			au->asg_edge[i] = e;
}

/*
 * One reverse step for product q, which has nfree free slots and a price
 * above 0 on one of them. Every application outside q already accepts q's
 * cheapest slot within ε, and holders only gain when a price falls, so all
 * of q's slots drop to one price: the highest that keeps every outsider who
 * stays out within ε — 0 when fewer than nfree outsiders gain more than ε
 * from q, else the (nfree+1)-th best gain less ε — and the nfree best
 * outsiders move in, each gaining at least ε, which bounds the steps.
 */
static void reverse_step(struct auction *au, uint32_t q, uint32_t nfree)
{
	uint32_t n = 0, movers = 0, sid = au->off[q];
	int64_t p = 0;

	for (uint32_t k = au->rstart[q]; k < au->rstart[q + 1]; k++) {
		uint32_t i = au->rapp[k];

		if (au->asg_prod[i] == (int32_t)q)
			continue; /* already holds a place of q */
		gain_offer(au->top, &n, nfree + 1,
			   (struct gain){((int64_t)au->rfit[k] * au->scale + 1) * au->scale -
						 au->profit[i],
					 i, au->rfit[k]});
	}
	qsort(au->top, n, sizeof *au->top, cmp_gain_desc);
	while (movers < n && movers < nfree && au->top[movers].b - au->eps > 0)
		movers++;
	if (movers == nfree && n > nfree && au->top[nfree].b - au->eps > 0)
		p = au->top[nfree].b - au->eps;
	for (uint32_t s = au->off[q]; s < au->off[q + 1]; s++) {
		au->price[s] = p;
		if (au->holder[s] >= 0)
			au->profit[au->holder[s]] = benefit(au, au->asg_edge[au->holder[s]]) - p;
	}
	for (uint32_t m = 0; m < movers; m++) {
		while (au->holder[sid] >= 0)
			sid++;
		move_in(au, au->top[m].app, sid, q, au->top[m].fit, p);
	}
}

static void reverse_phase(struct auction *au)
{
	uint32_t nfree;

	for (uint32_t q = 0; q < au->np; q++) /* one price per product: its cheapest */
		for (uint32_t s = au->off[q]; s < au->off[q + 1]; s++)
			au->price[s] = au->price[au->heap[au->off[q]]];
	for (uint32_t a = 0; a < au->na; a++) {
		au->asg_prod[a] = au->asg[a] >= 0 ? (int32_t)au->slot_prod[au->asg[a]] : -1;
		au->profit[a] = au->asg[a] >= 0
					? benefit(au, au->asg_edge[a]) - au->price[au->asg[a]]
					: 0;
	}
	au->nstack = 0;
	for (uint32_t q = 0; q < au->np; q++)
		if (priced_free_slots(au, q, &nfree))
			push_product(au, q);
	while (au->nstack) {
		uint32_t q = au->stack[--au->nstack];

		if (priced_free_slots(au, q, &nfree))
			reverse_step(au, q, nfree);
	}
}

/* ------------------------------------------------------------------ solve */

static void slots_init(struct auction *au, const int32_t *cap)
{
	uint32_t *indeg = matching_xcalloc(au->np, sizeof *indeg), nslots;

	for (uint32_t e = 0; e < au->start[au->na]; e++) {
		XYD_ASSERT(au->prod[e] < au->np);
		indeg[au->prod[e]]++;
	}
	au->off = matching_xmalloc((au->np + 1) * sizeof *au->off);
	au->off[0] = 0;
	for (uint32_t q = 0; q < au->np; q++) {
		uint32_t c = cap[q] > 0 ? (uint32_t)cap[q] : 0;

		au->off[q + 1] = au->off[q] + (c < indeg[q] ? c : indeg[q]);
		XYD_ASSERT(au->off[q + 1] - au->off[q] <= c); /* never more places than capacity */
	}
	free(indeg);
	nslots = au->off[au->np];
	au->slot_prod = matching_xmalloc((size_t)nslots * sizeof *au->slot_prod);
	au->price = matching_xcalloc(nslots, sizeof *au->price);
	au->holder = matching_xmalloc((size_t)nslots * sizeof *au->holder);
	au->heap = matching_xmalloc((size_t)nslots * sizeof *au->heap);
	for (uint32_t q = 0; q < au->np; q++)
		for (uint32_t s = au->off[q]; s < au->off[q + 1]; s++) {
			au->slot_prod[s] = q;
			au->holder[s] = -1;
			heap_put(au, s, s);
		}
}

void matching_solve(uint32_t napps, uint32_t nprods, const uint32_t *start, const uint32_t *prod,
		    const int32_t *fit, const int32_t *cap, int32_t *asg)
{
	struct auction au = {
		.na = napps,
		.np = nprods,
		.start = start,
		.prod = prod,
		.fit = fit,
		.scale = (int64_t)napps + 1,
	};
	int64_t top = 0;

	if (napps == 0)
		return;
	slots_init(&au, cap);
	au.asg = matching_xmalloc(napps * sizeof *au.asg);
	au.asg_edge = matching_xmalloc(napps * sizeof *au.asg_edge);
	au.profit = matching_xmalloc(napps * sizeof *au.profit);
	au.asg_prod = matching_xmalloc(napps * sizeof *au.asg_prod);
	au.queue = matching_xmalloc(napps * sizeof *au.queue);
	for (uint32_t e = 0; e < start[napps]; e++) {
		XYD_ASSERT(fit[e] >= 0);
		top = benefit(&au, e) > top ? benefit(&au, e) : top;
	}
	au.eps = top / THETA > 1 ? top / THETA : 1;
	build_reverse(&au);
	for (;;) {
		forward_phase(&au);
		reverse_phase(&au);
		if (au.eps == 1)
			break;
		au.eps = au.eps / THETA > 1 ? au.eps / THETA : 1;
	}
	for (uint32_t a = 0; a < napps; a++) {
		/* a held slot is one of the product's places, and held by a alone */
		XYD_ASSERT(au.asg[a] < 0 || (uint32_t)au.asg[a] < au.off[au.np]);
		XYD_ASSERT(au.asg[a] < 0 || au.holder[au.asg[a]] == (int32_t)a);
		asg[a] = au.asg[a] >= 0 ? (int32_t)au.slot_prod[au.asg[a]] : -1;
	}
	free(au.off), free(au.slot_prod), free(au.price), free(au.holder), free(au.heap);
	free(au.asg), free(au.asg_edge), free(au.profit), free(au.queue);
	free(au.asg_prod), free(au.rstart), free(au.rapp), free(au.rfit), free(au.top),
		free(au.stack);
}
