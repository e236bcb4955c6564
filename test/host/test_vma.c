/* Host unit test of mm/vma.c: lookups at boundaries, link/unlink, split,
 * merge, bounds changes, free-range searches against brute force, 10,000-VMA
 * layouts (tree visits stay O(log n)) and 200k random operations vs a model. */
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "mm/vma.h"
#include "mm/slab.h"
#include "kernel/errno.h"

/* ---- kzalloc/kfree for mm/vma.c, with failure injection ---- */
static int fail_allocs;   /* this many next kzalloc calls return NULL */
static long live_allocs;  /* allocated and not yet freed */

void *kzalloc(size_t size)
{
	void *p;

	if (fail_allocs > 0) {
		fail_allocs--;
		return NULL;
	}
	p = calloc(1, size);
	if (p)
		live_allocs++;
	return p;
}

void kfree(const void *ptr)
{
	if (ptr)
		live_allocs--;
	free((void *)ptr);
}

/* ---- fake files and vm_ops that count references ---- */
static char file_objs[2];
#define FILE1 ((struct file *)&file_objs[0])
#define FILE2 ((struct file *)&file_objs[1])

static long refs; /* opens minus closes: VMAs holding a reference */
static void cnt_open(struct vm_area_struct *vma) { (void)vma; refs++; }
static void cnt_close(struct vm_area_struct *vma) { (void)vma; refs--; }
static const struct vm_operations_struct cnt_ops = { .open = cnt_open, .close = cnt_close, .name = "cnt" };
static const struct vm_operations_struct other_ops = { .name = "other" };

static unsigned long rng = 0x9e3779b97f4a7c15UL;

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define P(n) ((unsigned long)(n) << PAGE_SHIFT) /* page number -> address */
#define ENOMEM_UL ((unsigned long)-ENOMEM)

static void mm_init(struct mm_struct *mm)
{
	memset(mm, 0, sizeof(*mm));
	mm->mm_rb = RB_ROOT;
}

/* A new linked VMA, as mmap would make it (taking a ref if ops count). */
static struct vm_area_struct *mk(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long flags, struct file *file, unsigned long pgoff,
				 const struct vm_operations_struct *ops)
{
	struct vm_area_struct *vma = vma_alloc();

	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_file = file;
	vma->vm_pgoff = pgoff;
	vma->vm_ops = ops;
	if (vma_link(mm, vma)) {
		vma_free(vma);
		return NULL;
	}
	if (ops == &cnt_ops)
		refs++;
	return vma;
}

/* munmap-style removal of a whole VMA. */
static void rm(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unlink(mm, vma);
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	vma_free(vma);
}

static void mm_teardown(struct mm_struct *mm)
{
	while (mm->mmap)
		rm(mm, mm->mmap);
}

/* The list as "[s,e) [s,e) ..." in pages, for comparisons in CHECKs. */
static const char *layout(struct mm_struct *mm)
{
	static char buf[4096];
	struct vm_area_struct *v;
	size_t n = 0;

	buf[0] = 0;
	for (v = mm->mmap; v && n < sizeof(buf) - 64; v = v->vm_next)
		n += snprintf(buf + n, sizeof(buf) - n, "%s[%lx,%lx)", n ? " " : "",
			      v->vm_start >> PAGE_SHIFT, v->vm_end >> PAGE_SHIFT);
	return buf;
}

/* ---- brute-force free-range search over the list ---- */
static unsigned long brute_area(struct mm_struct *mm, unsigned long len, unsigned long low,
				unsigned long high, bool topdown)
{
	unsigned long best = ENOMEM_UL, gs = 0, ge, s, e;
	struct vm_area_struct *v = mm->mmap;

	for (;;) {
		ge = v ? v->vm_start : ~0UL; /* free: [gs, ge) */
		s = gs > low ? gs : low;
		e = ge < high ? ge : high;
		if (e > s && e - s >= len) {
			if (topdown)
				best = e - len; /* later gaps are higher: keep the last */
			else if (best == ENOMEM_UL)
				best = s;
		}
		if (!v)
			break;
		gs = v->vm_end;
		v = v->vm_next;
	}
	return best;
}

/* ---- directed tests ---- */

static void test_empty(void)
{
	struct mm_struct mm;
	struct vm_area_struct *prev = (void *)1;

	mm_init(&mm);
	CHECK(find_vma(&mm, 0) == NULL && find_vma(&mm, ~0UL) == NULL, "empty: find_vma NULL");
	CHECK(find_vma_prev(&mm, P(5), &prev) == NULL && prev == NULL, "empty: find_vma_prev NULL, NULL");
	CHECK(unmapped_area_topdown(&mm, P(2), P(1), P(100)) == P(98), "empty: topdown = high - len");
	CHECK(unmapped_area(&mm, P(2), P(1), P(100)) == P(1), "empty: bottom-up = low");
	CHECK(unmapped_area(&mm, P(200), P(1), P(100)) == ENOMEM_UL, "empty: too long -> -ENOMEM");
	CHECK(unmapped_area(&mm, 0, P(1), P(100)) == (unsigned long)-EINVAL, "empty: length 0 -> -EINVAL");
	CHECK(vma_check(&mm) == 0, "empty: vma_check ok");
}

