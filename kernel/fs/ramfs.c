/* ramfs and tmpfs (Linux: fs/ramfs/inode.c, the memory-only side of
 * mm/shmem.c): directories are nothing but pinned dentries, and a file's
 * contents are nothing but its page cache, so read(), write() and
 * MAP_SHARED mappings all see the same pages. Files unpacked from the
 * initramfs start out backed by the archive (i_backing) and are copied
 * into the page cache a page at a time as they are used. The root file
 * system ("rootfs"), /tmp ("tmpfs") and /dev ("devtmpfs") are instances. */
#include "kernel/fs/ramfs.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "mm/filemap.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

static const struct inode_operations ramfs_dir_inode_operations;
static const struct inode_operations ramfs_file_inode_operations;
static const struct inode_operations ramfs_symlink_inode_operations;

const struct file_operations ramfs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = generic_file_read_iter,
	.write_iter = generic_file_write_iter,
	.mmap = generic_file_mmap,
};

struct inode *ramfs_get_inode(struct super_block *sb, u32 mode, u32 dev)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ramfs_file_inode_operations;
		inode->i_fop = &ramfs_file_operations;
		break;
	case S_IFDIR:
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inode->i_nlink = 2; /* "." and its name */
		break;
	case S_IFLNK:
		inode->i_op = &ramfs_symlink_inode_operations;
		break;
	default:
		inode->i_op = &ramfs_file_inode_operations; /* setattr only */
		init_special_inode(inode, mode, dev);
		break;
	}
	return inode;
}

static void dir_touch(struct inode *dir)
{
	spin_lock(&dir->i_lock);
	dir->i_mtime = dir->i_ctime = current_time();
	spin_unlock(&dir->i_lock);
}

/* A dcache-only directory: what is not cached does not exist. */
static struct dentry *ramfs_lookup(struct inode *dir, struct dentry *d)
{
	(void)dir;
	if (d->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(d, NULL);
	return NULL;
}

/* Link the new inode under its name; the tree's pin keeps both alive. */
static void ramfs_instantiate(struct inode *dir, struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	d_pin(d);
	dir_touch(dir);
}

static int ramfs_mknod(struct inode *dir, struct dentry *d, u32 mode, u32 dev)
{
	struct inode *inode = ramfs_get_inode(dir->i_sb, mode, dev);

	if (!inode)
		return -ENOSPC;
	inode_init_owner(inode, dir, mode);
	ramfs_instantiate(dir, d, inode);
	return 0;
}

static int ramfs_create(struct inode *dir, struct dentry *d, u32 mode)
{
	return ramfs_mknod(dir, d, (mode & ~S_IFMT) | S_IFREG, 0);
}

static int ramfs_mkdir(struct inode *dir, struct dentry *d, u32 mode)
{
	int err = ramfs_mknod(dir, d, (mode & ~S_IFMT) | S_IFDIR, 0);

	if (!err)
		inode_inc_link_count(dir); /* the child's ".." */
	return err;
}

static int ramfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	size_t len = strlen(target);
	struct inode *inode;

	if (len >= PAGE_SIZE)
		return -ENAMETOOLONG;
	inode = ramfs_get_inode(dir->i_sb, S_IFLNK | 0777, 0);
	if (!inode)
		return -ENOSPC;
	inode_init_owner(inode, dir, S_IFLNK | 0777);
	inode->i_link = kmalloc(len + 1);
	if (!inode->i_link) {
		iput(inode);
		return -ENOSPC;
	}
	memcpy(inode->i_link, target, len + 1);
	inode->i_size = len;
	ramfs_instantiate(dir, d, inode);
	return 0;
}

static int ramfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;

	inode_inc_link_count(inode);
	ramfs_instantiate(dir, d, ihold(inode));
	return 0;
}

static int ramfs_unlink(struct inode *dir, struct dentry *d)
{
	inode_dec_link_count(d->d_inode);
	dir_touch(dir);
	d_unpin(d); /* the caller's reference keeps d until it is done */
	return 0;
}

