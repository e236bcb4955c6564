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
#define PCP_NR_CPUS 1
static inline int pcp_cpu(void) { return 0; }
#else
#include "kernel/printk.h"
#include "proc/task.h"
#define PCP_NR_CPUS NR_CPUS
static inline int pcp_cpu(void) { return smp_processor_id(); }
#endif

struct page *mem_map;
unsigned long min_pfn, max_pfn;

/*
 * One zone for all of RAM. zone_lock protects everything in main_zone: the
 * free lists, their counters and the PG_buddy/private fields of free pages.
 * Every allocation and free that misses the per-hart caches below takes
 * it, with interrupts off (interrupt handlers may allocate).
 */
static struct zone main_zone;
static spinlock_t zone_lock = SPINLOCK_INIT;

/*
 * Per-hart caches of free blocks up to order 2 (single pages; kernel
 * stacks) in front of the zone (Linux's per-cpu pagesets). Fork, exit and
 * faults free and allocate such blocks in quick succession, and a list
 * push/pop costs a fraction of the buddy's split, merge and double-free
 * scan. Blocks here count as free; their pages have refcount 0 and no
 * PG_buddy, so a second free_pages() is still caught by its refcount
 * check. Each cache has its own lock (not just interrupts off) so a hart
 * that finds the zone empty can drain the other harts' caches.
 * Lock order: a pcp lock, then zone_lock.
 */
#define PCP_MAX_ORDER 2
#define PCP_HIGH_PAGES 64U /* per list: above this, a batch goes back */
#define PCP_BATCH_ORDER 4
#define PCP_BATCH_PAGES (1U << PCP_BATCH_ORDER) /* moved to or from the zone at a time */

struct per_cpu_pages {
	spinlock_t lock; /* protects lists[] and count[] */
	struct list_head lists[PCP_MAX_ORDER + 1]; /* head pages, through lru */
	unsigned int count[PCP_MAX_ORDER + 1];     /* blocks on each list */
};
static struct per_cpu_pages pcp[PCP_NR_CPUS];
static unsigned long pcp_pages; /* pages in all the caches (atomic) */

static void pcp_init(void)
{
	for (int c = 0; c < PCP_NR_CPUS; c++) {
		spin_lock_init(&pcp[c].lock);
		for (int o = 0; o <= PCP_MAX_ORDER; o++) {
			INIT_LIST_HEAD(&pcp[c].lists[o]);
			pcp[c].count[o] = 0;
		}
	}
	pcp_pages = 0;
}

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
	pcp_init();
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

/* Move a batch of blocks of this order from the zone to pc (pc->lock
 * held): one batch-sized block cut up when the zone has one, a single
 * buddy split instead of one per block; else block by block. */
static void pcp_refill(struct per_cpu_pages *pc, unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);
	unsigned int n = PCP_BATCH_PAGES >> order;
	struct page *big = zone_alloc(&main_zone, PCP_BATCH_ORDER);

	if (big) {
		set_page_count(big, 0); /* each piece is a free block now */
		big->private = 0;
		for (unsigned int i = 0; i < n; i++)
			list_add_tail(&big[i << order].lru, &pc->lists[order]);
		pc->count[order] += n;
		__atomic_add_fetch(&pcp_pages, PCP_BATCH_PAGES, __ATOMIC_RELAXED);
		n = 0;
	}
	for (; n; n--) {
		struct page *page = zone_alloc(&main_zone, order);
		if (!page)
			break;
		list_add_tail(&page->lru, &pc->lists[order]);
		pc->count[order]++;
		__atomic_add_fetch(&pcp_pages, 1UL << order, __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&zone_lock, flags);
}

/* Give the zone the n least recently freed blocks of pc's list (lock held). */
static void pcp_drain(struct per_cpu_pages *pc, unsigned int order, unsigned int n)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	for (; n && pc->count[order]; n--) {
		struct page *page = list_entry(pc->lists[order].prev, struct page, lru);
		list_del(&page->lru);
		pc->count[order]--;
		__atomic_sub_fetch(&pcp_pages, 1UL << order, __ATOMIC_RELAXED);
		if (zone_free(&main_zone, page, order))
			pr_warn("pcp: bad block pfn %lx order %u\n", page_to_pfn(page), order);
	}
	spin_unlock_irqrestore(&zone_lock, flags);
}

/* Every hart's cached blocks back to the zone, so they can merge: for an
 * allocation the zone alone could not satisfy. True if any were moved. */
static bool pcp_drain_all(void)
{
	bool moved = false;

	for (int c = 0; c < PCP_NR_CPUS; c++) {
		struct per_cpu_pages *pc = &pcp[c];
		unsigned long flags = spin_lock_irqsave(&pc->lock);
		for (unsigned int o = 0; o <= PCP_MAX_ORDER; o++) {
			moved |= pc->count[o] != 0;
			pcp_drain(pc, o, pc->count[o]);
		}
		spin_unlock_irqrestore(&pc->lock, flags);
	}
	return moved;
}

static struct page *pcp_alloc(unsigned int order)
{
	struct per_cpu_pages *pc = &pcp[pcp_cpu()];
	unsigned long flags = spin_lock_irqsave(&pc->lock);
	struct page *page = NULL;

