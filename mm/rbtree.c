/* Red-black tree rebalancing, erase and traversal (see mm/rbtree.h).
 * Plain textbook algorithms (Cormen et al.) on nodes with parent pointers,
 * with optional callbacks that keep an augmented per-subtree value right. */
#include "mm/rbtree.h"

/*
 * Rules kept by every operation:
 *   1. every node is red or black, and the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node down to a NULL child passes the same number
 *      of black nodes.
 * Together they bound the height by 2*log2(n+1). Nothing here recurses.
 */

static inline bool is_red(const struct rb_node *n)
{
	return n && n->rb_color == RB_RED;
}

static inline bool is_black(const struct rb_node *n)
{
	return !n || n->rb_color == RB_BLACK; /* NULL children count as black */
}

/* Make new the child of parent that old was (or the root if no parent). */
static void change_child(struct rb_node *old, struct rb_node *new,
			 struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 *     x                y
 *    / \              / \
 *   a   y    -->     x   c
 *      / \          / \
 *     b   c        a   b
 */
static void rotate_left(struct rb_node *x, struct rb_root *root,
			const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	y->rb_parent = x->rb_parent;
	change_child(x, y, x->rb_parent, root);
	y->rb_left = x;
	x->rb_parent = y;
	if (aug)
		aug->rotate(x, y);
}

/* The mirror image of rotate_left(). */
static void rotate_right(struct rb_node *x, struct rb_root *root,
			 const struct rb_augment_callbacks *aug)
{
	struct rb_node *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	y->rb_parent = x->rb_parent;
	change_child(x, y, x->rb_parent, root);
	y->rb_right = x;
	x->rb_parent = y;
	if (aug)
		aug->rotate(x, y);
}

/* node was just linked as a red leaf: restore rule 2 going up. */
static void insert_fixup(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *aug)
{
	struct rb_node *parent, *gparent, *uncle;

	while ((parent = node->rb_parent) && is_red(parent)) {
		gparent = parent->rb_parent; /* exists: a red node is not the root */
		if (parent == gparent->rb_left) {
			uncle = gparent->rb_right;
			if (is_red(uncle)) {
				/* Recolour and carry the problem two levels up. */
				parent->rb_color = RB_BLACK;
				uncle->rb_color = RB_BLACK;
				gparent->rb_color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->rb_right) {
				/* Zig-zag: turn it into the straight case. */
				rotate_left(parent, root, aug);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			rotate_right(gparent, root, aug);
		} else {
			uncle = gparent->rb_left;
			if (is_red(uncle)) {
				parent->rb_color = RB_BLACK;
				uncle->rb_color = RB_BLACK;
				gparent->rb_color = RB_RED;
				node = gparent;
				continue;
			}
			if (node == parent->rb_left) {
				rotate_right(parent, root, aug);
				node = parent;
				parent = node->rb_parent;
			}
			parent->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			rotate_left(gparent, root, aug);
		}
		break; /* after the rotation the subtree top is black: done */
	}
	root->rb_node->rb_color = RB_BLACK;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	insert_fixup(node, root, NULL);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *augment)
{
	insert_fixup(node, root, augment);
}

/*
 * A black node was removed from the path that now ends at x (possibly
 * NULL) under parent: that side is one black short. Fix rule 3.
 */
static void erase_fixup(struct rb_node *x, struct rb_node *parent, struct rb_root *root,
			const struct rb_augment_callbacks *aug)
{
	struct rb_node *sib;

	while (x != root->rb_node && is_black(x)) {
		/*
		 * The sibling is never NULL: the other side still has at
		 * least one more black node than x's side.
		 */
		if (x == parent->rb_left) {
			sib = parent->rb_right;
			if (is_red(sib)) {
				/* Make the sibling black (parent becomes red). */
				sib->rb_color = RB_BLACK;
				parent->rb_color = RB_RED;
				rotate_left(parent, root, aug);
				sib = parent->rb_right;
			}
			if (is_black(sib->rb_left) && is_black(sib->rb_right)) {
				/* Take one black off the sibling's side too, move up. */
				sib->rb_color = RB_RED;
				x = parent;
				parent = x->rb_parent;
				continue;
			}
			if (is_black(sib->rb_right)) {
				/* Make the sibling's far child the red one. */
				sib->rb_left->rb_color = RB_BLACK;
				sib->rb_color = RB_RED;
				rotate_right(sib, root, aug);
				sib = parent->rb_right;
			}
			/* Rotate a black node over onto x's side: balanced. */
			sib->rb_color = parent->rb_color;
			parent->rb_color = RB_BLACK;
			sib->rb_right->rb_color = RB_BLACK;
			rotate_left(parent, root, aug);
			x = root->rb_node;
			break;
		} else {
			sib = parent->rb_left;
			if (is_red(sib)) {
				sib->rb_color = RB_BLACK;
				parent->rb_color = RB_RED;
				rotate_right(parent, root, aug);
				sib = parent->rb_left;
			}
			if (is_black(sib->rb_left) && is_black(sib->rb_right)) {
				sib->rb_color = RB_RED;
				x = parent;
				parent = x->rb_parent;
				continue;
			}
			if (is_black(sib->rb_left)) {
				sib->rb_right->rb_color = RB_BLACK;
				sib->rb_color = RB_RED;
				rotate_left(sib, root, aug);
				sib = parent->rb_left;
			}
			sib->rb_color = parent->rb_color;
			parent->rb_color = RB_BLACK;
			sib->rb_left->rb_color = RB_BLACK;
			rotate_right(parent, root, aug);
			x = root->rb_node;
			break;
		}
	}
	if (x)
		x->rb_color = RB_BLACK;
}

static void erase(struct rb_node *node, struct rb_root *root,
		  const struct rb_augment_callbacks *aug)
{
	struct rb_node *child, *parent, *succ;
	int removed_color;

	if (!node->rb_left || !node->rb_right) {
		/* At most one child: splice node out, the child takes its place. */
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = node->rb_parent;
		removed_color = node->rb_color;
		change_child(node, child, parent, root);
		if (child)
			child->rb_parent = parent;
		if (aug && parent)
			aug->propagate(parent, NULL);
	} else {
		/*
		 * Two children: the successor (leftmost node of the right
		 * subtree, which has no left child) leaves its own spot and
		 * takes node's place and colour. What is really removed from
		 * the tree shape is the successor's old spot.
		 */
		succ = node->rb_right;
		while (succ->rb_left)
			succ = succ->rb_left;
		removed_color = succ->rb_color;
		child = succ->rb_right;
		if (succ == node->rb_right) {
			parent = succ; /* child stays succ's right child */
		} else {
			parent = succ->rb_parent;
			parent->rb_left = child;
			if (child)
				child->rb_parent = parent;
			succ->rb_right = node->rb_right;
			node->rb_right->rb_parent = succ;
		}
		succ->rb_left = node->rb_left;
		node->rb_left->rb_parent = succ;
		succ->rb_parent = node->rb_parent;
		change_child(node, succ, node->rb_parent, root);
		succ->rb_color = node->rb_color;
		if (aug) {
			/* succ now spans what node spanned, minus node itself. */
			aug->copy(node, succ);
			if (parent != succ)
				aug->propagate(parent, succ);
			aug->propagate(succ, NULL);
		}
	}
	if (removed_color == RB_BLACK)
		erase_fixup(child, parent, root, aug);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	erase(node, root, NULL);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *augment)
{
	erase(node, root, augment);
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root)
{
	*new = *victim;
	if (victim->rb_left)
		victim->rb_left->rb_parent = new;
	if (victim->rb_right)
		victim->rb_right->rb_parent = new;
	change_child(victim, new, victim->rb_parent, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	/* Leftmost node of the right subtree, if there is one. */
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	/* Else the first ancestor of which we are in the left subtree. */
	while ((parent = node->rb_parent) && node == parent->rb_right)
		node = parent;
	return (struct rb_node *)parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	const struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (node->rb_left) {
		node = node->rb_left;
		while (node->rb_right)
			node = node->rb_right;
		return (struct rb_node *)node;
	}
	while ((parent = node->rb_parent) && node == parent->rb_left)
		node = parent;
	return (struct rb_node *)parent;
}

int rb_validate(const struct rb_root *root)
{
	const struct rb_node *n, *p;
	int black_height = -1, h;

	if (!root->rb_node)
		return 0;
	if (root->rb_node->rb_parent || root->rb_node->rb_color != RB_BLACK)
		return -1;
	for (n = rb_first(root); n; n = rb_next(n)) {
		if (n->rb_color != RB_RED && n->rb_color != RB_BLACK)
			return -1;
		if (n->rb_left && n->rb_left->rb_parent != n)
			return -1;
		if (n->rb_right && n->rb_right->rb_parent != n)
			return -1;
		if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right)))
			return -1;
		if (n->rb_left && n->rb_right)
			continue;
		/* A path ends at a NULL child here: count its black nodes. */
		h = 0;
		for (p = n; p; p = p->rb_parent)
			h += is_black(p);
		if (black_height < 0)
			black_height = h;
		else if (h != black_height)
			return -1;
	}
	return 0;
}
