/* The dentry cache: (parent, name) -> dentry through a hash table with a
 * lock per bucket, reference counting, and the tree of children that
 * dcache-only file systems (ramfs) use as their directories. */
#include "kernel/fs/dcache.h"
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/mount.h"
#include "kernel/string.h"
#include "mm/slab.h"

#define D_HASH_BITS 12
#define D_HASH_SIZE (1u << D_HASH_BITS)

struct d_bucket {
	spinlock_t lock;          /* protects chain and the d_count 0 -> 1 revival */
	struct list_head chain;   /* of dentry.d_hash */
};
static struct d_bucket d_table[D_HASH_SIZE];
static bool d_table_ready;

/* Serializes d_move against walks up the tree (d_path) and other renames. */
DEFINE_SPINLOCK(rename_lock);

u32 full_name_hash(const char *name, u32 len)
{
	u32 h = 2166136261u; /* FNV-1a */

	for (u32 i = 0; i < len; i++)
		h = (h ^ (u8)name[i]) * 16777619u;
	return h;
}

static struct d_bucket *d_bucket(const struct dentry *parent, u32 hash)
{
	unsigned long x = ((unsigned long)parent >> 4) ^ hash;

	x ^= x >> D_HASH_BITS;
	return &d_table[x & (D_HASH_SIZE - 1)];
}

static void d_table_init(void)
{
	for (u32 i = 0; i < D_HASH_SIZE; i++) {
		spin_lock_init(&d_table[i].lock);
		INIT_LIST_HEAD(&d_table[i].chain);
	}
	d_table_ready = true;
}

static bool d_set_name(struct dentry *d, const struct qstr *name)
{
	char *s = d->d_iname;

	if (name->len >= DNAME_INLINE_LEN && !(s = kmalloc(name->len + 1)))
		return false;
	memcpy(s, name->name, name->len);
	s[name->len] = 0;
	d->d_name.name = s;
	d->d_name.len = name->len;
	d->d_name.hash = name->hash;
	return true;
}

static void d_free_name(struct dentry *d)
{
	if (d->d_name.name != d->d_iname)
		kfree(d->d_name.name);
}

static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	if (!d_set_name(d, name)) {
		kfree(d);
		return NULL;
	}
	if (!d_table_ready)
		d_table_init();
	d->d_count = 1;
	spin_lock_init(&d->d_lock);
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_hash);
	d->d_parent = d;
	d->d_sb = sb;
	d->d_next_seq = 2; /* 0 and 1 are "." and ".." in readdir */
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d = __d_alloc(parent->d_sb, name);

	if (!d)
		return NULL;
	d->d_parent = dget(parent);
	d->d_op = parent->d_op;
	spin_lock(&parent->d_lock);
	d->d_seq = parent->d_next_seq++;
	list_add_tail(&d->d_child, &parent->d_subdirs);
	spin_unlock(&parent->d_lock);
	return d;
}

struct dentry *d_alloc_name(struct dentry *parent, const char *name)
{
	struct qstr q = { name, (u32)strlen(name), 0 };

	q.hash = full_name_hash(name, q.len);
	return d_alloc(parent, &q);
}

struct dentry *d_make_root(struct inode *root_inode)
{
	static const struct qstr slash = { "/", 1, 0 };
	struct dentry *d;

	if (!root_inode)
		return NULL;
	d = __d_alloc(root_inode->i_sb, &slash);
	if (!d) {
		iput(root_inode);
		return NULL;
	}
	d->d_inode = root_inode;
	return d;
}

struct dentry *d_alloc_pseudo(struct inode *inode, const struct dentry_operations *ops)
{
	static const struct qstr empty = { "", 0, 0 };
	struct dentry *d = __d_alloc(inode->i_sb, &empty);

	if (!d)
		return NULL;
	d->d_inode = inode;
	d->d_op = ops;
	return d;
}

static void __d_rehash(struct dentry *d)
{
	struct d_bucket *b = d_bucket(d->d_parent, d->d_name.hash);

	spin_lock(&b->lock);
	list_add(&d->d_hash, &b->chain);
	d->d_flags |= DCACHE_HASHED;
	spin_unlock(&b->lock);
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	spin_lock(&d->d_lock);
	d->d_inode = inode;
	spin_unlock(&d->d_lock);
}

void d_add(struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	__d_rehash(d);
}

