/* kmalloc/kfree: each power-of-two size class owns pages (PG_slab) cut into
 * equal objects, the free ones chained through their first word. Above 2048
 * bytes: page blocks from alloc_pages(), order kept in the head page. */
#include "mm/slab.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#ifdef HOST_TEST
/* Host tests link their own printk (printf). */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pr_warn(...) printk(__VA_ARGS__)
#define pr_err(...) printk(__VA_ARGS__)
#else
#include "kernel/printk.h"
#endif

/*
 * Under AddressSanitizer (host tests) free objects and the unrequested tail
 * of each object are poisoned, so overruns and use-after-free fault like they
 * would with KASAN. In the kernel these are no-ops.
 */
#if defined(HOST_TEST) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define kasan_poison(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define kasan_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define kasan_poison(p, n) do { (void)(p); (void)(n); } while (0)
#define kasan_unpoison(p, n) do { (void)(p); (void)(n); } while (0)
#endif

/*
 * A free object starts with this header. magic marks it free: kfree() of an
 * object whose magic is set then walks the page's free list to tell a real
 * double free from user data that happens to look like the magic.
 */
struct free_obj {
	struct free_obj *next;
	unsigned long magic;
};
#define SLAB_FREE_MAGIC 0x5ab0f7eeda7a5ab0UL

/*
 * Slab pages reuse struct page fields:
 *   private  class index
 *   mapping  first free object (NULL: page full)
 *   index    objects in use
 *   lru      link on the class's partial list (only while not full)
 */
struct kmalloc_class {
	/* Protects partial, the counters below, and the private/mapping/
	 * index/lru fields and free objects of every page of this class.
	 * Lock order: a class lock, then zone_lock (page allocator). */
	spinlock_t lock;
	unsigned long size;       /* object size */
	struct list_head partial; /* pages with at least one free object */
	unsigned long nr_slabs;   /* pages owned (partial or full) */
	unsigned long nr_inuse;   /* objects handed out */
};

#define CLASS(i) { SPINLOCK_INIT, KMALLOC_MIN_SIZE << (i),                 \
		   LIST_HEAD_INIT(kmalloc_classes[i].partial), 0, 0 }
static struct kmalloc_class kmalloc_classes[KMALLOC_NR_CLASSES] = {
	CLASS(0), CLASS(1), CLASS(2), CLASS(3),
	CLASS(4), CLASS(5), CLASS(6), CLASS(7),
};
#undef CLASS
_Static_assert(KMALLOC_NR_CLASSES == 8, "update kmalloc_classes[]");
_Static_assert(sizeof(struct free_obj) <= KMALLOC_MIN_SIZE,
	       "free object header must fit the smallest class");

/*
 * slub_debug on the command line (Linux's switch): a freed object is
 * filled with POISON_FREE after its header, and its third word records
 * who freed it; kmalloc checks the poison before handing it out again,
 * so a write after free is reported with the culprit's victim and the
 * freeing call site instead of corrupting memory later. Always on, and
 * cheap: a free object's next link must point into its own page.
 */
bool slub_debug;
#define POISON_FREE 0x6b
#define DEBUG_HDR (3 * sizeof(unsigned long)) /* next, magic, freeing caller */

#ifdef HOST_TEST
#define caller_name(a, off) ((void)(a), *(off) = 0, "?")
#else
#include "kernel/kallsyms.h"
#define caller_name(a, off) kallsyms_lookup(a, off)
#endif

/* The third word of a free object: the freeing call site | 1 when its body
 * is poisoned, 0 when not (made before slub_debug was parsed). Return
 * addresses are 2-byte aligned, so bit 0 is free for the mark. */
static void poison_free_obj(struct kmalloc_class *c, struct free_obj *obj, unsigned long caller)
{
	if (c->size < DEBUG_HDR)
		return;
	kasan_unpoison(obj, c->size); /* the caller poisons it again */
	((unsigned long *)obj)[2] = slub_debug ? caller | 1 : 0;
	if (slub_debug)
		memset((char *)obj + DEBUG_HDR, POISON_FREE, c->size - DEBUG_HDR);
}

