/* kmalloc/kfree: small kernel objects from power-of-two size classes
 * (16..2048 bytes) carved out of single pages, bigger ones straight from
 * the page allocator. */
#ifndef MM_SLAB_H
#define MM_SLAB_H
#include "kernel/types.h"

#define KMALLOC_MIN_SHIFT 4
#define KMALLOC_MAX_SHIFT 11
#define KMALLOC_MIN_SIZE (1UL << KMALLOC_MIN_SHIFT)        /* 16 */
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_MAX_SHIFT)  /* 2048 */
#define KMALLOC_NR_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

/*
 * Memory for size bytes, or NULL. Up to 2048 bytes the object is aligned to
 * its size class (the next power of two, at least 16); above that it is
 * whole pages (2^order of them, page aligned, at most 4 MiB).
 * kmalloc(0) returns a valid, distinct pointer that must not be accessed.
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size); /* zero-filled */
/* Free a kmalloc() pointer; NULL is a no-op. Pointers kmalloc never
 * returned, and double frees, are reported, counted and ignored. */
void kfree(const void *ptr);

struct kmem_class_stats {
	unsigned long size;       /* object size of this class */
	unsigned long slab_pages; /* pages the class holds */
	unsigned long objs_inuse; /* objects handed out */
	unsigned long objs_total; /* objects in those pages, used or free */
};

struct kmem_stats {
	struct kmem_class_stats cls[KMALLOC_NR_CLASSES];
	unsigned long large_allocs; /* live allocations above 2048 bytes */
	unsigned long large_pages;  /* pages those use */
	unsigned long bad_frees;    /* kfree() calls rejected */
};

/* Snapshot of the allocator's counters. */
void kmem_get_stats(struct kmem_stats *st);

/* slub_debug on the command line: poison freed objects and check them. */
extern bool slub_debug;

#endif