static void test_find(void)
{
	struct mm_struct mm;
	struct vm_area_struct *a, *b, *c, *prev;

	mm_init(&mm);
	/* Out of order on purpose. */
	b = mk(&mm, P(0x30), P(0x40), VM_READ, NULL, 0, NULL);
	c = mk(&mm, P(0x50), P(0x60), VM_READ, NULL, 0, NULL);
	a = mk(&mm, P(0x10), P(0x20), VM_READ, NULL, 0, NULL);
	CHECK(a && b && c && vma_check(&mm) == 0, "link 3 VMAs out of order, vma_check ok");
	CHECK(mm.mmap == a && a->vm_next == b && b->vm_next == c && !c->vm_next &&
	      c->vm_prev == b && b->vm_prev == a && !a->vm_prev, "list sorted");
	CHECK(mm.map_count == 3 && mm.highest_vm_end == P(0x60) && a->vm_mm == &mm,
	      "map_count, highest_vm_end, vm_mm set");
	CHECK(a->vm_rb.rb_parent != &a->vm_rb, "linked node is in a tree");

	CHECK(find_vma(&mm, 0) == a, "find_vma below everything -> first");
	CHECK(find_vma(&mm, P(0x10)) == a, "find_vma at vm_start");
	CHECK(find_vma(&mm, P(0x20) - 1) == a, "find_vma at vm_end-1");
	CHECK(find_vma(&mm, P(0x20)) == b, "find_vma at vm_end -> next");
	CHECK(find_vma(&mm, P(0x2f)) == b, "find_vma in a gap -> VMA above");
	CHECK(find_vma(&mm, P(0x60) - 1) == c, "find_vma last byte of last VMA");
	CHECK(find_vma(&mm, P(0x60)) == NULL, "find_vma at end of last -> NULL");
	CHECK(find_vma_prev(&mm, P(0x25), &prev) == b && prev == a, "find_vma_prev in gap");
	CHECK(find_vma_prev(&mm, P(0x10), &prev) == a && prev == NULL, "find_vma_prev first -> NULL prev");
	CHECK(find_vma_prev(&mm, P(0x70), &prev) == NULL && prev == c, "find_vma_prev above all -> last");
	CHECK(find_vma_intersection(&mm, P(0x20), P(0x30)) == NULL, "intersection: exact gap -> NULL");
	CHECK(find_vma_intersection(&mm, P(0x20), P(0x30) + 1) == b, "intersection: one byte into b");
	CHECK(find_vma_intersection(&mm, P(0x1f), P(0x20)) == a, "intersection: last page of a");
	CHECK(find_vma_intersection(&mm, P(0x05), P(0x70)) == a, "intersection: covering all -> first");
	CHECK(find_vma_intersection(&mm, P(0x35), P(0x35)) == NULL, "intersection: empty range -> NULL");

	/* Overlaps are refused and change nothing. */
	{
		struct vm_area_struct *v = vma_alloc();
		int err;

		v->vm_start = P(0x18);
		v->vm_end = P(0x31);
		err = vma_link(&mm, v);
		CHECK(err == -EEXIST && mm.map_count == 3 && vma_check(&mm) == 0,
		      "vma_link overlapping two VMAs -> -EEXIST, nothing changed");
		v->vm_start = P(0x3f);
		v->vm_end = P(0x40);
		CHECK(vma_link(&mm, v) == -EEXIST, "vma_link inside a VMA -> -EEXIST");
		v->vm_start = P(0x00);
		v->vm_end = P(0x70);
		CHECK(vma_link(&mm, v) == -EEXIST, "vma_link covering all -> -EEXIST");
		v->vm_start = P(0x21) + 8;
		v->vm_end = P(0x22);
		CHECK(vma_link(&mm, v) == -EINVAL, "vma_link unaligned -> -EINVAL");
		v->vm_start = P(0x22);
		CHECK(vma_link(&mm, v) == -EINVAL, "vma_link empty -> -EINVAL");
		v->vm_start = P(0x20);
		v->vm_end = P(0x30);
		CHECK(vma_link(&mm, v) == 0 && mm.map_count == 4 && vma_check(&mm) == 0 &&
		      a->vm_next == v && v->vm_next == b, "vma_link exactly filling a gap");
		CHECK(find_vma(&mm, P(0x20)) == v, "find_vma finds it");
		vma_unlink(&mm, v);
		CHECK(mm.map_count == 3 && a->vm_next == b && b->vm_prev == a && vma_check(&mm) == 0 &&
		      RB_EMPTY_NODE(&v->vm_rb) && !v->vm_next && !v->vm_prev,
		      "vma_unlink middle: list relinked, node cleared");
		vma_free(v);
	}
	vma_unlink(&mm, c);
	CHECK(mm.highest_vm_end == P(0x40) && !b->vm_next && vma_check(&mm) == 0,
	      "vma_unlink last: highest_vm_end drops");
	vma_free(c);
	vma_unlink(&mm, a);
	CHECK(mm.mmap == b && !b->vm_prev && vma_check(&mm) == 0, "vma_unlink first: mmap moves");
	vma_free(a);
	vma_unlink(&mm, b);
	CHECK(!mm.mmap && RB_EMPTY_ROOT(&mm.mm_rb) && mm.map_count == 0 && mm.highest_vm_end == 0 &&
	      vma_check(&mm) == 0, "unlink all: empty again");
	vma_free(b);
	CHECK(live_allocs == 0, "no VMA leaked");
}

static void test_split(void)
{
	struct mm_struct mm;
	struct vm_area_struct *v, *n;
	long r0;

	mm_init(&mm);
	r0 = refs;
	v = mk(&mm, P(0x10), P(0x20), VM_READ | VM_WRITE, FILE1, 100, &cnt_ops);
	CHECK(split_vma(&mm, v, P(0x10), 0) == -EINVAL, "split at vm_start -> -EINVAL");
	CHECK(split_vma(&mm, v, P(0x20), 1) == -EINVAL, "split at vm_end -> -EINVAL");
	CHECK(split_vma(&mm, v, P(0x18) + 4, 0) == -EINVAL, "split unaligned -> -EINVAL");
	CHECK(split_vma(&mm, v, P(0x30), 0) == -EINVAL, "split outside -> -EINVAL");
	fail_allocs = 1;
	CHECK(split_vma(&mm, v, P(0x18), 0) == -ENOMEM && mm.map_count == 1 && v->vm_start == P(0x10) &&
	      v->vm_end == P(0x20) && v->vm_pgoff == 100 && vma_check(&mm) == 0 && refs == r0 + 1,
	      "split with no memory -> -ENOMEM, nothing changed");

	CHECK(split_vma(&mm, v, P(0x18), 0) == 0, "split above: ok");
	n = v->vm_next;
	CHECK(n && v->vm_start == P(0x10) && v->vm_end == P(0x18) && v->vm_pgoff == 100 &&
	      n->vm_start == P(0x18) && n->vm_end == P(0x20) && n->vm_pgoff == 108 &&
	      n->vm_file == FILE1 && n->vm_flags == (VM_READ | VM_WRITE) && n->vm_ops == &cnt_ops &&
	      n->vm_mm == &mm, "split above: ranges, pgoff +8, attributes copied");
	CHECK(refs == r0 + 2 && mm.map_count == 2 && vma_check(&mm) == 0, "split above: open called, checks ok");

	CHECK(split_vma(&mm, n, P(0x1c), 1) == 0, "split below: ok");
	{
		struct vm_area_struct *lo = n->vm_prev;

		CHECK(lo && lo != v && lo->vm_start == P(0x18) && lo->vm_end == P(0x1c) && lo->vm_pgoff == 108 &&
		      n->vm_start == P(0x1c) && n->vm_end == P(0x20) && n->vm_pgoff == 112 && v->vm_next == lo,
		      "split below: new is lower part, old keeps upper with pgoff +4");
	}
	CHECK(refs == r0 + 3 && mm.map_count == 3 && vma_check(&mm) == 0, "split below: open called, checks ok");
	CHECK(strcmp(layout(&mm), "[10,18) [18,1c) [1c,20)") == 0, "split: layout");

	/* The re-merge helper glues them back (file pages are contiguous). */
	n = vma_try_merge_neighbours(&mm, v->vm_next);
	CHECK(n == v && mm.map_count == 1 && v->vm_start == P(0x10) && v->vm_end == P(0x20) &&
	      v->vm_pgoff == 100 && refs == r0 + 1 && live_allocs == 1 && vma_check(&mm) == 0,
	      "vma_try_merge_neighbours: 3 pieces back to 1, 2 closes, 2 frees");
	mm_teardown(&mm);
	CHECK(refs == r0 && live_allocs == 0, "split: refs and memory balanced");
}

