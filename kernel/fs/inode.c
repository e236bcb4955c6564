/* Inodes: allocation, reference counting, attributes and the permission
 * check. An inode lives while a dentry, an open file or a mapping holds
 * it; the last iput frees it together with its page cache. */
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/fs.h"
#include "proc/cred.h"
#include "kernel/fs/file.h"
#include "kernel/fs/locks.h"
#include "kernel/fs/mount.h"
#include "kernel/printk.h"
#include "kernel/timekeeping.h"
#include "kernel/string.h"
#include "mm/filemap.h"
#include "mm/slab.h"

struct timespec64 current_time(void)
{
	u64 ns = ktime_get_real_ns();
	struct timespec64 t = { (s64)(ns / 1000000000), (long)(ns % 1000000000) };
	return t;
}

struct percpu_counter nr_inodes;

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	percpu_counter_add(&nr_inodes, 1);
	inode->i_sb = sb;
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_ino = __atomic_add_fetch(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
	spin_lock_init(&inode->i_lock);
	mutex_init(&inode->i_rwsem);
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
	return inode;
}

/* pipefs: the super block and internal mount pipes' inodes and dentries
 * belong to (never in the mount tree). Made on first use. */
static struct vfsmount *pipefs_mnt;

static void pipefs_dname(struct dentry *d, char *buf, int buflen)
{
	snprintf(buf, (size_t)buflen, "pipe:[%lu]", (unsigned long)d->d_inode->i_ino);
}

static const struct dentry_operations pipefs_dentry_operations = {
	.d_dname = pipefs_dname,
};

static DEFINE_SPINLOCK(pseudo_mount_lock); /* protects publishing a pseudo fs's mount */

bool kern_mount_pseudo_once(struct vfsmount **mntp, struct file_system_type *t, u64 magic)
{
	if (__atomic_load_n(mntp, __ATOMIC_ACQUIRE))
		return true;
	struct super_block *sb = alloc_super(t, NULL, magic);
	struct inode *root = sb ? new_inode(sb) : NULL;
	if (root)
		root->i_mode = S_IFDIR | 0500;
	if (sb)
		sb->s_root = d_make_root(root);
	struct vfsmount *m = sb && sb->s_root ? kern_mount_sb(sb, t->name) : NULL;
	if (!m)
		return false; /* (a little memory lost when this fails: at boot only) */
	spin_lock(&pseudo_mount_lock);
	if (!*mntp)
		__atomic_store_n(mntp, m, __ATOMIC_RELEASE);
	spin_unlock(&pseudo_mount_lock);
	return true;
}

static bool pipefs_init(void)
{
	static struct file_system_type pipefs = { .name = "pipefs", .nodev = true };

	return kern_mount_pseudo_once(&pipefs_mnt, &pipefs, 0x50495045);
}

struct inode *new_inode_pseudo(void)
{
	return pipefs_init() ? new_inode(pipefs_mnt->mnt_sb) : NULL;
}

/* A path for a pseudo file's inode (takes the inode reference); its
 * dentry's d_dname names it ("pipe:[ino]" without ops of its own). */
int pseudo_path(struct inode *inode, const struct dentry_operations *ops, struct path *out)
{
	if (!pipefs_init())
		return -ENOMEM;
	out->dentry = d_alloc_pseudo(inode, ops ? ops : &pipefs_dentry_operations);
	if (!out->dentry)
		return -ENOMEM;
	out->mnt = mntget(pipefs_mnt);
	return 0;
}

struct inode *ihold(struct inode *inode)
{
	__atomic_add_fetch(&inode->i_count, 1, __ATOMIC_RELAXED);
	return inode;
}

/* Inodes are only found through dentries here, so the last reference
 * always frees: a linked ramfs inode is kept by its pinned dentry. */
