/* Radix tree mapping an unsigned long index (a file's page index) to a
 * non-NULL void * entry: the page-cache index behind struct address_space.
 * 64-way nodes, full 64-bit key space, two tag bits per entry (dirty etc.). */
#ifndef MM_RADIX_TREE_H
#define MM_RADIX_TREE_H
#include "kernel/types.h"

#define RADIX_TREE_MAP_SHIFT 6                            /* 64 slots per node */
#define RADIX_TREE_MAP_SIZE (1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK (RADIX_TREE_MAP_SIZE - 1)
/* Levels needed to cover all 64 bits of index: ceil(64 / 6) = 11. */
#define RADIX_TREE_INDEX_BITS (8 * sizeof(unsigned long))
#define RADIX_TREE_MAX_HEIGHT \
	((RADIX_TREE_INDEX_BITS + RADIX_TREE_MAP_SHIFT - 1) / RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAX_TAGS 2 /* tags 0 and 1 (e.g. PAGECACHE_TAG_DIRTY/WRITEBACK) */

/*
 * One node. A node at level shift covers 2^(shift + 6) consecutive indexes;
 * slot i holds the subtree (or, when shift == 0, the entry) for the indexes
 * whose bits [shift, shift + 6) equal i. tags[t] has bit i set iff slot i is
 * an entry carrying tag t (shift == 0) or a subtree containing one.
 * Exposed so tests can check invariants; other code uses the functions.
 */
struct radix_tree_node {
	unsigned char shift;            /* index bits below this level: 0 for leaves */
	unsigned char offset;           /* our slot in parent */
	unsigned char count;            /* non-NULL slots */
	struct radix_tree_node *parent; /* NULL for the root node */
	unsigned long tags[RADIX_TREE_MAX_TAGS];
	void *slots[RADIX_TREE_MAP_SIZE];
};

/*
 * height 0: empty (rnode NULL). height h >= 1: rnode is a node with
 * shift 6 * (h - 1), and the tree holds indexes up to 2^(6h) - 1 (all of
 * them from h = 11). The height is always the least that fits the largest
 * index stored. count is the number of entries.
 */
struct radix_tree_root {
	struct radix_tree_node *rnode;
	unsigned int height;
	unsigned long count;
};

#define RADIX_TREE_INIT { .rnode = NULL, .height = 0, .count = 0 }
#define RADIX_TREE(name) struct radix_tree_root name = RADIX_TREE_INIT

/* The caller serialises all calls on one tree; there is no global state. */
void INIT_RADIX_TREE(struct radix_tree_root *root);

/* Store item (non-NULL) at index: 0, -EEXIST if index is taken, -EINVAL for
 * a NULL item, -ENOMEM (tree left exactly as it was). */
int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item);
/* The entry at index, or NULL. */
void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index);
/* Remove and return the entry at index (NULL if none). Frees nodes that
 * become empty and lowers the height as far as the remaining entries allow. */
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);
/* Put item (non-NULL) in place of the entry at index, keeping its tags, and
 * return the old entry. If there is none (or item is NULL), nothing is
 * stored and NULL is returned. */
void *radix_tree_replace(struct radix_tree_root *root, unsigned long index, void *item);
/* Up to max_items entries with index >= first, in increasing index order,
 * into results[] (their indexes into indices[] unless it is NULL).
 * Returns how many were found. */
unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				    unsigned long *indices, unsigned long first,
				    unsigned int max_items);
/* Number of entries. */
unsigned long radix_tree_count(const struct radix_tree_root *root);
/* Call fn(index, item, arg) on every entry in index order (unless fn is
 * NULL), free every node and leave the tree empty. fn must not use the tree. */
void radix_tree_destroy(struct radix_tree_root *root,
			void (*fn)(unsigned long index, void *item, void *arg), void *arg);

/*
 * Tags: tag (0..RADIX_TREE_MAX_TAGS-1) is a bit on an existing entry.
 * tag_set/tag_clear return the entry, or NULL (nothing changed) if index is
 * empty or tag is out of range. Deleting an entry drops its tags; replacing
 * it keeps them.
 */
void *radix_tree_tag_set(struct radix_tree_root *root, unsigned long index, unsigned int tag);
void *radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index, unsigned int tag);
/* 1 if the entry at index exists and carries tag, else 0. */
int radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index, unsigned int tag);
/* 1 if any entry carries tag. */
int radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag);
/* As radix_tree_gang_lookup, but only entries carrying tag. */
unsigned int radix_tree_gang_lookup_tag(const struct radix_tree_root *root, void **results,
					unsigned long *indices, unsigned long first,
					unsigned int max_items, unsigned int tag);

#endif
