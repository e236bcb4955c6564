/* Radix tree for the page cache: unsigned long index -> void * entry, with
 * 64-slot nodes, growth/shrinking of the height as the largest index changes,
 * ordered (gang) lookups and per-entry tags. No recursion, no global state. */
#include "mm/radix_tree.h"
#include "mm/slab.h"
#include "kernel/errno.h"

/*
 * Invariants (checked by test/host/test_radix_tree.c):
 *  - every node has count > 0 (empty nodes are freed at once), count equals
 *    its non-NULL slots, and each child has parent/offset pointing back and
 *    shift 6 less than its parent; leaves have shift 0;
 *  - the root node has shift 6 * (height - 1) and, when height > 1, does not
 *    have slot 0 as its only used slot (the height is minimal);
 *  - a tag bit is set in a node iff the slot is a tagged entry (leaf) or a
 *    subtree with a tagged entry.
 * Insert relies on the minimal height: to undo a failed insert it frees the
 * empty nodes it made and shrinks, which restores the tree exactly.
 */

#define RT_ALL_ONES (~0UL)

/* Largest index a tree of this height can hold. */
static unsigned long height_to_maxindex(unsigned int height)
{
	unsigned int bits = height * RADIX_TREE_MAP_SHIFT;

	if (bits >= RADIX_TREE_INDEX_BITS)
		return RT_ALL_ONES;
	return (1UL << bits) - 1;
}

/* Least height that holds index (at least 1). */
static unsigned int index_to_height(unsigned long index)
{
	unsigned int h = 1;

	while (h < RADIX_TREE_MAX_HEIGHT && (index >> (h * RADIX_TREE_MAP_SHIFT)) != 0)
		h++;
	return h;
}

/* Bits of index that lie below node, plus its own slot bits: the span the
 * node covers, minus one (all ones for a shift-60 root). */
static unsigned long node_span_mask(const struct radix_tree_node *node)
{
	return (RADIX_TREE_MAP_SIZE << node->shift) - 1;
}

static unsigned int slot_of(const struct radix_tree_node *node, unsigned long index)
{
	return (index >> node->shift) & RADIX_TREE_MAP_MASK;
}

/* Lowest set bit of a non-zero word (Linux __ffs), without libgcc. */
static unsigned int rt_ffs(unsigned long word)
{
	unsigned int n = 0;

	if ((word & 0xffffffffUL) == 0) { n += 32; word >>= 32; }
	if ((word & 0xffff) == 0) { n += 16; word >>= 16; }
	if ((word & 0xff) == 0) { n += 8; word >>= 8; }
	if ((word & 0xf) == 0) { n += 4; word >>= 4; }
	if ((word & 0x3) == 0) { n += 2; word >>= 2; }
	if ((word & 0x1) == 0)
		n += 1;
	return n;
}

static struct radix_tree_node *node_alloc(struct radix_tree_node *parent,
					  unsigned int offset, unsigned int shift)
{
	struct radix_tree_node *node = kzalloc(sizeof(*node));

	if (node) {
		node->shift = shift;
		node->offset = offset;
		node->parent = parent;
	}
	return node;
}

void INIT_RADIX_TREE(struct radix_tree_root *root)
{
	root->rnode = NULL;
	root->height = 0;
	root->count = 0;
}

unsigned long radix_tree_count(const struct radix_tree_root *root)
{
	return root->count;
}

/* The leaf (shift 0) node whose slots would hold index, or NULL. */
static struct radix_tree_node *find_leaf(const struct radix_tree_root *root,
					 unsigned long index)
{
	struct radix_tree_node *node = root->rnode;

	if (!node || index > height_to_maxindex(root->height))
		return NULL;
	while (node && node->shift > 0)
		node = node->slots[slot_of(node, index)];
	return node;
}

/* Clear tag bit offset in node, then in each ancestor whose child has no
 * tagged slot left. */
static void tag_clear_upward(struct radix_tree_node *node, unsigned int offset,
			     unsigned int tag)
{
	while (node) {
		node->tags[tag] &= ~(1UL << offset);
		if (node->tags[tag])
			break;
		offset = node->offset;
		node = node->parent;
	}
}

/* Set tag bit offset in node and the bits leading to it in its ancestors. */
static void tag_set_upward(struct radix_tree_node *node, unsigned int offset,
			   unsigned int tag)
{
	while (node && !(node->tags[tag] & (1UL << offset))) {
		node->tags[tag] |= 1UL << offset;
		offset = node->offset;
		node = node->parent;
	}
}