/* Is obj, about to be handed out from page, intact? Reports if not. */
static bool free_obj_intact(struct kmalloc_class *c, struct page *page, struct free_obj *obj)
{
	const unsigned char *p = (const unsigned char *)obj;
	unsigned long base = (unsigned long)page_address(page), next = (unsigned long)obj->next;
	unsigned long bad = ~0UL;

	if (next && (next - base >= PAGE_SIZE || (next - base) % c->size))
		bad = 0;
	else if (slub_debug && obj->magic != SLAB_FREE_MAGIC)
		bad = sizeof(void *);
	else if (slub_debug && c->size >= DEBUG_HDR && (((unsigned long *)obj)[2] & 1))
		for (unsigned long i = DEBUG_HDR; i < c->size && bad == ~0UL; i++)
			if (p[i] != POISON_FREE)
				bad = i;
	if (bad == ~0UL)
		return true;
	unsigned long off, freer = c->size >= DEBUG_HDR ? ((unsigned long *)obj)[2] & ~1UL : 0;
	const char *name = freer && slub_debug ? caller_name(freer, &off) : NULL;
	pr_err("BUG kmalloc-%lu: free object %lx modified at offset %lu (word %016lx)%s%s+%#lx\n",
	       c->size, (unsigned long)obj, bad, *(const unsigned long *)(p + (bad & ~7UL)),
	       name ? "; freed by " : "", name ? name : "", name ? off : 0);
	return false;
}

/* Counters for big allocations, updated with atomics (no lock). */
static unsigned long large_allocs, large_pages, bad_frees;

static unsigned int size_to_class(size_t size)
{
	unsigned int idx = 0;

	/* Smallest class that fits. A loop, not __builtin_clzl(): without
	 * Zbb that becomes a libgcc call, and the kernel has no libgcc. */
	while ((KMALLOC_MIN_SIZE << idx) < size)
		idx++;
	return idx;
}

static unsigned int size_to_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size && order < MAX_ORDER)
		order++;
	return order;
}

static void bad_free(const void *ptr, const char *why)
{
	pr_warn("kfree: bad pointer %lx: %s\n", (unsigned long)ptr, why);
	__atomic_fetch_add(&bad_frees, 1, __ATOMIC_RELAXED);
}

/* Read the next link of a free object (which is poisoned under ASan). */
static struct free_obj *free_obj_next(struct free_obj *obj)
{
	struct free_obj *next;

	kasan_unpoison(obj, sizeof(*obj));
	next = obj->next;
	kasan_poison(obj, sizeof(*obj));
	return next;
}

/* A fresh page for class c, all objects free, put on the partial list.
 * Called with c->lock held. */
static struct page *new_slab(struct kmalloc_class *c, unsigned int idx)
{
	struct page *page = alloc_pages(0);
	char *base;
	struct free_obj *head = NULL;
	unsigned long n = PAGE_SIZE / c->size;

	if (!page)
		return NULL;
	base = page_address(page);
	/* Chain the objects in address order. */
	for (unsigned long i = n; i-- > 0;) {
		struct free_obj *obj = (struct free_obj *)(base + i * c->size);

		obj->next = head;
		obj->magic = SLAB_FREE_MAGIC;
		poison_free_obj(c, obj, 0);
		head = obj;
	}
	kasan_poison(base, PAGE_SIZE);

	SetPageSlab(page);
	page->private = idx;
	page->mapping = head;
	page->index = 0;
	list_add(&page->lru, &c->partial);
	c->nr_slabs++;
	return page;
}

/* Give an empty slab page back to the page allocator. c->lock held. */
static void release_slab(struct kmalloc_class *c, struct page *page)
{
	list_del_init(&page->lru);
	c->nr_slabs--;
	kasan_unpoison(page_address(page), PAGE_SIZE);
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	ClearPageSlab(page);
	free_pages(page, 0);
}

static void *kmalloc_large(size_t size)
{
	unsigned int order = size_to_order(size);
	struct page *page;
	void *va;

	if (order >= MAX_ORDER)
		return NULL;
	page = alloc_pages(order);
	if (!page)
		return NULL;
	page->private = order;
	SetPageLargeKmalloc(page);
	__atomic_fetch_add(&large_allocs, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&large_pages, 1UL << order, __ATOMIC_RELAXED);

	va = page_address(page);
	kasan_poison(va, PAGE_SIZE << order);
	kasan_unpoison(va, size);
	return va;
}