static void test_merge(void)
{
	struct mm_struct mm;
	struct vm_area_struct *a, *b, *r;
	const unsigned long RW = VM_READ | VM_WRITE;
	long r0 = refs;

	/* Anonymous: prev only, next only, both. */
	mm_init(&mm);
	a = mk(&mm, P(0x10), P(0x20), RW, NULL, 0x10, NULL);
	b = mk(&mm, P(0x30), P(0x40), RW, NULL, 0x30, NULL);
	r = vma_merge(&mm, a, P(0x20), P(0x24), RW, NULL, 0x999, NULL, NULL);
	CHECK(r == a && a->vm_end == P(0x24) && a->vm_pgoff == 0x10 && vma_check(&mm) == 0 && mm.map_count == 2,
	      "merge anon with prev (pgoff ignored)");
	r = vma_merge(&mm, a, P(0x2c), P(0x30), RW, NULL, 0x2c, NULL, NULL);
	CHECK(r == b && b->vm_start == P(0x2c) && b->vm_pgoff == 0x2c && vma_check(&mm) == 0,
	      "merge anon with next (vm_pgoff = pgoff)");
	r = vma_merge(&mm, a, P(0x26), P(0x28), RW, NULL, 0, NULL, NULL);
	CHECK(r == NULL && mm.map_count == 2, "not adjacent to either -> NULL");
	r = vma_merge(&mm, a, P(0x24), P(0x2c), RW | VM_ACCOUNT, NULL, 0x24, NULL, NULL);
	CHECK(r == a && a->vm_end == P(0x40) && mm.map_count == 1 && live_allocs == 1 &&
	      mm.highest_vm_end == P(0x40) && vma_check(&mm) == 0,
	      "merge both (flag outside VM_MERGE_MASK ignored): next freed");
	CHECK(a->vm_flags == RW, "merge keeps the survivor's vm_flags");
	mm_teardown(&mm);

	/* Incompatible neighbours. */
	mm_init(&mm);
	a = mk(&mm, P(0x10), P(0x20), RW, NULL, 0, NULL);
	b = mk(&mm, P(0x30), P(0x40), RW, NULL, 0, NULL);
	CHECK(vma_merge(&mm, a, P(0x20), P(0x30), VM_READ, NULL, 0, NULL, NULL) == NULL,
	      "different protection -> no merge");
	CHECK(vma_merge(&mm, a, P(0x20), P(0x30), RW, FILE1, 0, NULL, NULL) == NULL,
	      "file vs anonymous -> no merge");
	CHECK(vma_merge(&mm, a, P(0x20), P(0x30), RW, NULL, 0, &other_ops, NULL) == NULL,
	      "different vm_ops -> no merge");
	CHECK(vma_merge(&mm, a, P(0x20), P(0x30), RW, NULL, 0, NULL, (void *)8) == NULL,
	      "different vm_private_data -> no merge");
	CHECK(vma_merge(&mm, a, P(0x20), P(0x30), RW | VM_SHARED, NULL, 0, NULL, NULL) == NULL,
	      "VM_SHARED differs -> no merge");
	CHECK(vma_merge(&mm, a, P(0x1c), P(0x30), RW, NULL, 0, NULL, NULL) == NULL &&
	      vma_merge(&mm, a, P(0x20), P(0x31), RW, NULL, 0, NULL, NULL) == NULL,
	      "range overlapping a neighbour -> NULL, untouched");
	CHECK(mm.map_count == 2 && a->vm_end == P(0x20) && b->vm_start == P(0x30) && vma_check(&mm) == 0,
	      "incompatible: layout unchanged");
	mm_teardown(&mm);

	/* File-backed: pgoff must be contiguous. */
	mm_init(&mm);
	a = mk(&mm, P(0x10), P(0x20), VM_READ, FILE1, 0, &cnt_ops);   /* file pages 0..15 */
	b = mk(&mm, P(0x30), P(0x40), VM_READ, FILE1, 32, &cnt_ops);  /* file pages 32..47 */
	CHECK(vma_merge(&mm, a, P(0x20), P(0x24), VM_READ, FILE1, 17, &cnt_ops, NULL) == NULL,
	      "file: pgoff gap after prev -> no merge");
	CHECK(vma_merge(&mm, a, P(0x20), P(0x24), VM_READ, FILE2, 16, &cnt_ops, NULL) == NULL,
	      "file: other file -> no merge");
	r = vma_merge(&mm, a, P(0x20), P(0x24), VM_READ, FILE1, 16, &cnt_ops, NULL);
	CHECK(r == a && a->vm_end == P(0x24) && a->vm_pgoff == 0 && vma_check(&mm) == 0,
	      "file: contiguous with prev -> merged");
	CHECK(vma_merge(&mm, a, P(0x2c), P(0x30), VM_READ, FILE1, 27, &cnt_ops, NULL) == NULL,
	      "file: pgoff not contiguous with next -> no merge");
	r = vma_merge(&mm, a, P(0x2c), P(0x30), VM_READ, FILE1, 28, &cnt_ops, NULL);
	CHECK(r == b && b->vm_start == P(0x2c) && b->vm_pgoff == 28 && vma_check(&mm) == 0,
	      "file: contiguous with next -> next grows down");
	/* Gap [0x24,0x2c) = file pages 20..27: prev ok but next needs 20+8 == 28. */
	r = vma_merge(&mm, a, P(0x24), P(0x2c), VM_READ, FILE1, 20, &cnt_ops, NULL);
	CHECK(r == a && mm.map_count == 1 && a->vm_end == P(0x40) && refs == r0 + 1 && live_allocs == 1 &&
	      vma_check(&mm) == 0, "file: both -> one VMA, next closed and freed");
	mm_teardown(&mm);

	/* prev == NULL: the next VMA is mm->mmap. */
	mm_init(&mm);
	a = mk(&mm, P(0x10), P(0x20), RW, NULL, 0, NULL);
	r = vma_merge(&mm, NULL, P(0x08), P(0x10), RW, NULL, 8, NULL, NULL);
	CHECK(r == a && a->vm_start == P(0x08) && vma_check(&mm) == 0, "prev NULL: merge with first VMA");
	r = vma_merge(&mm, NULL, P(0x00), P(0x04), RW, NULL, 0, NULL, NULL);
	CHECK(r == NULL, "prev NULL, not adjacent -> NULL");
	r = vma_merge(&mm, a, P(0x20), P(0x30), RW, NULL, 0, NULL, NULL);
	CHECK(r == a && mm.highest_vm_end == P(0x30) && vma_check(&mm) == 0, "merge at the top: highest_vm_end");
	mm_teardown(&mm);

	/* vma_try_merge_neighbours after an "mprotect" of the middle part. */
	mm_init(&mm);
	a = mk(&mm, P(0x10), P(0x40), RW, NULL, 0, NULL);
	split_vma(&mm, a, P(0x20), 0);
	b = a->vm_next;
	split_vma(&mm, b, P(0x30), 0);
	b->vm_flags = VM_READ; /* mprotect(0x20..0x30, PROT_READ) */
	CHECK(vma_try_merge_neighbours(&mm, b) == b && mm.map_count == 3, "try_merge: incompatible middle stays");
	b->vm_flags = RW;      /* and back */
	CHECK(vma_try_merge_neighbours(&mm, b) == a && mm.map_count == 1 && a->vm_end == P(0x40) &&
	      vma_check(&mm) == 0 && live_allocs == 1, "try_merge: compatible again -> one VMA");
	{
		struct vm_area_struct *c;

		c = mk(&mm, P(0x40), P(0x50), VM_READ, NULL, 0, NULL);
		CHECK(!can_vma_merge_pair(a, c), "can_vma_merge_pair: flags differ -> false");
		c->vm_flags = RW;
		CHECK(can_vma_merge_pair(a, c) && !can_vma_merge_pair(c, a), "can_vma_merge_pair: order matters");
	}
	mm_teardown(&mm);
	CHECK(refs == r0 && live_allocs == 0, "merge: refs and memory balanced");
}

