/* VMA list + gap-augmented red-black tree of an mm_struct (see mm/vma.h):
 * lookups, link/unlink, bounds changes, split, merge and the O(log n)
 * search for a free range, after Linux's mm/mmap.c. */
#include "mm/vma.h"
#include "mm/slab.h"
#include "kernel/errno.h"

/*
 * Each VMA's "gap" is the free space right below it:
 *     vm_start - (vm_prev ? vm_prev->vm_end : 0)
 * and rb_subtree_gap is the largest gap of any VMA in its subtree. The free
 * space above the last VMA is not a gap of any node; mm->highest_vm_end
 * marks where it starts. A free-range search can then skip every subtree
 * whose rb_subtree_gap is too small, which keeps it O(log n).
 *
 * Note a gap depends on the list neighbour, not on tree neighbours: when a
 * VMA's vm_start or its predecessor's vm_end moves, or its predecessor
 * changes, its gap must be recomputed (vma_gap_update()).
 */

#ifdef HOST_TEST
unsigned long vma_tree_visits;
#define count_visit() (vma_tree_visits++)
#else
#define count_visit() do { } while (0)
#endif

#define ERR_ENOMEM ((unsigned long)-ENOMEM)

static inline struct vm_area_struct *rb_vma(struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct vm_area_struct, vm_rb) : NULL;
}

/* The free space just below vma. */
static unsigned long vma_gap(const struct vm_area_struct *vma)
{
	return vma->vm_start - (vma->vm_prev ? vma->vm_prev->vm_end : 0);
}

/* vma's rb_subtree_gap given its children's cached values. */
static unsigned long vma_compute_subtree_gap(struct vm_area_struct *vma)
{
	unsigned long max = vma_gap(vma);
	struct vm_area_struct *child;

	child = rb_vma(vma->vm_rb.rb_left);
	if (child && child->rb_subtree_gap > max)
		max = child->rb_subtree_gap;
	child = rb_vma(vma->vm_rb.rb_right);
	if (child && child->rb_subtree_gap > max)
		max = child->rb_subtree_gap;
	return max;
}

RB_DECLARE_CALLBACKS(static, vma_gap_callbacks, struct vm_area_struct, vm_rb,
		     rb_subtree_gap, vma_compute_subtree_gap);

/* vma's own gap changed: fix its rb_subtree_gap and its ancestors'. */
static void vma_gap_update(struct vm_area_struct *vma)
{
	vma_gap_callbacks.propagate(&vma->vm_rb, NULL);
}

struct vm_area_struct *vma_alloc(void)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma));

	if (vma)
		RB_CLEAR_NODE(&vma->vm_rb);
	return vma;
}

void vma_free(struct vm_area_struct *vma)
{
	kfree(vma);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *rb = mm->mm_rb.rb_node;
	struct vm_area_struct *vma = NULL, *tmp;

	while (rb) {
		count_visit();
		tmp = rb_vma(rb);
		if (tmp->vm_end > addr) {
			vma = tmp; /* a candidate; a lower one may still exist */
			if (tmp->vm_start <= addr)
				break; /* addr is inside it */
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return vma;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma)
		*pprev = vma->vm_prev;
	else
		*pprev = rb_vma(rb_last(&mm->mm_rb));
	return vma;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma;

	if (start >= end)
		return NULL;
	vma = find_vma(mm, start);
	if (vma && end <= vma->vm_start)
		vma = NULL;
	return vma;
}

/*
 * Where [start, end) would go in the tree: *plink (a NULL child pointer),
 * its *pparent node, and *pprev, the VMA that would precede it. -EEXIST if
 * the range overlaps a VMA.
 */
static int find_vma_links(struct mm_struct *mm, unsigned long start, unsigned long end,
			  struct rb_node ***plink, struct rb_node **pparent,
			  struct vm_area_struct **pprev)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL, *prev = NULL;
	struct vm_area_struct *tmp;

	while (*link) {
		parent = *link;
		tmp = rb_vma(parent);
		if (tmp->vm_end > start) {
			if (tmp->vm_start < end)
				return -EEXIST;
			link = &parent->rb_left;
		} else {
			prev = parent;
			link = &parent->rb_right;
		}
	}
	*plink = link;
	*pparent = parent;
	*pprev = rb_vma(prev);
	return 0;
}

int vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link, *parent;
	struct vm_area_struct *prev, *next;
	int err;

	if (vma->vm_start >= vma->vm_end || ((vma->vm_start | vma->vm_end) & ~PAGE_MASK))
		return -EINVAL;
	err = find_vma_links(mm, vma->vm_start, vma->vm_end, &link, &parent, &prev);
	if (err)
		return err;

	/* The list. */
	next = prev ? prev->vm_next : mm->mmap;
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (next)
		next->vm_prev = vma;
	vma->vm_mm = mm;

	/* next's gap now ends at vma, not at prev. */
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = vma->vm_end;

	/*
	 * The tree: link vma as a leaf, set its gap and its ancestors'
	 * (rb_insert_augmented wants them right on the way in), then
	 * rebalance.
	 */
	rb_link_node(&vma->vm_rb, parent, link);
	vma->rb_subtree_gap = 0;
	vma_gap_update(vma);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
	return 0;
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	/* Out of the tree first: gaps there are computed with the old list. */
	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	RB_CLEAR_NODE(&vma->vm_rb);

	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next)
		next->vm_prev = prev;
	vma->vm_next = vma->vm_prev = NULL;

	/* next's gap now reaches down to prev. */
	if (next)
		vma_gap_update(next);
	else
		mm->highest_vm_end = prev ? prev->vm_end : 0;
	mm->map_count--;
}

