/* Host unit test for mm/buddy.c: block decomposition of free ranges, split
 * and coalesce, alignment, exhaustion, refcounts, double-free detection and
 * a randomized alloc/free stress against a shadow bitmap. */
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "mm/buddy.h"
#include "kernel/errno.h"

struct page *mem_map;
unsigned long min_pfn, max_pfn;

#define BASE_PFN 0x80000UL /* 2 GiB: aligned to every order */
#define NPAGES 8192UL      /* 8 order-10 blocks */

static struct zone z;

/* Fresh mem_map (all reserved, as mem_map_init leaves it) and empty zone. */
static void setup(unsigned long start, unsigned long end)
{
	free(mem_map);
	mem_map = calloc(NPAGES, sizeof(struct page));
	min_pfn = BASE_PFN;
	max_pfn = BASE_PFN + NPAGES;
	for (unsigned long i = 0; i < NPAGES; i++)
		SetPageReserved(&mem_map[i]);
	zone_init(&z, start, end);
}

static bool nr_free_is(const unsigned long *want)
{
	for (int o = 0; o < MAX_ORDER; o++)
		if (z.free_area[o].nr_free != want[o])
			return false;
	return true;
}

/* Walk the free lists and check every invariant the allocator promises:
 * heads flagged with the right order, aligned, in the zone, counts agree,
 * blocks do not overlap, and free_pages matches. */
static bool free_lists_consistent(unsigned char *shadow)
{
	unsigned long total = 0;
	unsigned char *seen = calloc(NPAGES, 1);
	bool ok = true;

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned long n = 0;
		struct list_head *l;

		list_for_each(l, &z.free_area[o].free_list) {
			struct page *p = list_entry(l, struct page, lru);
			unsigned long pfn = page_to_pfn(p);

			n++;
			if (!PageBuddy(p) || p->private != o ||
			    (pfn & ((1UL << o) - 1)) || pfn < z.start_pfn ||
			    pfn + (1UL << o) > z.end_pfn)
				ok = false;
			for (unsigned long i = 0; i < (1UL << o); i++) {
				unsigned long k = pfn + i - BASE_PFN;

				if (seen[k] || (shadow && shadow[k]))
					ok = false;
				seen[k] = 1;
				if (i && PageBuddy(p + i))
					ok = false; /* only heads carry PG_buddy */
			}
		}
		if (n != z.free_area[o].nr_free)
			ok = false;
		total += n << o;
	}
	if (total != z.free_pages)
		ok = false;
	free(seen);
	return ok;
}

static void test_free_range_blocks(void)
{
	/* Whole aligned range: only maximal blocks. */
	unsigned long want[MAX_ORDER] = { 0 };

	setup(BASE_PFN, BASE_PFN + NPAGES);
	CHECK(zone_free_range(&z, BASE_PFN, BASE_PFN + NPAGES) == NPAGES,
	      "free_range: adds every page");
	want[10] = 8;
	CHECK(nr_free_is(want), "free_range: aligned range -> 8 order-10 blocks");
	CHECK(z.managed_pages == NPAGES && z.free_pages == NPAGES,
	      "free_range: managed and free counts");
	CHECK(!PageReserved(&mem_map[5]) && page_count(&mem_map[5]) == 0,
	      "free_range: clears PG_reserved, refcount 0");
	CHECK(free_lists_consistent(NULL), "free_range: lists consistent");

	/* [B+1, B+8): 1 (order 0), 2-3 (order 1), 4-7 (order 2). */
	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_free_range(&z, BASE_PFN + 1, BASE_PFN + 8);
	memset(want, 0, sizeof(want));
	want[0] = want[1] = want[2] = 1;
	CHECK(nr_free_is(want), "free_range: unaligned range uses maximal aligned blocks");
	CHECK(PageBuddy(&mem_map[1]) && PageBuddy(&mem_map[2]) &&
	      PageBuddy(&mem_map[4]) && !PageBuddy(&mem_map[3]),
	      "free_range: block heads flagged");
	CHECK(PageReserved(&mem_map[0]) && PageReserved(&mem_map[8]),
	      "free_range: pages outside the range stay reserved");

	/* Adding the missing page 0 merges everything into one order-3 block. */
	zone_free_range(&z, BASE_PFN, BASE_PFN + 1);
	memset(want, 0, sizeof(want));
	want[3] = 1;
	CHECK(nr_free_is(want), "free_range: adjacent ranges coalesce");

	/* Clipping to the zone span. */
	setup(BASE_PFN + 16, BASE_PFN + 32);
	CHECK(zone_free_range(&z, BASE_PFN, BASE_PFN + NPAGES) == 16,
	      "free_range: clipped to the zone span");
	memset(want, 0, sizeof(want));
	want[4] = 1;
	CHECK(nr_free_is(want), "free_range: clipped range is one order-4 block");

	/* Freeing the same range again is refused. */
	CHECK(zone_free_range(&z, BASE_PFN + 16, BASE_PFN + 32) == 0 &&
	      z.nr_bad_free == 1 && z.free_pages == 16,
	      "free_range: double add detected");
}

