/* Host unit test for mm/memblock.c: region merging and splitting,
 * reservation arithmetic, top-down allocation, and that memblock_free_all()
 * yields exactly the free whole pages (checked against a brute-force model). */
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "mm/memblock.h"
#include "kernel/errno.h"

#define MB (1UL << 20)
#define KB (1UL << 10)
#define RAM 0x80000000UL

static bool regions_are(const struct memblock_type *t, unsigned long cnt,
			const phys_addr_t *pairs)
{
	if (t->cnt != cnt)
		return false;
	for (unsigned long i = 0; i < cnt; i++)
		if (t->regions[i].base != pairs[2 * i] ||
		    t->regions[i].base + t->regions[i].size != pairs[2 * i + 1])
			return false;
	return true;
}

/* Arrays sorted, non-overlapping, non-touching, non-empty. */
static bool well_formed(const struct memblock_type *t)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		if (t->regions[i].size == 0)
			return false;
		if (i && t->regions[i - 1].base + t->regions[i - 1].size >=
			      t->regions[i].base)
			return false;
	}
	return true;
}

static void test_add_merge(void)
{
	memblock_reset();
	CHECK(memblock_add(RAM, 64 * MB) == 0, "add: one bank");
	CHECK(memblock_phys_mem_size() == 64 * MB &&
	      memblock_start_of_DRAM() == RAM &&
	      memblock_end_of_DRAM() == RAM + 64 * MB, "add: size, start, end");

	/* Adjacent, overlapping and contained additions merge. */
	memblock_add(RAM + 64 * MB, 16 * MB);
	memblock_add(RAM + 70 * MB, 20 * MB);
	memblock_add(RAM + 1 * MB, 1 * MB);
	phys_addr_t one[] = { RAM, RAM + 90 * MB };
	CHECK(regions_are(&memblock.memory, 1, one),
	      "add: adjacent/overlapping/contained ranges merge into one");

	/* Out-of-order disjoint banks are kept sorted. */
	memblock_add(RAM + 200 * MB, 10 * MB);
	memblock_add(RAM - 100 * MB, 10 * MB);
	phys_addr_t three[] = { RAM - 100 * MB, RAM - 90 * MB, RAM, RAM + 90 * MB,
				RAM + 200 * MB, RAM + 210 * MB };
	CHECK(regions_are(&memblock.memory, 3, three), "add: disjoint banks sorted");

	/* One range bridging all three collapses them. */
	memblock_add(RAM - 95 * MB, 300 * MB);
	phys_addr_t bridged[] = { RAM - 100 * MB, RAM + 210 * MB };
	CHECK(regions_are(&memblock.memory, 1, bridged), "add: bridging range merges all");
	CHECK(memblock_add(RAM, 0) == 0 && memblock.memory.cnt == 1, "add: size 0 is a no-op");

	/* Wrapping size is clamped at the top of the address space. */
	memblock_reset();
	memblock_add(~0UL - 4095, 1UL << 20);
	CHECK(memblock.memory.cnt == 1 &&
	      memblock.memory.regions[0].size == 4095, "add: size clamped instead of wrapping");
}