void vma_adjust_bounds(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long new_start, unsigned long new_end,
		       unsigned long new_pgoff)
{
	bool start_moved = new_start != vma->vm_start;
	bool end_moved = new_end != vma->vm_end;

	/* The order of VMAs is unchanged, so the tree shape stays valid. */
	vma->vm_start = new_start;
	vma->vm_end = new_end;
	vma->vm_pgoff = new_pgoff;
	if (start_moved)
		vma_gap_update(vma);
	if (end_moved) {
		if (vma->vm_next)
			vma_gap_update(vma->vm_next);
		else
			mm->highest_vm_end = new_end;
	}
}

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	struct vm_area_struct *new;
	unsigned long delta;
	int err;

	if ((addr & ~PAGE_MASK) || addr <= vma->vm_start || addr >= vma->vm_end)
		return -EINVAL;
	new = vma_alloc();
	if (!new)
		return -ENOMEM;

	*new = *vma;
	new->vm_next = new->vm_prev = NULL;
	RB_CLEAR_NODE(&new->vm_rb);
	new->rb_subtree_gap = 0;

	/* Shrink vma first so that the new part fits in beside it. */
	delta = (addr - vma->vm_start) >> PAGE_SHIFT;
	if (new_below) {
		new->vm_end = addr;
		vma_adjust_bounds(mm, vma, addr, vma->vm_end, vma->vm_pgoff + delta);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += delta;
		vma_adjust_bounds(mm, vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	err = vma_link(mm, new);
	(void)err; /* cannot fail: new covers exactly what vma gave up */

	/* The new VMA refers to the same object: let it take a reference. */
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	return 0;
}

/* Could a VMA with these attributes be one with vma (ignoring addresses)? */
static bool vma_attrs_match(const struct vm_area_struct *vma, unsigned long vm_flags,
			    struct file *file, const struct vm_operations_struct *ops,
			    void *private_data)
{
	return !((vma->vm_flags ^ vm_flags) & VM_MERGE_MASK) && vma->vm_file == file &&
	       vma->vm_ops == ops && vma->vm_private_data == private_data;
}

bool can_vma_merge_pair(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start)
		return false;
	if (!vma_attrs_match(a, b->vm_flags, b->vm_file, b->vm_ops, b->vm_private_data))
		return false;
	/* File pages, and an object's (SysV shm), must continue where a's
	 * end; anonymous ones need not. */
	return (!a->vm_file && !a->vm_ops) || a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

/* vma's range was taken over by a neighbour: drop it. */
static void vma_remove_merged(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_unlink(mm, vma);
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	vma_free(vma);
}

struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end, unsigned long vm_flags,
				 struct file *file, unsigned long pgoff,
				 const struct vm_operations_struct *ops, void *private_data)
{
	struct vm_area_struct *next = prev ? prev->vm_next : mm->mmap;
	unsigned long pages = (end - addr) >> PAGE_SHIFT;
	bool merge_prev, merge_next;

	/* Refuse nonsense rather than corrupt the tree. */
	if (addr >= end || (prev && prev->vm_end > addr) || (next && next->vm_start < end))
		return NULL;

	merge_prev = prev && prev->vm_end == addr &&
		     vma_attrs_match(prev, vm_flags, file, ops, private_data) &&
		     (!file || prev->vm_pgoff + vma_pages(prev) == pgoff);
	merge_next = next && next->vm_start == end &&
		     vma_attrs_match(next, vm_flags, file, ops, private_data) &&
		     (!file || pgoff + pages == next->vm_pgoff);

	if (merge_prev && merge_next) {
		/* prev swallows the new range and next. */
		unsigned long next_end = next->vm_end;

		vma_remove_merged(mm, next);
		vma_adjust_bounds(mm, prev, prev->vm_start, next_end, prev->vm_pgoff);
		return prev;
	}
	if (merge_prev) {
		vma_adjust_bounds(mm, prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (merge_next) {
		vma_adjust_bounds(mm, next, addr, next->vm_end, pgoff);
		return next;
	}
	return NULL;
}

struct vm_area_struct *vma_try_merge_neighbours(struct mm_struct *mm,
						struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next;
	unsigned long end;

	if (prev && can_vma_merge_pair(prev, vma)) {
		end = vma->vm_end;
		vma_remove_merged(mm, vma);
		vma_adjust_bounds(mm, prev, prev->vm_start, end, prev->vm_pgoff);
		vma = prev;
	}
	next = vma->vm_next;
	if (next && can_vma_merge_pair(vma, next)) {
		end = next->vm_end;
		vma_remove_merged(mm, next);
		vma_adjust_bounds(mm, vma, vma->vm_start, end, vma->vm_pgoff);
	}
	return vma;
}

/*
 * Common start of both searches: round length up to pages, the limits
 * inwards to page boundaries, and check that [low, high) can hold length
 * at all. Returns 0 or a negative errno.
 */
static long search_bounds(unsigned long *plength, unsigned long *plow, unsigned long *phigh)
{
	unsigned long length = *plength, low = *plow, high = *phigh;

	if (!length)
		return -EINVAL;
	if (length > PAGE_MASK || low > PAGE_MASK)
		return -ENOMEM; /* would not even round up to a page */
	length = ALIGN_UP(length, PAGE_SIZE);
	low = ALIGN_UP(low, PAGE_SIZE);
	high = ALIGN_DOWN(high, PAGE_SIZE);
	if (high < length || high - length < low)
		return -ENOMEM;
	*plength = length;
	*plow = low;
	*phigh = high;
	return 0;
}

/*
 * Linux's unmapped_area_topdown(): walk the tree in reverse address order,
 * visiting only subtrees whose rb_subtree_gap could hold length, and take
 * the first (highest) gap that also meets the limits.
 */
unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long length,
				    unsigned long low_limit, unsigned long high_limit)
{
	struct vm_area_struct *vma;
	unsigned long gap_start, gap_end, max_start, min_end;
	long err = search_bounds(&length, &low_limit, &high_limit);

	if (err)
		return (unsigned long)err;
	max_start = high_limit - length; /* a gap must start at or below this */
	min_end = low_limit + length;    /* and end at or above this */

	/* The free space above the last VMA is the highest gap. */
	gap_start = mm->highest_vm_end;
	if (gap_start <= max_start)
		return high_limit - length;

	vma = rb_vma(mm->mm_rb.rb_node);
	if (!vma || vma->rb_subtree_gap < length)
		return ERR_ENOMEM;
	count_visit();

	for (;;) {
		/* Higher addresses first: the right subtree, if promising. */
		gap_start = vma->vm_prev ? vma->vm_prev->vm_end : 0;
		if (gap_start <= max_start && vma->vm_rb.rb_right) {
			struct vm_area_struct *right = rb_vma(vma->vm_rb.rb_right);

			if (right->rb_subtree_gap >= length) {
				vma = right;
				count_visit();
				continue;
			}
		}

check_current:
		/* Then the gap just below this VMA. */
		gap_end = vma->vm_start;
		if (gap_end < min_end)
			return ERR_ENOMEM; /* every gap from here on is lower */
		if (gap_start <= max_start && gap_end - gap_start >= length)
			goto found;

		/* Then the left subtree, if promising. */
		if (vma->vm_rb.rb_left) {
			struct vm_area_struct *left = rb_vma(vma->vm_rb.rb_left);

			if (left->rb_subtree_gap >= length) {
				vma = left;
				count_visit();
				continue;
			}
		}

		/* Climb until we come up from a right child: that node's own
		 * gap and left subtree are next in reverse order. */
		for (;;) {
			struct rb_node *prev = &vma->vm_rb;

			if (!rb_parent(prev))
				return ERR_ENOMEM;
			vma = rb_vma(rb_parent(prev));
			count_visit();
			if (prev == vma->vm_rb.rb_right) {
				gap_start = vma->vm_prev ? vma->vm_prev->vm_end : 0;
				goto check_current;
			}
		}
	}

found:
	/* The gap may reach above the limit: take the top of what is allowed. */
	if (gap_end > high_limit)
		gap_end = high_limit;
	return gap_end - length;
}

/* Linux's unmapped_area(): the same walk in address order, lowest gap wins. */
unsigned long unmapped_area(struct mm_struct *mm, unsigned long length,
			    unsigned long low_limit, unsigned long high_limit)
{
	struct vm_area_struct *vma;
	unsigned long gap_start, gap_end, max_start, min_end;
	long err = search_bounds(&length, &low_limit, &high_limit);

	if (err)
		return (unsigned long)err;
	max_start = high_limit - length;
	min_end = low_limit + length;

	vma = rb_vma(mm->mm_rb.rb_node);
	if (!vma || vma->rb_subtree_gap < length)
		goto check_highest;
	count_visit();

	for (;;) {
		/* Lower addresses first: the left subtree, if promising. */
		gap_end = vma->vm_start;
		if (gap_end >= min_end && vma->vm_rb.rb_left) {
			struct vm_area_struct *left = rb_vma(vma->vm_rb.rb_left);

			if (left->rb_subtree_gap >= length) {
				vma = left;
				count_visit();
				continue;
			}
		}
		gap_start = vma->vm_prev ? vma->vm_prev->vm_end : 0;

check_current:
		/* Then the gap just below this VMA. */
		if (gap_start > max_start)
			return ERR_ENOMEM; /* every gap from here on is higher */
		if (gap_end >= min_end && gap_end - gap_start >= length)
			goto found;

		/* Then the right subtree, if promising. */
		if (vma->vm_rb.rb_right) {
			struct vm_area_struct *right = rb_vma(vma->vm_rb.rb_right);

			if (right->rb_subtree_gap >= length) {
				vma = right;
				count_visit();
				continue;
			}
		}

		/* Climb until we come up from a left child. */
		for (;;) {
			struct rb_node *prev = &vma->vm_rb;

			if (!rb_parent(prev))
				goto check_highest;
			vma = rb_vma(rb_parent(prev));
			count_visit();
			if (prev == vma->vm_rb.rb_left) {
				gap_start = vma->vm_prev ? vma->vm_prev->vm_end : 0;
				gap_end = vma->vm_start;
				goto check_current;
			}
		}
	}

check_highest:
	/* The free space above the last VMA. */
	gap_start = mm->highest_vm_end;
	if (gap_start > max_start)
		return ERR_ENOMEM;
found:
	/* The gap may start below the limit: take the lowest allowed start. */
	if (gap_start < low_limit)
		gap_start = low_limit;
	return gap_start;
}

int vma_check(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *prev = NULL;
	struct rb_node *rb;
	int n = 0;

	if (rb_validate(&mm->mm_rb))
		return VMA_CHECK_RB;
	rb = rb_first(&mm->mm_rb);
	for (vma = mm->mmap; vma; prev = vma, vma = vma->vm_next) {
		if (vma->vm_start >= vma->vm_end || ((vma->vm_start | vma->vm_end) & ~PAGE_MASK))
			return VMA_CHECK_RANGE;
		if (vma->vm_prev != prev)
			return VMA_CHECK_LIST_LINKS;
		if (prev && prev->vm_end > vma->vm_start)
			return VMA_CHECK_ORDER;
		if (vma->vm_mm != mm)
			return VMA_CHECK_MM;
		if (rb != &vma->vm_rb)
			return VMA_CHECK_TREE_ORDER;
		/* Right at every node given its children means right everywhere. */
		if (vma->rb_subtree_gap != vma_compute_subtree_gap(vma))
			return VMA_CHECK_GAP;
		rb = rb_next(rb);
		if (++n > mm->map_count)
			return VMA_CHECK_COUNT;
	}
	if (rb)
		return VMA_CHECK_TREE_ORDER;
	if (n != mm->map_count)
		return VMA_CHECK_COUNT;
	if (mm->highest_vm_end != (prev ? prev->vm_end : 0))
		return VMA_CHECK_HIGHEST;
	return VMA_CHECK_OK;
}

const char *vma_check_msg(int code)
{
	static const char *const msg[] = {
		[VMA_CHECK_OK] = "ok",
		[VMA_CHECK_RANGE] = "empty or unaligned VMA",
		[VMA_CHECK_ORDER] = "VMAs out of order or overlapping",
		[VMA_CHECK_LIST_LINKS] = "vm_prev/vm_next mismatch",
		[VMA_CHECK_MM] = "vm_mm is another mm",
		[VMA_CHECK_RB] = "red-black tree broken",
		[VMA_CHECK_TREE_ORDER] = "tree order differs from list",
		[VMA_CHECK_COUNT] = "map_count wrong",
		[VMA_CHECK_GAP] = "rb_subtree_gap wrong",
		[VMA_CHECK_HIGHEST] = "highest_vm_end wrong",
	};

	if (code < 0 || code >= (int)ARRAY_SIZE(msg) || !msg[code])
		return "unknown";
	return msg[code];
}