static int ramfs_rmdir(struct inode *dir, struct dentry *d)
{
	if (!simple_empty(d))
		return -ENOTEMPTY;
	inode_dec_link_count(d->d_inode); /* "." */
	inode_dec_link_count(dir);        /* its ".." */
	return ramfs_unlink(dir, d);
}

#define RENAME_EXCHANGE 2

static int ramfs_rename(struct inode *odir, struct dentry *old, struct inode *ndir,
			struct dentry *new, unsigned int flags)
{
	bool old_is_dir = S_ISDIR(old->d_inode->i_mode);

	if (flags & RENAME_EXCHANGE) {
		bool new_is_dir = S_ISDIR(new->d_inode->i_mode);
		if (odir != ndir && old_is_dir != new_is_dir) {
			/* The directory among the two changes parents. */
			if (old_is_dir) {
				inode_dec_link_count(odir);
				inode_inc_link_count(ndir);
			} else {
				inode_dec_link_count(ndir);
				inode_inc_link_count(odir);
			}
		}
	} else {
		if (new->d_inode) {
			if (S_ISDIR(new->d_inode->i_mode)) {
				if (!simple_empty(new))
					return -ENOTEMPTY;
				inode_dec_link_count(new->d_inode);
				inode_dec_link_count(ndir);
			}
			inode_dec_link_count(new->d_inode);
			d_unpin(new);
		}
		if (old_is_dir && odir != ndir) {
			inode_dec_link_count(odir);
			inode_inc_link_count(ndir);
		}
	}
	dir_touch(odir);
	dir_touch(ndir);
	inode_set_ctime_now(old->d_inode);
	return 0;
}

/* Shrinking drops the page cache past the end (and the archive bytes). */
static int ramfs_truncate(struct inode *inode, u64 size)
{
	spin_lock(&inode->i_lock);
	u64 old = inode->i_size;
	inode->i_size = size;
	if (inode->i_backing_size > size)
		inode->i_backing_size = size;
	spin_unlock(&inode->i_lock);
	if (size < old)
		truncate_inode_pages(inode, size);
	return 0;
}

int ramfs_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->d_inode;

	if (a->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return -EINVAL;
		int err = ramfs_truncate(inode, a->ia_size);
		if (err)
			return err;
	}
	setattr_copy(inode, a);
	return 0;
}

/* Blocks are the memory a file really uses: its cached pages (holes use
 * none), or the archive's bytes it still shows, whichever is more. */
int ramfs_getattr(struct dentry *d, struct kstat *st)
{
	struct inode *inode = d->d_inode;
	u64 pages = inode->i_mapping ? inode->i_mapping->nrpages : 0;
	u64 backed = (inode->i_backing_size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	generic_fillattr(inode, st);
	if (S_ISREG(inode->i_mode))
		st->st_blocks = (s64)(MAX(pages, backed) * (PAGE_SIZE / 512));
	return 0;
}

static const char *ramfs_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	(void)d, (void)tofree;
	return inode->i_link;
}

static const struct inode_operations ramfs_dir_inode_operations = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.mknod = ramfs_mknod,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.setattr = ramfs_setattr,
};

static const struct inode_operations ramfs_file_inode_operations = {
	.setattr = ramfs_setattr,
	.getattr = ramfs_getattr,
};

static const struct inode_operations ramfs_symlink_inode_operations = {
	.get_link = ramfs_get_link,
	.setattr = ramfs_setattr,
};

/* Memory file systems have all of free memory as their free space. */
static int ramfs_statfs(struct super_block *sb, struct kstatfs *buf)
{
	(void)sb;
	buf->f_blocks = nr_total_pages();
	buf->f_bfree = buf->f_bavail = nr_free_pages();
	buf->f_files = buf->f_blocks;
	buf->f_ffree = buf->f_bfree;
	return 0;
}

static const struct super_operations ramfs_sops = {
	.statfs = ramfs_statfs,
};