static void test_split_coalesce(void)
{
	unsigned long want[MAX_ORDER] = { 0 }, orig[MAX_ORDER] = { 0 };
	struct page *p;

	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_free_range(&z, BASE_PFN, BASE_PFN + NPAGES);
	orig[10] = 8;

	p = zone_alloc(&z, 0);
	CHECK(p != NULL, "split: order-0 alloc");
	for (int o = 0; o < 10; o++)
		want[o] = 1;
	want[10] = 7;
	CHECK(nr_free_is(want), "split: one order-10 block split into 1 of each order 0..9");
	CHECK(z.free_pages == NPAGES - 1, "split: free_pages drops by 1");
	CHECK(page_count(p) == 1 && p->private == 0 && !PageBuddy(p),
	      "alloc: refcount 1, order stored, not PG_buddy");
	CHECK(free_lists_consistent(NULL), "split: lists consistent");

	CHECK(zone_free(&z, p, 0) == 0, "coalesce: free succeeds");
	CHECK(nr_free_is(orig), "coalesce: back to 8 order-10 blocks");
	CHECK(z.free_pages == NPAGES && page_count(p) == 0,
	      "coalesce: counts restored");

	/* Two order-0 pages that are buddies merge only when both are free. */
	struct page *a = zone_alloc(&z, 0), *b = zone_alloc(&z, 0);
	CHECK(a && b && (page_to_pfn(a) ^ page_to_pfn(b)) == 1,
	      "split: consecutive order-0 allocs are buddies");
	zone_free(&z, a, 0);
	CHECK(z.free_area[0].nr_free == 1, "coalesce: no merge while the buddy is in use");
	zone_free(&z, b, 0);
	CHECK(nr_free_is(orig), "coalesce: merges once the buddy is free");

	/* Allocations of every order, then frees in reverse and shuffled. */
	struct page *blk[MAX_ORDER];
	bool aligned = true;
	for (unsigned o = 0; o < MAX_ORDER; o++) {
		blk[o] = zone_alloc(&z, o);
		if (!blk[o] || (page_to_pfn(blk[o]) & ((1UL << o) - 1)) ||
		    blk[o]->private != o)
			aligned = false;
	}
	CHECK(aligned, "alloc: every order returns a block aligned to its size");
	CHECK(z.free_pages == NPAGES - ((1UL << MAX_ORDER) - 1),
	      "alloc: free_pages accounts each order");
	for (unsigned o = 0; o < MAX_ORDER; o += 2)
		zone_free(&z, blk[o], o);
	for (unsigned o = 1; o < MAX_ORDER; o += 2)
		zone_free(&z, blk[o], o);
	CHECK(nr_free_is(orig) && free_lists_consistent(NULL),
	      "coalesce: mixed orders free back to maximal blocks");

	CHECK(zone_alloc(&z, MAX_ORDER) == NULL, "alloc: order >= MAX_ORDER is NULL");
}

