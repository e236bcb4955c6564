/* The buddy allocator proper: free blocks of 2^order pages per zone, split
 * on allocation, merged with their buddy on free. Touches only struct page
 * metadata and takes no locks: the caller (mm/page_alloc.c) serialises. */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H
#include "kernel/types.h"
#include "kernel/list.h"
#include "mm/page.h"

#define MAX_ORDER 11 /* orders 0..MAX_ORDER-1: blocks of 1 page .. 4 MiB */

struct free_area {
	struct list_head free_list; /* head pages (PG_buddy) of free blocks */
	unsigned long nr_free;      /* number of blocks on free_list */
};

struct zone {
	struct free_area free_area[MAX_ORDER];
	unsigned long start_pfn, end_pfn; /* span [start_pfn, end_pfn) */
	unsigned long managed_pages;      /* pages given by zone_free_range() */
	unsigned long free_pages;         /* pages currently free */
	unsigned long nr_bad_free;        /* rejected frees (double free...) */
};

/* Empty zone spanning pfns [start_pfn, end_pfn); mem_map must cover it. */
void zone_init(struct zone *zone, unsigned long start_pfn,
	       unsigned long end_pfn);

/* Hand pages [start_pfn, end_pfn) (clipped to the span) to the zone as the
 * largest naturally aligned blocks that fit. Clears PG_reserved and zeroes
 * the refcount of each page. Returns the number of pages added; pages that
 * are already free are skipped and counted in nr_bad_free. */
unsigned long zone_free_range(struct zone *zone, unsigned long start_pfn,
			      unsigned long end_pfn);

/* A block of 2^order pages aligned to 2^order pfns, or NULL. The head page
 * gets refcount 1 and private = order; the other pages are untouched. */
struct page *zone_alloc(struct zone *zone, unsigned int order);

/* Return a block from zone_alloc(), merging it with free buddies. Ignores
 * the refcount (the caller decided to free). Returns 0, or -EINVAL (and
 * counts nr_bad_free, changing nothing) if the block is misaligned, outside
 * the zone, reserved/slab, or any part of it is already free. */
int zone_free(struct zone *zone, struct page *page, unsigned int order);

#endif
