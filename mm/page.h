/* struct page: one descriptor per physical page frame (the mem_map array),
 * its flags and refcount helpers, and pfn/physical/direct-map conversions.
 * Shared by the page allocator, slab and (later) the page cache. */
#ifndef MM_PAGE_H
#define MM_PAGE_H
#include "kernel/types.h"
#include "kernel/list.h"

/*
 * Page flags. As in Linux, PG_* are bit NUMBERS in page->flags: test and
 * change them with PageX()/SetPageX()/ClearPageX() below, never with
 * "page->flags & PG_x". Set/clear are atomic read-modify-writes, so
 * different owners may touch different bits of one page concurrently.
 */
enum pageflags {
	PG_buddy,         /* head of a free block in the buddy allocator */
	PG_reserved,      /* never handed to the page allocator (firmware, kernel
			   * image, mem_map itself, holes) */
	PG_slab,          /* page carved into kmalloc objects by mm/slab.c */
	PG_large_kmalloc, /* head of a multi-page kmalloc() allocation */
	NR_PAGEFLAGS,
};

struct page {
	unsigned long flags;  /* PG_* bits */
	int _refcount;        /* references; use page_count()/get_page()... */
	int _mapcount;        /* user page-table mappings; 0 = unmapped (unlike
			       * Linux this is NOT offset by -1) */
	/* PG_buddy head: order of the free block. Allocated by alloc_pages():
	 * the block's order. PG_slab: kmalloc size class index. */
	unsigned long private;
	/* Buddy free list (PG_buddy head), a hart's free-page cache (in front
	 * of the buddy allocator), or slab partial list (PG_slab). Owned by
	 * whoever owns the page; free for other use otherwise. */
	struct list_head lru;
	/* Page cache: owning object. PG_slab: first free object of the page.
	 * Reset (with index) when the page is freed to the buddy allocator. */
	void *mapping;
	/* Page cache: offset in the owner, in pages. PG_slab: objects in use. */
	unsigned long index;
};

/*
 * The struct page array. It covers page frame numbers [min_pfn, max_pfn):
 * min_pfn is the first pfn of RAM, max_pfn is ONE PAST the last (as Linux).
 * Set up by mem_map_init() (mm/page_alloc.c); host tests define their own.
 */
extern struct page *mem_map;
extern unsigned long min_pfn, max_pfn;

/* ---- flags ---- */
static inline bool page_flag_test(const struct page *page, int bit)
{
	return (__atomic_load_n(&page->flags, __ATOMIC_RELAXED) >> bit) & 1;
}
static inline void page_flag_set(struct page *page, int bit)
{
	__atomic_fetch_or(&page->flags, 1UL << bit, __ATOMIC_RELAXED);
}
static inline void page_flag_clear(struct page *page, int bit)
{
	__atomic_fetch_and(&page->flags, ~(1UL << bit), __ATOMIC_RELAXED);
}
/* Clear the bit; true if it was set (only one racing caller wins). */
static inline bool page_flag_test_and_clear(struct page *page, int bit)
{
	return (__atomic_fetch_and(&page->flags, ~(1UL << bit),
				   __ATOMIC_ACQ_REL) >> bit) & 1;
}

#define PAGEFLAG(Name, bit)                                                  \
	static inline bool Page##Name(const struct page *p)                  \
	{ return page_flag_test(p, bit); }                                   \
	static inline void SetPage##Name(struct page *p)                     \
	{ page_flag_set(p, bit); }                                           \
	static inline void ClearPage##Name(struct page *p)                   \
	{ page_flag_clear(p, bit); }

PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(LargeKmalloc, PG_large_kmalloc)
#undef PAGEFLAG

/* ---- pfn <-> struct page <-> physical address ---- */
#define PFN_UP(pa) (((pa) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(pa) ((pa) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= min_pfn && pfn < max_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - min_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + min_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(PFN_DOWN(pa));
}

/* ---- the direct map: all RAM mapped linearly at PAGE_OFFSET ---- */
#define PAGE_OFFSET 0xffff800000000000UL

#ifdef HOST_TEST
/* Host tests stand a malloc'd buffer in for RAM: physical address
 * host_ram_base_pa lives at host_ram[0]. The test defines both. */
extern char *host_ram;
extern u64 host_ram_base_pa;
#define __va(pa) ((void *)(host_ram + ((u64)(pa) - host_ram_base_pa)))
#define __pa(va) ((u64)((char *)(va) - host_ram) + host_ram_base_pa)
#else
#define __va(pa) ((void *)((u64)(pa) + PAGE_OFFSET))
#define __pa(va) ((u64)(va) - PAGE_OFFSET)
#endif

static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *va)
{
	return phys_to_page(__pa(va));
}

/* ---- reference counts ---- */
static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; true if it was the last one (the caller then frees).
 * Acquire/release so the freeing side sees every other holder's writes. */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

#endif
