/* The mount tree (Linux: fs/namespace.c): vfsmounts attach file systems
 * at dentries (DCACHE_MOUNTED marks them for the path walk), reference
 * counts keep busy mounts from going, and mount(2)/umount2(2). */
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/task.h"
#include "proc/cred.h"

static LIST_HEAD(mount_list);
static DEFINE_SPINLOCK(mount_lock); /* protects mount_list and the tree links */
static struct vfsmount *root_mnt;

struct vfsmount *mntget(struct vfsmount *m)
{
	if (m)
		__atomic_add_fetch(&m->mnt_count, 1, __ATOMIC_RELAXED);
	return m;
}

void mntput(struct vfsmount *m)
{
	if (!m || __atomic_sub_fetch(&m->mnt_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Only unmounted mounts reach 0: the tree holds a reference. */
	dput(m->mnt_root);
	deactivate_super(m->mnt_sb);
	kfree(m);
}

void path_get(const struct path *p)
{
	mntget(p->mnt);
	dget(p->dentry);
}

void path_put(const struct path *p)
{
	dput(p->dentry);
	mntput(p->mnt);
}

struct vfsmount *lookup_mnt(struct vfsmount *mnt, struct dentry *dentry)
{
	struct vfsmount *found = NULL;
	struct list_head *p;

	spin_lock(&mount_lock);
	list_for_each(p, &mount_list) {
		struct vfsmount *m = list_entry(p, struct vfsmount, mnt_list);
		if (m->mnt_parent == mnt && m->mnt_mountpoint == dentry && m != mnt)
			found = m; /* the last one mounted there is on top */
	}
	mntget(found);
	spin_unlock(&mount_lock);
	return found;
}

static struct vfsmount *alloc_vfsmnt(struct super_block *sb, struct dentry *root, const char *dev)
{
	struct vfsmount *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->mnt_sb = sb;
	m->mnt_root = dget(root);
	m->mnt_count = 1; /* the tree's */
	strlcpy(m->mnt_devname, dev && *dev ? dev : "none", sizeof(m->mnt_devname));
	INIT_LIST_HEAD(&m->mnt_list);
	return m;
}

static void attach_mnt(struct vfsmount *m, const struct path *where)
{
	m->mnt_parent = mntget(where->mnt);
	m->mnt_mountpoint = dget(where->dentry);
	spin_lock(&mount_lock);
	list_add_tail(&m->mnt_list, &mount_list);
	spin_unlock(&mount_lock);
	d_set_mounted(where->dentry, true);
}

static int new_mount(const char *dev, const struct path *where, const char *type,
		     unsigned long flags, void *data)
{
	struct file_system_type *t = get_fs_type(type);
	struct super_block *sb;
	int err;

	if (!t)
		return -ENODEV;
	err = t->get_sb(t, flags, dev, data, &sb);
	if (err)
		return err;
	struct vfsmount *m = alloc_vfsmnt(sb, sb->s_root, dev);
	if (!m) {
		deactivate_super(sb);
		return -ENOMEM;
	}
	m->mnt_flags = (int)(flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME));
	attach_mnt(m, where);
	return 0;
}

/* mount --bind: the subtree at from appears at where too. */
static int bind_mount(const char *from, const struct path *where)
{
	struct path src;
	int err = kern_path(from, LOOKUP_FOLLOW, &src);

	if (err)
		return err;
	__atomic_add_fetch(&src.mnt->mnt_sb->s_active, 1, __ATOMIC_RELAXED);
	struct vfsmount *m = alloc_vfsmnt(src.mnt->mnt_sb, src.dentry, src.mnt->mnt_devname);
	if (m)
		attach_mnt(m, where);
	else
		deactivate_super(src.mnt->mnt_sb);
	path_put(&src);
	return m ? 0 : -ENOMEM;
}

int do_mount(const char *dev, const struct path *where, const char *type,
	     unsigned long flags, void *data)
{
	if (!S_ISDIR(where->dentry->d_inode->i_mode))
		return -ENOTDIR;
	if (flags & MS_REMOUNT) {
		if (where->dentry != where->mnt->mnt_root)
			return -EINVAL;
		spin_lock(&mount_lock);
		where->mnt->mnt_flags = (where->mnt->mnt_flags & ~MS_RDONLY) | (int)(flags & MS_RDONLY);
		spin_unlock(&mount_lock);
		return 0;
	}
	if (flags & MS_BIND)
		return dev ? bind_mount(dev, where) : -EINVAL;
	if (flags & MS_MOVE)
		return -EINVAL;
	if (!type)
		return -EINVAL;
	return new_mount(dev, where, type, flags, data);
}

static bool has_children(struct vfsmount *mnt)
{
	struct list_head *p;

	list_for_each(p, &mount_list) {
		struct vfsmount *m = list_entry(p, struct vfsmount, mnt_list);
		if (m->mnt_parent == mnt && m != mnt)
			return true;
	}
	return false;
}

static bool still_mounted_on(struct vfsmount *parent, struct dentry *d)
{
	struct list_head *p;

	list_for_each(p, &mount_list) {
		struct vfsmount *m = list_entry(p, struct vfsmount, mnt_list);
		if (m->mnt_parent == parent && m->mnt_mountpoint == d)
			return true;
	}
	return false;
}

/* Called with a path reference on mnt's root (ours: count >= 2). */
static int do_umount(struct vfsmount *mnt, int flags)
{
	if (mnt == root_mnt)
		return -EBUSY;
	spin_lock(&mount_lock);
	if (!(flags & MNT_DETACH) &&
	    (has_children(mnt) || __atomic_load_n(&mnt->mnt_count, __ATOMIC_ACQUIRE) > 2)) {
		spin_unlock(&mount_lock);
		return -EBUSY;
	}
	if (has_children(mnt)) { /* lazy unmount keeps it simple: not of a tree */
		spin_unlock(&mount_lock);
		return -EBUSY;
	}
	list_del_init(&mnt->mnt_list);
	struct vfsmount *parent = mnt->mnt_parent;
	struct dentry *mp = mnt->mnt_mountpoint;
	if (!still_mounted_on(parent, mp))
		d_set_mounted(mp, false);
	spin_unlock(&mount_lock);
	dput(mp);
	mntput(parent);
	mntput(mnt); /* the tree's reference */
	return 0;
}

static char *copy_mount_string(const char __user *s, long max, int *err)
{
	char *k;
	long n;

	*err = 0;
	if (!s)
		return NULL;
	k = kmalloc((size_t)max);
	if (!k) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(k, s, max);
	if (n < 0 || n == max) {
		*err = n < 0 ? (int)n : -ENAMETOOLONG;
		kfree(k);
		return NULL;
	}
	return k;
}

SYSCALL_DEFINE5(mount, const char __user *, udev, const char __user *, udir,
		const char __user *, utype, unsigned long, flags, void __user *, data)
{
	struct path where;
	int err, e1, e2;
	char *dev = copy_mount_string(udev, PATH_MAX, &e1);
	char *type = copy_mount_string(utype, 64, &e2);

	(void)data;
	err = e1 ? e1 : e2;
	if (!err && !capable(CAP_SYS_ADMIN))
		err = -EPERM;
	if (!err)
		err = user_path_at(AT_FDCWD, udir, LOOKUP_FOLLOW, &where);
	if (!err) {
		err = do_mount(dev, &where, type, flags, NULL);
		path_put(&where);
	}
	kfree(dev);
	kfree(type);
	return err;
}

SYSCALL_DEFINE2(umount2, const char __user *, name, int, flags)
{
	struct path p;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = user_path_at(AT_FDCWD, name, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = p.dentry != p.mnt->mnt_root ? -EINVAL : do_umount(p.mnt, flags);
	path_put(&p);
	return err;
}

struct vfsmount *kern_mount_sb(struct super_block *sb, const char *name)
{
	struct vfsmount *m = alloc_vfsmnt(sb, sb->s_root, name);

	if (m) {
		m->mnt_parent = m;
		m->mnt_mountpoint = dget(sb->s_root);
	}
	return m;
}

void init_mount_root(struct path *root)
{
	root->mnt = mntget(root_mnt);
	root->dentry = dget(root_mnt->mnt_root);
}

void mnt_init(void)
{
	struct file_system_type *t = get_fs_type("rootfs");
	struct super_block *sb;

	if (!t || t->get_sb(t, 0, "rootfs", NULL, &sb))
		panic("VFS: cannot make the root file system");
	root_mnt = alloc_vfsmnt(sb, sb->s_root, "rootfs");
	if (!root_mnt)
		panic("VFS: out of memory for the root mount");
	root_mnt->mnt_parent = root_mnt;
	root_mnt->mnt_mountpoint = dget(sb->s_root);
	list_add_tail(&root_mnt->mnt_list, &mount_list);
}

size_t mounts_show(char *buf, size_t n)
{
	struct path root = { root_mnt, root_mnt->mnt_root };
	char *tmp = kmalloc(PATH_MAX);
	size_t len = 0;
	struct list_head *p;

	if (!tmp)
		return 0;
	spin_lock(&mount_lock);
	list_for_each(p, &mount_list) {
		struct vfsmount *m = list_entry(p, struct vfsmount, mnt_list);
		struct path at = { m, m->mnt_root };
		char *s = d_path(&at, &root, tmp, PATH_MAX);
		if (IS_ERR(s))
			continue;
		len += snprintf(buf + MIN(len, n), n - MIN(len, n), "%s %s %s %s 0 0\n",
				m->mnt_devname, s, m->mnt_sb->s_type->name,
				(m->mnt_flags & MS_RDONLY) ? "ro" : "rw");
	}
	spin_unlock(&mount_lock);
	kfree(tmp);
	return len;
}
