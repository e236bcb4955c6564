/* Anonymous inode files (Linux: fs/anon_inodes.c). Every eventfd, epoll,
 * timerfd and signalfd file points at the one inode of an internal
 * "anon_inodefs" mount, through a dentry of its own that carries the
 * "[eventfd]"-like name /proc/<pid>/fd shows as "anon_inode:[eventfd]". */
#include "kernel/fs/anon_inodes.h"
#include "kernel/fs/file.h"
#include "kernel/fs/mount.h"
#include "kernel/printk.h"
#include "mm/slab.h"

#define ANON_INODE_FS_MAGIC 0x09041934

static struct vfsmount *anon_inode_mnt;
static struct inode *anon_inode_inode;
static DEFINE_MUTEX(anon_inode_mutex); /* protects making the two above */

static void anon_inodefs_dname(struct dentry *d, char *buf, int buflen)
{
	snprintf(buf, (size_t)buflen, "anon_inode:%s", (const char *)d->d_fsdata);
}

static const struct dentry_operations anon_inodefs_dentry_operations = {
	.d_dname = anon_inodefs_dname,
};

/* The mount and the shared inode, made on first use. The inode has no
 * file type bits, only 0600, as in Linux (fstat shows st_mode 0600). */
static bool anon_inodefs_init(void)
{
	static struct file_system_type anon_inodefs = { .name = "anon_inodefs", .nodev = true };

	if (__atomic_load_n(&anon_inode_mnt, __ATOMIC_ACQUIRE))
		return true;
	mutex_lock(&anon_inode_mutex);
	if (!anon_inode_mnt) {
		struct super_block *sb = alloc_super(&anon_inodefs, NULL, ANON_INODE_FS_MAGIC);
		struct inode *root = sb ? new_inode(sb) : NULL;
		struct inode *inode = root ? new_inode(sb) : NULL;
		if (inode) {
			root->i_mode = S_IFDIR | 0500;
			inode->i_mode = S_IRUSR | S_IWUSR;
			sb->s_root = d_make_root(root);
		}
		struct vfsmount *m = inode && sb->s_root ? kern_mount_sb(sb, "anon_inodefs") : NULL;
		if (m) {
			anon_inode_inode = inode;
			__atomic_store_n(&anon_inode_mnt, m, __ATOMIC_RELEASE);
		} /* (else a little memory is lost: it fails only when memory is gone) */
	}
	mutex_unlock(&anon_inode_mutex);
	return anon_inode_mnt != NULL;
}

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, unsigned int flags)
{
	if (!anon_inodefs_init())
		return ERR_PTR(-ENOMEM);
	struct file *f = alloc_empty_file(flags & (O_ACCMODE | O_NONBLOCK));
	if (!f)
		return ERR_PTR(-ENFILE);
	struct dentry *d = d_alloc_pseudo(ihold(anon_inode_inode), &anon_inodefs_dentry_operations);
	if (!d) {
		iput(anon_inode_inode);
		kfree(f);
		return ERR_PTR(-ENOMEM);
	}
	d->d_fsdata = (void *)name;
	f->f_vfsmnt = mntget(anon_inode_mnt);
	f->f_dentry = d;
	f->f_inode = anon_inode_inode;
	f->f_op = fops;
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	f->private_data = priv;
	return f;
}

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     unsigned int flags)
{
	int fd = get_unused_fd_flags(flags);

	if (fd < 0)
		return fd;
	struct file *f = anon_inode_getfile(name, fops, priv, flags);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return (int)PTR_ERR(f);
	}
	fd_install_at(fd, f);
	return fd;
}