static void test_exhaustion(void)
{
	static struct page *pages[NPAGES];
	unsigned long want[MAX_ORDER] = { 0 }, n = 0;
	unsigned char *seen = calloc(NPAGES, 1);
	bool distinct = true;

	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_free_range(&z, BASE_PFN, BASE_PFN + NPAGES);
	want[10] = 8;

	while ((pages[n] = zone_alloc(&z, 0)) != NULL) {
		unsigned long k = page_to_pfn(pages[n]) - BASE_PFN;

		if (seen[k])
			distinct = false;
		seen[k] = 1;
		n++;
		if (n == NPAGES)
			break;
	}
	CHECK(n == NPAGES && distinct, "exhaust: every page handed out once");
	CHECK(zone_alloc(&z, 0) == NULL && z.free_pages == 0,
	      "exhaust: alloc returns NULL when empty");
	CHECK(zone_alloc(&z, 3) == NULL, "exhaust: higher order also NULL");
	for (unsigned long i = 0; i < n; i++)
		zone_free(&z, pages[i], 0);
	CHECK(nr_free_is(want) && z.free_pages == NPAGES,
	      "exhaust: freeing everything rebuilds the maximal blocks");

	/* Fragmentation: with every other page held, no order-1 block exists. */
	for (unsigned long i = 0; i < NPAGES; i++)
		pages[i] = zone_alloc(&z, 0);
	for (unsigned long i = 0; i < NPAGES; i += 2)
		zone_free(&z, pages[i], 0);
	CHECK(z.free_pages == NPAGES / 2 && zone_alloc(&z, 1) == NULL,
	      "exhaust: fragmented zone cannot satisfy order 1");
	for (unsigned long i = 1; i < NPAGES; i += 2)
		zone_free(&z, pages[i], 0);
	CHECK(nr_free_is(want), "exhaust: defragments when all freed");
	free(seen);
}

static void test_bad_free(void)
{
	unsigned long want[MAX_ORDER] = { 0 }, before[MAX_ORDER];
	struct page *p, *q;

	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_free_range(&z, BASE_PFN, BASE_PFN + NPAGES);
	want[10] = 8;

	p = zone_alloc(&z, 2);
	q = zone_alloc(&z, 0);
	CHECK(zone_free(&z, p, 2) == 0, "double free: first free ok");
	for (int o = 0; o < MAX_ORDER; o++)
		before[o] = z.free_area[o].nr_free;
	unsigned long fp = z.free_pages;

	CHECK(zone_free(&z, p, 2) == -EINVAL && z.nr_bad_free == 1,
	      "double free: same block detected");
	CHECK(zone_free(&z, p + 1, 0) == -EINVAL,
	      "double free: page inside a free block detected");
	CHECK(zone_free(&z, p, 3) == -EINVAL,
	      "double free: larger block overlapping free pages detected");
	CHECK(zone_free(&z, q + 1, 1) == -EINVAL, "bad free: misaligned block");
	CHECK(zone_free(&z, q, MAX_ORDER) == -EINVAL, "bad free: order too big");
	CHECK(zone_free(&z, pfn_to_page(BASE_PFN + NPAGES), 0) == -EINVAL,
	      "bad free: outside the zone");
	SetPageReserved(q);
	CHECK(zone_free(&z, q, 0) == -EINVAL, "bad free: reserved page");
	ClearPageReserved(q);
	SetPageSlab(q);
	CHECK(zone_free(&z, q, 0) == -EINVAL, "bad free: slab page");
	ClearPageSlab(q);
	CHECK(z.nr_bad_free == 8, "bad free: every rejection counted");

	bool unchanged = z.free_pages == fp;
	for (int o = 0; o < MAX_ORDER; o++)
		unchanged &= before[o] == z.free_area[o].nr_free;
	CHECK(unchanged && free_lists_consistent(NULL),
	      "bad free: rejected frees change nothing");

	CHECK(zone_free(&z, q, 0) == 0 && nr_free_is(want),
	      "bad free: allocator still works afterwards");
}

static void test_hole(void)
{
	/* RAM with a reserved hole: blocks must not merge across it. */
	unsigned long hole = BASE_PFN + 1024 + 100;
	bool outside = true;
	struct page *p;

	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_free_range(&z, BASE_PFN, hole);
	zone_free_range(&z, hole + 1, BASE_PFN + NPAGES);
	CHECK(z.managed_pages == NPAGES - 1, "hole: one page missing");
	CHECK(z.free_area[10].nr_free == 7, "hole: the block with the hole is split");
	while ((p = zone_alloc(&z, 0)) != NULL)
		if (page_to_pfn(p) == hole)
			outside = false;
	CHECK(outside, "hole: the reserved page is never handed out");
}