void *kmalloc(size_t size)
{
	unsigned int idx;
	struct kmalloc_class *c;
	struct page *page;
	struct free_obj *obj;
	unsigned long flags;

	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);

	idx = size_to_class(size);
	c = &kmalloc_classes[idx];
	flags = spin_lock_irqsave(&c->lock);
	if (list_empty(&c->partial) && !new_slab(c, idx)) {
		spin_unlock_irqrestore(&c->lock, flags);
		return NULL;
	}
	page = list_first_entry(&c->partial, struct page, lru);
	obj = page->mapping;
	kasan_unpoison(obj, sizeof(*obj));
	if (unlikely(!free_obj_intact(c, page, obj))) {
		/* Abandon the rest of this page's free list and retry. */
		page->mapping = NULL;
		list_del_init(&page->lru);
		spin_unlock_irqrestore(&c->lock, flags);
		return kmalloc(size);
	}
	page->mapping = obj->next;
	obj->magic = 0; /* no longer looks free */
	page->index++;
	c->nr_inuse++;
	if (!page->mapping)
		list_del_init(&page->lru); /* full: off the partial list */
	spin_unlock_irqrestore(&c->lock, flags);

	/* Only the requested bytes are addressable under ASan. */
	kasan_poison(obj, c->size);
	kasan_unpoison(obj, size);
	return obj;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Is obj on page's free list? c->lock held. The walk is bounded so a
 * corrupted list cannot loop forever. */
static bool on_free_list(struct page *page, struct free_obj *obj,
			 unsigned long max)
{
	struct free_obj *p = page->mapping;

	for (unsigned long i = 0; p && i < max; i++) {
		if (p == obj)
			return true;
		p = free_obj_next(p);
	}
	return false;
}

static void slab_free(struct page *page, const void *ptr, unsigned long caller)
{
	unsigned long idx = page->private, flags, off;
	struct kmalloc_class *c;
	struct free_obj *obj = (struct free_obj *)ptr;
	bool was_full;

	if (idx >= KMALLOC_NR_CLASSES) {
		bad_free(ptr, "slab page with a bad class");
		return;
	}
	c = &kmalloc_classes[idx];
	off = (unsigned long)((const char *)ptr -
			      (const char *)page_address(page));
	if (off % c->size) {
		bad_free(ptr, "not the start of an object");
		return;
	}

	flags = spin_lock_irqsave(&c->lock);
	kasan_unpoison(obj, sizeof(*obj));
	if (obj->magic == SLAB_FREE_MAGIC &&
	    on_free_list(page, obj, PAGE_SIZE / c->size)) {
		kasan_poison(obj, c->size);
		spin_unlock_irqrestore(&c->lock, flags);
		bad_free(ptr, "double free");
		return;
	}
	was_full = page->mapping == NULL;
	obj->next = page->mapping;
	obj->magic = SLAB_FREE_MAGIC;
	poison_free_obj(c, obj, caller);
	kasan_poison(obj, c->size);
	page->mapping = obj;
	page->index--;
	c->nr_inuse--;
	if (was_full)
		list_add(&page->lru, &c->partial);
	/* Return an empty page unless it is the class's only partial page
	 * (keeping one avoids a page alloc/free per kmalloc/kfree pair). */
	if (page->index == 0 && c->partial.next != c->partial.prev)
		release_slab(c, page);
	spin_unlock_irqrestore(&c->lock, flags);
}

static void large_free(struct page *page, const void *ptr)
{
	unsigned int order = page->private;

	if (ptr != page_address(page)) {
		bad_free(ptr, "inside a large allocation");
		return;
	}
	if (!page_flag_test_and_clear(page, PG_large_kmalloc)) {
		bad_free(ptr, "double free");
		return;
	}
	__atomic_fetch_sub(&large_allocs, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&large_pages, 1UL << order, __ATOMIC_RELAXED);
	kasan_unpoison(page_address(page), PAGE_SIZE << order);
	free_pages(page, order);
}

void kfree(const void *ptr)
{
	struct page *page;

	if (!ptr)
		return;
	if (!pfn_valid(PFN_DOWN(__pa(ptr)))) {
		bad_free(ptr, "not in RAM");
		return;
	}
	page = virt_to_page(ptr);
	if (PageSlab(page))
		slab_free(page, ptr, (unsigned long)__builtin_return_address(0));
	else if (PageLargeKmalloc(page))
		large_free(page, ptr);
	else
		bad_free(ptr, "not a kmalloc pointer");
}

void kmem_get_stats(struct kmem_stats *st)
{
	for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		struct kmalloc_class *c = &kmalloc_classes[i];
		unsigned long flags = spin_lock_irqsave(&c->lock);

		st->cls[i].size = c->size;
		st->cls[i].slab_pages = c->nr_slabs;
		st->cls[i].objs_inuse = c->nr_inuse;
		st->cls[i].objs_total = c->nr_slabs * (PAGE_SIZE / c->size);
		spin_unlock_irqrestore(&c->lock, flags);
	}
	st->large_allocs = __atomic_load_n(&large_allocs, __ATOMIC_RELAXED);
	st->large_pages = __atomic_load_n(&large_pages, __ATOMIC_RELAXED);
	st->bad_frees = __atomic_load_n(&bad_frees, __ATOMIC_RELAXED);
}
