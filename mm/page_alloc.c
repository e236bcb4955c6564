/* The kernel's page allocator: sets up mem_map from memblock, moves the free
 * boot memory into a single buddy zone, and serves alloc_pages()/free_pages()
 * and the direct-map conveniences built on them. */
#include "mm/page_alloc.h"
#include "mm/memblock.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#ifdef HOST_TEST
/* Host tests link their own printk/panic (printf/abort). */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __noreturn __attribute__((format(printf, 1, 2)));
#define pr_warn(...) printk(__VA_ARGS__)
#else
#include "kernel/printk.h"
#endif

struct page *mem_map;
unsigned long min_pfn, max_pfn;

/*
 * One zone for all of RAM. zone_lock protects everything in main_zone: the
 * free lists, their counters and the PG_buddy/private fields of free pages.
 * Every allocation and free takes it, with interrupts off (interrupt
 * handlers may allocate).
 * TODO: per-hart page lists come later: no global lock on a hot path.
 */
static struct zone main_zone;
static spinlock_t zone_lock = SPINLOCK_INIT;

void mem_map_init(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long n = end_pfn - start_pfn;
	phys_addr_t size = (phys_addr_t)n * sizeof(struct page);
	phys_addr_t pa;

	/* memblock_alloc() takes from the top of RAM below its current
	 * limit; the boot code keeps that limit inside the direct map. */
	pa = memblock_alloc(ALIGN_UP(size, PAGE_SIZE), PAGE_SIZE);
	if (!pa)
		panic("mem_map_init: no memory for %lu struct pages\n", n);

	mem_map = __va(pa);
	min_pfn = start_pfn;
	max_pfn = end_pfn;
	memset(mem_map, 0, size);
	/* Everything is reserved until page_alloc_init_free() says otherwise;
	 * holes between RAM banks stay reserved for good. */
	for (unsigned long i = 0; i < n; i++)
		SetPageReserved(&mem_map[i]);

	zone_init(&main_zone, start_pfn, end_pfn);
}

/* memblock_free_all() callback: one free, page-aligned physical range. */
static void free_boot_range(phys_addr_t start, phys_addr_t end)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	/* zone_free_range() clips to the zone and clears PG_reserved. */
	zone_free_range(&main_zone, PFN_DOWN(start), PFN_DOWN(end));
	spin_unlock_irqrestore(&zone_lock, flags);
}

void page_alloc_init_free(void)
{
	memblock_free_all(free_boot_range);
}

struct page *alloc_pages(unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);
	struct page *page = zone_alloc(&main_zone, order);

	spin_unlock_irqrestore(&zone_lock, flags);
	return page;
}

static void count_bad_free(void)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	main_zone.nr_bad_free++;
	spin_unlock_irqrestore(&zone_lock, flags);
}

void free_pages(struct page *page, unsigned int order)
{
	unsigned long flags;
	int err;

	if (!page)
		return;
	if (page_count(page) <= 0) {
		pr_warn("free_pages: pfn %lx has no references (double free?)\n",
			page_to_pfn(page));
		count_bad_free();
		return;
	}
	if (!put_page_testzero(page))
		return; /* someone else still holds it */

	flags = spin_lock_irqsave(&zone_lock);
	err = zone_free(&main_zone, page, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (err)
		pr_warn("free_pages: bad free of pfn %lx order %u\n",
			page_to_pfn(page), order);
}

void put_page(struct page *page)
{
	free_pages(page, 0);
}

void *alloc_pages_va(unsigned int order)
{
	struct page *page = alloc_pages(order);

	return page ? page_address(page) : NULL;
}

void free_pages_va(void *va, unsigned int order)
{
	if (va)
		free_pages(virt_to_page(va), order);
}

void *alloc_page_va(void)
{
	return alloc_pages_va(0);
}

void free_page_va(void *va)
{
	free_pages_va(va, 0);
}

void *get_zeroed_page(void)
{
	void *va = alloc_page_va();

	if (va)
		memset(va, 0, PAGE_SIZE);
	return va;
}

/* The counters are read without the lock: a snapshot is all callers get. */
unsigned long nr_free_pages(void)
{
	return READ_ONCE(main_zone.free_pages);
}

unsigned long nr_total_pages(void)
{
	return READ_ONCE(main_zone.managed_pages);
}

unsigned long nr_bad_page_frees(void)
{
	return READ_ONCE(main_zone.nr_bad_free);
}
