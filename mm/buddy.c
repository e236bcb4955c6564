/* The buddy allocator: free memory as naturally aligned blocks of 2^order
 * pages on per-order lists; allocation splits a larger block, freeing merges
 * with the buddy (pfn ^ 2^order) while it is free. Metadata only. */
#include "mm/buddy.h"
#include "kernel/errno.h"

/*
 * Invariants, for every free block:
 *  - its head page has PG_buddy set, private = order, and is linked through
 *    lru on free_area[order].free_list; its other pages carry no PG_buddy;
 *  - head pfn is a multiple of 2^order and the block lies inside the zone.
 * Allocated pages never have PG_buddy.
 */

static void add_to_free_area(struct zone *zone, struct page *page,
			     unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
}

static void del_from_free_area(struct zone *zone, struct page *page,
			       unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/* Is the free block whose head is at pfn exactly of this order? */
static bool is_free_block(unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(pfn);

	return PageBuddy(page) && page->private == order;
}

/*
 * Would freeing [pfn, pfn + 2^order) free something already free? That
 * happens if a free block lies inside the range (its head is one of our
 * pages) or if a larger free block contains it (its head is pfn rounded
 * down to that block's order). Costs 2^order + MAX_ORDER flag reads.
 */
static bool overlaps_free(struct zone *zone, unsigned long pfn,
			  unsigned int order)
{
	unsigned long i;
	unsigned int q;

	for (i = 0; i < (1UL << order); i++)
		if (PageBuddy(pfn_to_page(pfn + i)))
			return true;
	for (q = order + 1; q < MAX_ORDER; q++) {
		unsigned long head = ALIGN_DOWN(pfn, 1UL << q);

		if (head < zone->start_pfn)
			break;
		if (is_free_block(head, q))
			return true;
	}
	return false;
}

/* Put a checked block on the free lists, merging with free buddies. */
static void free_block(struct zone *zone, unsigned long pfn,
		       unsigned int order)
{
	zone->free_pages += 1UL << order;

	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);

		/* The buddy must be in this zone, free, and of the same order
		 * (a smaller free block there means the rest is in use). */
		if (buddy_pfn < zone->start_pfn || buddy_pfn >= zone->end_pfn)
			break;
		if (!is_free_block(buddy_pfn, order))
			break;
		del_from_free_area(zone, pfn_to_page(buddy_pfn), order);
		pfn &= buddy_pfn; /* the merged block starts at the lower one */
		order++;
	}
	add_to_free_area(zone, pfn_to_page(pfn), order);
}

void zone_init(struct zone *zone, unsigned long start_pfn,
	       unsigned long end_pfn)
{
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
		zone->free_area[o].nr_free = 0;
	}
	zone->start_pfn = start_pfn;
	zone->end_pfn = end_pfn;
	zone->managed_pages = 0;
	zone->free_pages = 0;
	zone->nr_bad_free = 0;
}

/* Largest order of a block starting at pfn that fits before end. */
static unsigned int max_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER - 1 && !(pfn & (1UL << order)) &&
	       pfn + (2UL << order) <= end)
		order++;
	return order;
}

unsigned long zone_free_range(struct zone *zone, unsigned long start_pfn,
			      unsigned long end_pfn)
{
	unsigned long pfn, added = 0;

	start_pfn = MAX(start_pfn, zone->start_pfn);
	end_pfn = MIN(end_pfn, zone->end_pfn);

	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned int order = max_block_order(pfn, end_pfn);
		unsigned long n = 1UL << order;

		if (overlaps_free(zone, pfn, order)) {
			zone->nr_bad_free++;
		} else {
			for (unsigned long i = 0; i < n; i++) {
				struct page *page = pfn_to_page(pfn + i);

				ClearPageReserved(page);
				set_page_count(page, 0);
			}
			free_block(zone, pfn, order);
			zone->managed_pages += n;
			added += n;
		}
		pfn += n;
	}
	return added;
}

struct page *zone_alloc(struct zone *zone, unsigned int order)
{
	struct page *page;
	unsigned int o;

	if (order >= MAX_ORDER)
		return NULL;
	for (o = order; o < MAX_ORDER; o++)
		if (!list_empty(&zone->free_area[o].free_list))
			break;
	if (o == MAX_ORDER)
		return NULL;

	page = list_first_entry(&zone->free_area[o].free_list, struct page,
				lru);
	del_from_free_area(zone, page, o);
	/* Split: keep the lower half, give back the upper half each time. */
	while (o > order) {
		o--;
		add_to_free_area(zone, page + (1UL << o), o);
	}
	zone->free_pages -= 1UL << order;
	page->private = order;
	set_page_count(page, 1);
	return page;
}

int zone_free(struct zone *zone, struct page *page, unsigned int order)
{
	unsigned long pfn;

	if (order >= MAX_ORDER)
		goto bad;
	pfn = page_to_pfn(page);
	if (pfn & ((1UL << order) - 1))
		goto bad;
	if (pfn < zone->start_pfn || pfn + (1UL << order) > zone->end_pfn)
		goto bad;
	if (PageReserved(page) || PageSlab(page) || PageLargeKmalloc(page))
		goto bad;
	if (overlaps_free(zone, pfn, order))
		goto bad; /* double free */

	set_page_count(page, 0);
	page->mapping = NULL;
	page->index = 0;
	free_block(zone, pfn, order);
	return 0;
bad:
	zone->nr_bad_free++;
	return -EINVAL;
}