static void test_two_zones(void)
{
	/* Two zones side by side in one mem_map: blocks never merge across. */
	struct zone a, b;

	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_init(&a, BASE_PFN, BASE_PFN + 16);
	zone_init(&b, BASE_PFN + 16, BASE_PFN + 32);
	zone_free_range(&a, BASE_PFN, BASE_PFN + 16);
	zone_free_range(&b, BASE_PFN + 16, BASE_PFN + 32);
	CHECK(a.free_area[4].nr_free == 1 && b.free_area[4].nr_free == 1 &&
	      a.free_area[5].nr_free == 0 && b.free_area[5].nr_free == 0,
	      "zones: buddies in another zone are not merged");
	struct page *p = zone_alloc(&b, 4);
	CHECK(p == pfn_to_page(BASE_PFN + 16) && zone_alloc(&b, 0) == NULL &&
	      a.free_pages == 16, "zones: each zone hands out only its pages");
	CHECK(zone_free(&a, p, 4) == -EINVAL && zone_free(&b, p, 4) == 0,
	      "zones: freeing into the wrong zone is refused");
}

/* Random alloc/free of random orders; shadow marks every allocated page. */
static void test_stress(void)
{
	enum { SLOTS = 512, ROUNDS = 200000 };
	struct { struct page *p; unsigned order; } slot[SLOTS];
	unsigned char *shadow = calloc(NPAGES, 1);
	unsigned long want[MAX_ORDER] = { 0 }, allocated = 0;
	bool no_overlap = true, accounting = true, aligned = true;
	unsigned long nalloc = 0, nfail = 0;

	srand(12345);
	memset(slot, 0, sizeof(slot));
	setup(BASE_PFN, BASE_PFN + NPAGES);
	zone_free_range(&z, BASE_PFN, BASE_PFN + NPAGES);
	want[10] = 8;

	for (int r = 0; r < ROUNDS; r++) {
		int i = rand() % SLOTS;

		if (slot[i].p) {
			unsigned long pfn = page_to_pfn(slot[i].p) - BASE_PFN;

			for (unsigned long k = 0; k < (1UL << slot[i].order); k++)
				shadow[pfn + k] = 0;
			if (zone_free(&z, slot[i].p, slot[i].order) != 0)
				accounting = false;
			allocated -= 1UL << slot[i].order;
			slot[i].p = NULL;
		} else {
			/* Mostly small orders, occasionally big ones. */
			unsigned order = rand() % 4 ? rand() % 3 : rand() % MAX_ORDER;
			struct page *p = zone_alloc(&z, order);

			if (!p) {
				nfail++;
				continue;
			}
			nalloc++;
			unsigned long pfn = page_to_pfn(p) - BASE_PFN;
			if (pfn & ((1UL << order) - 1))
				aligned = false;
			for (unsigned long k = 0; k < (1UL << order); k++) {
				if (shadow[pfn + k])
					no_overlap = false;
				shadow[pfn + k] = 1;
			}
			allocated += 1UL << order;
			slot[i].p = p;
			slot[i].order = order;
		}
		if (z.free_pages + allocated != NPAGES)
			accounting = false;
		if (r % 20000 == 0 && !free_lists_consistent(shadow))
			accounting = false;
	}
	CHECK(nalloc > 50000, "stress: many allocations happened");
	CHECK(no_overlap, "stress: no page handed out twice (shadow bitmap)");
	CHECK(aligned, "stress: every block aligned to its order");
	CHECK(accounting, "stress: free_pages + allocated == managed, lists consistent");
	CHECK(z.nr_bad_free == 0, "stress: no spurious bad frees");

	for (int i = 0; i < SLOTS; i++)
		if (slot[i].p)
			zone_free(&z, slot[i].p, slot[i].order);
	CHECK(nr_free_is(want) && z.free_pages == NPAGES,
	      "stress: everything coalesces back to maximal blocks");
	printf("# stress: %lu allocations, %lu failed for lack of a block\n",
	       nalloc, nfail);
	free(shadow);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep lines if we crash */
	test_free_range_blocks();
	test_split_coalesce();
	test_exhaustion();
	test_bad_free();
	test_hole();
	test_two_zones();
	test_stress();
	free(mem_map);
	return KTEST_DONE();
}