static void test_adjust(void)
{
	struct mm_struct mm;
	struct vm_area_struct *heap, *stack, *mid;

	mm_init(&mm);
	heap = mk(&mm, P(0x100), P(0x101), VM_READ | VM_WRITE, NULL, 0x100, NULL);
	mid = mk(&mm, P(0x200), P(0x210), VM_READ, FILE1, 0, NULL);
	stack = mk(&mm, P(0x7f0), P(0x800), VM_READ | VM_WRITE | VM_GROWSDOWN, NULL, 0x7f0, NULL);
	vma_adjust_bounds(&mm, heap, heap->vm_start, P(0x180), heap->vm_pgoff);
	CHECK(vma_check(&mm) == 0 && heap->vm_end == P(0x180), "adjust: brk growth keeps gaps right");
	CHECK(unmapped_area(&mm, P(0x80), 0, P(0x1000)) == 0 &&
	      unmapped_area(&mm, P(0x80), P(0x100), P(0x1000)) == P(0x180),
	      "adjust: searches see the new end");
	vma_adjust_bounds(&mm, stack, P(0x700), stack->vm_end, 0x700);
	CHECK(vma_check(&mm) == 0 && stack->vm_pgoff == 0x700, "adjust: stack growth down");
	CHECK(unmapped_area_topdown(&mm, P(0x100), 0, P(0x800)) == P(0x600),
	      "adjust: topdown sees the grown stack");
	vma_adjust_bounds(&mm, stack, P(0x780), P(0x900), 0x780);
	CHECK(vma_check(&mm) == 0 && mm.highest_vm_end == P(0x900), "adjust: both ends of the last VMA");
	vma_adjust_bounds(&mm, mid, P(0x1a0), P(0x208), 0);
	CHECK(vma_check(&mm) == 0, "adjust: middle VMA both ends");
	vma_adjust_bounds(&mm, heap, heap->vm_start, P(0x1a0), heap->vm_pgoff);
	CHECK(vma_check(&mm) == 0 && unmapped_area(&mm, P(1), P(0x100), P(0x1000)) == P(0x208),
	      "adjust: heap up to touching the next VMA");
	mm_teardown(&mm);
}