void iput(struct inode *inode)
{
	if (!inode || __atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (inode->i_sb && inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	release_mapping(inode); /* no VMA is left: each would hold a file reference */
	locks_free_lock_context(inode);
	fsnotify_inode_free(inode);
	kfree(inode->i_link);
	kfree(inode);
	percpu_counter_add(&nr_inodes, -1);
}

void inode_set_ctime_now(struct inode *inode)
{
	inode->i_ctime = current_time();
}

void inode_inc_link_count(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	inode->i_nlink++;
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
}

void inode_dec_link_count(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	if (inode->i_nlink)
		inode->i_nlink--;
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
}

/* Unix permission bits against the fsuid/fsgid (Linux: generic_permission):
 * the owner's bits, else the group's (fsgid or a supplementary group),
 * else the others'. Then the capabilities that override them: read and
 * search of anything with CAP_DAC_READ_SEARCH, read and write of
 * anything with CAP_DAC_OVERRIDE, but execution only of a directory or a
 * file with at least one x bit. */
int inode_permission(struct inode *inode, int mask)
{
	spin_lock(&inode->i_lock);
	u32 imode = inode->i_mode, uid = inode->i_uid, gid = inode->i_gid;
	spin_unlock(&inode->i_lock);
	u32 mode = imode;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (uid == current_fsuid())
		mode >>= 6;
	else if (in_group_p(gid))
		mode >>= 3;
	if (!(mask & ~mode & 7))
		return 0;
	if (S_ISDIR(imode)) {
		if (!(mask & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
			return 0;
		return capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (imode & S_IXUGO)) && capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/* A new inode's owner (Linux: inode_init_owner): the creator's fsuid, and
 * its fsgid unless dir is set-group-ID: then dir's group, passed on to
 * subdirectories; a file keeps S_ISGID only if its creator is in that
 * group (or has CAP_FSETID). */
void inode_init_owner(struct inode *inode, const struct inode *dir, u32 mode)
{
	inode->i_uid = current_fsuid();
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && S_ISREG(mode) &&
			 !in_group_p(inode->i_gid) && !capable(CAP_FSETID))
			mode &= ~S_ISGID;
	} else {
		inode->i_gid = current_fsgid();
	}
	inode->i_mode = mode;
}

void setattr_copy(struct inode *inode, const struct iattr *a)
{
	spin_lock(&inode->i_lock);
	if (a->ia_valid & ATTR_UID)
		inode->i_uid = a->ia_uid;
	if (a->ia_valid & ATTR_GID)
		inode->i_gid = a->ia_gid;
	if (a->ia_valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (a->ia_mode & S_IALLUGO);
	if (a->ia_valid & ATTR_ATIME)
		inode->i_atime = a->ia_atime;
	if (a->ia_valid & ATTR_MTIME)
		inode->i_mtime = a->ia_mtime;
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
}

void generic_fillattr(struct inode *i, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	spin_lock(&i->i_lock);
	st->st_dev = i->i_sb ? i->i_sb->s_dev : 0;
	st->st_ino = i->i_ino;
	st->st_mode = i->i_mode;
	st->st_nlink = i->i_nlink;
	st->st_uid = i->i_uid;
	st->st_gid = i->i_gid;
	/* user space sees dev_t as glibc's: major bits 8-19, minor 0-7 and 20-31 */
	st->st_rdev = ((u64)MAJOR(i->i_rdev) << 8) | (MINOR(i->i_rdev) & 0xff) |
		      ((u64)(MINOR(i->i_rdev) & ~0xffu) << 12);
	st->st_size = (s64)i->i_size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (s64)((i->i_size + 511) / 512);
	st->st_atime_sec = i->i_atime.tv_sec;
	st->st_atime_nsec = i->i_atime.tv_nsec;
	st->st_mtime_sec = i->i_mtime.tv_sec;
	st->st_mtime_nsec = i->i_mtime.tv_nsec;
	st->st_ctime_sec = i->i_ctime.tv_sec;
	st->st_ctime_nsec = i->i_ctime.tv_nsec;
	spin_unlock(&i->i_lock);
}

void init_special_inode(struct inode *inode, u32 mode, u32 rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	} else if (S_ISFIFO(mode)) {
		inode->i_fop = &pipefifo_fops;
	} else if (S_ISBLK(mode)) {
		inode->i_rdev = rdev; /* no block drivers: open gives -ENXIO */
		inode->i_fop = &bad_sock_fops;
	} else if (S_ISSOCK(mode)) {
		inode->i_fop = &bad_sock_fops;
	} else {
		pr_warn("init_special_inode: bogus mode %o\n", mode);
	}
}

static int no_open(struct inode *inode, struct file *f)
{
	(void)inode, (void)f;
	return -ENXIO;
}

/* Sockets and block devices have no drivers yet. */
const struct file_operations bad_sock_fops = {
	.open = no_open,
};