	if (!pc->count[order])
		pcp_refill(pc, order);
	if (pc->count[order]) {
		page = list_first_entry(&pc->lists[order], struct page, lru);
		list_del(&page->lru);
		pc->count[order]--;
		__atomic_sub_fetch(&pcp_pages, 1UL << order, __ATOMIC_RELAXED);
		page->private = order; /* as zone_alloc leaves it */
		set_page_count(page, 1);
	}
	spin_unlock_irqrestore(&pc->lock, flags);
	return page;
}

/* The checks zone_free() makes, but its double-free scan: a cached block
 * has refcount 0, so free_pages() rejects a second free before this. */
static bool pcp_can_take(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	return order <= PCP_MAX_ORDER && !(pfn & ((1UL << order) - 1)) && pfn >= min_pfn &&
	       pfn + (1UL << order) <= max_pfn && !PageReserved(page) && !PageSlab(page) &&
	       !PageLargeKmalloc(page) && !PageBuddy(page);
}

static void pcp_free(struct page *page, unsigned int order)
{
	struct per_cpu_pages *pc = &pcp[pcp_cpu()];
	unsigned long flags = spin_lock_irqsave(&pc->lock);

	page->mapping = NULL;
	page->index = 0;
	list_add(&page->lru, &pc->lists[order]);
	pc->count[order]++;
	__atomic_add_fetch(&pcp_pages, 1UL << order, __ATOMIC_RELAXED);
	if (pc->count[order] > PCP_HIGH_PAGES >> order)
		pcp_drain(pc, order, PCP_BATCH_PAGES >> order);
	spin_unlock_irqrestore(&pc->lock, flags);
}

static struct page *zone_alloc_locked(unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);
	struct page *page = zone_alloc(&main_zone, order);

	spin_unlock_irqrestore(&zone_lock, flags);
	return page;
}

struct page *alloc_pages(unsigned int order)
{
	struct page *page = order <= PCP_MAX_ORDER ? pcp_alloc(order) : zone_alloc_locked(order);

	if (!page && pcp_drain_all())
		page = zone_alloc_locked(order);
	return page;
}

static void count_bad_free(void)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	main_zone.nr_bad_free++;
	spin_unlock_irqrestore(&zone_lock, flags);
}

/* The last reference is gone. Kept out of line: most free_pages() calls
 * only drop a reference to a shared frame and return. */
static __attribute__((noinline)) void free_unref_pages(struct page *page, unsigned int order)
{
	unsigned long flags;
	int err;

	if (pcp_can_take(page, order)) {
		pcp_free(page, order);
		return;
	}

	flags = spin_lock_irqsave(&zone_lock);
	err = zone_free(&main_zone, page, order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (err)
		pr_warn("free_pages: bad free of pfn %lx order %u\n",
			page_to_pfn(page), order);
}

void free_pages(struct page *page, unsigned int order)
{
	if (!page)
		return;
	if (page_count(page) <= 0) {
		pr_warn("free_pages: pfn %lx has no references (double free?)\n",
			page_to_pfn(page));
		count_bad_free();
		return;
	}
	if (put_page_testzero(page))
		free_unref_pages(page, order);
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

/* Pages (and half pages) are cleared and copied 64 bytes per loop turn:
 * page tables, anonymous faults and COW copies are on the fork and fault
 * paths, and the general memset/memcpy spend about twice the
 * instructions. The volatile accesses keep the compiler from turning the
 * loops back into memset/memcpy calls. */
void memzero_aligned(void *to, size_t n)
{
	volatile u64 *p = to;

	for (volatile u64 *end = p + n / 8; p < end; p += 8) {
		p[0] = 0, p[1] = 0, p[2] = 0, p[3] = 0;
		p[4] = 0, p[5] = 0, p[6] = 0, p[7] = 0;
	}
}

void memcpy_aligned(void *to, const void *from, size_t n)
{
	volatile u64 *d = to;
	const volatile u64 *s = from;

	for (const volatile u64 *end = s + n / 8; s < end; s += 8, d += 8) {
		u64 a = s[0], b = s[1], c = s[2], e = s[3];
		u64 f = s[4], g = s[5], h = s[6], i = s[7];
		d[0] = a, d[1] = b, d[2] = c, d[3] = e;
		d[4] = f, d[5] = g, d[6] = h, d[7] = i;
	}
}

void *get_zeroed_page(void)
{
	void *va = alloc_page_va();

	if (va)
		clear_page(va);
	return va;
}

/* The counters are read without the lock: a snapshot is all callers get. */
struct percpu_counter nr_pagetable_pages, nr_kernel_stack_pages;

unsigned long nr_free_pages(void)
{
	return READ_ONCE(main_zone.free_pages) + __atomic_load_n(&pcp_pages, __ATOMIC_RELAXED);
}

unsigned long nr_total_pages(void)
{
	return READ_ONCE(main_zone.managed_pages);
}

unsigned long nr_bad_page_frees(void)
{
	return READ_ONCE(main_zone.nr_bad_free);
}