static void test_unmapped_fixed(void)
{
	struct mm_struct mm;

	mm_init(&mm);
	mk(&mm, P(0x10), P(0x20), VM_READ, NULL, 0, NULL);
	mk(&mm, P(0x24), P(0x30), VM_READ, NULL, 0, NULL); /* gap 4 pages below it */
	mk(&mm, P(0x40), P(0x50), VM_READ, NULL, 0, NULL); /* gap 16 pages */
	CHECK(unmapped_area_topdown(&mm, P(4), P(0x10), P(0x40)) == P(0x3c), "topdown: highest gap fit");
	CHECK(unmapped_area_topdown(&mm, P(4), P(0x10), P(0x2e)) == P(0x20), "topdown: high limit inside a VMA");
	CHECK(unmapped_area_topdown(&mm, P(5), P(0x10), P(0x2e)) == ENOMEM_UL, "topdown: only a too-small gap");
	CHECK(unmapped_area_topdown(&mm, P(4), P(0x10), P(0x60)) == P(0x5c), "topdown: above the last VMA");
	CHECK(unmapped_area_topdown(&mm, P(16), P(0x30), P(0x40)) == P(0x30), "topdown: gap exactly length");
	CHECK(unmapped_area_topdown(&mm, P(16), P(0x31), P(0x40)) == ENOMEM_UL, "topdown: low limit cuts it");
	CHECK(unmapped_area_topdown(&mm, P(3) + 5, P(0x10) + 1, P(0x40) - 1) == P(0x3b),
	      "topdown: unaligned length/limits rounded");
	CHECK(unmapped_area(&mm, P(4), P(0x10), P(0x60)) == P(0x20), "bottom-up: lowest gap fit");
	CHECK(unmapped_area(&mm, P(4), 0, P(0x60)) == 0, "bottom-up: from 0");
	CHECK(unmapped_area(&mm, P(5), P(0x10), P(0x60)) == P(0x30), "bottom-up: skips the small gap");
	CHECK(unmapped_area(&mm, P(17), P(0x10), P(0x70)) == P(0x50), "bottom-up: above the last VMA");
	CHECK(unmapped_area(&mm, P(0x11), P(0x10), P(0x60)) == ENOMEM_UL, "bottom-up: no room below high");
	CHECK(unmapped_area_topdown(&mm, ~0UL, 0, ~0UL) == ENOMEM_UL &&
	      unmapped_area(&mm, ~0UL - 5, 0, ~0UL) == ENOMEM_UL, "huge length -> -ENOMEM, no overflow");
	CHECK(unmapped_area_topdown(&mm, P(1), P(0x60), P(0x50)) == ENOMEM_UL, "low > high -> -ENOMEM");
	mm_teardown(&mm);
}

/* Random layouts: both searches against brute force. */
static void test_unmapped_random(void)
{
	struct mm_struct mm;
	int round, q, bad = 0, n, i;

	for (round = 0; round < 60; round++) {
		mm_init(&mm);
		n = 1 + rnd() % 300;
		for (i = 0; i < n; i++) {
			unsigned long s = rnd() % 4096, l = 1 + rnd() % 16;

			mk(&mm, P(s), P(s + l), VM_READ, NULL, 0, NULL); /* NULL on overlap: fine */
		}
		if (vma_check(&mm))
			bad++;
		for (q = 0; q < 500; q++) {
			unsigned long len = P(1 + rnd() % 24), lo = P(rnd() % 4200), hi = P(rnd() % 4300);
			unsigned long t, b;

			if (rnd() % 4 == 0)
				lo = 0;
			if (rnd() % 4 == 0)
				hi = ~0UL & PAGE_MASK;
			t = unmapped_area_topdown(&mm, len, lo, hi);
			b = unmapped_area(&mm, len, lo, hi);
			if (t != brute_area(&mm, len, lo, hi, true) || b != brute_area(&mm, len, lo, hi, false)) {
				if (!bad++)
					printf("# mismatch len %lx lo %lx hi %lx: top %lx/%lx bottom %lx/%lx\n",
					       len, lo, hi, t, brute_area(&mm, len, lo, hi, true), b,
					       brute_area(&mm, len, lo, hi, false));
			}
		}
		mm_teardown(&mm);
	}
	CHECK(bad == 0, "unmapped_area{,_topdown} == brute force on 60 random layouts x 500 queries");
}

static int log2_ceil(unsigned long n)
{
	int l = 0;

	while ((1UL << l) < n)
		l++;
	return l;
}

/* 10,000 VMAs: operations stay O(log n) in tree nodes visited. */
static void test_big(void)
{
	enum { N = 10000 };
	static unsigned long order[N];
	struct mm_struct mm;
	struct vm_area_struct *v;
	unsigned long max_find = 0, max_search = 0, bound, i, j, tmp;
	int bad = 0, q;

	mm_init(&mm);
	/* VMA i at pages [3i+1, 3i+2) plus a few bigger gaps; inserted shuffled. */
	for (i = 0; i < N; i++)
		order[i] = i;
	for (i = N - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < N; i++) {
		unsigned long k = order[i], s = 4 * k + 1 + (k % 97 == 0 ? 0 : 2);

		if (!mk(&mm, P(s), P(s + 1), VM_READ, NULL, 0, NULL))
			bad++;
	}
	CHECK(bad == 0 && mm.map_count == N && vma_check(&mm) == 0, "10000 VMAs linked in random order");

	bound = 2 * log2_ceil(N) + 2;
	for (q = 0; q < 20000; q++) {
		unsigned long addr = rnd() % P(4 * N + 10);

		vma_tree_visits = 0;
		v = find_vma(&mm, addr);
		if (vma_tree_visits > max_find)
			max_find = vma_tree_visits;
		if (v && !(v->vm_end > addr && (!v->vm_prev || v->vm_prev->vm_end <= addr)))
			bad++;
	}
	printf("# find_vma: at most %lu nodes visited for n=%d (bound %lu)\n", max_find, N, bound);
	CHECK(bad == 0 && max_find <= bound, "find_vma visits <= 2*log2(n)+2 nodes, right answers");

	/* Searches: the only 3-page gaps are rare, limits random. */
	bad = 0;
	for (q = 0; q < 3000; q++) {
		unsigned long len = P(1 + rnd() % 3), lo = P(rnd() % (4 * N)), hi = P(rnd() % (4 * N + 20));
		unsigned long t, b;

		vma_tree_visits = 0;
		t = unmapped_area_topdown(&mm, len, lo, hi);
		if (vma_tree_visits > max_search)
			max_search = vma_tree_visits;
		vma_tree_visits = 0;
		b = unmapped_area(&mm, len, lo, hi);
		if (vma_tree_visits > max_search)
			max_search = vma_tree_visits;
		if (t != brute_area(&mm, len, lo, hi, true) || b != brute_area(&mm, len, lo, hi, false))
			bad++;
	}
	/* A handful of root-to-leaf walks down and back up. */
	bound = 4 * (2 * log2_ceil(N + 1)) + 4;
	printf("# unmapped_area: at most %lu nodes visited for n=%d (bound %lu)\n", max_search, N, bound);
	CHECK(bad == 0 && max_search <= bound, "unmapped_area{,_topdown} on 10000 VMAs: right and O(log n) visits");

	/* Unlink every other VMA, then check again. */
	for (v = mm.mmap; v && v->vm_next; v = v->vm_next)
		rm(&mm, v->vm_next);
	CHECK(mm.map_count == N / 2 && vma_check(&mm) == 0, "unlink every other of 10000: consistent");
	mm_teardown(&mm);

	/* Ascending insertion (the mmap-ish common case) keeps the tree balanced too. */
	mm_init(&mm);
	for (i = 0; i < N; i++)
		mk(&mm, P(2 * i), P(2 * i + 1), VM_READ, NULL, 0, NULL);
	max_find = 0;
	for (q = 0; q < 5000; q++) {
		vma_tree_visits = 0;
		find_vma(&mm, rnd() % P(2 * N));
		if (vma_tree_visits > max_find)
			max_find = vma_tree_visits;
	}
	CHECK(vma_check(&mm) == 0 && max_find <= 2 * (unsigned long)log2_ceil(N) + 2,
	      "10000 ascending inserts: balanced, find_vma O(log n)");
	mm_teardown(&mm);
	CHECK(live_allocs == 0, "big: no leaks");
}

