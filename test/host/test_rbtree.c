/* Host unit test of mm/rbtree.c: random inserts and erases checked against
 * a presence-array model, with the red-black rules, parent links, in-order
 * walks and an augmented subtree maximum verified after every operation. */
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "mm/rbtree.h"

#define NKEYS 1024

struct tnode {
	struct rb_node rb;
	int key;
	int val;    /* payload for the augmented test */
	int maxval; /* augmented: the largest val in this subtree */
};

static struct tnode nodes[NKEYS]; /* node i has key i */
static bool present[NKEYS];       /* the model */
static int npresent;
#define rnd ktest_rand

static struct tnode *tn(struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct tnode, rb) : NULL;
}

static int compute_max(struct tnode *n)
{
	int m = n->val;

	if (n->rb.rb_left && tn(n->rb.rb_left)->maxval > m)
		m = tn(n->rb.rb_left)->maxval;
	if (n->rb.rb_right && tn(n->rb.rb_right)->maxval > m)
		m = tn(n->rb.rb_right)->maxval;
	return m;
}

RB_DECLARE_CALLBACKS(static, max_cb, struct tnode, rb, maxval, compute_max);

/* Link node at its place by key; augmented: also fix maxval on the way. */
static void insert(struct rb_root *root, struct tnode *node, bool aug)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (aug && tn(parent)->maxval < node->val)
			tn(parent)->maxval = node->val; /* node will be below */
		if (node->key < tn(parent)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, link);
	if (aug) {
		node->maxval = node->val;
		rb_insert_augmented(&node->rb, root, &max_cb);
	} else {
		rb_insert_color(&node->rb, root);
	}
}

/* ---- independent checker (recursion is fine on the host) ---- */
static const char *why;
static int height_max;

/* Returns the black height of the subtree, or -1 (why says what broke). */
static int check_sub(struct rb_node *n, struct rb_node *parent, int lo, int hi,
		     bool aug, int *maxout, int depth)
{
	int bl, br, ml = -1, mr = -1;

	if (!n) {
		if (depth > height_max)
			height_max = depth;
		return 1;
	}
	if (n->rb_parent != parent)
		return why = "parent link", -1;
	if (n->rb_color != RB_RED && n->rb_color != RB_BLACK)
		return why = "colour value", -1;
	if (tn(n)->key < lo || tn(n)->key > hi)
		return why = "BST order", -1;
	if (n->rb_color == RB_RED &&
	    ((n->rb_left && n->rb_left->rb_color == RB_RED) ||
	     (n->rb_right && n->rb_right->rb_color == RB_RED)))
		return why = "red-red", -1;
	bl = check_sub(n->rb_left, n, lo, tn(n)->key - 1, aug, &ml, depth + 1);
	if (bl < 0)
		return -1;
	br = check_sub(n->rb_right, n, tn(n)->key + 1, hi, aug, &mr, depth + 1);
	if (br < 0)
		return -1;
	if (bl != br)
		return why = "black heights differ", -1;
	*maxout = tn(n)->val;
	if (ml > *maxout)
		*maxout = ml;
	if (mr > *maxout)
		*maxout = mr;
	if (aug && tn(n)->maxval != *maxout)
		return why = "augmented max", -1;
	return bl + (n->rb_color == RB_BLACK);
}

static int ilog2_up(int n) /* ceil(log2(n)) */
{
	int l = 0;

	while ((1 << l) < n)
		l++;
	return l;
}

/* Full check of the tree against the model; NULL if fine. */
static const char *check_tree(struct rb_root *root, bool aug)
{
	struct rb_node *rb;
	int m, k, count = 0;

	why = NULL;
	height_max = 0;
	if (root->rb_node && root->rb_node->rb_color != RB_BLACK)
		return "root red";
	if (check_sub(root->rb_node, NULL, -1, NKEYS, aug, &m, 0) < 0)
		return why;
	/* Height (NULL links counted as one level) <= 2 log2(n+1) + 1. */
	if (height_max > 2 * ilog2_up(npresent + 1) + 1)
		return "too tall";
	if (rb_validate(root))
		return "rb_validate disagrees";
	/* Forward walk == model. */
	rb = rb_first(root);
	for (k = 0; k < NKEYS; k++) {
		if (!present[k])
			continue;
		if (tn(rb) != &nodes[k])
			return "rb_first/rb_next order";
		rb = rb_next(rb);
		count++;
	}
	if (rb || count != npresent)
		return "rb_next walk length";
	/* Backward walk == model. */
	rb = rb_last(root);
	for (k = NKEYS - 1; k >= 0; k--) {
		if (!present[k])
			continue;
		if (tn(rb) != &nodes[k])
			return "rb_last/rb_prev order";
		rb = rb_prev(rb);
	}
	if (rb)
		return "rb_prev walk length";
	return NULL;
}

/* Random inserts/erases; a full check after each. Returns failures. */
static int random_ops(bool aug, int ops, int keys, const char **first_why)
{
	struct rb_root root = RB_ROOT;
	int i, k, bad = 0;
	const char *w;

	memset(present, 0, sizeof(present));
	npresent = 0;
	for (i = 0; i < ops; i++) {
		/* Drift between mostly-inserting and mostly-erasing phases. */
		bool grow = ((i / 2000) % 2 == 0) ? (rnd() % 4 != 0) : (rnd() % 4 == 0);

		k = rnd() % keys;
		if (grow && !present[k]) {
			nodes[k].key = k;
			nodes[k].val = rnd() % 100000;
			insert(&root, &nodes[k], aug);
			present[k] = true;
			npresent++;
		} else if (!grow && present[k]) {
			if (aug)
				rb_erase_augmented(&nodes[k].rb, &root, &max_cb);
			else
				rb_erase(&nodes[k].rb, &root);
			present[k] = false;
			npresent--;
		} else {
			continue;
		}
		w = check_tree(&root, aug);
		if (w) {
			if (!bad++)
				*first_why = w;
			if (bad > 5)
				break;
		}
	}
	return bad;
}

