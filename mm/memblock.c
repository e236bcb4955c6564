/* memblock: the early boot allocator. Two sorted arrays of physical ranges,
 * "memory" (RAM) and "reserved" (in use); free memory is memory minus
 * reserved. Fixed-size arrays, no dynamic allocation. */
#include "mm/memblock.h"
#include "kernel/errno.h"

struct memblock memblock = {
	.current_limit = PHYS_ADDR_MAX,
};

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* End of [base, base + size), clamped so that it cannot wrap around. */
static phys_addr_t range_end(phys_addr_t base, phys_addr_t size)
{
	if (size > PHYS_ADDR_MAX - base)
		return PHYS_ADDR_MAX;
	return base + size;
}

/* Add [base, end) to type, merging with every region it overlaps or touches. */
static int add_range(struct memblock_type *type, phys_addr_t base,
		     phys_addr_t end)
{
	struct memblock_region *r = type->regions;
	unsigned long i, j, k;

	if (base >= end)
		return 0;

	/* i: first region that ends at or after base (may merge with us). */
	for (i = 0; i < type->cnt && region_end(&r[i]) < base; i++)
		;
	/* j: first region after i that starts beyond end (cannot merge). */
	for (j = i; j < type->cnt && r[j].base <= end; j++) {
		base = MIN(base, r[j].base);
		end = MAX(end, region_end(&r[j]));
	}

	if (j == i) {
		/* Touches nothing: insert a new region at index i. */
		if (type->cnt >= MEMBLOCK_MAX_REGIONS)
			return -ENOMEM;
		for (k = type->cnt; k > i; k--)
			r[k] = r[k - 1];
		type->cnt++;
	} else {
		/* Regions i..j-1 collapse into r[i]; close the gap after it. */
		for (k = 0; j + k < type->cnt; k++)
			r[i + 1 + k] = r[j + k];
		type->cnt -= j - i - 1;
	}
	r[i].base = base;
	r[i].size = end - base;
	return 0;
}

/* Remove [base, end) from type, trimming or splitting regions. */
static int remove_range(struct memblock_type *type, phys_addr_t base,
			phys_addr_t end)
{
	struct memblock_region *r = type->regions;
	unsigned long i, k;

	if (base >= end)
		return 0;

	for (i = 0; i < type->cnt;) {
		phys_addr_t rb = r[i].base, re = region_end(&r[i]);

		if (re <= base) {
			i++;
			continue;
		}
		if (rb >= end)
			break;

		if (rb < base && re > end) {
			/* Hole in the middle: split r[i] into two. */
			if (type->cnt >= MEMBLOCK_MAX_REGIONS)
				return -ENOMEM;
			for (k = type->cnt; k > i + 1; k--)
				r[k] = r[k - 1];
			type->cnt++;
			r[i].size = base - rb;
			r[i + 1].base = end;
			r[i + 1].size = re - end;
			break;
		}
		if (rb < base) {
			/* Keep the head. */
			r[i].size = base - rb;
			i++;
		} else if (re > end) {
			/* Keep the tail; nothing later can overlap. */
			r[i].base = end;
			r[i].size = re - end;
			break;
		} else {
			/* Entirely covered: delete r[i]. */
			for (k = i; k + 1 < type->cnt; k++)
				r[k] = r[k + 1];
			type->cnt--;
		}
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.memory, base, range_end(base, size));
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return add_range(&memblock.reserved, base, range_end(base, size));
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.memory, base, range_end(base, size));
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.reserved, base, range_end(base, size));
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.current_limit = PHYS_ADDR_MAX;
	memblock.done = false;
}

/*
 * Walk the free ranges (memory minus reserved) in ascending order, calling
 * fn(arg, start, end) for each. Both arrays are sorted and merged, so the
 * free parts of a memory region are the gaps between the reserved regions
 * that overlap it.
 */