/*
 * 10,000 VMAs with gaps of 1..64 pages and narrow search windows: subtrees
 * that look promising by rb_subtree_gap but lie outside the limits. The
 * walk stays a few root-to-leaf paths long.
 */
static void test_big_search(void)
{
	enum { N = 10000 };
	struct mm_struct mm;
	unsigned long pos = 0, max_visits = 0, bound, i;
	int q, bad = 0;

	mm_init(&mm);
	for (i = 0; i < N; i++) {
		pos += 1UL << (rnd() % 7); /* the gap */
		mk(&mm, P(pos), P(pos + 1), VM_READ, NULL, 0, NULL);
		pos++;
	}
	for (q = 0; q < 20000; q++) {
		unsigned long len = P(1 + rnd() % 70), lo, hi, t, b;

		if (rnd() % 2) {
			lo = P(rnd() % (pos + 100));
			hi = P(rnd() % (pos + 100));
		} else {
			lo = P(rnd() % pos);
			hi = lo + P(rnd() % 200);
		}
		vma_tree_visits = 0;
		t = unmapped_area_topdown(&mm, len, lo, hi);
		if (vma_tree_visits > max_visits)
			max_visits = vma_tree_visits;
		vma_tree_visits = 0;
		b = unmapped_area(&mm, len, lo, hi);
		if (vma_tree_visits > max_visits)
			max_visits = vma_tree_visits;
		if (q % 8 == 0 && (t != brute_area(&mm, len, lo, hi, true) ||
				   b != brute_area(&mm, len, lo, hi, false)))
			bad++;
	}
	bound = 4 * (2 * log2_ceil(N + 1)) + 4;
	printf("# mixed gaps: at most %lu nodes visited for n=%d (bound %lu)\n", max_visits, N, bound);
	CHECK(bad == 0 && max_visits <= bound && vma_check(&mm) == 0,
	      "unmapped_area{,_topdown}, mixed gaps, 10000 VMAs: right and O(log n) visits");
	mm_teardown(&mm);
}

/* ---- 200k random operations against a model ---- */

struct mvma {
	unsigned long start, end, flags, pgoff;
	struct file *file;
	const struct vm_operations_struct *ops;
};

#define MSPACE 2048 /* pages of address space used */
static struct mvma model[MSPACE];
static int nmodel;

static void model_insert(int idx, struct mvma m)
{
	memmove(&model[idx + 1], &model[idx], (nmodel - idx) * sizeof(model[0]));
	model[idx] = m;
	nmodel++;
}

static void model_remove(int idx)
{
	memmove(&model[idx], &model[idx + 1], (nmodel - idx - 1) * sizeof(model[0]));
	nmodel--;
}

/* Index of the first model VMA with end > addr (nmodel if none). */
static int model_find(unsigned long addr)
{
	int i;

	for (i = 0; i < nmodel; i++)
		if (model[i].end > addr)
			return i;
	return nmodel;
}

static bool model_compat(const struct mvma *a, unsigned long flags, struct file *file,
			 const struct vm_operations_struct *ops)
{
	return ((a->flags ^ flags) & VM_MERGE_MASK) == 0 && a->file == file && a->ops == ops;
}

static int model_refs(void)
{
	int i, r = 0;

	for (i = 0; i < nmodel; i++)
		r += model[i].ops == &cnt_ops;
	return r;
}

/* The real list == the model? */
static bool model_matches(struct mm_struct *mm)
{
	struct vm_area_struct *v = mm->mmap;
	int i;

	for (i = 0; i < nmodel; i++, v = v->vm_next) {
		if (!v || v->vm_start != model[i].start || v->vm_end != model[i].end ||
		    v->vm_flags != model[i].flags || v->vm_file != model[i].file ||
		    v->vm_ops != model[i].ops)
			return false;
		if (v->vm_file && v->vm_pgoff != model[i].pgoff)
			return false; /* anonymous pgoff is not modelled exactly */
	}
	return v == NULL;
}

static struct vm_area_struct *nth_vma(struct mm_struct *mm, int n)
{
	struct vm_area_struct *v = mm->mmap;

	while (n-- > 0)
		v = v->vm_next;
	return v;
}

static void random_attrs(unsigned long *flags, struct file **file,
			 const struct vm_operations_struct **ops)
{
	static const unsigned long fl[] = { VM_READ | VM_WRITE, VM_READ | VM_WRITE, VM_READ,
					    VM_READ | VM_WRITE | VM_LOCKED };
	unsigned long r = rnd();

	*flags = fl[r % 4];
	switch ((r >> 4) % 4) {
	case 0:
	case 1:
		*file = NULL;
		*ops = NULL;
		break;
	case 2:
		*file = FILE1;
		*ops = &cnt_ops;
		break;
	default:
		*file = FILE2;
		*ops = &cnt_ops;
		break;
	}
}