/* Drop the tree's pins, deepest first, so every dentry and inode goes. */
static void ramfs_kill_tree(struct dentry *dir)
{
	for (;;) {
		struct dentry *victim = NULL;
		struct list_head *p;
		spin_lock(&dir->d_lock);
		list_for_each(p, &dir->d_subdirs) {
			struct dentry *c = list_entry(p, struct dentry, d_child);
			if (c->d_flags & DCACHE_PINNED) {
				victim = dget(c);
				break;
			}
		}
		spin_unlock(&dir->d_lock);
		if (!victim)
			return;
		ramfs_kill_tree(victim);
		d_unpin(victim);
		dput(victim);
	}
}

static void ramfs_kill_sb(struct super_block *sb)
{
	ramfs_kill_tree(sb->s_root);
	dput(sb->s_root);
	kfree(sb);
}

static int ramfs_fill_super(struct file_system_type *t, u64 magic, u32 root_mode,
			    struct super_block **out)
{
	struct super_block *sb = alloc_super(t, &ramfs_sops, magic);

	if (!sb)
		return -ENOMEM;
	sb->s_root = d_make_root(ramfs_get_inode(sb, S_IFDIR | root_mode, 0));
	if (!sb->s_root) {
		kfree(sb);
		return -ENOMEM;
	}
	*out = sb;
	return 0;
}

static int ramfs_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
			void *data, struct super_block **out)
{
	(void)flags, (void)dev, (void)data;
	return ramfs_fill_super(t, RAMFS_MAGIC, 0755, out);
}

static int tmpfs_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
			void *data, struct super_block **out)
{
	(void)flags, (void)dev, (void)data;
	return ramfs_fill_super(t, TMPFS_MAGIC, 01777, out);
}

/* devtmpfs: one instance, made at boot and filled with the device nodes;
 * every mount of it shows that same tree (as in Linux). */
static struct super_block *devtmpfs_sb;

static int devtmpfs_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
			   void *data, struct super_block **out)
{
	(void)flags, (void)dev, (void)data;
	if (!devtmpfs_sb) {
		int err = ramfs_fill_super(t, TMPFS_MAGIC, 0755, &devtmpfs_sb);
		if (err)
			return err;
	}
	__atomic_add_fetch(&devtmpfs_sb->s_active, 1, __ATOMIC_RELAXED);
	*out = devtmpfs_sb;
	return 0;
}

static struct file_system_type ramfs_fs_type = {
	.name = "ramfs", .get_sb = ramfs_get_sb, .kill_sb = ramfs_kill_sb, .nodev = true,
};
static struct file_system_type rootfs_fs_type = {
	.name = "rootfs", .get_sb = ramfs_get_sb, .kill_sb = ramfs_kill_sb, .nodev = true,
};
static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs", .get_sb = tmpfs_get_sb, .kill_sb = ramfs_kill_sb, .nodev = true,
};
static struct file_system_type devtmpfs_fs_type = {
	.name = "devtmpfs", .get_sb = devtmpfs_get_sb, .kill_sb = ramfs_kill_sb, .nodev = true,
};

void ramfs_init(void)
{
	register_filesystem(&rootfs_fs_type);
	register_filesystem(&ramfs_fs_type);
	register_filesystem(&tmpfs_fs_type);
	register_filesystem(&devtmpfs_fs_type);
}

struct super_block *devtmpfs_super(void)
{
	struct super_block *sb = NULL;

	if (devtmpfs_get_sb(&devtmpfs_fs_type, 0, NULL, NULL, &sb))
		return NULL;
	return sb; /* a reference the caller keeps (the kernel's own) */
}

int ramfs_set_backing(struct inode *inode, const u8 *data, u64 size)
{
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	truncate_inode_pages(inode, 0);
	spin_lock(&inode->i_lock);
	inode->i_backing = data;
	inode->i_backing_size = size;
	inode->i_size = size;
	spin_unlock(&inode->i_lock);
	return 0;
}