/* Free node and then each ancestor while it has no slots in use. An empty
 * node carries no tags, so its parent's tag bits for it are already clear. */
static void free_empty_upward(struct radix_tree_root *root, struct radix_tree_node *node)
{
	while (node && node->count == 0) {
		struct radix_tree_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			root->rnode = NULL;
			root->height = 0;
		}
		kfree(node);
		node = parent;
	}
}

/* Lower the height while the root node only uses slot 0: its child then
 * covers every index stored. */
static void shrink(struct radix_tree_root *root)
{
	while (root->height > 1) {
		struct radix_tree_node *node = root->rnode;
		struct radix_tree_node *child = node->slots[0];

		if (node->count != 1 || !child)
			break;
		child->parent = NULL;
		child->offset = 0;
		root->rnode = child;
		root->height--;
		kfree(node);
	}
}

/* Add levels on top of a non-empty tree until it is height levels tall.
 * The old root becomes slot 0 of each new root. On -ENOMEM the levels
 * already added are removed again. */
static int extend(struct radix_tree_root *root, unsigned int height)
{
	while (root->height < height) {
		struct radix_tree_node *old = root->rnode;
		struct radix_tree_node *node;

		node = node_alloc(NULL, 0, root->height * RADIX_TREE_MAP_SHIFT);
		if (!node) {
			shrink(root);
			return -ENOMEM;
		}
		node->slots[0] = old;
		node->count = 1;
		for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
			if (old->tags[t])
				node->tags[t] = 1;
		old->parent = node;
		old->offset = 0;
		root->rnode = node;
		root->height++;
	}
	return 0;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item)
{
	unsigned int height = index_to_height(index);
	struct radix_tree_node *node;
	unsigned int off;

	if (!item)
		return -EINVAL;

	if (!root->rnode) {
		node = node_alloc(NULL, 0, (height - 1) * RADIX_TREE_MAP_SHIFT);
		if (!node)
			return -ENOMEM;
		root->rnode = node;
		root->height = height;
	} else if (height > root->height) {
		int ret = extend(root, height);

		if (ret)
			return ret;
	}

	/* Walk down, making the missing nodes on the way. */
	node = root->rnode;
	while (node->shift > 0) {
		struct radix_tree_node *child;

		off = slot_of(node, index);
		child = node->slots[off];
		if (!child) {
			child = node_alloc(node, off, node->shift - RADIX_TREE_MAP_SHIFT);
			if (!child) {
				/* Undo: drop the empty nodes just made, then any
				 * levels extend() added (their slot 0 is alone). */
				free_empty_upward(root, node);
				shrink(root);
				return -ENOMEM;
			}
			node->slots[off] = child;
			node->count++;
		}
		node = child;
	}

	/* A taken slot means the whole path already existed: nothing to undo. */
	off = slot_of(node, index);
	if (node->slots[off])
		return -EEXIST;
	node->slots[off] = item;
	node->count++;
	root->count++;
	return 0;
}

void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = find_leaf(root, index);

	return node ? node->slots[slot_of(node, index)] : NULL;
}

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = find_leaf(root, index);
	unsigned int off;
	void *item;

	if (!node)
		return NULL;
	off = slot_of(node, index);
	item = node->slots[off];
	if (!item)
		return NULL;

	for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
		if (node->tags[t] & (1UL << off))
			tag_clear_upward(node, off, t);
	node->slots[off] = NULL;
	node->count--;
	root->count--;
	free_empty_upward(root, node);
	shrink(root);
	return item;
}

void *radix_tree_replace(struct radix_tree_root *root, unsigned long index, void *item)
{
	struct radix_tree_node *node = find_leaf(root, index);
	unsigned int off;
	void *old;

	if (!node || !item)
		return NULL;
	off = slot_of(node, index);
	old = node->slots[off];
	if (old)
		node->slots[off] = item;
	return old;
}

/* First slot >= off of node that is in use (tag < 0) or carries tag, or -1. */
static int next_slot(const struct radix_tree_node *node, unsigned int off, int tag)
{
	if (tag >= 0) {
		unsigned long bits = node->tags[tag] >> off;

		return bits ? (int)(off + rt_ffs(bits)) : -1;
	}
	for (; off < RADIX_TREE_MAP_SIZE; off++)
		if (node->slots[off])
			return off;
	return -1;
}

/*
 * *index lies in *nodep's range. Move *index to the first index past that
 * range and *nodep up to the ancestor whose range holds the new index.
 * Returns false when there is no such ancestor: the walk is over.
 */