static void test_random_ops(void)
{
	enum { OPS = 200000 };
	struct mm_struct mm;
	unsigned long counts[9] = { 0 };
	const char *fail = NULL;
	int op, bad = 0, err;

	mm_init(&mm);
	nmodel = 0;
	refs = 0;
	for (op = 0; op < OPS && bad < 3; op++) {
		int kind = rnd() % 9, i;
		unsigned long flags, pgoff;
		struct file *file;
		const struct vm_operations_struct *ops;

		fail = NULL;
		random_attrs(&flags, &file, &ops);
		if (nmodel > 150 && kind == 0)
			kind = 1; /* keep the population moderate */
		if (nmodel < 20 && kind == 1)
			kind = 0;
		switch (kind) {
		case 0: { /* link a new VMA: -EEXIST iff it overlaps */
			unsigned long s = rnd() % MSPACE, l = 1 + rnd() % 12;
			struct vm_area_struct *v;
			bool overlap;

			if (s + l > MSPACE)
				l = MSPACE - s;
			i = model_find(P(s));
			overlap = i < nmodel && model[i].start < P(s + l);
			pgoff = rnd() % 1000;
			v = mk(&mm, P(s), P(s + l), flags, file, pgoff, ops);
			if (overlap != (v == NULL))
				fail = "vma_link overlap verdict";
			else if (v)
				model_insert(i, (struct mvma){ P(s), P(s + l), flags, pgoff, file, ops });
			break;
		}
		case 1: /* unlink (munmap) a whole VMA */
			if (!nmodel)
				break;
			i = rnd() % nmodel;
			rm(&mm, nth_vma(&mm, i));
			model_remove(i);
			break;
		case 2: { /* split, sometimes out of memory or at a bad address */
			struct vm_area_struct *v;
			struct mvma m;
			unsigned long pages, at, below = rnd() % 2;
			int nomem = rnd() % 8 == 0;

			if (!nmodel)
				break;
			i = rnd() % nmodel;
			v = nth_vma(&mm, i);
			m = model[i];
			pages = (m.end - m.start) >> PAGE_SHIFT;
			at = m.start + P(rnd() % (pages + 1));
			if (rnd() % 16 == 0)
				at += 8; /* unaligned */
			fail_allocs = nomem;
			err = split_vma(&mm, v, at, below);
			fail_allocs = 0;
			if (at <= m.start || at >= m.end || (at & ~PAGE_MASK)) {
				if (err != -EINVAL)
					fail = "split bad address not -EINVAL";
			} else if (nomem) {
				if (err != -ENOMEM)
					fail = "split without memory not -ENOMEM";
			} else if (err) {
				fail = "split failed";
			} else {
				struct mvma lo = m, hi = m;

				lo.end = at;
				hi.start = at;
				hi.pgoff = m.pgoff + ((at - m.start) >> PAGE_SHIFT);
				model[i] = lo;
				model_insert(i + 1, hi);
				if (below ? v->vm_start != at : v->vm_end != at)
					fail = "split: old VMA kept the wrong part";
			}
			break;
		}
		case 3: { /* vma_merge of a free range, else a new VMA (as mmap) */
			unsigned long s = rnd() % MSPACE, e, lim;
			struct vm_area_struct *prev, *r;
			bool mp, mn;
			int pi, ni;

			ni = model_find(P(s));
			if (ni < nmodel && model[ni].start <= P(s))
				break; /* s is mapped */
			lim = ni < nmodel ? model[ni].start : P(MSPACE);
			e = P(s) + P(1 + rnd() % 8);
			if (rnd() % 2 || e > lim)
				e = lim; /* often fill the hole up to the next VMA */
			if (e <= P(s))
				break;
			pi = ni - 1;
			/* Often choose contiguous file offsets, sometimes not. */
			pgoff = rnd() % 1000;
			if (pi >= 0 && rnd() % 2)
				pgoff = model[pi].pgoff + ((model[pi].end - model[pi].start) >> PAGE_SHIFT) +
					(P(s) - model[pi].end) / PAGE_SIZE;
			else if (ni < nmodel && rnd() % 2)
				pgoff = model[ni].pgoff - ((e - P(s)) >> PAGE_SHIFT);
			if (rnd() % 2 && pi >= 0) { /* copy prev's attributes to make merges likely */
				flags = model[pi].flags;
				file = model[pi].file;
				ops = model[pi].ops;
			}
			prev = pi >= 0 ? nth_vma(&mm, pi) : NULL;
			r = vma_merge(&mm, prev, P(s), e, flags, file, pgoff, ops, NULL);

			mp = pi >= 0 && model[pi].end == P(s) && model_compat(&model[pi], flags, file, ops) &&
			     (!file || model[pi].pgoff + ((model[pi].end - model[pi].start) >> PAGE_SHIFT) == pgoff);
			mn = ni < nmodel && model[ni].start == e && model_compat(&model[ni], flags, file, ops) &&
			     (!file || pgoff + ((e - P(s)) >> PAGE_SHIFT) == model[ni].pgoff);
			if (mp && mn) {
				model[pi].end = model[ni].end;
				model_remove(ni);
			} else if (mp) {
				model[pi].end = e;
			} else if (mn) {
				model[ni].start = P(s);
				model[ni].pgoff = pgoff;
			} else {
				model_insert(ni, (struct mvma){ P(s), e, flags, pgoff, file, ops });
				if (r == NULL && !mk(&mm, P(s), e, flags, file, pgoff, ops))
					fail = "link after failed merge";
			}
			if ((mp || mn) != (r != NULL))
				fail = "vma_merge verdict";
			else if (r && (r->vm_start > P(s) || r->vm_end < e))
				fail = "vma_merge result does not cover the range";
			break;
		}
		case 4: { /* adjust bounds within the free space around a VMA */
			unsigned long lo, hi, ns, ne;

			if (!nmodel)
				break;
			i = rnd() % nmodel;
			lo = i ? model[i - 1].end : 0;
			hi = i + 1 < nmodel ? model[i + 1].start : P(MSPACE);
			ns = lo + P(rnd() % (((model[i].end - lo) >> PAGE_SHIFT)));
			ne = ns + P(1 + rnd() % ((hi - ns) >> PAGE_SHIFT));
			pgoff = rnd() % 1000;
			vma_adjust_bounds(&mm, nth_vma(&mm, i), ns, ne, pgoff);
			model[i].start = ns;
			model[i].end = ne;
			model[i].pgoff = pgoff;
			break;
		}
		case 5: { /* re-merge neighbours (after an mprotect-like change) */
			struct vm_area_struct *v, *r;
			int first;

			if (!nmodel)
				break;
			i = rnd() % nmodel;
			v = nth_vma(&mm, i);
			if (rnd() % 2) { /* change protection of the whole VMA */
				v->vm_flags = flags;
				model[i].flags = flags;
			}
			r = vma_try_merge_neighbours(&mm, v);
			first = i;
			if (i > 0 && model[i - 1].end == model[i].start &&
			    model_compat(&model[i - 1], model[i].flags, model[i].file, model[i].ops) &&
			    (!model[i - 1].file || model[i - 1].pgoff + ((model[i - 1].end - model[i - 1].start) >> PAGE_SHIFT) == model[i].pgoff)) {
				model[i - 1].end = model[i].end;
				model_remove(i);
				first = i - 1;
			}
			if (first + 1 < nmodel && model[first].end == model[first + 1].start &&
			    model_compat(&model[first], model[first + 1].flags, model[first + 1].file, model[first + 1].ops) &&
			    (!model[first].file || model[first].pgoff + ((model[first].end - model[first].start) >> PAGE_SHIFT) == model[first + 1].pgoff)) {
				model[first].end = model[first + 1].end;
				model_remove(first + 1);
			}
			if (r != nth_vma(&mm, first))
				fail = "vma_try_merge_neighbours result";
			break;
		}
		case 6: { /* lookups */
			unsigned long a = rnd() % P(MSPACE + 4), b = a + rnd() % P(6);
			struct vm_area_struct *v, *prev, *x;

			i = model_find(a);
			v = find_vma_prev(&mm, a, &prev);
			x = find_vma_intersection(&mm, a, b);
			if (v != (i < nmodel ? nth_vma(&mm, i) : NULL) || find_vma(&mm, a) != v)
				fail = "find_vma";
			else if (prev != (i > 0 ? nth_vma(&mm, i - 1) : NULL))
				fail = "find_vma_prev";
			else if (x != (i < nmodel && model[i].start < b && a < b ? v : NULL))
				fail = "find_vma_intersection";
			break;
		}
		case 7: { /* free-range searches */
			unsigned long len = P(1 + rnd() % 16), lo = P(rnd() % MSPACE), hi = P(rnd() % (MSPACE + 64));

			if (unmapped_area_topdown(&mm, len, lo, hi) != brute_area(&mm, len, lo, hi, true))
				fail = "unmapped_area_topdown";
			else if (unmapped_area(&mm, len, lo, hi) != brute_area(&mm, len, lo, hi, false))
				fail = "unmapped_area";
			break;
		}
		default: { /* link attempt overlapping exactly an existing VMA's edge */
			struct vm_area_struct *v;

			if (!nmodel)
				break;
			i = rnd() % nmodel;
			v = vma_alloc();
			v->vm_start = model[i].end - PAGE_SIZE;
			v->vm_end = model[i].end + PAGE_SIZE;
			if (vma_link(&mm, v) != -EEXIST)
				fail = "edge overlap not refused";
			vma_free(v);
			break;
		}
		}
		counts[kind]++;
		if (!fail && (err = vma_check(&mm)))
			fail = vma_check_msg(err);
		if (!fail && !model_matches(&mm))
			fail = "list differs from model";
		if (!fail && (mm.map_count != nmodel || live_allocs != nmodel))
			fail = "map_count/allocations differ from model";
		if (!fail && refs != model_refs())
			fail = "vm_ops open/close unbalanced";
		if (fail) {
			bad++;
			printf("# op %d (kind %d): %s\n# layout: %s\n", op, kind, fail, layout(&mm));
		}
	}
	printf("# ops by kind: link %lu unlink %lu split %lu merge %lu adjust %lu remerge %lu find %lu search %lu edge %lu; final %d VMAs\n",
	       counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7],
	       counts[8], nmodel);
	CHECK(bad == 0, "200000 random operations: model and vma_check agree after each");
	mm_teardown(&mm);
	CHECK(live_allocs == 0 && refs == 0, "random ops: no leaks, refs balanced");
}

