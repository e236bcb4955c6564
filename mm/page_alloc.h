/* The kernel's page allocator: the mem_map array, one global buddy zone
 * behind a spinlock, and the alloc_pages()/free_pages() family on top. */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H
#include "kernel/types.h"
#include "kernel/percpu_counter.h"
#include "mm/page.h"
#include "mm/buddy.h"

/*
 * Boot sequence: memblock_add()/memblock_reserve() everything, then
 * mem_map_init(PFN_DOWN(memblock_start_of_DRAM()),
 *              PFN_UP(memblock_end_of_DRAM())),
 * then page_alloc_init_free(). After that memblock is closed.
 */

/* Allocate mem_map for pfns [start_pfn, end_pfn) with memblock_alloc(),
 * zero it through __va() and mark every page PG_reserved. Sets mem_map,
 * min_pfn, max_pfn. Panics if memblock has no room. */
void mem_map_init(unsigned long start_pfn, unsigned long end_pfn);

/* Give every free memblock page to the buddy zone (memblock_free_all). */
void page_alloc_init_free(void);

/* 2^order contiguous pages (aligned to their size), refcount 1; NULL if
 * none. */
struct page *alloc_pages(unsigned int order);
#define alloc_page() alloc_pages(0)

/* Drop a reference to a block from alloc_pages(); it is freed when that
 * was the last one. order must be the allocation's. Freeing a page with
 * no references left is reported and ignored. */
void free_pages(struct page *page, unsigned int order);
#define free_page(page) free_pages(page, 0)

/* Drop a reference to an order-0 page, freeing it on the last one. */
void put_page(struct page *page);

/* Direct-map address conveniences (Linux's __get_free_pages() family). */
void *alloc_pages_va(unsigned int order);          /* NULL if none */
void free_pages_va(void *va, unsigned int order);  /* va NULL: no-op */
void *alloc_page_va(void);
void free_page_va(void *va);
void *get_zeroed_page(void);                       /* zero-filled page */
/* Zero / copy n bytes, n a multiple of 64 and the addresses 8-byte
 * aligned, in about half the instructions of memset/memcpy. */
void memzero_aligned(void *to, size_t n);
void memcpy_aligned(void *to, const void *from, size_t n);
#define clear_page(va) memzero_aligned(va, PAGE_SIZE)
#define copy_page(to, from) memcpy_aligned(to, from, PAGE_SIZE)

/* Pages currently free / pages managed by the allocator. */
unsigned long nr_free_pages(void);
/* Pages in use as page tables and as kernel stacks (/proc/meminfo's
 * PageTables and KernelStack), counted where they are allocated and freed. */
extern struct percpu_counter nr_pagetable_pages, nr_kernel_stack_pages;
static inline void mod_pagetable(long d)
{
	percpu_counter_add(&nr_pagetable_pages, d);
}
static inline void mod_kernel_stack(long d)
{
	percpu_counter_add(&nr_kernel_stack_pages, d);
}
unsigned long nr_total_pages(void);
/* Frees rejected so far (double free, bad page...). */
unsigned long nr_bad_page_frees(void);

#endif
