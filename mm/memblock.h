/* memblock: the early boot allocator (as Linux's). Records which physical
 * ranges are RAM and which are reserved, hands out boot-time memory from the
 * top of RAM, then gives every remaining free page to the buddy allocator. */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H
#include "kernel/types.h"

#define MEMBLOCK_MAX_REGIONS 64
#define PHYS_ADDR_MAX (~(phys_addr_t)0)

/* [base, base + size). Within one memblock_type regions are sorted by base,
 * never overlap and never touch (adjacent ones are merged). */
struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned long cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

/*
 * Single-threaded: used only by the boot hart before the other harts and
 * interrupts are started, so there is no lock.
 */
struct memblock {
	phys_addr_t current_limit; /* memblock_alloc() stays below this */
	bool done;                 /* memblock_free_all() ran: no more allocs */
	struct memblock_type memory;   /* RAM */
	struct memblock_type reserved; /* in use: image, firmware, FDT, ... */
};

extern struct memblock memblock;

/* Add RAM / mark in use / remove RAM / unreserve. Ranges may overlap or touch
 * existing ones (they are merged or split). 0, or -ENOMEM when the region
 * array is full (nothing is changed then). size 0 is a no-op. */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);

/* Allocate size bytes aligned to align (a power of two; 0 means PAGE_SIZE)
 * from the highest free RAM (RAM minus reserved) inside [start, end), and
 * reserve it. Returns the physical address, 0 on failure. Memory is NOT
 * zeroed. memblock_alloc() uses [0, memblock.current_limit). */
phys_addr_t memblock_alloc_range(phys_addr_t size, phys_addr_t align,
				 phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);
void memblock_set_current_limit(phys_addr_t limit);

/* Queries. */
phys_addr_t memblock_start_of_DRAM(void);  /* 0 if no RAM */
phys_addr_t memblock_end_of_DRAM(void);    /* one past the last RAM byte */
phys_addr_t memblock_phys_mem_size(void);  /* total RAM bytes */
phys_addr_t memblock_reserved_size(void);  /* total reserved bytes */
bool memblock_is_memory(phys_addr_t addr);
/* true if any byte of [base, base + size) is reserved */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);

/* Call fn(start, end) for every maximal free range of RAM (RAM minus
 * reserved) shrunk to whole pages, in ascending order; start < end, both
 * page aligned, end exclusive. Returns the number of pages passed. After
 * this memblock_alloc() fails: the pages belong to the buddy allocator. */
typedef void (*memblock_free_fn)(phys_addr_t start, phys_addr_t end);
unsigned long memblock_free_all(memblock_free_fn fn);

/* Forget all regions and reset the limit (boot start, host tests). */
void memblock_reset(void);

#endif
