/* Host unit test for mm/radix_tree.c: edge indexes up to ULONG_MAX, height
 * growth and shrinking (every node freed), gang lookups, replace, tags,
 * -ENOMEM at every allocation point, and 200k random ops against a model. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "mm/radix_tree.h"
#include "mm/slab.h"
#include "kernel/errno.h"

/* ---- allocator: malloc with a live count and failure injection ------------- */

static long live;         /* allocations not yet freed */
static long fail_in = -1; /* fail the allocation after this many more, if >= 0 */
static long nr_allocs;    /* successful allocations, ever */

static bool alloc_fails(void)
{
	if (fail_in < 0)
		return false;
	return fail_in-- == 0;
}

void *kmalloc(size_t n)
{
	void *p = alloc_fails() ? NULL : malloc(n ? n : 1);

	if (p) {
		live++;
		nr_allocs++;
	}
	return p;
}

void *kzalloc(size_t n)
{
	void *p = alloc_fails() ? NULL : calloc(1, n ? n : 1);

	if (p) {
		live++;
		nr_allocs++;
	}
	return p;
}

void kfree(const void *p)
{
	if (p) {
		live--;
		free((void *)p);
	}
}

/* ---- helpers ----------------------------------------------------------------- */

#define SHIFT RADIX_TREE_MAP_SHIFT

/* A recognisable non-NULL fake entry for index i (never dereferenced). */
static void *item(unsigned long i, unsigned long gen)
{
	return (void *)(((i * 0x9e3779b97f4a7c15UL) ^ (gen << 17)) | 1);
}

/* Least height holding max_index. */
static unsigned int want_height(unsigned long max_index)
{
	unsigned int h = 1;

	while (h < RADIX_TREE_MAX_HEIGHT && (max_index >> (h * SHIFT)))
		h++;
	return h;
}

static unsigned long xs_state = 0x2545f4914f6cdd1dUL;

static unsigned long rnd(void)
{
	xs_state ^= xs_state << 13;
	xs_state ^= xs_state >> 7;
	xs_state ^= xs_state << 17;
	return xs_state;
}

/* ---- structural check ---------------------------------------------------------- */

static unsigned long chk_items, chk_nodes;
static const char *chk_why;

static bool check_node(const struct radix_tree_node *node, const struct radix_tree_node *parent,
		       unsigned int offset, unsigned int shift)
{
	unsigned int used = 0;

	chk_nodes++;
	if (node->parent != parent || node->offset != offset || node->shift != shift) {
		chk_why = "parent/offset/shift";
		return false;
	}
	for (unsigned int i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		void *s = node->slots[i];

		for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++) {
			bool bit = (node->tags[t] >> i) & 1;
			bool want = false;

			if (s && shift == 0)
				continue; /* any tag state is fine on an entry */
			if (s)
				want = ((const struct radix_tree_node *)s)->tags[t] != 0;
			if (bit != want) {
				chk_why = "tag bit";
				return false;
			}
		}
		if (!s)
			continue;
		used++;
		if (shift == 0)
			chk_items++;
		else if (!check_node(s, node, i, shift - SHIFT))
			return false;
	}
	if (used == 0 || used != node->count) {
		chk_why = "count";
		return false;
	}
	return true;
}

/* Every invariant of the tree, and that its nodes are all the live allocations. */
static bool tree_ok(const struct radix_tree_root *root)
{
	const struct radix_tree_node *r = root->rnode;

	chk_items = chk_nodes = 0;
	chk_why = "root";
	if (!r)
		return root->height == 0 && root->count == 0 && live == 0;
	if (root->height < 1 || root->height > RADIX_TREE_MAX_HEIGHT)
		return false;
	if (!check_node(r, NULL, 0, (root->height - 1) * SHIFT))
		return false;
	if (root->height > 1 && r->count == 1 && r->slots[0]) {
		chk_why = "height not minimal";
		return false;
	}
	if (chk_items != root->count) {
		chk_why = "root count";
		return false;
	}
	if ((long)chk_nodes != live) {
		chk_why = "leaked nodes";
		return false;
	}
	return true;
}