static void test_reserve_arith(void)
{
	memblock_reset();
	memblock_add(RAM, 64 * MB);

	memblock_reserve(RAM + 0x1000, 0x2000);  /* [1000,3000) */
	memblock_reserve(RAM + 0x2000, 0x3000);  /* overlaps -> [1000,5000) */
	CHECK(memblock_reserved_size() == 0x4000 && memblock.reserved.cnt == 1,
	      "reserve: overlapping reservations merge");
	memblock_reserve(RAM + 0x5000, 0x1000);  /* adjacent -> [1000,6000) */
	CHECK(memblock_reserved_size() == 0x5000 && memblock.reserved.cnt == 1,
	      "reserve: adjacent reservations merge");
	memblock_reserve(RAM + 0x8000, 0x1000);
	memblock_reserve(RAM + 0xa000, 0x1000);
	CHECK(memblock.reserved.cnt == 3 && memblock_reserved_size() == 0x7000,
	      "reserve: disjoint reservations kept apart");
	memblock_reserve(RAM + 0x5800, 0x5000);  /* covers 8000 and a000 */
	phys_addr_t merged[] = { RAM + 0x1000, RAM + 0xb000 };
	CHECK(regions_are(&memblock.reserved, 1, merged),
	      "reserve: spanning reservation swallows several");
	memblock_reserve(RAM + 0x2000, 0x100);   /* inside: no change */
	CHECK(regions_are(&memblock.reserved, 1, merged), "reserve: contained is a no-op");

	CHECK(memblock_is_region_reserved(RAM + 0xafff, 1) &&
	      !memblock_is_region_reserved(RAM + 0xb000, 0x1000) &&
	      memblock_is_region_reserved(RAM, 0x1001) &&
	      !memblock_is_region_reserved(RAM, 0x1000),
	      "reserve: is_region_reserved boundaries");

	/* Freeing a hole in the middle splits the reservation. */
	CHECK(memblock_phys_free(RAM + 0x4000, 0x2000) == 0, "phys_free: middle");
	phys_addr_t split[] = { RAM + 0x1000, RAM + 0x4000, RAM + 0x6000, RAM + 0xb000 };
	CHECK(regions_are(&memblock.reserved, 2, split), "phys_free: splits a region");
	memblock_phys_free(RAM + 0x0000, 0x2000);  /* trims the head */
	memblock_phys_free(RAM + 0xa000, 0x8000);  /* trims the tail */
	phys_addr_t trimmed[] = { RAM + 0x2000, RAM + 0x4000, RAM + 0x6000, RAM + 0xa000 };
	CHECK(regions_are(&memblock.reserved, 2, trimmed), "phys_free: trims head and tail");
	memblock_phys_free(RAM, 1 * MB);
	CHECK(memblock.reserved.cnt == 0, "phys_free: covering range deletes all");

	/* memblock_remove cuts RAM. */
	memblock_remove(RAM + 16 * MB, 16 * MB);
	CHECK(memblock_phys_mem_size() == 48 * MB && memblock.memory.cnt == 2 &&
	      !memblock_is_memory(RAM + 16 * MB) && memblock_is_memory(RAM + 32 * MB) &&
	      memblock_is_memory(RAM + 16 * MB - 1), "remove: punches a hole in RAM");
}