void d_drop(struct dentry *d)
{
	struct d_bucket *b = d_bucket(d->d_parent, d->d_name.hash);

	spin_lock(&b->lock);
	if (d->d_flags & DCACHE_HASHED) {
		list_del_init(&d->d_hash);
		d->d_flags &= ~DCACHE_HASHED;
	}
	spin_unlock(&b->lock);
}

/* Unlinked names stay attached to their inode for whoever still holds the
 * dentry (an open file) and vanish at the last dput. */
void d_delete(struct dentry *d)
{
	d_drop(d);
}

struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	struct d_bucket *b = d_bucket(parent, name->hash);
	struct dentry *found = NULL;
	struct list_head *p;

	spin_lock(&b->lock);
	list_for_each(p, &b->chain) {
		struct dentry *d = list_entry(p, struct dentry, d_hash);
		if (d->d_parent == parent && d->d_name.hash == name->hash &&
		    d->d_name.len == name->len && !memcmp(d->d_name.name, name->name, name->len)) {
			found = dget(d);
			break;
		}
	}
	spin_unlock(&b->lock);
	return found;
}

struct dentry *dget(struct dentry *d)
{
	if (d)
		__atomic_add_fetch(&d->d_count, 1, __ATOMIC_RELAXED);
	return d;
}

static bool d_should_kill(struct dentry *d)
{
	if (!(d->d_flags & DCACHE_HASHED) || !d->d_inode)
		return true;
	return d->d_op && d->d_op->d_delete && d->d_op->d_delete(d);
}

/* Free an unused, unhashed dentry; returns its parent (whose reference
 * the caller drops), or NULL for a root. */
static struct dentry *d_kill(struct dentry *d)
{
	struct dentry *parent = d->d_parent;
	struct inode *inode = d->d_inode;

	if (parent != d) {
		spin_lock(&parent->d_lock);
		list_del(&d->d_child);
		spin_unlock(&parent->d_lock);
	} else {
		parent = NULL;
	}
	if (d->d_op && d->d_op->d_release)
		d->d_op->d_release(d);
	if (inode && !inode->i_nlink)
		fsnotify_inoderemove(inode); /* the last name's dentry: IN_DELETE_SELF */
	if (inode)
		iput(inode);
	d_free_name(d);
	kfree(d);
	return parent;
}

void dput(struct dentry *d)
{
	while (d) {
		if (__atomic_sub_fetch(&d->d_count, 1, __ATOMIC_ACQ_REL) != 0)
			return;
		if (!d_should_kill(d))
			return; /* stays cached, findable by d_lookup */
		/* d_lookup revives dentries under the bucket lock: recheck there. */
		struct d_bucket *b = d_bucket(d->d_parent, d->d_name.hash);
		spin_lock(&b->lock);
		if (__atomic_load_n(&d->d_count, __ATOMIC_ACQUIRE) != 0) {
			spin_unlock(&b->lock);
			return;
		}
		if (d->d_flags & DCACHE_HASHED) {
			list_del_init(&d->d_hash);
			d->d_flags &= ~DCACHE_HASHED;
		}
		d->d_count = -1000; /* dead: any late dget is a bug */
		spin_unlock(&b->lock);
		d = d_kill(d);
	}
}

void d_pin(struct dentry *d)
{
	spin_lock(&d->d_lock);
	d->d_flags |= DCACHE_PINNED;
	spin_unlock(&d->d_lock);
	dget(d);
}

void d_unpin(struct dentry *d)
{
	spin_lock(&d->d_lock);
	bool was = d->d_flags & DCACHE_PINNED;
	d->d_flags &= ~DCACHE_PINNED;
	spin_unlock(&d->d_lock);
	if (was)
		dput(d);
}

void d_set_mounted(struct dentry *d, bool on)
{
	spin_lock(&d->d_lock);
	if (on)
		d->d_flags |= DCACHE_MOUNTED;
	else
		d->d_flags &= ~DCACHE_MOUNTED;
	spin_unlock(&d->d_lock);
}

