/* Host unit test for kernel/fs/ramfs.c: create/lookup/remove, path walks
 * (dots, slashes, symlinks, ELOOP, name limits), file contents, inode
 * lifetime (counted allocations), and unpacking host-made cpio archives
 * with an overlay archive replacing and merging into the base tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test/host/ktest.h"
#include "kernel/fs/ramfs.h"
#include "kernel/fs/cpio.h"
#include "kernel/errno.h"
#include "mm/slab.h"

/* ---- allocator: malloc with a live count and failure injection ------------- */

static long live;               /* allocations not yet freed */
static long fail_in = -1;       /* fail the allocation after this many more, if >= 0 */

static bool alloc_fails(void)
{
	if (fail_in < 0)
		return false;
	return fail_in-- == 0;
}

void *kmalloc(size_t n)
{
	void *p = alloc_fails() ? NULL : malloc(n ? n : 1);

	if (p)
		live++;
	return p;
}

void *kzalloc(size_t n)
{
	void *p = alloc_fails() ? NULL : calloc(1, n ? n : 1);

	if (p)
		live++;
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

static struct inode *res(const char *path)
{
	struct inode *i = NULL;

	return ramfs_resolve(path, &i) == 0 ? i : NULL;
}

static int res_err(const char *path)
{
	struct inode *i = NULL;
	int r = ramfs_resolve(path, &i);

	if (r == 0)
		ramfs_put(i);
	return r;
}

/* path resolves to the same inode as other */
static bool same(const char *path, const char *other)
{
	struct inode *a = res(path), *b = res(other);
	bool ok = a && a == b;

	if (a)
		ramfs_put(a);
	if (b)
		ramfs_put(b);
	return ok;
}

/* Whole contents of the file at path equal want. */
static bool contents(const char *path, const char *want, size_t n)
{
	struct inode *i = res(path);
	char buf[256];
	ssize_t r;

	if (!i)
		return false;
	r = ramfs_read(i, buf, sizeof(buf), 0);
	ramfs_put(i);
	return r == (ssize_t)n && memcmp(buf, want, n) == 0;
}

static u32 mode_of(const char *path, int flags)
{
	struct inode *i = NULL;
	u32 m;

	if (ramfs_resolve_at(NULL, path, flags, &i))
		return 0;
	m = i->i_mode;
	ramfs_put(i);
	return m;
}

static struct inode *mk(struct inode *dir, const char *name, u32 mode)
{
	struct inode *i = NULL;

	if (ramfs_create(dir, name, strlen(name), mode, &i))
		return NULL;
	return i;
}

static int sym(struct inode *dir, const char *name, const char *target)
{
	return ramfs_symlink(dir, name, strlen(name), target, strlen(target), NULL);
}

static char tmpdir[64];

/* Archives stay allocated to the end: ramfs files point into them. */
static u8 *keep[8];
static int nkeep;

static int sh(const char *cmd)
{
	char full[4096];

	snprintf(full, sizeof(full), "cd %s && { %s; } >/dev/null 2>&1", tmpdir, cmd);
	return system(full);
}

static u8 *slurp(const char *name, size_t *len)
{
	char path[128];
	FILE *f;
	u8 *buf = NULL;
	size_t cap = 0, n = 0, r;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	do {
		if (n == cap)
			buf = realloc(buf, cap = cap * 2 + 4096);
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* Hand-made newc archives. */
struct ar {
	u8 *buf;
	size_t len, cap;
};

static void ar_put(struct ar *a, const void *p, size_t n)
{
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 64;
		a->buf = realloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void ar_entry(struct ar *a, const char *name, u32 mode, u32 rmaj, u32 rmin,
		     const void *data, size_t size)
{
	char hdr[CPIO_HDR_LEN + 1];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, rmaj, rmin,
		 (unsigned)strlen(name) + 1, 0u);
	ar_put(a, hdr, CPIO_HDR_LEN);
	ar_put(a, name, strlen(name) + 1);
	while (a->len & 3)
		ar_put(a, "", 1);
	ar_put(a, data, size);
	while (a->len & 3)
		ar_put(a, "", 1);
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_root(void)
{
	struct inode *root;

	CHECK(ramfs_init() == 0 && ramfs_init() == 0, "ramfs_init, twice");
	root = ramfs_root();
	CHECK(root && root->i_ino == 1 && root->i_mode == (S_IFDIR | 0755) && root->i_nlink == 2,
	      "root: inode 1, directory 0755, nlink 2");
	CHECK(same("/", "/") && res("/") == root, "'/' is the root");
	CHECK(res("//") == root && res("/.") == root && res("/..") == root &&
	      res("/../..//./") == root, "'//', '/.', '/..', '/../..//./' are the root");
	/* (res() took references to the root above: harmless, it is permanent) */
	CHECK(res_err("") == -ENOENT, "empty path: -ENOENT");
	CHECK(res_err("etc") == -EINVAL, "relative path to ramfs_resolve: -EINVAL");
	CHECK(ramfs_resolve(NULL, &(struct inode *){ NULL }) == -EINVAL, "NULL path: -EINVAL");
}

static void test_create(void)
{
	static const u8 initrd_bytes[] = "root:x:0:0::/root:/bin/sh\n";
	struct inode *root = ramfs_root(), *t1, *f, *d, *x;
	char name[300], buf[64];
	u32 root_nlink = root->i_nlink;

	t1 = mk(root, "t1", S_IFDIR | 0700);
	CHECK(t1 && S_ISDIR(t1->i_mode) && (t1->i_mode & 07777) == 0700 && t1->i_nlink == 2 &&
	      t1->parent == root && root->i_nlink == root_nlink + 1,
	      "mkdir /t1: 040700, nlink 2, parent root, root nlink +1");
	CHECK(t1->i_ino > 1 && t1->refcount == 1, "new inode: fresh number, one reference (ours)");
	CHECK(ramfs_create(root, "t1", 2, S_IFDIR | 0755, NULL) == -EEXIST, "mkdir /t1 again: -EEXIST");
	CHECK(ramfs_create(root, "t1", 2, S_IFREG | 0644, NULL) == -EEXIST, "file /t1: -EEXIST");

	f = mk(t1, "passwd", 0644);     /* no type bits: regular */
	CHECK(f && f->i_mode == (S_IFREG | 0644) && f->i_nlink == 1 && f->i_size == 0,
	      "create /t1/passwd (mode 0644 -> regular)");
	CHECK(ramfs_set_data(f, initrd_bytes, sizeof(initrd_bytes) - 1) == 0 &&
	      f->i_data == initrd_bytes && !f->i_data_owned && f->i_size == 26,
	      "set_data points at caller memory, no copy");
	CHECK(ramfs_read(f, buf, sizeof(buf), 0) == 26 && memcmp(buf, initrd_bytes, 26) == 0,
	      "read whole file");
	CHECK(ramfs_read(f, buf, 4, 5) == 4 && memcmp(buf, "x:0:", 4) == 0, "read 4 at offset 5");
	CHECK(ramfs_read(f, buf, 10, 20) == 6 && memcmp(buf, "in/sh\n", 6) == 0,
	      "read across the end: 6 bytes");
	CHECK(ramfs_read(f, buf, 10, 26) == 0 && ramfs_read(f, buf, 10, ~0ULL) == 0,
	      "read at or past the end: 0");
	CHECK(ramfs_read(t1, buf, 10, 0) == -EISDIR, "read a directory: -EISDIR");
	CHECK(ramfs_set_data(t1, initrd_bytes, 1) == -EISDIR, "set_data on a directory: -EISDIR");

	CHECK(ramfs_create(t1, "a/b", 3, 0644, NULL) == -EINVAL, "name with '/': -EINVAL");
	CHECK(ramfs_create(t1, "", 0, 0644, NULL) == -EINVAL, "empty name: -EINVAL");
	CHECK(ramfs_create(t1, ".", 1, S_IFDIR, NULL) == -EEXIST &&
	      ramfs_create(t1, "..", 2, S_IFDIR, NULL) == -EEXIST, "'.' and '..': -EEXIST");
	CHECK(ramfs_create(t1, "x", 1, 0170000 | 0644, NULL) == -EINVAL, "bad file type: -EINVAL");
	CHECK(ramfs_create(f, "x", 1, 0644, NULL) == -ENOTDIR, "create inside a file: -ENOTDIR");
	memset(name, 'n', 256);
	CHECK(ramfs_create(t1, name, 256, 0644, NULL) == -ENAMETOOLONG, "256-byte name: -ENAMETOOLONG");
	CHECK(ramfs_create(t1, name, 255, 0644, NULL) == 0, "255-byte name: ok");

	d = mk(t1, "sub", S_IFDIR | 0755);
	CHECK(d && t1->i_nlink == 3, "subdirectory: parent nlink 3");
	CHECK(ramfs_lookup(t1, "passwd", 6) == f && f->refcount == 2, "lookup passwd: referenced");
	ramfs_put(f);
	CHECK(ramfs_lookup(t1, "passw", 5) == NULL && ramfs_lookup(t1, "passwdx", 7) == NULL,
	      "lookup of a prefix / longer name: NULL");
	CHECK(ramfs_lookup(d, "..", 2) == t1 && ramfs_lookup(d, ".", 1) == d, "lookup '..' and '.'");
	ramfs_put(t1);
	ramfs_put(d);
	CHECK(ramfs_lookup(f, "x", 1) == NULL, "lookup in a file: NULL");

	x = mk(t1, "dev", S_IFCHR | 0600);
	CHECK(x && S_ISCHR(x->i_mode) && ramfs_read(x, buf, 1, 0) == -EINVAL,
	      "char device inode; ramfs_read on it: -EINVAL");
	ramfs_put(x);
	ramfs_put(d);
	ramfs_put(f);
	ramfs_put(t1);
}

static void test_resolve(void)
{
	char path[PATH_MAX + 16];
	struct inode *root = ramfs_root(), *passwd = res("/t1/passwd"), *t1 = res("/t1");

	CHECK(passwd && S_ISREG(passwd->i_mode), "/t1/passwd");
	CHECK(res("//t1///passwd") == passwd && res("/t1/./passwd") == passwd &&
	      res("/t1/../t1/sub/../passwd") == passwd && res("/../t1/passwd") == passwd,
	      "repeated slashes, '.', '..', '..' above the root");
	/* drop the four references just taken */
	for (int i = 0; i < 4; i++)
		ramfs_put(passwd);
	CHECK(res("/t1/") == t1 && res("/t1/sub/..//") == t1, "trailing slashes on a directory");
	ramfs_put(t1);
	ramfs_put(t1);
	CHECK(res_err("/t1/passwd/") == -ENOTDIR, "trailing slash on a file: -ENOTDIR");
	CHECK(res_err("/t1/passwd/x") == -ENOTDIR && res_err("/t1/passwd/.") == -ENOTDIR &&
	      res_err("/t1/passwd/..") == -ENOTDIR, "file as a directory: -ENOTDIR");
	CHECK(res_err("/t1/nope") == -ENOENT && res_err("/nope/passwd") == -ENOENT,
	      "missing component: -ENOENT");

	path[0] = '/';
	memset(path + 1, 'c', 256);
	path[257] = '\0';
	CHECK(res_err(path) == -ENAMETOOLONG, "256-byte component: -ENAMETOOLONG");
	path[256] = '\0';
	CHECK(res_err(path) == -ENOENT, "255-byte component: -ENOENT");
	for (int i = 0; i < PATH_MAX; i++)
		path[i] = i % 2 ? '.' : '/';
	path[PATH_MAX] = '\0';
	CHECK(res_err(path) == -ENAMETOOLONG, "4096-byte path: -ENAMETOOLONG");
	path[PATH_MAX - 1] = '\0';
	CHECK(res_err(path) == 0, "4095-byte path of '/.': the root");

	/* ramfs_resolve_at: relative paths from a directory */
	{
		struct inode *i = NULL;

		CHECK(ramfs_resolve_at(t1, "sub/../passwd", 0, &i) == 0 && i == passwd,
		      "resolve_at(/t1, 'sub/../passwd')");
		ramfs_put(i);
		CHECK(ramfs_resolve_at(t1, "/t1", 0, &i) == 0 && i == t1,
		      "resolve_at with an absolute path starts at the root");
		ramfs_put(i);
		CHECK(ramfs_resolve_at(passwd, "x", 0, &i) == -ENOTDIR, "resolve_at from a file: -ENOTDIR");
	}
	ramfs_put(passwd);
	ramfs_put(t1);
	(void)root;
}

static void test_symlinks(void)
{
	struct inode *root = ramfs_root(), *l, *t2, *passwd = res("/t1/passwd"), *i;
	char name[16], target[16], big[PATH_MAX];

	t2 = mk(root, "t2", S_IFDIR | 0755);
	CHECK(sym(t2, "abs", "/t1/passwd") == 0 && res("/t2/abs") == passwd,
	      "absolute symlink to a file");
	ramfs_put(passwd);
	CHECK(sym(t2, "rel", "../t1") == 0 && same("/t2/rel/passwd", "/t1/passwd"),
	      "relative symlink to a directory, in the middle of a path");
	CHECK(same("/t2/rel/", "/t1") && same("/t2/rel/.", "/t1"), "symlink with trailing '/' or '/.'");
	CHECK(sym(t2, "dotdot", "rel/sub") == 0 && same("/t2/dotdot/..", "/t1"),
	      "'..' after a symlink is the target's parent");
	CHECK(sym(t2, "chain1", "chain2") == 0 && sym(t2, "chain2", "abs") == 0 &&
	      same("/t2/chain1", "/t1/passwd"), "chain of 3 symlinks");
	CHECK(sym(t2, "dangling", "/nope") == 0 && res_err("/t2/dangling") == -ENOENT,
	      "dangling symlink: -ENOENT");
	CHECK(sym(t2, "loopa", "loopb") == 0 && sym(t2, "loopb", "loopa") == 0 &&
	      res_err("/t2/loopa") == -ELOOP && res_err("/t2/loopa/x") == -ELOOP,
	      "symlink loop: -ELOOP");
	CHECK(sym(t2, "self", "./self") == 0 && res_err("/t2/self") == -ELOOP, "self loop: -ELOOP");
	CHECK(res_err("/t2/abs/") == -ENOTDIR && res_err("/t2/abs/x") == -ENOTDIR,
	      "symlink to a file used as a directory: -ENOTDIR");

	/* s0 -> s1 -> ... -> s40 -> /t1/passwd: 41 links in one lookup */
	for (int n = 0; n <= 40; n++) {
		snprintf(name, sizeof(name), "s%d", n);
		snprintf(target, sizeof(target), "s%d", n + 1);
		sym(t2, name, n == 40 ? "/t1/passwd" : target);
	}
	CHECK(same("/t2/s1", "/t1/passwd"), "40 symlinks in one lookup: ok");
	CHECK(res_err("/t2/s0") == -ELOOP, "41 symlinks: -ELOOP");

	l = NULL;
	CHECK(ramfs_resolve_at(NULL, "/t2/abs", RAMFS_NOFOLLOW, &l) == 0 && S_ISLNK(l->i_mode) &&
	      l->i_mode == (S_IFLNK | 0777) && l->i_size == 10, "NOFOLLOW: the symlink itself");
	{
		char buf[32];

		CHECK(l && ramfs_readlink(l, buf, sizeof(buf)) == 10 && memcmp(buf, "/t1/passwd", 10) == 0,
		      "readlink");
		CHECK(l && ramfs_readlink(l, buf, 3) == 3 && memcmp(buf, "/t1", 3) == 0, "readlink truncated");
		CHECK(ramfs_readlink(t2, buf, 3) == -EINVAL, "readlink on a directory: -EINVAL");
		CHECK(l && ramfs_read(l, buf, 3, 0) == -EINVAL, "ramfs_read on a symlink: -EINVAL");
	}
	if (l)
		ramfs_put(l);
	CHECK(S_ISDIR(mode_of("/t2/rel/", RAMFS_NOFOLLOW)) && S_ISLNK(mode_of("/t2/rel", RAMFS_NOFOLLOW)),
	      "NOFOLLOW still follows with a trailing slash");
	CHECK(S_ISLNK(mode_of("/t2/dangling", RAMFS_NOFOLLOW)), "NOFOLLOW on a dangling link");

	CHECK(ramfs_symlink(t2, "empty", 5, "", 0, NULL) == -ENOENT, "empty target: -ENOENT");
	CHECK(ramfs_symlink(t2, "nul", 3, "../t1\0junk", 10, &i) == 0 && i->i_size == 5,
	      "target cut at a NUL (gen_init_cpio style)");
	ramfs_put(i);
	CHECK(same("/t2/nul", "/t1"), "NUL-cut target resolves");
	memset(big, 'x', sizeof(big));
	CHECK(ramfs_symlink(t2, "big", 3, big, PATH_MAX, NULL) == -ENAMETOOLONG,
	      "4096-byte target: -ENAMETOOLONG");
	big[0] = '/';
	for (int k = 1; k < 4000; k += 2)
		big[k] = '.', big[k + 1] = '/';
	CHECK(ramfs_symlink(t2, "long", 4, big, 4001, NULL) == 0 &&
	      res_err("/t2/long") == 0 && same("/t2/long", "/"),
	      "4001-byte target '/././...': the root");
	strcpy(big, "/t2/long");
	for (int k = 0; k < 50; k++)
		strcat(big, "/y");      /* 4001 + 100 bytes after the link */
	CHECK(res_err(big) == -ENAMETOOLONG, "target + rest of path >= PATH_MAX: -ENAMETOOLONG");
	big[8 + 2 * 47] = '\0';         /* 4001 + 94 = 4095: fits, then /y is missing */
	CHECK(res_err(big) == -ENOENT, "target + rest of path = 4095 bytes: walked (-ENOENT)");
	ramfs_put(t2);
}

static void test_mkdir_p(void)
{
	struct inode *i;

	CHECK(ramfs_mkdir_p("/t3//a/./b/../c/") == 0, "mkdir_p /t3//a/./b/../c/");
	CHECK(S_ISDIR(mode_of("/t3/a/b", 0)) && S_ISDIR(mode_of("/t3/a/c", 0)) &&
	      mode_of("/t3/a/c", 0) == (S_IFDIR | 0755), "made /t3/a/b and /t3/a/c (0755)");
	CHECK(ramfs_mkdir_p("/t3/a/c") == 0 && ramfs_mkdir_p("/") == 0, "existing path: 0");
	CHECK(ramfs_mkdir_p("/t1/passwd") == -EEXIST, "final component is a file: -EEXIST");
	CHECK(ramfs_mkdir_p("/t1/passwd/x") == -ENOTDIR, "through a file: -ENOTDIR");
	CHECK(ramfs_mkdir_p("t3") == -EINVAL, "relative: -EINVAL");
	CHECK(ramfs_mkdir_p("/t2/rel/viaLink/z") == 0 && S_ISDIR(mode_of("/t1/viaLink/z", 0)),
	      "through a symlink to a directory: made inside its target");
	CHECK(ramfs_mkdir_p("/t2/dangling/x") == -ENOENT, "through a dangling symlink: -ENOENT");
	i = res("/t3/a");
	CHECK(i && i->i_nlink == 4, "/t3/a nlink 4 (two subdirectories)");
	if (i)
		ramfs_put(i);
}

static void test_lifetime(void)
{
	struct inode *root = ramfs_root(), *t4, *f, *g, *d;
	long base;
	char buf[16];

	t4 = mk(root, "t4", S_IFDIR | 0755);
	base = live;
	f = mk(t4, "f", 0644);
	CHECK(ramfs_write(f, "abc", 3, 0) == 3 && f->i_data_owned, "write makes an owned buffer");
	ramfs_put(f);
	CHECK(live == base + 3, "file = inode + name + data: 3 allocations");
	CHECK(ramfs_unlink(t4, "f", 1) == 0 && live == base, "unlink an unused file frees all of it");
	CHECK(ramfs_unlink(t4, "f", 1) == -ENOENT, "unlink again: -ENOENT");

	f = mk(t4, "held", 0644);
	ramfs_write(f, "data", 4, 0);
	CHECK(ramfs_unlink(t4, "held", 4) == 0 && f->i_nlink == 0 && live == base + 2,
	      "unlink while referenced: name freed, inode kept");
	CHECK(ramfs_lookup(t4, "held", 4) == NULL && ramfs_read(f, buf, 4, 0) == 4 &&
	      memcmp(buf, "data", 4) == 0, "gone from the directory, still readable");
	ramfs_put(f);
	CHECK(live == base, "last reference dropped: freed");

	f = mk(t4, "one", 0644);
	ramfs_write(f, "shared", 6, 0);
	CHECK(ramfs_link(t4, "two", 3, f) == 0 && f->i_nlink == 2 && same("/t4/one", "/t4/two"),
	      "hard link: nlink 2, same inode");
	CHECK(ramfs_link(t4, "two", 3, f) == -EEXIST, "hard link over an existing name: -EEXIST");
	CHECK(ramfs_link(root, "t4link", 6, t4) == -EPERM, "hard link to a directory: -EPERM");
	ramfs_put(f);
	CHECK(ramfs_unlink(t4, "one", 3) == 0 && contents("/t4/two", "shared", 6),
	      "unlink one name: the other still has the data");
	CHECK(ramfs_unlink(t4, "two", 3) == 0 && live == base, "unlink the last name: freed");

	d = mk(t4, "d", S_IFDIR | 0755);
	g = mk(d, "g", 0644);
	ramfs_put(g);
	CHECK(ramfs_rmdir(t4, "d", 1) == -ENOTEMPTY, "rmdir non-empty: -ENOTEMPTY");
	CHECK(ramfs_unlink(t4, "d", 1) == -EISDIR, "unlink a directory: -EISDIR");
	CHECK(ramfs_rmdir(d, "g", 1) == -ENOTDIR, "rmdir a file: -ENOTDIR");
	CHECK(ramfs_unlink(d, "g", 1) == 0 && t4->i_nlink == 3, "unlink d/g");
	CHECK(ramfs_rmdir(t4, "d", 1) == 0 && t4->i_nlink == 2 && d->i_nlink == 0,
	      "rmdir while referenced: parent nlink back to 2");
	CHECK(ramfs_lookup(d, "..", 2) == NULL && ramfs_create(d, "x", 1, 0644, NULL) == -ENOENT,
	      "removed directory: no '..', create in it -ENOENT");
	CHECK(t4->refcount == 2, "removed directory still pins its parent");
	ramfs_put(d);
	CHECK(live == base && t4->refcount == 1, "last reference: freed, parent unpinned");
	CHECK(ramfs_rmdir(root, "t4", 2) == 0 && t4->refcount == 1, "rmdir /t4 (still referenced)");
	ramfs_put(t4);

	/* allocation failures leave nothing behind */
	t4 = mk(root, "t5", S_IFDIR | 0755);
	base = live;
	{
		int bad = 0;

		for (int k = 0; k < 3; k++) {
			fail_in = k;
			if (ramfs_symlink(t4, "s", 1, "target", 6, NULL) != -ENOMEM || live != base)
				bad++;
			fail_in = -1;
		}
		CHECK(bad == 0, "symlink: each of 3 allocations failing gives -ENOMEM, no leak");
		fail_in = 0;
		CHECK(ramfs_resolve("/t2/abs", &(struct inode *){ NULL }) == -ENOMEM && live == base,
		      "symlink walk without memory for the path buffer: -ENOMEM");
		fail_in = -1;
	}
	ramfs_put(t4);
}

static void test_write(void)
{
	static const u8 orig[] = "0123456789";
	struct inode *f = mk(ramfs_root(), "w", 0644);
	char buf[128];
	static char big[100000];

	ramfs_set_data(f, orig, 10);
	CHECK(ramfs_write(f, "AB", 2, 3) == 2 && f->i_data_owned && f->i_data != orig &&
	      memcmp(orig, "0123456789", 10) == 0, "write copies caller memory first; it stays intact");
	CHECK(ramfs_read(f, buf, sizeof(buf), 0) == 10 && memcmp(buf, "012AB56789", 10) == 0,
	      "contents after the write");
	CHECK(ramfs_write(f, "Z", 1, 14) == 1 && f->i_size == 15 &&
	      ramfs_read(f, buf, sizeof(buf), 0) == 15 && memcmp(buf, "012AB56789\0\0\0\0Z", 15) == 0,
	      "write past the end leaves a hole of zeros");
	CHECK(ramfs_truncate(f, 4) == 0 && f->i_size == 4 && ramfs_truncate(f, 8) == 0 &&
	      ramfs_read(f, buf, sizeof(buf), 0) == 8 && memcmp(buf, "012A\0\0\0\0", 8) == 0,
	      "truncate down then up: zeros, not old bytes");
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	CHECK(ramfs_write(f, big, sizeof(big), 0) == (ssize_t)sizeof(big) && f->i_size == sizeof(big) &&
	      ramfs_read(f, buf, 16, 99990) == 10 && memcmp(buf, big + 99990, 10) == 0,
	      "100000-byte write");
	CHECK(ramfs_set_data(f, orig, 3) == 0 && !f->i_data_owned && f->i_size == 3,
	      "set_data replaces (and frees) an owned buffer");
	CHECK(ramfs_truncate(f, 1) == 0 && f->i_data == orig && f->i_size == 1,
	      "shrinking caller memory: no copy");
	CHECK(ramfs_write(f, "x", 1, ~0ULL - 1) == -EFBIG, "write at a huge offset: -EFBIG");
	ramfs_put(f);
}

static void test_readdir(void)
{
	struct inode *t3 = res("/t3/a");
	struct ramfs_dirent d;
	char names[8] = "";
	int r0, r1, r2;

	r0 = ramfs_readdir(t3, 0, &d);
	if (r0 == 1)
		strcat(names, d.name);
	r1 = ramfs_readdir(t3, 1, &d);
	if (r1 == 1)
		strcat(names, d.name);
	r2 = ramfs_readdir(t3, 2, &d);
	CHECK(r0 == 1 && r1 == 1 && r2 == 0 && strcmp(names, "bc") == 0 && d.namelen == 1 &&
	      S_ISDIR(d.mode), "readdir /t3/a: b, c (creation order), then 0");
	CHECK(ramfs_readdir(res("/t1/passwd"), 0, &d) == -ENOTDIR, "readdir on a file: -ENOTDIR");
	ramfs_put(t3);
}

/* Base image and an overlay, made by the host cpio as the Makefile does. */
static void test_unpack(void)
{
	static const char *base_cmd =
		"mkdir -p base/bin base/etc base/usr/lib base/dev/pts base/empty && "
		"printf '#!shell\\n' > base/bin/sh && chmod 0755 base/bin/sh && "
		"printf 'vireo\\n' > base/etc/hostname && ln base/etc/hostname base/etc/hn2 && "
		"printf 'libc' > base/usr/lib/libc.so && ln -s usr/lib base/lib && "
		"printf 'x' > base/dev/pts/0 && : > base/etc/empty && chmod 0600 base/etc/empty && "
		"cd base && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 > ../base.cpio";
	static const char *over_cmd =
		"mkdir -p over/etc over/lib over/bin && printf 'extra\\n' > over/etc/hostname && "
		"ln -s /usr/lib/libc.so over/bin/sh && printf 'new' > over/lib/extra.so && "
		"printf 'file' > over/dev && chmod 0700 over/etc && "
		"cd over && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 > ../over.cpio && "
		"cd .. && cat base.cpio over.cpio > both.cpio";
	u8 *base, *over, *both;
	size_t blen = 0, olen = 0, bothlen = 0;
	struct inode *i, *j;
	int r;

	if (sh(base_cmd) || sh(over_cmd) || !(base = slurp("base.cpio", &blen)) ||
	    !(over = slurp("over.cpio", &olen)) || !(both = slurp("both.cpio", &bothlen))) {
		CHECK(0, "host cpio builds the test archives");
		return;
	}

	/* ., bin, bin/sh, dev, dev/pts, dev/pts/0, empty, etc, etc/empty,
	 * etc/hn2, etc/hostname, lib, usr, usr/lib, usr/lib/libc.so */
	r = ramfs_unpack_cpio(base, blen);
	CHECK(r == 15, "base archive: 15 entries");
	CHECK(contents("/bin/sh", "#!shell\n", 8) && mode_of("/bin/sh", 0) == (S_IFREG | 0755),
	      "/bin/sh: contents, 0100755");
	i = res("/bin/sh");
	CHECK(i && i->i_data >= base && i->i_data + i->i_size <= base + blen && !i->i_data_owned &&
	      i->i_uid == 0 && i->i_gid == 0, "file data points into the archive; uid/gid 0");
	if (i)
		ramfs_put(i);
	CHECK(mode_of("/etc/empty", 0) == (S_IFREG | 0600) && contents("/etc/empty", "", 0),
	      "/etc/empty: 0 bytes, 0100600");
	i = res("/etc/hostname");
	j = res("/etc/hn2");
	CHECK(i && i == j && i->i_nlink == 2 && contents("/etc/hn2", "vireo\n", 6),
	      "hard link etc/hn2 = etc/hostname: one inode, nlink 2, data");
	if (i)
		ramfs_put(i);
	if (j)
		ramfs_put(j);
	CHECK(S_ISLNK(mode_of("/lib", RAMFS_NOFOLLOW)) && same("/lib/libc.so", "/usr/lib/libc.so"),
	      "/lib -> usr/lib");
	CHECK(contents("/dev/pts/0", "x", 1) && S_ISDIR(mode_of("/empty", 0)), "dev/pts/0 and /empty");

	/* The overlay replaces files, turns bin/sh into a symlink and the
	 * dev directory into a file, writes through the /lib symlink, and
	 * merges into existing directories. */
	r = ramfs_unpack_cpio(over, olen);
	CHECK(r == 8, "overlay archive: 8 entries");
	CHECK(contents("/etc/hostname", "extra\n", 6), "overlay replaced /etc/hostname");
	CHECK(contents("/etc/hn2", "vireo\n", 6), "the old inode lives on as /etc/hn2");
	CHECK(S_ISLNK(mode_of("/bin/sh", RAMFS_NOFOLLOW)) && contents("/bin/sh", "libc", 4),
	      "/bin/sh file replaced by a symlink");
	CHECK(S_ISREG(mode_of("/dev", 0)) && contents("/dev", "file", 4) &&
	      res_err("/dev/pts/0") == -ENOTDIR, "/dev directory (with contents) replaced by a file");
	CHECK(contents("/usr/lib/extra.so", "new", 3) && contents("/usr/lib/libc.so", "libc", 4),
	      "overlay lib/ went through the /lib symlink into /usr/lib");
	CHECK(contents("/etc/empty", "", 0) && S_ISDIR(mode_of("/usr", 0)),
	      "base entries the overlay does not name are kept");
	CHECK(mode_of("/etc", 0) == (S_IFDIR | 0700), "directory over directory: takes the new mode");
	CHECK(S_ISLNK(mode_of("/lib", RAMFS_NOFOLLOW)),
	      "a directory entry over a symlink to a directory keeps the symlink");

	/* Unpacking the concatenation twice: same tree, same memory. */
	{
		long l1, l2;

		r = ramfs_unpack_cpio(both, bothlen);
		l1 = live;
		CHECK(r == 23, "base+overlay concatenated: 23 entries");
		r = ramfs_unpack_cpio(both, bothlen);
		l2 = live;
		CHECK(r == 23 && l1 == l2, "again: replaced entries are freed (no growth)");
		CHECK(contents("/etc/hostname", "extra\n", 6) && contents("/bin/sh", "libc", 4) &&
		      contents("/dev", "file", 4) && contents("/usr/lib/extra.so", "new", 3) &&
		      contents("/dev/pts/0", "", 0) == false, "final tree as before");
	}
	keep[nkeep++] = base;
	keep[nkeep++] = over;
	keep[nkeep++] = both;
}

static void test_unpack_handmade(void)
{
	static const char deep[] = "deep data";
	struct ar a = { 0 }, bad = { 0 }, trail = { 0 };
	struct inode *i;
	char longname[300];
	int r;

	ar_entry(&a, "/x1/y/z/file", S_IFREG | 0640, 0, 0, deep, 9);  /* no parents in the archive */
	ar_entry(&a, "./x1/console", S_IFCHR | 0600, 5, 1, "", 0);
	ar_entry(&a, "x1/lnk", S_IFLNK | 0777, 0, 0, "y/z\0", 4);     /* target with its NUL */
	ar_entry(&a, "x1/fifo", S_IFIFO | 0644, 0, 0, "", 0);
	ar_entry(&a, "x1/y/", S_IFDIR | 0711, 0, 0, "", 0);            /* trailing slash */
	ar_entry(&a, CPIO_TRAILER, 0, 0, 0, "", 0);
	r = ramfs_unpack_cpio(a.buf, a.len);
	CHECK(r == 5, "hand-made archive: 5 entries");
	CHECK(contents("/x1/y/z/file", deep, 9) && mode_of("/x1/y/z/file", 0) == (S_IFREG | 0640),
	      "missing parent directories created");
	CHECK(mode_of("/x1/y/z", 0) == (S_IFDIR | 0755) && mode_of("/x1/y", 0) == (S_IFDIR | 0711),
	      "implicit directories 0755; a later entry sets the mode");
	i = res("/x1/console");
	CHECK(i && i->i_mode == (S_IFCHR | 0600) && MAJOR(i->i_rdev) == 5 && MINOR(i->i_rdev) == 1,
	      "char device 5:1");
	if (i)
		ramfs_put(i);
	CHECK(S_ISFIFO(mode_of("/x1/fifo", 0)), "fifo");
	CHECK(same("/x1/lnk/file", "/x1/y/z/file"), "symlink target with a NUL: cut there");

	ar_entry(&bad, "x2/ok", S_IFREG | 0644, 0, 0, "1", 1);
	ar_entry(&bad, "x2/bad", 0170000 | 0644, 0, 0, "", 0);
	CHECK(ramfs_unpack_cpio(bad.buf, bad.len) == -EINVAL && contents("/x2/ok", "1", 1),
	      "unknown file type: -EINVAL (earlier entries stay)");
	memcpy(bad.buf, "070707", 6);
	CHECK(ramfs_unpack_cpio(bad.buf, bad.len) == -EINVAL, "bad magic: -EINVAL");
	free(bad.buf);
	bad = (struct ar){ 0 };
	memset(longname, 'L', sizeof(longname));
	memcpy(longname, "x2/", 3);
	longname[3 + 256] = '\0';
	ar_entry(&bad, longname, S_IFREG | 0644, 0, 0, "", 0);
	CHECK(ramfs_unpack_cpio(bad.buf, bad.len) == -ENAMETOOLONG, "256-byte name: -ENAMETOOLONG");
	free(bad.buf);
	bad = (struct ar){ 0 };
	ar_entry(&bad, "x1/y/z/file/sub", S_IFREG | 0644, 0, 0, "", 0);
	CHECK(ramfs_unpack_cpio(bad.buf, bad.len) == -ENOTDIR, "parent is a file: -ENOTDIR");
	free(bad.buf);

	ar_entry(&trail, CPIO_TRAILER, 0, 0, 0, "", 0);
	CHECK(ramfs_unpack_cpio(trail.buf, trail.len) == 0 && ramfs_unpack_cpio(trail.buf, 0) == 0,
	      "empty archive / empty buffer: 0 entries");
	free(trail.buf);

	/* Every allocation failing in turn: -ENOMEM, never a crash; then ok. */
	{
		int k, r2 = -ENOMEM, bad_codes = 0;

		for (k = 0; k < 200 && r2 == -ENOMEM; k++) {
			fail_in = k;
			r2 = ramfs_unpack_cpio(a.buf, a.len);
			fail_in = -1;
			if (r2 != -ENOMEM && r2 != 5)
				bad_codes++;
		}
		CHECK(r2 == 5 && bad_codes == 0 && k > 5, "unpack under allocation failures: -ENOMEM, then 5");
		CHECK(contents("/x1/y/z/file", deep, 9), "tree intact after the failures");
	}
	keep[nkeep++] = a.buf;
}

int main(void)
{
	char cmd[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_ramfs.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}

	test_root();
	test_create();
	test_resolve();
	test_symlinks();
	test_mkdir_p();
	test_lifetime();
	test_write();
	test_readdir();
	test_unpack();
	test_unpack_handmade();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return KTEST_DONE();
}