static void test_full(void)
{
	int err = 0;

	memblock_reset();
	for (int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		err |= memblock_reserve(RAM + i * 0x2000, 0x1000);
	CHECK(err == 0 && memblock.reserved.cnt == MEMBLOCK_MAX_REGIONS,
	      "full: 64 disjoint regions fit");
	CHECK(memblock_reserve(RAM + 0x1000000, 0x1000) == -ENOMEM &&
	      memblock.reserved.cnt == MEMBLOCK_MAX_REGIONS,
	      "full: the 65th region is refused, array unchanged");
	CHECK(memblock_reserve(RAM + 0x1000, 0x1000) == 0 &&
	      memblock.reserved.cnt == MEMBLOCK_MAX_REGIONS - 1,
	      "full: a merging reservation still works");
	CHECK(memblock_phys_free(RAM + 0x100, 0x100) == 0 &&
	      memblock_phys_free(RAM + 0x400, 0x100) == -ENOMEM,
	      "full: a split needing a slot fails cleanly when full");
	CHECK(well_formed(&memblock.reserved), "full: array still well formed");
}

static void test_alloc(void)
{
	phys_addr_t a, b, c;

	memblock_reset();
	memblock_add(RAM, 64 * MB);
	memblock_add(RAM + 128 * MB, 1 * MB);      /* a higher, small bank */

	a = memblock_alloc(0x1000, 0x1000);
	CHECK(a == RAM + 129 * MB - 0x1000, "alloc: from the top of the highest bank");
	CHECK(memblock_is_region_reserved(a, 0x1000), "alloc: result is reserved");
	b = memblock_alloc(0x100, 0x100);
	CHECK(b == a - 0x100, "alloc: next one just below");
	c = memblock_alloc(0x1000, 0x10000);
	/* The top 0x1100 bytes are taken; the highest 64K-aligned slot is
	 * the one 64K below the (64K-aligned) end of the bank. */
	CHECK(c == RAM + 129 * MB - 0x10000 && (c & 0xffff) == 0,
	      "alloc: honours alignment");
	CHECK(memblock_alloc(2 * MB, 0) == RAM + 64 * MB - 2 * MB,
	      "alloc: too big for the top bank falls to the next");
	CHECK(memblock_alloc(0x1000, 3) == 0, "alloc: non-power-of-two align fails");
	CHECK(memblock_alloc(0, 0x1000) == 0, "alloc: size 0 fails");
	CHECK(memblock_alloc(128 * MB, 0) == 0, "alloc: larger than any bank fails");

	memblock_set_current_limit(RAM + 32 * MB);
	a = memblock_alloc(0x3000, 0);
	CHECK(a == RAM + 32 * MB - 0x3000, "alloc: stays below current_limit");
	memblock_set_current_limit(PHYS_ADDR_MAX);

	/* Reservation at the top of a bank pushes the allocation below it. */
	memblock_reset();
	memblock_add(RAM, 1 * MB);
	memblock_reserve(RAM + 1 * MB - 0x1800, 0x1800);
	CHECK(memblock_alloc(0x1000, 0x1000) == RAM + 1 * MB - 0x3000,
	      "alloc: skips reservations at the top, then aligns down");
	CHECK(memblock_alloc_range(0x1000, 0x1000, RAM, RAM + 0x3000) == RAM + 0x2000,
	      "alloc_range: inside the window");

	/* Exhaust a small bank exactly. */
	memblock_reset();
	memblock_add(RAM, 0x4000);
	int n = 0;
	while (memblock_alloc(0x1000, 0x1000))
		n++;
	CHECK(n == 4 && memblock_reserved_size() == 0x4000 &&
	      memblock.reserved.cnt == 1, "alloc: exhausts a bank, reservations merged");

	/* Address 0 is never returned (0 means failure). */
	memblock_reset();
	memblock_add(0, 0x1000);
	CHECK(memblock_alloc(0x1000, 0x1000) == 0, "alloc: never returns address 0");
}

static phys_addr_t got[256][2];
static int ngot;
static void collect(phys_addr_t s, phys_addr_t e)
{
	if (ngot < 256) {
		got[ngot][0] = s;
		got[ngot][1] = e;
	}
	ngot++;
}

static void test_free_all_simple(void)
{
	unsigned long pages;

	memblock_reset();
	memblock_add(RAM, 16 * MB);
	memblock_reserve(RAM, 2 * MB);                    /* OpenSBI */
	memblock_reserve(RAM + 2 * MB, 0x123456);         /* kernel image */
	memblock_reserve(RAM + 8 * MB + 0x10, 0x20);      /* FDT, unaligned */
	memblock_reserve(RAM + 15 * MB, 2 * MB);          /* initrd past RAM end */
	ngot = 0;
	pages = memblock_free_all(collect);
	phys_addr_t k_end = ALIGN_UP(RAM + 2 * MB + 0x123456, 0x1000);
	CHECK(ngot == 2 &&
	      got[0][0] == k_end && got[0][1] == RAM + 8 * MB &&
	      got[1][0] == RAM + 8 * MB + 0x1000 && got[1][1] == RAM + 15 * MB,
	      "free_all: exact page-rounded free ranges");
	CHECK(pages == ((RAM + 8 * MB - k_end) + (7 * MB - 0x1000)) / 0x1000,
	      "free_all: page count");
	CHECK(memblock_alloc(0x1000, 0) == 0, "free_all: memblock closed afterwards");
}

/*
 * Random banks and reservations in a 256 KiB window, compared byte by byte
 * with a brute-force model. Also checks that each allocation is the highest
 * aligned free fit and never overlaps anything reserved.
 */
#define WIN (256UL << 10)
static unsigned char ram_map[WIN], res_map[WIN], free_seen[WIN / 4096];
static unsigned int bad_prefix[WIN + 1]; /* bytes not free in [0, i) */

static void rebuild_prefix(void)
{
	for (unsigned long i = 0; i < WIN; i++)
		bad_prefix[i + 1] = bad_prefix[i] + (!ram_map[i] || res_map[i]);
}

static void mark(unsigned char *m, unsigned long s, unsigned long len)
{
	for (unsigned long i = s; i < s + len && i < WIN; i++)
		m[i] = 1;
}

static bool model_free(unsigned long s, unsigned long len)
{
	return bad_prefix[s + len] == bad_prefix[s];
}

static bool rnd_ok;
static void check_range(phys_addr_t s, phys_addr_t e)
{
	if ((s & 0xfff) || (e & 0xfff) || s >= e || s < RAM || e > RAM + WIN) {
		rnd_ok = false;
		return;
	}
	for (phys_addr_t p = s; p < e; p += 0x1000) {
		unsigned long pg = (p - RAM) / 0x1000;

		if (free_seen[pg] || !model_free(p - RAM, 0x1000))
			rnd_ok = false;
		free_seen[pg] = 1;
	}
}

static void test_random(void)
{
	bool alloc_ok = true, all_pages = true, formed = true;
	unsigned long n_alloc = 0, n_fail = 0, n_pages = 0;

	srand(777);
	rnd_ok = true;
	for (int iter = 0; iter < 500; iter++) {
		memblock_reset();
		memset(ram_map, 0, sizeof(ram_map));
		memset(res_map, 0, sizeof(res_map));
		memset(free_seen, 0, sizeof(free_seen));

		for (int i = 0; i < 1 + rand() % 12; i++) {
			unsigned long s = rand() % WIN, len = 1 + rand() % (WIN / 8);

			if (s + len > WIN)
				len = WIN - s;
			memblock_add(RAM + s, len);
			mark(ram_map, s, len);
		}
		for (int i = 0; i < rand() % 24; i++) {
			unsigned long s = rand() % WIN, len = 1 + rand() % 5000;

			if (s + len > WIN)
				len = WIN - s;
			memblock_reserve(RAM + s, len);
			mark(res_map, s, len);
		}
		rebuild_prefix();
		for (int i = 0; i < rand() % 8; i++) {
			unsigned long size = 1 + rand() % 10000;
			unsigned long align = 1UL << (rand() % 14);
			phys_addr_t a = memblock_alloc(size, align);
			long best = -1;

			/* Brute force: highest aligned start whose bytes are
			 * all free (start > 0 in physical terms always). */
			for (long s = ALIGN_DOWN((long)(WIN - size), (long)align);
			     s >= 0; s -= align)
				if (model_free(s, size)) {
					best = s;
					break;
				}
			if (best < 0 ? a != 0 : a != RAM + (phys_addr_t)best)
				alloc_ok = false;
			n_alloc += a != 0;
			n_fail += a == 0;
			if (a) {
				mark(res_map, a - RAM, size);
				rebuild_prefix();
			}
		}
		formed &= well_formed(&memblock.memory) &&
			  well_formed(&memblock.reserved);

		unsigned long n = memblock_free_all(check_range), want = 0;
		for (unsigned long pg = 0; pg < WIN / 4096; pg++) {
			bool f = model_free(pg * 4096, 4096);

			want += f;
			if (f != free_seen[pg])
				all_pages = false;
		}
		if (n != want)
			all_pages = false;
		n_pages += n;
	}
	printf("# random: %lu allocs, %lu failed, %lu free pages checked\n",
	       n_alloc, n_fail, n_pages);
	CHECK(n_alloc > 500 && n_fail > 0 && n_pages > 2000,
	      "random: the cases exercised both outcomes");
	CHECK(formed, "random: region arrays stay sorted and merged");
	CHECK(alloc_ok, "random: memblock_alloc returns the highest aligned free fit");
	CHECK(rnd_ok, "random: free_all yields only free, aligned, unique pages");
	CHECK(all_pages, "random: free_all yields every free page");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep lines if we crash */
	test_add_merge();
	test_reserve_arith();
	test_full();
	test_alloc();
	test_free_all_simple();
	test_random();
	return KTEST_DONE();
}
