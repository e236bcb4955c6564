/* Red-black trees with Linux's interface (rb_link_node + rb_insert_color,
 * rb_erase, rb_first/rb_next/...) and its "augmented" variant, where every
 * node caches a value computed over its subtree (e.g. the largest VMA gap). */
#ifndef MM_RBTREE_H
#define MM_RBTREE_H
#include "kernel/types.h"

#define RB_RED 0
#define RB_BLACK 1

/*
 * Embed one of these in the structure to be kept in a tree. The tree code
 * never allocates: the user finds the place with a normal binary-tree
 * descent, calls rb_link_node() and then rb_insert_color() to rebalance.
 */
struct rb_node {
	struct rb_node *rb_parent; /* NULL for the root; self when not in a tree */
	struct rb_node *rb_left;
	struct rb_node *rb_right;
	int rb_color;              /* RB_RED or RB_BLACK */
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) ((ptr) ? rb_entry(ptr, type, member) : NULL)
#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)
/* A node that is in no tree points at itself (set by RB_CLEAR_NODE). */
#define RB_EMPTY_NODE(node) ((node)->rb_parent == (node))
#define RB_CLEAR_NODE(node) ((node)->rb_parent = (node))

static inline struct rb_node *rb_parent(const struct rb_node *node)
{
	return node->rb_parent;
}

/*
 * Attach node as a new red leaf at *link, a NULL child pointer of parent
 * (or &root->rb_node when the tree is empty) found by the caller's search.
 */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_color = RB_RED;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

/* Rebalance after rb_link_node(). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Remove node from the tree (the node itself is left alone, not cleared). */
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order traversal; NULL at the ends. Each step is O(log n) worst case,
 * a whole walk O(n). */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* Put new in victim's place (same key order); no rebalancing needed. */
void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root);

/*
 * Check the red-black rules and the parent links: the root is black and
 * has no parent, no red node has a red child, every path from the root to
 * a NULL child passes the same number of black nodes. Returns 0 if the
 * tree is sound, -1 if not. O(n log n), no recursion: for debugging/tests.
 */
int rb_validate(const struct rb_root *root);

/*
 * Augmented trees. Each node caches a value that depends only on the node
 * and its two children's cached values (say the maximum of some key over
 * the subtree). The tree code keeps it right through its rotations with
 * these callbacks:
 *   propagate(node, stop): recompute node and its ancestors, up to but not
 *                          including stop (NULL: up to the root); may end
 *                          early once a value comes out unchanged.
 *   copy(old, new):        new takes old's place: new->value = old->value.
 *   rotate(old, new):      new took old's place in a rotation and old is now
 *                          its child: new->value = old->value, then
 *                          recompute old.
 *
 * Insertion: before rb_insert_augmented() the caller must make the values
 * on the path to the new leaf correct (e.g. link it, set its value, then
 * propagate(node, NULL)); the rebalancing then keeps them correct.
 * Erasure: rb_erase_augmented() fixes everything itself.
 */
struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment);

/*
 * Define the three callbacks as rbname.{propagate,copy,rotate} (a const
 * struct rb_augment_callbacks) for a struct rbstruct holding a struct
 * rb_node named rbfield and a cached value named rbaugmented, where
 * rbcompute(struct rbstruct *) returns the value a node should have given
 * its children's cached values. rbstatic is "static" or empty.
 */
#define RB_DECLARE_CALLBACKS(rbstatic, rbname, rbstruct, rbfield, rbaugmented, rbcompute) \
	static void rbname##_propagate(struct rb_node *rb, struct rb_node *stop)             \
	{                                                                                    \
		while (rb != stop) {                                                         \
			rbstruct *node = rb_entry(rb, rbstruct, rbfield);                    \
			__typeof__(node->rbaugmented) v = rbcompute(node);                   \
			if (node->rbaugmented == v)                                          \
				break;                                                       \
			node->rbaugmented = v;                                               \
			rb = rb_parent(&node->rbfield);                                      \
		}                                                                            \
	}                                                                                    \
	static void rbname##_copy(struct rb_node *rb_old, struct rb_node *rb_new)           \
	{                                                                                    \
		rbstruct *old = rb_entry(rb_old, rbstruct, rbfield);                         \
		rbstruct *new = rb_entry(rb_new, rbstruct, rbfield);                         \
		new->rbaugmented = old->rbaugmented;                                         \
	}                                                                                    \
	static void rbname##_rotate(struct rb_node *rb_old, struct rb_node *rb_new)         \
	{                                                                                    \
		rbstruct *old = rb_entry(rb_old, rbstruct, rbfield);                         \
		rbstruct *new = rb_entry(rb_new, rbstruct, rbfield);                         \
		new->rbaugmented = old->rbaugmented;                                         \
		old->rbaugmented = rbcompute(old);                                           \
	}                                                                                    \
	rbstatic const struct rb_augment_callbacks rbname = {                                \
		.propagate = rbname##_propagate,                                             \
		.copy = rbname##_copy,                                                       \
		.rotate = rbname##_rotate,                                                   \
	}

#endif