/* vma_check catches deliberate damage. */
static void test_check_detects(void)
{
	struct mm_struct mm;
	struct vm_area_struct *a, *b;
	unsigned long t;

	mm_init(&mm);
	a = mk(&mm, P(0x10), P(0x20), VM_READ, NULL, 0, NULL);
	b = mk(&mm, P(0x30), P(0x40), VM_READ, NULL, 0, NULL);
	mk(&mm, P(0x50), P(0x60), VM_READ, NULL, 0, NULL);
	t = b->rb_subtree_gap;
	b->rb_subtree_gap = 1;
	CHECK(vma_check(&mm) == VMA_CHECK_GAP, "vma_check: wrong rb_subtree_gap");
	b->rb_subtree_gap = t;
	mm.highest_vm_end += PAGE_SIZE;
	CHECK(vma_check(&mm) == VMA_CHECK_HIGHEST, "vma_check: wrong highest_vm_end");
	mm.highest_vm_end -= PAGE_SIZE;
	mm.map_count++;
	CHECK(vma_check(&mm) == VMA_CHECK_COUNT, "vma_check: wrong map_count");
	mm.map_count--;
	a->vm_end = P(0x31);
	CHECK(vma_check(&mm) == VMA_CHECK_ORDER, "vma_check: overlap");
	a->vm_end = P(0x20);
	CHECK(vma_check(&mm) == 0 && strcmp(vma_check_msg(VMA_CHECK_GAP), "unknown") != 0,
	      "vma_check: ok after undoing, messages exist");
	mm_teardown(&mm);
}

int main(void)
{
	printf("KTAP version 1\n");
	test_empty();
	test_find();
	test_split();
	test_merge();
	test_adjust();
	test_unmapped_fixed();
	test_unmapped_random();
	test_big();
	test_big_search();
	test_random_ops();
	test_check_detects();
	return KTEST_DONE();
}
