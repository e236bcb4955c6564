/* devpts (Linux: fs/devpts/inode.c): a directory of the live pty slaves,
 * /dev/pts/N (char 136:N), made when /dev/ptmx opens a master and removed
 * when the master closes, plus /dev/pts/ptmx (5:2, mode 0 as Linux's
 * default ptmxmode). One instance: every mount shows the same ptys (Linux
 * before 4.7 without newinstance); mount options are not taken: slaves
 * are made as with gid=5,mode=620. */
#include "kernel/fs/devpts.h"
#include "kernel/fs/dcache.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "kernel/fs/namei.h"
#include "mm/slab.h"
#include "proc/cred.h"

#define DEVPTS_SUPER_MAGIC 0x1cd1
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
/* Slaves get what distributions mount devpts with (gid=5,mode=620): the
 * group tty may write to them (write(1), wall). glibc's grantpt (2.33 on)
 * changes nothing, so this is what programs see. */
#define TTY_GID 5
#define DEVPTS_MODE 0620

static struct super_block *devpts_sb; /* made at devpts_init */
static unsigned long pty_index_map[NR_UNIX98_PTY_MAX / 64];
static DEFINE_SPINLOCK(index_lock); /* protects pty_index_map */

bool is_devpts_sb(const struct super_block *sb)
{
	return sb && sb == devpts_sb;
}

int devpts_new_index(void)
{
	int idx = -ENOSPC;

	spin_lock(&index_lock);
	for (int i = 0; i < NR_UNIX98_PTY_MAX; i++) {
		if (!(pty_index_map[i / 64] & (1UL << (i % 64)))) {
			pty_index_map[i / 64] |= 1UL << (i % 64);
			idx = i;
			break;
		}
	}
	spin_unlock(&index_lock);
	return idx;
}

void devpts_kill_index(int idx)
{
	spin_lock(&index_lock);
	pty_index_map[idx / 64] &= ~(1UL << (idx % 64));
	spin_unlock(&index_lock);
}

/* chown/chmod of a slave (glibc's grantpt gives it to group tty). */
static int devpts_setattr(struct dentry *d, struct iattr *a)
{
	if (a->ia_valid & ATTR_SIZE)
		return -EINVAL;
	setattr_copy(d->d_inode, a);
	return 0;
}

static const struct inode_operations devpts_node_iops = {
	.setattr = devpts_setattr,
};

/* What is not in the dcache does not exist (as ramfs). */
static struct dentry *devpts_lookup(struct inode *dir, struct dentry *d)
{
	(void)dir;
	d_add(d, NULL);
	return NULL;
}

static const struct inode_operations devpts_dir_iops = {
	.lookup = devpts_lookup,
	.setattr = devpts_setattr,
};

/* A device node in the root: the caller owns the returned reference. */
static struct dentry *devpts_node(const char *name, u32 mode, u32 rdev, u32 uid, u32 gid)
{
	struct dentry *root = devpts_sb->s_root;
	struct inode *dir = root->d_inode;
	struct qstr q = { name, (u32)strlen(name), full_name_hash(name, (u32)strlen(name)) };
	struct inode *inode = new_inode(devpts_sb);
	struct dentry *d;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	init_special_inode(inode, mode, rdev);
	inode->i_mode = mode;
	inode->i_uid = uid;
	inode->i_gid = gid;
	inode->i_op = &devpts_node_iops;
	mutex_lock(&dir->i_rwsem);
	d = lookup_one_for_change(root, &q);
	if (!IS_ERR(d) && d->d_inode) {
		dput(d);
		d = ERR_PTR(-EEXIST);
	}
	if (IS_ERR(d)) {
		mutex_unlock(&dir->i_rwsem);
		iput(inode);
		return d;
	}
	d_instantiate(d, inode);
	d_pin(d);
	mutex_unlock(&dir->i_rwsem);
	return d;
}

struct dentry *devpts_pty_new(int idx)
{
	char name[12];

	if (!devpts_sb)
		return ERR_PTR(-ENODEV);
	snprintf(name, sizeof(name), "%d", idx);
	return devpts_node(name, S_IFCHR | DEVPTS_MODE, MKDEV(UNIX98_PTY_SLAVE_MAJOR, idx),
			   current_fsuid(), TTY_GID);
}

void devpts_pty_kill(struct dentry *d)
{
	struct inode *dir = devpts_sb->s_root->d_inode;

	mutex_lock(&dir->i_rwsem);
	inode_dec_link_count(d->d_inode);
	d_unpin(d);
	d_delete(d);
	mutex_unlock(&dir->i_rwsem);
	dput(d);
}

static int devpts_get_sb(struct file_system_type *t, unsigned long flags, const char *dev,
			 void *data, struct super_block **out)
{
	(void)t, (void)flags, (void)dev, (void)data;
	__atomic_add_fetch(&devpts_sb->s_active, 1, __ATOMIC_RELAXED);
	*out = devpts_sb;
	return 0;
}

static void devpts_kill_sb(struct super_block *sb)
{
	(void)sb; /* the one instance stays: open ptys live in it */
}

static const struct super_operations devpts_sops;

static struct file_system_type devpts_fs_type = {
	.name = "devpts", .get_sb = devpts_get_sb, .kill_sb = devpts_kill_sb, .nodev = true,
};

void devpts_init(void)
{
	struct super_block *sb = alloc_super(&devpts_fs_type, &devpts_sops, DEVPTS_SUPER_MAGIC);
	struct inode *root = sb ? new_inode(sb) : NULL;

	if (!root)
		return;
	root->i_mode = S_IFDIR | 0755;
	root->i_op = &devpts_dir_iops;
	root->i_fop = &simple_dir_operations;
	root->i_nlink = 2;
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return;
	sb->s_active = 1; /* never unmade */
	devpts_sb = sb;
	struct dentry *ptmx = devpts_node("ptmx", S_IFCHR, MKDEV(PTMX_MAJOR, PTMX_MINOR), 0, 0);
	if (!IS_ERR(ptmx))
		dput(ptmx); /* the pin keeps it */
	register_filesystem(&devpts_fs_type);
}