/* All entries, via gang lookup in chunks of 7 (exercises restarts). */
static unsigned long snapshot(const struct radix_tree_root *root, void **res, unsigned long *idx,
			      unsigned long cap)
{
	unsigned long n = 0, next = 0;

	for (;;) {
		unsigned int got = radix_tree_gang_lookup(root, res + n, idx + n, next,
							  cap - n < 7 ? cap - n : 7);
		n += got;
		if (got < 7 || n == cap || idx[n - 1] == ULONG_MAX)
			break;
		next = idx[n - 1] + 1;
	}
	return n;
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_empty(void)
{
	RADIX_TREE(t);
	void *res[4];
	unsigned long idx[4];

	CHECK(radix_tree_lookup(&t, 0) == NULL && radix_tree_lookup(&t, ULONG_MAX) == NULL,
	      "empty: lookup misses");
	CHECK(radix_tree_delete(&t, 0) == NULL && radix_tree_delete(&t, ULONG_MAX) == NULL,
	      "empty: delete misses");
	CHECK(radix_tree_gang_lookup(&t, res, idx, 0, 4) == 0, "empty: gang lookup finds nothing");
	CHECK(radix_tree_replace(&t, 5, item(5, 0)) == NULL && radix_tree_count(&t) == 0,
	      "empty: replace does not insert");
	CHECK(radix_tree_tag_set(&t, 5, 0) == NULL && !radix_tree_tagged(&t, 0) &&
	      !radix_tree_tag_get(&t, 5, 0), "empty: tags");
	CHECK(radix_tree_insert(&t, 3, NULL) == -EINVAL && live == 0, "insert NULL is -EINVAL");
	CHECK(tree_ok(&t) && live == 0, "empty: consistent, nothing allocated");
}

static const unsigned long edge[] = { 0, 63, 64, 4095, 4096, 1UL << 40, ULONG_MAX };
static const unsigned int edge_height[] = { 1, 1, 2, 2, 3, 7, 11 };
#define NEDGE (sizeof(edge) / sizeof(edge[0]))

static void test_edges(void)
{
	RADIX_TREE(t);
	char name[96];
	bool ok;

	/* Each edge index alone. */
	for (unsigned int k = 0; k < NEDGE; k++) {
		unsigned long i = edge[k];

		ok = radix_tree_insert(&t, i, item(i, 0)) == 0;
		ok &= t.height == edge_height[k] && radix_tree_count(&t) == 1;
		ok &= radix_tree_lookup(&t, i) == item(i, 0);
		ok &= radix_tree_lookup(&t, i - 1) == NULL && radix_tree_lookup(&t, i + 1) == NULL;
		ok &= radix_tree_insert(&t, i, item(i, 1)) == -EEXIST;
		ok &= radix_tree_lookup(&t, i) == item(i, 0) && tree_ok(&t);
		ok &= radix_tree_delete(&t, i + 1) == NULL && radix_tree_delete(&t, i - 1) == NULL;
		ok &= radix_tree_delete(&t, i) == item(i, 0);
		ok &= radix_tree_lookup(&t, i) == NULL && radix_tree_delete(&t, i) == NULL;
		ok &= t.height == 0 && t.rnode == NULL && live == 0;
		snprintf(name, sizeof(name), "edge %#lx alone: insert/lookup/EEXIST/delete, height %u",
			 i, edge_height[k]);
		CHECK(ok, name);
	}

	/* All together: growth happens on the way up. */
	ok = true;
	for (unsigned int k = 0; k < NEDGE; k++) {
		ok &= radix_tree_insert(&t, edge[k], item(edge[k], 0)) == 0;
		ok &= t.height == edge_height[k];
	}
	CHECK(ok && tree_ok(&t) && radix_tree_count(&t) == NEDGE, "edges together: height grows");
	ok = true;
	for (unsigned int k = 0; k < NEDGE; k++)
		ok &= radix_tree_lookup(&t, edge[k]) == item(edge[k], 0);
	for (unsigned int k = 0; k < NEDGE; k++)
		ok &= radix_tree_insert(&t, edge[k], item(edge[k], 2)) == -EEXIST;
	CHECK(ok && tree_ok(&t), "edges together: lookups, -EEXIST everywhere");

	{
		void *res[16];
		unsigned long idx[16];
		unsigned int n = radix_tree_gang_lookup(&t, res, idx, 0, 16);

		ok = n == NEDGE;
		for (unsigned int k = 0; ok && k < NEDGE; k++)
			ok = idx[k] == edge[k] && res[k] == item(edge[k], 0);
		CHECK(ok, "edges: gang lookup returns all in order");
		n = radix_tree_gang_lookup(&t, res, idx, ULONG_MAX, 16);
		CHECK(n == 1 && idx[0] == ULONG_MAX && res[0] == item(ULONG_MAX, 0),
		      "edges: gang lookup from ULONG_MAX stops there");
		n = radix_tree_gang_lookup(&t, res, idx, (1UL << 40) + 1, 16);
		CHECK(n == 1 && idx[0] == ULONG_MAX, "edges: gang lookup past 1<<40 finds ULONG_MAX");
		n = radix_tree_gang_lookup(&t, res, NULL, 65, 16);
		CHECK(n == 4 && res[0] == item(4095, 0) && res[3] == item(ULONG_MAX, 0),
		      "edges: gang lookup with NULL indices");
	}

	/* Delete from the top down: the height follows the largest index. */
	ok = true;
	for (int k = NEDGE - 1; k >= 0; k--) {
		ok &= radix_tree_delete(&t, edge[k]) == item(edge[k], 0);
		ok &= tree_ok(&t);
		ok &= k == 0 ? t.height == 0 : t.height == edge_height[k - 1];
	}
	CHECK(ok && live == 0 && t.rnode == NULL, "edges: deleting top down shrinks to empty");

	/* Delete from the bottom up: the height stays until the big one goes. */
	for (unsigned int k = 0; k < NEDGE; k++)
		radix_tree_insert(&t, edge[k], item(edge[k], 0));
	ok = true;
	for (unsigned int k = 0; k < NEDGE; k++) {
		ok &= radix_tree_delete(&t, edge[k]) == item(edge[k], 0);
		ok &= tree_ok(&t);
		ok &= k == NEDGE - 1 ? t.height == 0 : t.height == 11;
	}
	CHECK(ok && live == 0, "edges: deleting bottom up frees everything");
}

/* Shrinking: 1<<40 alone, then small ones under it; deleting it drops to 1. */
static void test_shrink(void)
{
	RADIX_TREE(t);
	bool ok;

	radix_tree_insert(&t, 1UL << 40, item(1, 0));
	radix_tree_insert(&t, 3, item(3, 0));
	radix_tree_insert(&t, 60, item(60, 0));
	/* 7 nodes down to 1<<40, and 6 more under root slot 0 down to 3 and 60 */
	ok = t.height == 7 && tree_ok(&t) && live == 13;
	radix_tree_delete(&t, 1UL << 40);
	ok &= t.height == 1 && tree_ok(&t) && live == 1;
	ok &= radix_tree_lookup(&t, 3) == item(3, 0) && radix_tree_lookup(&t, 60) == item(60, 0);
	CHECK(ok, "shrink: deleting the high index drops the height to 1");

	/* 10000 random indexes in a 2^20 range, deleted in another order. */
	enum { N = 10000 };
	static unsigned long ix[N];
	unsigned long n = 0;

	radix_tree_destroy(&t, NULL, NULL);
	while (n < N) {
		unsigned long i = rnd() & ((1UL << 20) - 1);

		if (radix_tree_insert(&t, i, item(i, 0)) == 0)
			ix[n++] = i;
	}
	ok = tree_ok(&t) && radix_tree_count(&t) == N && t.height == 4;
	for (unsigned long k = N - 1; k > 0; k--) { /* shuffle */
		unsigned long j = rnd() % (k + 1), x = ix[k];

		ix[k] = ix[j];
		ix[j] = x;
	}
	for (unsigned long k = 0; k < N; k++) {
		ok &= radix_tree_delete(&t, ix[k]) == item(ix[k], 0);
		if (k % 500 == 0)
			ok &= tree_ok(&t);
	}
	CHECK(ok && t.height == 0 && t.rnode == NULL && live == 0 && radix_tree_count(&t) == 0,
	      "shrink: 10000 random deletes free every node");
}

static void test_gang(void)
{
	RADIX_TREE(t);
	static unsigned long want[2000];
	unsigned long nwant = 0;
	void *res[300];
	unsigned long idx[300];
	bool ok = true;

	/* Clusters around node boundaries at several levels, sparse between,
	 * and a last one running up to ULONG_MAX. */
	static const unsigned long bases[] = { 0, 60, 4090, 262140, 16777210, 1UL << 36 };
	for (unsigned int b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
		for (unsigned long d = 0; d < 12; d++)
			if (d % 3 != 2)
				want[nwant++] = bases[b] + d;
	for (unsigned long d = 0; d <= 70; d++)
		if (d % 3 != 2)
			want[nwant++] = ULONG_MAX - 70 + d; /* ends with ULONG_MAX */
	for (unsigned long k = 0; k < nwant; k++)
		radix_tree_insert(&t, want[k], item(want[k], 0));
	CHECK(tree_ok(&t) && radix_tree_count(&t) == nwant, "gang: clustered tree built");

	/* From every interesting first, with several limits, against want[]. */
	for (unsigned long w = 0; w < nwant && ok; w++)
		for (int delta = -2; delta <= 1 && ok; delta++) {
			unsigned long first = want[w] + delta;
			static const unsigned int maxes[] = { 1, 2, 7, 64, 65, 300 };

			if (delta < 0 && want[w] < 2)
				continue;
			for (unsigned int m = 0; m < 6 && ok; m++) {
				unsigned int n = radix_tree_gang_lookup(&t, res, idx, first, maxes[m]);
				unsigned long k = 0, e = 0;

				while (k < nwant && want[k] < first)
					k++;
				for (e = 0; k + e < nwant && e < maxes[m]; e++)
					ok &= idx[e] == want[k + e] && res[e] == item(want[k + e], 0);
				ok &= n == e;
			}
		}
	CHECK(ok, "gang: every start and limit matches the expected run");

	/* Chunked walk sees everything exactly once. */
	{
		static void *r2[2000];
		static unsigned long i2[2000];
		unsigned long n = snapshot(&t, r2, i2, 2000);

		ok = n == nwant;
		for (unsigned long k = 0; ok && k < n; k++)
			ok = i2[k] == want[k];
		CHECK(ok, "gang: chunked walk of 7 at a time sees every entry once");
	}
	CHECK(radix_tree_gang_lookup(&t, res, idx, 5, 0) == 0, "gang: max_items 0");

	/* Dense: 0..4159 across 65 leaves, limit 100 from each multiple of 37. */
	radix_tree_destroy(&t, NULL, NULL);
	for (unsigned long i = 0; i < 4160; i++)
		radix_tree_insert(&t, i, item(i, 0));
	ok = true;
	for (unsigned long f = 0; f < 4200; f += 37) {
		unsigned int n = radix_tree_gang_lookup(&t, res, idx, f, 100);
		unsigned long e = f >= 4160 ? 0 : (4160 - f < 100 ? 4160 - f : 100);

		ok &= n == e;
		for (unsigned int k = 0; k < n; k++)
			ok &= idx[k] == f + k && res[k] == item(f + k, 0);
	}
	CHECK(ok, "gang: dense tree, runs across leaf boundaries");
	CHECK(radix_tree_gang_lookup(&t, res, idx, 4096 * 64, 10) == 0,
	      "gang: first beyond the tree's reach");
	radix_tree_destroy(&t, NULL, NULL);
	CHECK(live == 0, "gang: destroyed");
}

static void test_replace(void)
{
	RADIX_TREE(t);
	bool ok;
	long before;

	radix_tree_insert(&t, 100, item(100, 0));
	radix_tree_insert(&t, ULONG_MAX, item(7, 0));
	before = live;
	ok = radix_tree_replace(&t, 100, item(100, 1)) == item(100, 0);
	ok &= radix_tree_lookup(&t, 100) == item(100, 1);
	ok &= radix_tree_replace(&t, ULONG_MAX, item(7, 1)) == item(7, 0);
	ok &= radix_tree_lookup(&t, ULONG_MAX) == item(7, 1);
	CHECK(ok && radix_tree_count(&t) == 2, "replace: returns old, stores new");
	ok = radix_tree_replace(&t, 101, item(101, 0)) == NULL && radix_tree_lookup(&t, 101) == NULL;
	ok &= radix_tree_replace(&t, 1UL << 50, item(5, 0)) == NULL;
	ok &= radix_tree_count(&t) == 2 && live == before;
	CHECK(ok, "replace: absent index is not inserted");
	ok = radix_tree_replace(&t, 100, NULL) == NULL && radix_tree_lookup(&t, 100) == item(100, 1);
	CHECK(ok && tree_ok(&t), "replace: NULL item changes nothing");
	radix_tree_destroy(&t, NULL, NULL);
}

static void test_tags(void)
{
	RADIX_TREE(t);
	void *res[64];
	unsigned long idx[64];
	bool ok;
	unsigned int n;

	for (unsigned long i = 0; i < 300; i++)
		radix_tree_insert(&t, i * 10, item(i, 0));
	radix_tree_insert(&t, ULONG_MAX, item(9, 9));

	ok = radix_tree_tag_set(&t, 50, 0) == item(5, 0);
	ok &= radix_tree_tag_set(&t, 51, 0) == NULL; /* absent */
	ok &= radix_tree_tag_set(&t, 50, RADIX_TREE_MAX_TAGS) == NULL;
	ok &= radix_tree_tag_set(&t, 640, 0) == item(64, 0);
	ok &= radix_tree_tag_set(&t, 2990, 0) == item(299, 0);
	ok &= radix_tree_tag_set(&t, ULONG_MAX, 0) == item(9, 9);
	ok &= radix_tree_tag_set(&t, 640, 1) == item(64, 0);
	ok &= radix_tree_tag_get(&t, 50, 0) && !radix_tree_tag_get(&t, 50, 1);
	ok &= radix_tree_tag_get(&t, 640, 0) && radix_tree_tag_get(&t, 640, 1);
	ok &= !radix_tree_tag_get(&t, 60, 0) && !radix_tree_tag_get(&t, 51, 0);
	ok &= radix_tree_tagged(&t, 0) && radix_tree_tagged(&t, 1);
	CHECK(ok && tree_ok(&t), "tags: set/get, absent index and bad tag refused");

	n = radix_tree_gang_lookup_tag(&t, res, idx, 0, 64, 0);
	ok = n == 4 && idx[0] == 50 && idx[1] == 640 && idx[2] == 2990 && idx[3] == ULONG_MAX;
	ok &= res[1] == item(64, 0) && res[3] == item(9, 9);
	n = radix_tree_gang_lookup_tag(&t, res, idx, 51, 2, 0);
	ok &= n == 2 && idx[0] == 640 && idx[1] == 2990;
	n = radix_tree_gang_lookup_tag(&t, res, idx, 0, 64, 1);
	ok &= n == 1 && idx[0] == 640;
	ok &= radix_tree_gang_lookup_tag(&t, res, idx, 0, 64, 2) == 0;
	CHECK(ok, "tags: gang lookup by tag");

	/* Replace keeps tags; clear; delete drops tags. */
	ok = radix_tree_replace(&t, 640, item(64, 1)) == item(64, 0);
	ok &= radix_tree_tag_get(&t, 640, 0) && radix_tree_tag_get(&t, 640, 1);
	ok &= radix_tree_tag_clear(&t, 640, 1) == item(64, 1);
	ok &= !radix_tree_tag_get(&t, 640, 1) && !radix_tree_tagged(&t, 1);
	ok &= radix_tree_tag_clear(&t, 641, 0) == NULL;
	ok &= radix_tree_delete(&t, 50) == item(5, 0);
	ok &= radix_tree_insert(&t, 50, item(5, 1)) == 0 && !radix_tree_tag_get(&t, 50, 0);
	CHECK(ok && tree_ok(&t), "tags: replace keeps, clear clears, delete drops");

	/* Tags survive growth above and shrinking back. */
	ok = radix_tree_delete(&t, ULONG_MAX) == item(9, 9) && t.height == 2;
	ok &= radix_tree_insert(&t, 1UL << 45, item(1, 45)) == 0 && t.height == 8;
	ok &= radix_tree_tag_get(&t, 640, 0) && radix_tree_tag_get(&t, 2990, 0) && tree_ok(&t);
	ok &= radix_tree_delete(&t, 1UL << 45) == item(1, 45) && t.height == 2;
	ok &= radix_tree_tag_get(&t, 640, 0) && radix_tree_tag_get(&t, 2990, 0) && tree_ok(&t);
	n = radix_tree_gang_lookup_tag(&t, res, idx, 0, 64, 0);
	ok &= n == 2 && idx[0] == 640 && idx[1] == 2990;
	ok &= radix_tree_tag_clear(&t, 640, 0) && radix_tree_tag_clear(&t, 2990, 0);
	ok &= !radix_tree_tagged(&t, 0) && tree_ok(&t);
	CHECK(ok, "tags: kept across height changes, cleared upward");
	radix_tree_destroy(&t, NULL, NULL);
}

struct destroy_log {
	unsigned long n, last;
	bool ordered;
};

static void destroy_fn(unsigned long index, void *it, void *arg)
{
	struct destroy_log *log = arg;

	if ((log->n && index <= log->last) || it != item(index, 3))
		log->ordered = false;
	log->last = index;
	log->n++;
}

static void test_destroy(void)
{
	RADIX_TREE(t);
	struct destroy_log log = { 0, 0, true };
	unsigned long n = 0;

	for (unsigned int k = 0; k < NEDGE; k++)
		n += radix_tree_insert(&t, edge[k], item(edge[k], 3)) == 0;
	for (unsigned long i = 100; i < 5000; i += 3)
		n += radix_tree_insert(&t, i, item(i, 3)) == 0;
	radix_tree_destroy(&t, destroy_fn, &log);
	CHECK(log.n == n && log.ordered && log.last == ULONG_MAX, "destroy: fn sees each entry in order");
	CHECK(live == 0 && t.rnode == NULL && t.height == 0 && radix_tree_count(&t) == 0,
	      "destroy: every node freed, tree empty");
	CHECK(radix_tree_insert(&t, 5, item(5, 0)) == 0 && radix_tree_lookup(&t, 5) == item(5, 0),
	      "destroy: tree usable again");
	radix_tree_destroy(&t, NULL, NULL);
	radix_tree_destroy(&t, NULL, NULL);
	CHECK(live == 0, "destroy: NULL fn, and on an empty tree");
}

/* Fail each allocation of insert(index) in turn, on a tree holding pre[]. */
static bool enomem_case(const unsigned long *pre, unsigned int npre, unsigned long index,
			unsigned int *points)
{
	RADIX_TREE(t);
	static void *r0[8000], *r1[8000];
	static unsigned long i0[8000], i1[8000];
	unsigned long n0, n1;
	unsigned int height;
	long nodes;
	bool ok = true;
	int ret;

	for (unsigned int k = 0; k < npre; k++)
		radix_tree_insert(&t, pre[k], item(pre[k], 0));
	for (unsigned int k = 0; k < npre; k += 2) /* some tags, to check they stay put */
		radix_tree_tag_set(&t, pre[k], 0);
	n0 = snapshot(&t, r0, i0, 8000);
	height = t.height;
	nodes = live;

	*points = 0;
	for (long k = 0;; k++) {
		fail_in = k;
		ret = radix_tree_insert(&t, index, item(index, 5));
		fail_in = -1;
		if (ret != -ENOMEM)
			break;
		(*points)++;
		n1 = snapshot(&t, r1, i1, 8000);
		ok &= n1 == n0 && memcmp(i0, i1, n0 * sizeof(*i0)) == 0 &&
		      memcmp(r0, r1, n0 * sizeof(*r0)) == 0;
		ok &= t.height == height && live == nodes && tree_ok(&t);
		ok &= radix_tree_lookup(&t, index) == NULL;
		for (unsigned int j = 0; j < npre; j++)
			ok &= radix_tree_tag_get(&t, pre[j], 0) == !(j & 1);
	}
	ok &= ret == 0 && radix_tree_lookup(&t, index) == item(index, 5) && tree_ok(&t);
	ok &= (long)*points == live - nodes; /* one failure point per node made */
	radix_tree_destroy(&t, NULL, NULL);
	return ok && live == 0;
}

static void test_enomem(void)
{
	static const unsigned long targets[] = {
		0, 1, 63, 64, 4095, 4096, 262144, 1UL << 30, 1UL << 40, 1UL << 59, 1UL << 60,
		ULONG_MAX - 64, ULONG_MAX
	};
	static const unsigned long pre_a[] = { 5 };
	static const unsigned long pre_b[] = { 0, 70, 5000 };
	static const unsigned long pre_c[] = { ULONG_MAX };
	static const unsigned long pre_d[] = { 1, 1UL << 40, 1UL << 40 | 63 };
	static unsigned long pre_e[4300];
	struct {
		const char *name;
		const unsigned long *pre;
		unsigned int n;
	} cases[] = {
		{ "empty", NULL, 0 },
		{ "{5}", pre_a, 1 },
		{ "{0,70,5000}", pre_b, 3 },
		{ "{ULONG_MAX}", pre_c, 1 },
		{ "{1,1<<40,..}", pre_d, 3 },
		{ "0..4299 odd", pre_e, 4300 / 2 },
	};
	char name[96];

	for (unsigned long i = 0; i < 4300 / 2; i++)
		pre_e[i] = 2 * i + 1;
	for (unsigned int c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		bool ok = true;
		unsigned int total = 0, points;

		for (unsigned int k = 0; k < sizeof(targets) / sizeof(targets[0]); k++) {
			bool taken = false;

			for (unsigned int j = 0; j < cases[c].n; j++)
				taken |= cases[c].pre[j] == targets[k];
			if (taken)
				continue;
			ok &= enomem_case(cases[c].pre, cases[c].n, targets[k], &points);
			total += points;
		}
		snprintf(name, sizeof(name),
			 "-ENOMEM at each of %u allocation points, tree %s: unchanged", total,
			 cases[c].name);
		CHECK(ok && total > 0, name);
	}
}

/* ---- randomized against a sorted-array model ------------------------------------- */

static unsigned long *m_idx;
static void **m_val;
static unsigned char *m_tag;
static unsigned long m_n;

/* Position of the first model index >= i. */
static unsigned long m_lower(unsigned long i)
{
	unsigned long lo = 0, hi = m_n;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (m_idx[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static unsigned long rnd_index(void)
{
	unsigned long r = rnd();

	switch (r % 8) {
	case 0:
	case 1:
		return (r >> 8) % 3000;                    /* dense low */
	case 2:
		return (r >> 8) % (1UL << 22);             /* mid */
	case 3:
		return ULONG_MAX - (r >> 8) % 300;         /* top of the space */
	case 4:
		return (1UL << ((r >> 8) % 64)) + (r >> 20) % 100 - 50; /* near powers of 2 */
	case 5:
		return rnd();                              /* anywhere */
	default:
		if (m_n)
			return m_idx[(r >> 8) % m_n];      /* an existing one */
		return (r >> 8) % 100;
	}
}

static void test_random(void)
{
	enum { OPS = 200000, CAP = 20000 };
	RADIX_TREE(t);
	static void *res[130];
	static unsigned long idx[130];
	unsigned long bad_insert = 0, bad_lookup = 0, bad_delete = 0, bad_gang = 0, bad_replace = 0,
		      bad_tag = 0, bad_tree = 0, nomem = 0, peak = 0;

	m_idx = malloc(CAP * sizeof(*m_idx));
	m_val = malloc(CAP * sizeof(*m_val));
	m_tag = malloc(CAP);
	m_n = 0;

	for (unsigned long op = 0; op < OPS; op++) {
		unsigned long i = rnd_index();
		unsigned long p = m_lower(i);
		bool present = p < m_n && m_idx[p] == i;
		unsigned int what = rnd() % 100;
		unsigned int tag = rnd() & 1;

		if (what < (m_n < 3000 ? 40u : 25u) && m_n < CAP) {
			void *v = item(i, op);
			int ret;

			if (rnd() % 16 == 0)
				fail_in = rnd() % 6;
			ret = radix_tree_insert(&t, i, v);
			fail_in = -1;
			if (ret == -ENOMEM) {
				nomem++;
				bad_insert += present;
			} else if (present) {
				bad_insert += ret != -EEXIST;
			} else {
				bad_insert += ret != 0;
				memmove(m_idx + p + 1, m_idx + p, (m_n - p) * sizeof(*m_idx));
				memmove(m_val + p + 1, m_val + p, (m_n - p) * sizeof(*m_val));
				memmove(m_tag + p + 1, m_tag + p, m_n - p);
				m_idx[p] = i;
				m_val[p] = v;
				m_tag[p] = 0;
				m_n++;
			}
		} else if (what < 65) {
			void *v = radix_tree_delete(&t, i);

			if (present) {
				bad_delete += v != m_val[p];
				memmove(m_idx + p, m_idx + p + 1, (m_n - p - 1) * sizeof(*m_idx));
				memmove(m_val + p, m_val + p + 1, (m_n - p - 1) * sizeof(*m_val));
				memmove(m_tag + p, m_tag + p + 1, m_n - p - 1);
				m_n--;
			} else {
				bad_delete += v != NULL;
			}
		} else if (what < 75) {
			bad_lookup += radix_tree_lookup(&t, i) != (present ? m_val[p] : NULL);
			bad_tag += radix_tree_tag_get(&t, i, tag) != (present && (m_tag[p] >> tag & 1));
		} else if (what < 80) {
			void *v = item(i, op);
			void *old = radix_tree_replace(&t, i, v);

			bad_replace += old != (present ? m_val[p] : NULL);
			if (present)
				m_val[p] = v;
		} else if (what < 88) {
			bool set = rnd() & 1;
			void *v = set ? radix_tree_tag_set(&t, i, tag) : radix_tree_tag_clear(&t, i, tag);

			bad_tag += v != (present ? m_val[p] : NULL);
			if (present && set)
				m_tag[p] |= 1 << tag;
			else if (present)
				m_tag[p] &= ~(1 << tag);
		} else if (what < 96) {
			unsigned int max = rnd() % 130;
			unsigned int n = radix_tree_gang_lookup(&t, res, idx, i, max);
			unsigned long e = 0;

			for (; p + e < m_n && e < max; e++)
				bad_gang += idx[e] != m_idx[p + e] || res[e] != m_val[p + e];
			bad_gang += n != e;
		} else {
			unsigned int max = rnd() % 130;
			unsigned int n = radix_tree_gang_lookup_tag(&t, res, idx, i, max, tag);
			unsigned int e = 0;

			for (; p < m_n && e < max; p++) {
				if (!(m_tag[p] >> tag & 1))
					continue;
				bad_gang += e >= n || idx[e] != m_idx[p] || res[e] != m_val[p];
				e++;
			}
			bad_gang += n != e;
		}
		if (m_n > peak)
			peak = m_n;
		if (op % 4000 == 0 || op == OPS - 1)
			bad_tree += !tree_ok(&t) || radix_tree_count(&t) != m_n ||
				    (m_n && t.height != want_height(m_idx[m_n - 1]));
	}

	printf("# random: %d ops, %lu entries at the end (peak %lu), %lu injected -ENOMEM\n",
	       OPS, m_n, peak, nomem);
	CHECK(bad_insert == 0 && nomem > 0, "random: inserts (with injected -ENOMEM) match model");
	CHECK(bad_delete == 0, "random: deletes match model");
	CHECK(bad_lookup == 0, "random: lookups match model");
	CHECK(bad_replace == 0, "random: replaces match model");
	CHECK(bad_tag == 0, "random: tag set/clear/get match model");
	CHECK(bad_gang == 0, "random: gang lookups (plain and tagged) match model");
	CHECK(bad_tree == 0, "random: tree invariants and minimal height hold throughout");

	{
		static void *all[CAP];
		static unsigned long alli[CAP];
		unsigned long n = snapshot(&t, all, alli, CAP);
		bool ok = n == m_n;

		for (unsigned long k = 0; ok && k < n; k++)
			ok = alli[k] == m_idx[k] && all[k] == m_val[k];
		CHECK(ok, "random: full walk equals model");
	}
	/* Empty it by deletes in index order; every node must go. */
	{
		bool ok = true;

		for (unsigned long k = 0; k < m_n; k++)
			ok &= radix_tree_delete(&t, m_idx[k]) == m_val[k];
		CHECK(ok && live == 0 && t.height == 0 && t.rnode == NULL,
		      "random: deleting the rest frees every node");
	}
	free(m_idx);
	free(m_val);
	free(m_tag);
}

int main(void)
{
	printf("KTAP version 1\n");
	test_empty();
	test_edges();
	test_shrink();
	test_gang();
	test_replace();
	test_tags();
	test_destroy();
	test_enomem();
	test_random();
	CHECK(live == 0, "no allocation left behind");
	printf("# %ld node allocations in all\n", nr_allocs);
	return KTEST_DONE();
}
