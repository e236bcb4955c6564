/* Host unit test of the whole stack (memblock -> mem_map -> buddy zone ->
 * alloc_pages/put_page -> kmalloc/kfree) on a 16 MiB malloc'd buffer that
 * __va/__pa map onto under HOST_TEST, so ASan sees every object access. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include "test/host/ktest.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

char *host_ram;
u64 host_ram_base_pa = 0x80000000UL;

#define RAM_SIZE (16UL << 20)
#define NPAGES (RAM_SIZE / PAGE_SIZE)

/* printk/panic for mm/ code: diagnostics as KTAP comments. */
static unsigned long nr_printk;
int printk(const char *fmt, ...)
{
	va_list ap;

	nr_printk++;
	printf("# printk: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	return 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

static phys_addr_t fdt_pa = 0x80000000UL + (5UL << 20) + 0x123;

static void boot(void)
{
	host_ram = aligned_alloc(PAGE_SIZE, RAM_SIZE);
	memset(host_ram, 0xa5, RAM_SIZE); /* garbage, as real RAM */

	memblock_reset();
	memblock_add(host_ram_base_pa, RAM_SIZE);
	memblock_reserve(host_ram_base_pa, 64 << 10);  /* "kernel image" */
	memblock_reserve(fdt_pa, 0x2000);              /* "FDT", unaligned */
	mem_map_init(PFN_DOWN(memblock_start_of_DRAM()),
		     PFN_UP(memblock_end_of_DRAM()));
	page_alloc_init_free();
}

static void test_boot(void)
{
	/* mem_map: 4096 * sizeof(struct page), rounded to pages, at the top. */
	unsigned long memmap_pages =
		ALIGN_UP(NPAGES * sizeof(struct page), PAGE_SIZE) / PAGE_SIZE;
	/* The FDT's 0x2000 bytes at offset 0x123 touch 3 pages. */
	unsigned long expect = NPAGES - 16 - 3 - memmap_pages;

	CHECK(min_pfn == PFN_DOWN(host_ram_base_pa) && max_pfn == min_pfn + NPAGES,
	      "boot: mem_map covers RAM");
	CHECK((char *)mem_map >= host_ram && (char *)mem_map < host_ram + RAM_SIZE &&
	      memblock_is_region_reserved(__pa(mem_map), sizeof(struct page)),
	      "boot: mem_map lives in (reserved) RAM");
	CHECK(nr_total_pages() == expect && nr_free_pages() == expect,
	      "boot: every non-reserved page given to the allocator");
	CHECK(PageReserved(pfn_to_page(min_pfn)) &&
	      PageReserved(phys_to_page(fdt_pa)) &&
	      PageReserved(virt_to_page(mem_map)) &&
	      !PageReserved(pfn_to_page(min_pfn + 16)),
	      "boot: reserved pages keep PG_reserved, freed ones lose it");
	CHECK(memblock_alloc(PAGE_SIZE, 0) == 0, "boot: memblock closed");
}

static void test_pages(void)
{
	unsigned long free0 = nr_free_pages();
	struct page *p = alloc_pages(3);

	CHECK(p && (page_to_pfn(p) & 7) == 0 && page_count(p) == 1,
	      "pages: order-3 block aligned, refcount 1");
	memset(page_address(p), 0x11, 8 * PAGE_SIZE); /* ASan: whole block usable */
	CHECK(nr_free_pages() == free0 - 8, "pages: free count drops by 8");
	free_pages(p, 3);
	CHECK(nr_free_pages() == free0, "pages: free_pages gives them back");

	void *z = get_zeroed_page();
	bool zero = z != NULL;
	for (unsigned long i = 0; zero && i < PAGE_SIZE; i++)
		zero = ((char *)z)[i] == 0;
	CHECK(zero && ((uintptr_t)z & (PAGE_SIZE - 1)) == 0,
	      "pages: get_zeroed_page is zeroed and aligned");
	free_page_va(z);

	/* Shared page: freed only when the last reference goes. */
	struct page *s = alloc_page();
	get_page(s);
	CHECK(page_count(s) == 2, "refcount: get_page");
	put_page(s);
	CHECK(page_count(s) == 1 && nr_free_pages() == free0 - 1,
	      "refcount: put_page with refs left keeps the page");
	put_page(s);
	CHECK(page_count(s) == 0 && nr_free_pages() == free0,
	      "refcount: last put_page frees it");

	unsigned long bad0 = nr_bad_page_frees(), pr0 = nr_printk;
	put_page(s);
	free_pages(s, 0);
	CHECK(nr_bad_page_frees() == bad0 + 2 && nr_printk == pr0 + 2 &&
	      nr_free_pages() == free0 && page_count(s) == 0,
	      "refcount: freeing a free page is reported and ignored");

	/* Exhaust: every page handed out once, none reserved by memblock. */
	static void *all[NPAGES];
	unsigned long n = 0;
	bool ok = true;
	while ((all[n] = alloc_page_va()) != NULL) {
		if (memblock_is_region_reserved(__pa(all[n]), PAGE_SIZE))
			ok = false;
		memset(all[n], (int)n, PAGE_SIZE);
		n++;
	}
	CHECK(n == free0 && nr_free_pages() == 0, "exhaust: every free page allocated");
	CHECK(ok, "exhaust: no page overlaps a memblock reservation");
	CHECK(alloc_pages(0) == NULL && kmalloc(3000) == NULL,
	      "exhaust: alloc_pages and large kmalloc fail cleanly");
	for (unsigned long i = 0; i < n; i++) {
		if (((unsigned char *)all[i])[PAGE_SIZE - 1] != (unsigned char)i)
			ok = false;
		free_page_va(all[i]);
	}
	CHECK(ok, "exhaust: page contents were private to each page");
	CHECK(nr_free_pages() == free0, "exhaust: all pages back");
	struct page *big = alloc_pages(MAX_ORDER - 1);
	CHECK(big != NULL, "exhaust: coalesced back to a free 4 MiB block");
	free_pages(big, MAX_ORDER - 1);
}

static unsigned long class_of(size_t size)
{
	unsigned long c = KMALLOC_MIN_SIZE;

	while (c < size)
		c <<= 1;
	return c;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static void test_kmalloc_classes(void)
{
	static const size_t sizes[] = { 0, 1, 8, 15, 16, 17, 24, 32, 33, 64,
					100, 128, 255, 256, 257, 512, 1000,
					1024, 1025, 2000, 2048 };
	enum { N = 300 };
	static uintptr_t ptrs[N];
	bool aligned = true, distinct = true, intact = true;
	struct kmem_stats st;

	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t size = sizes[k];
		unsigned long cls = class_of(size);

		for (int i = 0; i < N; i++) {
			char *p = kmalloc(size);

			ptrs[i] = (uintptr_t)p;
			if (!p || (ptrs[i] & (cls - 1)))
				aligned = false;
			if (p)
				memset(p, i & 0xff, size); /* whole size */
		}
		for (int i = 0; i < N; i++)
			for (size_t b = 0; b < size; b++)
				if (((unsigned char *)ptrs[i])[b] != (i & 0xff))
					intact = false;
		qsort(ptrs, N, sizeof(ptrs[0]), cmp_ptr);
		for (int i = 1; i < N; i++)
			if (ptrs[i] - ptrs[i - 1] < cls)
				distinct = false; /* overlapping objects */
		kmem_get_stats(&st);
		unsigned idx = __builtin_ctzl(cls) - KMALLOC_MIN_SHIFT;
		if (st.cls[idx].objs_inuse != N || st.cls[idx].size != cls)
			intact = false;
		for (int i = 0; i < N; i++)
			kfree((void *)ptrs[i]);
	}
	CHECK(aligned, "kmalloc: objects aligned to their size class (min 16)");
	CHECK(distinct, "kmalloc: objects distinct and non-overlapping");
	CHECK(intact, "kmalloc: whole size writable, no object clobbers another");

	kmem_get_stats(&st);
	bool empty = true;
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		if (st.cls[i].objs_inuse != 0 || st.cls[i].slab_pages > 1)
			empty = false;
	CHECK(empty, "kmalloc: after kfree no objects in use, empty pages returned");
}

static void test_kmalloc_misc(void)
{
	struct kmem_stats st0, st;

	void *p = kmalloc(40);
	kfree(p);
	void *q = kmalloc(40);
	CHECK(p == q, "kfree: freed object is reused");
	kfree(q);

	unsigned char *z = kmalloc(200);
	memset(z, 0xff, 200);
	kfree(z);
	z = kzalloc(200);
	bool zero = z != NULL;
	for (int i = 0; zero && i < 200; i++)
		zero = z[i] == 0;
	CHECK(zero, "kzalloc: zero-filled even over a dirty object");
	kfree(z);

	/* User data that looks like a free-object header is not a double
	 * free (0x5ab0f7eeda7a5ab0 mirrors SLAB_FREE_MAGIC in mm/slab.c). */
	unsigned long *m = kmalloc(32);
	kmem_get_stats(&st0);
	m[1] = 0x5ab0f7eeda7a5ab0UL;
	kfree(m);
	kmem_get_stats(&st);
	CHECK(st.bad_frees == st0.bad_frees && kmalloc(32) == m,
	      "kfree: object holding the free magic is still freed");
	kfree(m);

	kmem_get_stats(&st0);
	unsigned long free0 = nr_free_pages();
	kfree(NULL);
	kmem_get_stats(&st);
	CHECK(st.bad_frees == st0.bad_frees && nr_free_pages() == free0,
	      "kfree(NULL) is a no-op");

	/* Large allocations come from the page allocator. */
	char *l1 = kmalloc(3000), *l2 = kmalloc(5000), *l3 = kmalloc(1UL << 22);
	/* Physical alignment: host_ram itself is only page aligned. */
	CHECK(l1 && l2 && l3 && (__pa(l1) & (PAGE_SIZE - 1)) == 0 &&
	      (__pa(l2) & (2 * PAGE_SIZE - 1)) == 0 &&
	      (__pa(l3) & ((PAGE_SIZE << 10) - 1)) == 0,
	      "large: blocks aligned to their size");
	CHECK(PageLargeKmalloc(virt_to_page(l2)) && virt_to_page(l2)->private == 1 &&
	      virt_to_page(l3)->private == 10, "large: order recorded in head page");
	memset(l1, 1, 3000);
	memset(l2, 2, 5000);
	memset(l3, 3, 1UL << 22);
	kmem_get_stats(&st);
	CHECK(st.large_allocs == 3 && st.large_pages == 1 + 2 + 1024 &&
	      nr_free_pages() == free0 - 1027, "large: stats and page accounting");
	CHECK(kmalloc((1UL << 22) + 1) == NULL, "large: above 4 MiB fails");
	kfree(l1);
	kfree(l2);
	kfree(l3);
	kmem_get_stats(&st);
	CHECK(st.large_allocs == 0 && nr_free_pages() == free0,
	      "large: kfree returns the pages");

	/* Bad frees are reported and leave the allocator consistent. */
	char *a = kmalloc(64);
	kfree(a);
	kfree(a);                         /* double free */
	char *b = kmalloc(64);
	kfree(b + 1);                     /* not an object start */
	char *c = kmalloc(64);
	CHECK(b == a && c != b, "bad kfree: double free did not duplicate the object");
	void *pg = alloc_page_va();
	kfree(pg);                        /* page allocator page */
	free_page_va(pg);
	char *l = kmalloc(10000);
	kfree(l + PAGE_SIZE);             /* inside a large block */
	kfree(l);
	kfree(l);                         /* large double free */
	int local;
	kfree(&local);                    /* not RAM at all */
	kmem_get_stats(&st);
	CHECK(st.bad_frees == st0.bad_frees + 6, "bad kfree: all six detected");
	kfree(b);
	kfree(c);
	CHECK(nr_free_pages() == free0, "bad kfree: no pages leaked or lost");
}

/* Random sizes, random alloc/free; each object carries its own pattern,
 * checked before it is freed (any overlap would corrupt it). */
static void test_kmalloc_stress(void)
{
	enum { SLOTS = 1000, ROUNDS = 100000 };
	static struct { unsigned char *p; size_t size; unsigned char tag; } s[SLOTS];
	bool ok = true;
	unsigned long free0 = nr_free_pages(), nalloc = 0, cached0 = 0, cached = 0;
	struct kmem_stats st;

	kmem_get_stats(&st);
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		cached0 += st.cls[i].slab_pages;

	srand(4242);
	for (int r = 0; r < ROUNDS; r++) {
		int i = rand() % SLOTS;

		if (s[i].p) {
			for (size_t b = 0; b < s[i].size; b++)
				if (s[i].p[b] != s[i].tag)
					ok = false;
			kfree(s[i].p);
			s[i].p = NULL;
		} else {
			size_t size = rand() % 8 ? rand() % 600 : rand() % 9000;

			s[i].p = kmalloc(size);
			if (!s[i].p) {
				ok = false;
				continue;
			}
			nalloc++;
			s[i].size = size;
			s[i].tag = (unsigned char)rand();
			memset(s[i].p, s[i].tag, size);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (s[i].p) {
			for (size_t b = 0; b < s[i].size; b++)
				if (s[i].p[b] != s[i].tag)
					ok = false;
			kfree(s[i].p);
		}
	CHECK(ok && nalloc > 40000, "stress: random kmalloc/kfree keeps every object intact");
	kmem_get_stats(&st);
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		if (st.cls[i].objs_inuse)
			ok = false;
		cached += st.cls[i].slab_pages;
	}
	CHECK(ok && st.large_allocs == 0 && cached <= KMALLOC_NR_CLASSES &&
	      nr_free_pages() + cached == free0 + cached0,
	      "stress: everything freed; at most one cached page per class");
}

/* Run fn in a child with stderr silenced; true if the child died (ASan). */
static bool child_dies(void (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static volatile char sink;
static void use_in_bounds(void)
{
	char *p = kmalloc(24);
	memset(p, 1, 24);
	sink = p[23];
}
static void overrun_tail(void)   { char *p = kmalloc(24); p[24] = 1; }
static void overrun_next(void)   { char *p = kmalloc(32); p[32] = 1; }
static void use_after_free(void) { char *p = kmalloc(64); kfree(p); sink = p[8]; }
static void overrun_large(void)  { char *p = kmalloc(5000); p[5000] = 1; }

static void test_asan(void)
{
#ifdef __SANITIZE_ADDRESS__
	CHECK(!child_dies(use_in_bounds), "asan: in-bounds use is fine");
	CHECK(child_dies(overrun_tail), "asan: write past the requested size caught");
	CHECK(child_dies(overrun_next), "asan: write into the next object caught");
	CHECK(child_dies(use_after_free), "asan: use after kfree caught");
	CHECK(child_dies(overrun_large), "asan: overrun of a large allocation caught");
#else
	printf("# asan: not built with -fsanitize=address, skipped\n");
#endif
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep lines if we crash */
	boot();
	test_boot();
	test_pages();
	test_kmalloc_classes();
	test_kmalloc_misc();
	test_kmalloc_stress();
	test_asan();
	free(host_ram);
	return KTEST_DONE();
}