static void for_each_free_range(void (*fn)(void *arg, phys_addr_t start,
					   phys_addr_t end),
				void *arg)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *res = &memblock.reserved;
	unsigned long i, j = 0;

	for (i = 0; i < mem->cnt; i++) {
		phys_addr_t cur = mem->regions[i].base;
		phys_addr_t end = region_end(&mem->regions[i]);

		/* Reserved regions wholly below this memory region never
		 * matter again: j only moves forward. */
		while (j < res->cnt && region_end(&res->regions[j]) <= cur)
			j++;
		for (unsigned long k = j; k < res->cnt; k++) {
			const struct memblock_region *r = &res->regions[k];

			if (r->base >= end)
				break;
			if (r->base > cur)
				fn(arg, cur, r->base);
			cur = MAX(cur, region_end(r));
			if (cur >= end)
				break;
		}
		if (cur < end)
			fn(arg, cur, end);
	}
}

struct alloc_search {
	phys_addr_t size, align, start, end;
	phys_addr_t found; /* best (highest) candidate so far, 0 = none */
};

/* Try to place the block at the top of [start, end) clipped to the search
 * window. Ranges come in ascending order, so the last fit is the highest. */
static void alloc_try_range(void *arg, phys_addr_t start, phys_addr_t end)
{
	struct alloc_search *s = arg;
	phys_addr_t cand;

	start = MAX(start, s->start);
	end = MIN(end, s->end);
	if (start >= end || end - start < s->size)
		return;
	cand = ALIGN_DOWN(end - s->size, s->align);
	if (cand < start || cand == 0) /* 0 means failure to our callers */
		return;
	s->found = cand;
}

phys_addr_t memblock_alloc_range(phys_addr_t size, phys_addr_t align,
				 phys_addr_t start, phys_addr_t end)
{
	struct alloc_search s;

	if (memblock.done || size == 0)
		return 0;
	if (align == 0)
		align = PAGE_SIZE;
	if (align & (align - 1))
		return 0; /* not a power of two */

	s.size = size;
	s.align = align;
	s.start = start;
	s.end = end;
	s.found = 0;
	for_each_free_range(alloc_try_range, &s);
	if (s.found == 0)
		return 0;
	if (memblock_reserve(s.found, size) != 0)
		return 0;
	return s.found;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_range(size, align, 0, memblock.current_limit);
}

phys_addr_t memblock_start_of_DRAM(void)
{
	if (memblock.memory.cnt == 0)
		return 0;
	return memblock.memory.regions[0].base;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	if (memblock.memory.cnt == 0)
		return 0;
	return region_end(&memblock.memory.regions[memblock.memory.cnt - 1]);
}

static phys_addr_t total_size(const struct memblock_type *type)
{
	phys_addr_t sum = 0;

	for (unsigned long i = 0; i < type->cnt; i++)
		sum += type->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return total_size(&memblock.memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return total_size(&memblock.reserved);
}

bool memblock_is_memory(phys_addr_t addr)
{
	const struct memblock_type *mem = &memblock.memory;

	for (unsigned long i = 0; i < mem->cnt; i++)
		if (addr >= mem->regions[i].base &&
		    addr < region_end(&mem->regions[i]))
			return true;
	return false;
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_type *res = &memblock.reserved;
	phys_addr_t end = range_end(base, size);

	for (unsigned long i = 0; i < res->cnt; i++)
		if (res->regions[i].base < end &&
		    region_end(&res->regions[i]) > base)
			return true;
	return false;
}

struct free_all_state {
	memblock_free_fn fn;
	unsigned long pages;
};

/* Shrink a free range to whole pages and hand it on. */
static void free_all_range(void *arg, phys_addr_t start, phys_addr_t end)
{
	struct free_all_state *st = arg;

	phys_addr_t up = ALIGN_UP(start, PAGE_SIZE);

	if (up < start)
		return; /* wrapped: no whole page left at the top of the space */
	start = up;
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return;
	st->fn(start, end);
	st->pages += (end - start) >> PAGE_SHIFT;
}

unsigned long memblock_free_all(memblock_free_fn fn)
{
	struct free_all_state st = { fn, 0 };

	for_each_free_range(free_all_range, &st);
	memblock.done = true;
	return st.pages;
}