/* Keys in increasing/decreasing order: rotations on every level. */
static const char *ordered(bool ascending, bool erase_ascending)
{
	struct rb_root root = RB_ROOT;
	const char *w;
	int i, k;

	memset(present, 0, sizeof(present));
	npresent = 0;
	for (i = 0; i < NKEYS; i++) {
		k = ascending ? i : NKEYS - 1 - i;
		nodes[k].key = k;
		nodes[k].val = k * 7 % 1001;
		insert(&root, &nodes[k], true);
		present[k] = true;
		npresent++;
		if ((w = check_tree(&root, true)))
			return w;
	}
	for (i = 0; i < NKEYS; i++) {
		k = erase_ascending ? i : NKEYS - 1 - i;
		rb_erase_augmented(&nodes[k].rb, &root, &max_cb);
		present[k] = false;
		npresent--;
		if ((w = check_tree(&root, true)))
			return w;
	}
	return RB_EMPTY_ROOT(&root) ? NULL : "not empty at the end";
}

int main(void)
{
	struct rb_root root = RB_ROOT;
	const char *w = NULL;
	struct tnode repl;
	int bad, k;

	printf("KTAP version 1\n");

	/* Empty tree. */
	CHECK(rb_first(&root) == NULL && rb_last(&root) == NULL, "empty: rb_first/rb_last NULL");
	CHECK(rb_validate(&root) == 0, "empty: rb_validate ok");

	/* One node. */
	memset(present, 0, sizeof(present));
	npresent = 0;
	nodes[5].key = 5;
	insert(&root, &nodes[5], false);
	present[5] = true;
	npresent = 1;
	CHECK(root.rb_node == &nodes[5].rb && nodes[5].rb.rb_color == RB_BLACK,
	      "single node is a black root");
	CHECK(rb_next(&nodes[5].rb) == NULL && rb_prev(&nodes[5].rb) == NULL,
	      "single node: no next/prev");
	rb_erase(&nodes[5].rb, &root);
	CHECK(RB_EMPTY_ROOT(&root), "erase last node empties the tree");
	RB_CLEAR_NODE(&nodes[5].rb);
	CHECK(RB_EMPTY_NODE(&nodes[5].rb) && rb_next(&nodes[5].rb) == NULL,
	      "RB_CLEAR_NODE: node marked empty, rb_next NULL");

	bad = random_ops(false, 60000, 300, &w);
	CHECK(bad == 0, "plain: 60000 random ops on 300 keys, all invariants after each");
	if (bad)
		printf("# first failure: %s\n", w);
	bad = random_ops(false, 40000, NKEYS, &w);
	CHECK(bad == 0, "plain: 40000 random ops on 1024 keys");
	if (bad)
		printf("# first failure: %s\n", w);
	bad = random_ops(true, 60000, 300, &w);
	CHECK(bad == 0, "augmented: 60000 random ops, subtree max right after each");
	if (bad)
		printf("# first failure: %s\n", w);
	bad = random_ops(true, 40000, NKEYS, &w);
	CHECK(bad == 0, "augmented: 40000 random ops on 1024 keys");
	if (bad)
		printf("# first failure: %s\n", w);

	w = ordered(true, true);
	CHECK(!w, "ascending inserts, ascending erases");
	if (w)
		printf("# %s\n", w);
	w = ordered(false, false);
	CHECK(!w, "descending inserts, descending erases");
	if (w)
		printf("# %s\n", w);
	w = ordered(true, false);
	CHECK(!w, "ascending inserts, descending erases");
	if (w)
		printf("# %s\n", w);

	/* rb_replace_node keeps the shape and the order. */
	root = RB_ROOT;
	memset(present, 0, sizeof(present));
	npresent = 0;
	for (k = 0; k < 100; k++) {
		nodes[k].key = k;
		insert(&root, &nodes[k], false);
		present[k] = true;
		npresent++;
	}
	repl = nodes[50];
	rb_replace_node(&nodes[50].rb, &repl.rb, &root);
	{
		struct rb_node *rb = rb_first(&root);
		int i, ok = 1;

		for (i = 0; i < 100; i++, rb = rb_next(rb))
			if (tn(rb)->key != i || (i == 50 && tn(rb) != &repl))
				ok = 0;
		CHECK(ok && rb == NULL && rb_validate(&root) == 0,
		      "rb_replace_node: order and structure kept");
	}

	/* rb_validate notices a broken tree. */
	{
		struct rb_node *r = root.rb_node;

		r->rb_color = RB_RED;
		CHECK(rb_validate(&root) != 0, "rb_validate: red root detected");
		r->rb_color = RB_BLACK;
		r->rb_left->rb_color ^= 1; /* changes one side's black height or makes red-red */
		CHECK(rb_validate(&root) != 0, "rb_validate: recoloured node detected");
		r->rb_left->rb_color ^= 1;
		CHECK(rb_validate(&root) == 0, "rb_validate: ok again after undo");
	}

	return KTEST_DONE();
}
