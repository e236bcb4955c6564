/* VMA bookkeeping of an address space: the address-ordered list and the
 * gap-augmented red-black tree of an mm_struct, with find, link, split,
 * merge and free-range search. Pure data structure code: no page tables. */
#ifndef MM_VMA_H
#define MM_VMA_H
#include "mm/mm_types.h"

/*
 * Locking: every function here expects the caller to hold mm->mmap_lock,
 * for writing if it changes anything (find_* and the unmapped_area
 * searches only read). Addresses and lengths are page aligned unless said
 * otherwise. mm->mmap, mm->mm_rb, mm->map_count and mm->highest_vm_end
 * must start out as NULL, RB_ROOT, 0 and 0.
 */

/* A zeroed VMA (kzalloc) with vm_rb marked unlinked, or NULL. */
struct vm_area_struct *vma_alloc(void);
/* kfree it. Must not be linked. Does not call vm_ops->close. */
void vma_free(struct vm_area_struct *vma);

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* The first VMA with vm_end > addr (it contains addr, or lies above it), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma(), and *pprev = the VMA before that one (the last VMA if the
 * result is NULL; NULL if there is none). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
/* The first VMA overlapping [start, end), or NULL (always NULL if start >= end). */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);

/*
 * Insert vma (vm_start/vm_end set, not linked) into mm's list and tree and
 * set vma->vm_mm. -EEXIST if it overlaps a VMA already there, -EINVAL if
 * its range is empty or not page aligned; nothing changes on error.
 */
int vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* Take vma off mm's list and tree (vm_next, vm_prev set to NULL, vm_rb
 * cleared). Does not free it or call vm_ops->close. */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);

/*
 * Move vma's bounds to [new_start, new_end) with vm_pgoff = new_pgoff (brk
 * or stack growth, merges, partial unmaps). The caller guarantees the new
 * range is non-empty and overlaps no other VMA of mm.
 */
void vma_adjust_bounds(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long new_start, unsigned long new_end,
		       unsigned long new_pgoff);

/*
 * Cut vma in two at addr (page aligned, vm_start < addr < vm_end, else
 * -EINVAL). A new VMA, a copy of vma, gets [vm_start, addr) if new_below,
 * else [addr, vm_end); vma keeps the other part. The upper part's vm_pgoff
 * is advanced by the pages of the lower one. vm_ops->open (if any) is
 * called on the new VMA. -ENOMEM if no memory (nothing changed); 0 on
 * success. The new VMA is vma->vm_prev if new_below, else vma->vm_next.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below);

/*
 * A new range [addr, end) with these attributes is about to be mapped
 * between prev (NULL: below the first VMA) and the VMA after prev, and
 * nothing is mapped inside it. If prev ends at addr and is compatible,
 * prev is extended; if the next VMA starts at end and is compatible, it
 * is extended down (vm_pgoff = pgoff); if both, prev grows over next too
 * and next is unlinked, vm_ops->close'd and freed. Returns the VMA that
 * now covers [addr, end), or NULL if nothing could merge (the caller then
 * makes a new VMA). Compatible: same vm_flags & VM_MERGE_MASK, vm_file,
 * vm_ops and vm_private_data, and for a file mapping contiguous file
 * offsets. The surviving VMA keeps its own vm_flags.
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end, unsigned long vm_flags,
				 struct file *file, unsigned long pgoff,
				 const struct vm_operations_struct *ops, void *private_data);

/* True if a ends exactly where b starts and the two could be one VMA
 * (the compatibility rule of vma_merge). */
bool can_vma_merge_pair(const struct vm_area_struct *a, const struct vm_area_struct *b);

/*
 * Merge vma with its list neighbours where can_vma_merge_pair() allows
 * (after mprotect or a partial unmap changed things). A VMA absorbed into
 * another is unlinked, vm_ops->close'd and freed. Returns the VMA that
 * now covers vma's range (vma itself, or the previous VMA).
 */
struct vm_area_struct *vma_try_merge_neighbours(struct mm_struct *mm,
						struct vm_area_struct *vma);

/*
 * The highest (topdown) or lowest (unmapped_area) page-aligned address a
 * with [a, a + length) inside [low_limit, high_limit) and overlapping no
 * VMA. length is rounded up to whole pages, low_limit up and high_limit
 * down to page boundaries. Returns -ENOMEM cast to unsigned long if there
 * is no such range, -EINVAL if length is 0. O(log n): the search follows
 * the tree's rb_subtree_gap values. Test with IS_ERR_VALUE-style
 * "result > -4096UL" or against the limits.
 */
unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long length,
				    unsigned long low_limit, unsigned long high_limit);
unsigned long unmapped_area(struct mm_struct *mm, unsigned long length,
			    unsigned long low_limit, unsigned long high_limit);

/*
 * Check all of mm's VMA bookkeeping: page-aligned non-empty VMAs in
 * strictly increasing, non-overlapping order on a consistent doubly linked
 * list, vm_mm == mm, a sound red-black tree whose in-order walk is the list,
 * map_count, every rb_subtree_gap and highest_vm_end. Returns 0 if all is
 * well, else one of the VMA_CHECK_* codes for the first problem found
 * (vma_check_msg() names it). O(n log n): for tests and debugging.
 */
enum {
	VMA_CHECK_OK = 0,
	VMA_CHECK_RANGE,      /* a VMA is empty or not page aligned */
	VMA_CHECK_ORDER,      /* list not sorted, or VMAs overlap */
	VMA_CHECK_LIST_LINKS, /* vm_prev does not match vm_next */
	VMA_CHECK_MM,         /* vm_mm is not this mm */
	VMA_CHECK_RB,         /* red-black rules or parent links broken */
	VMA_CHECK_TREE_ORDER, /* in-order tree walk differs from the list */
	VMA_CHECK_COUNT,      /* map_count wrong */
	VMA_CHECK_GAP,        /* an rb_subtree_gap is wrong */
	VMA_CHECK_HIGHEST,    /* highest_vm_end wrong */
};
int vma_check(struct mm_struct *mm);
const char *vma_check_msg(int code);

#ifdef HOST_TEST
/* Tree nodes looked at by find_vma and the unmapped_area searches, so
 * tests can check they stay O(log n). */
extern unsigned long vma_tree_visits;
#endif

#endif