void d_move(struct dentry *d, struct dentry *new_parent, const struct qstr *name)
{
	struct dentry *old_parent = d->d_parent;
	char *oldname = d->d_name.name != d->d_iname ? (char *)d->d_name.name : NULL;
	struct dentry tmp;

	spin_lock(&rename_lock);
	d_drop(d);
	/* New name first, so a failed allocation changes nothing. */
	tmp.d_name.name = NULL;
	bool renamed = d_set_name(&tmp, name);
	spin_lock(&old_parent->d_lock);
	list_del(&d->d_child);
	spin_unlock(&old_parent->d_lock);
	spin_lock(&new_parent->d_lock);
	d->d_seq = new_parent->d_next_seq++;
	list_add_tail(&d->d_child, &new_parent->d_subdirs);
	spin_unlock(&new_parent->d_lock);
	/* Name and parent change together under d_lock: fsnotify reads them
	 * there without the global rename_lock. */
	spin_lock(&d->d_lock);
	if (renamed) {
		if (tmp.d_name.name == tmp.d_iname) {
			memcpy(d->d_iname, tmp.d_iname, name->len + 1);
			d->d_name.name = d->d_iname;
		} else {
			d->d_name.name = tmp.d_name.name;
		}
		d->d_name.len = name->len;
		d->d_name.hash = name->hash;
	}
	d->d_parent = dget(new_parent);
	spin_unlock(&d->d_lock);
	if (renamed)
		kfree(oldname);
	__d_rehash(d);
	spin_unlock(&rename_lock);
	dput(old_parent);
}

bool simple_empty(struct dentry *dir)
{
	struct list_head *p;
	bool empty = true;

	spin_lock(&dir->d_lock);
	list_for_each(p, &dir->d_subdirs) {
		struct dentry *c = list_entry(p, struct dentry, d_child);
		if (c->d_inode && (c->d_flags & DCACHE_HASHED)) {
			empty = false;
			break;
		}
	}
	spin_unlock(&dir->d_lock);
	return empty;
}

/* Readdir over a dcache directory: positions are the children's d_seq,
 * so entries added or removed during a listing never shift the others.
 * Names are copied out under d_lock in small batches, then emitted. */
#define RD_BATCH 16
struct rd_ent {
	u64 seq, ino;
	unsigned int type;
	u32 len;
	char name[NAME_MAX + 1];
};

static int rd_fill(struct dentry *dir, u64 from, struct rd_ent *e)
{
	struct list_head *p;
	int n = 0;

	spin_lock(&dir->d_lock);
	list_for_each(p, &dir->d_subdirs) {
		struct dentry *c = list_entry(p, struct dentry, d_child);
		if (c->d_seq < from || !c->d_inode || !(c->d_flags & DCACHE_HASHED))
			continue;
		e[n].seq = c->d_seq;
		e[n].ino = c->d_inode->i_ino;
		e[n].type = mode_to_dtype(c->d_inode->i_mode);
		e[n].len = c->d_name.len;
		memcpy(e[n].name, c->d_name.name, c->d_name.len + 1);
		if (++n == RD_BATCH)
			break;
	}
	spin_unlock(&dir->d_lock);
	return n;
}

int dcache_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_dentry;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, dir->d_parent->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	struct rd_ent *e = kmalloc(sizeof(*e) * RD_BATCH);
	if (!e)
		return -ENOMEM;
	for (;;) {
		int n = rd_fill(dir, ctx->pos, e);
		for (int i = 0; i < n; i++) {
			u64 was = ctx->pos;
			ctx->pos = e[i].seq;
			if (!dir_emit(ctx, e[i].name, (int)e[i].len, e[i].ino, e[i].type)) {
				ctx->pos = was;
				goto out;
			}
			ctx->pos = e[i].seq + 1;
		}
		if (n < RD_BATCH)
			break;
	}
out:
	kfree(e);
	return 0;
}

/* Walk up from p to root, crossing mount points; the name is built
 * backwards from the end of buf. */
char *d_path(const struct path *p, const struct path *root, char *buf, int buflen)
{
	struct vfsmount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	char *end = buf + buflen;
	char *s = end;

	if (buflen < 2)
		return ERR_PTR(-ENAMETOOLONG);
	if (d->d_op && d->d_op->d_dname && IS_ROOT(d) && d != mnt->mnt_root) {
		d->d_op->d_dname(d, buf, buflen);
		return buf;
	}
	*--s = 0;
	spin_lock(&rename_lock);
	while (!(d == root->dentry && mnt == root->mnt)) {
		if (d == mnt->mnt_root || IS_ROOT(d)) {
			if (mnt->mnt_parent == mnt)
				break; /* the global root (root may be elsewhere: chroot) */
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		u32 len = d->d_name.len;
		if ((long)(s - buf) < (long)len + 2) {
			spin_unlock(&rename_lock);
			return ERR_PTR(-ENAMETOOLONG);
		}
		s -= len;
		memcpy(s, d->d_name.name, len);
		*--s = '/';
		d = d->d_parent;
	}
	spin_unlock(&rename_lock);
	if (!*s)
		*--s = '/';
	return s;
}