static bool skip_node(const struct radix_tree_node **nodep, unsigned long *index)
{
	const struct radix_tree_node *node = *nodep;

	*index = (*index | node_span_mask(node)) + 1;
	if (*index == 0)
		return false; /* wrapped past ULONG_MAX (the climb would also end) */
	for (;;) {
		node = node->parent;
		if (!node)
			return false;
		/* Slot field 0 means we also ran off the end of this node. */
		if (slot_of(node, *index) != 0)
			break;
	}
	*nodep = node;
	return true;
}

/* Gang lookup of all entries (tag < 0) or of those carrying tag. Walks the
 * tree in index order using parent pointers instead of recursion. */
static unsigned int gang_lookup(const struct radix_tree_root *root, void **results,
				unsigned long *indices, unsigned long first,
				unsigned int max_items, int tag)
{
	const struct radix_tree_node *node = root->rnode;
	unsigned long index = first;
	unsigned int n = 0;

	if (!node || max_items == 0 || first > height_to_maxindex(root->height))
		return 0;

	for (;;) {
		unsigned int off = slot_of(node, index);
		int found = next_slot(node, off, tag);

		if (found < 0) {
			if (!skip_node(&node, &index))
				break;
			continue;
		}
		if ((unsigned int)found != off) {
			/* Jump to the first index of slot found. */
			index &= ~node_span_mask(node);
			index |= (unsigned long)found << node->shift;
		}
		if (node->shift > 0) {
			node = node->slots[found];
			continue;
		}
		results[n] = node->slots[found];
		if (indices)
			indices[n] = index;
		if (++n == max_items)
			break;
		if (found < (int)RADIX_TREE_MAP_MASK)
			index++;
		else if (!skip_node(&node, &index))
			break;
	}
	return n;
}

unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				    unsigned long *indices, unsigned long first,
				    unsigned int max_items)
{
	return gang_lookup(root, results, indices, first, max_items, -1);
}

unsigned int radix_tree_gang_lookup_tag(const struct radix_tree_root *root, void **results,
					unsigned long *indices, unsigned long first,
					unsigned int max_items, unsigned int tag)
{
	if (tag >= RADIX_TREE_MAX_TAGS)
		return 0;
	return gang_lookup(root, results, indices, first, max_items, tag);
}

void *radix_tree_tag_set(struct radix_tree_root *root, unsigned long index, unsigned int tag)
{
	struct radix_tree_node *node = find_leaf(root, index);
	unsigned int off;

	if (!node || tag >= RADIX_TREE_MAX_TAGS)
		return NULL;
	off = slot_of(node, index);
	if (!node->slots[off])
		return NULL;
	tag_set_upward(node, off, tag);
	return node->slots[off];
}

void *radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index, unsigned int tag)
{
	struct radix_tree_node *node = find_leaf(root, index);
	unsigned int off;

	if (!node || tag >= RADIX_TREE_MAX_TAGS)
		return NULL;
	off = slot_of(node, index);
	if (!node->slots[off])
		return NULL;
	if (node->tags[tag] & (1UL << off))
		tag_clear_upward(node, off, tag);
	return node->slots[off];
}

int radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index, unsigned int tag)
{
	struct radix_tree_node *node = find_leaf(root, index);

	if (!node || tag >= RADIX_TREE_MAX_TAGS)
		return 0;
	return (node->tags[tag] >> slot_of(node, index)) & 1;
}

int radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag)
{
	if (!root->rnode || tag >= RADIX_TREE_MAX_TAGS)
		return 0;
	return root->rnode->tags[tag] != 0;
}

void radix_tree_destroy(struct radix_tree_root *root,
			void (*fn)(unsigned long index, void *item, void *arg), void *arg)
{
	struct radix_tree_node *node = root->rnode, *parent;
	unsigned long base = 0; /* first index of node's range */
	unsigned int off = 0;

	/* Depth-first, children before parents, using parent pointers. */
	while (node) {
		if (off < RADIX_TREE_MAP_SIZE) {
			void *slot = node->slots[off];

			if (!slot) {
				off++;
			} else if (node->shift == 0) {
				if (fn)
					fn(base | off, slot, arg);
				off++;
			} else {
				base |= (unsigned long)off << node->shift;
				node = slot;
				off = 0;
			}
			continue;
		}
		/* All slots done: free node and resume in its parent. */
		parent = node->parent;
		off = node->offset + 1;
		kfree(node);
		node = parent;
		if (node)
			base &= ~node_span_mask(node);
	}
	INIT_RADIX_TREE(root);
}
