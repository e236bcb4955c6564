/* fs_struct lifetime (see fs_struct.h), chdir/fchdir/chroot and umask. */
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/file.h"
#include "kernel/fs/namei.h"
#include "kernel/syscall.h"
#include "mm/slab.h"
#include "kernel/uaccess.h"
#include "proc/task.h"
#include "proc/cred.h"

struct fs_struct *fs_alloc(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->users = 1;
	spin_lock_init(&fs->lock);
	fs->umask = 022;
	init_mount_root(&fs->root);
	init_mount_root(&fs->pwd);
	return fs;
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->users = 1;
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	path_get(&fs->root);
	path_get(&fs->pwd);
	spin_unlock(&old->lock);
	return fs;
}

void exit_fs(struct task_struct *t)
{
	struct fs_struct *fs = t->fs;

	if (!fs)
		return;
	task_lock(t);
	t->fs = NULL;
	task_unlock(t);
	if (__atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL) == 0) {
		path_put(&fs->root);
		path_put(&fs->pwd);
		kfree(fs);
	}
}

void get_fs_root(struct fs_struct *fs, struct path *root)
{
	spin_lock(&fs->lock);
	*root = fs->root;
	path_get(root);
	spin_unlock(&fs->lock);
}

void get_fs_pwd(struct fs_struct *fs, struct path *pwd)
{
	spin_lock(&fs->lock);
	*pwd = fs->pwd;
	path_get(pwd);
	spin_unlock(&fs->lock);
}

static void set_fs_path(struct fs_struct *fs, struct path *slot, const struct path *p)
{
	struct path old;

	path_get(p);
	spin_lock(&fs->lock);
	old = *slot;
	*slot = *p;
	spin_unlock(&fs->lock);
	path_put(&old);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *p)
{
	set_fs_path(fs, &fs->pwd, p);
}

void set_fs_root(struct fs_struct *fs, const struct path *p)
{
	set_fs_path(fs, &fs->root, p);
}

unsigned int current_umask(void)
{
	return current->fs ? current->fs->umask : 022;
}

SYSCALL_DEFINE1(umask, unsigned int, mask)
{
	struct fs_struct *fs = current->fs;

	spin_lock(&fs->lock);
	unsigned int old = fs->umask;
	fs->umask = mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}

static int may_chdir(const struct path *p)
{
	if (!S_ISDIR(p->dentry->d_inode->i_mode))
		return -ENOTDIR;
	return inode_permission(p->dentry->d_inode, MAY_EXEC);
}

/* chdir and chroot: name must be a directory we may search. */
static int set_dir(const char __user *name, void (*set)(struct fs_struct *, const struct path *))
{
	struct path p;
	int err = user_path_at(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = may_chdir(&p);
	if (!err)
		set(current->fs, &p);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE1(chdir, const char __user *, name)
{
	return set_dir(name, set_fs_pwd);
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	struct path p = { f->f_vfsmnt, f->f_dentry };
	err = p.dentry ? may_chdir(&p) : -ENOTDIR;
	if (!err)
		set_fs_pwd(current->fs, &p);
	fput(f);
	return err;
}

SYSCALL_DEFINE1(chroot, const char __user *, name)
{
	if (!capable(CAP_SYS_CHROOT))
		return -EPERM;
	return set_dir(name, set_fs_root);
}

SYSCALL_DEFINE2(getcwd, char __user *, ubuf, unsigned long, size)
{
	struct path root, pwd;
	char *page = kmalloc(PATH_MAX);
	long err;

	if (!page)
		return -ENOMEM;
	get_fs_root(current->fs, &root);
	get_fs_pwd(current->fs, &pwd);
	char *s = d_path(&pwd, &root, page, PATH_MAX);
	if (IS_ERR(s)) {
		err = PTR_ERR(s);
	} else if (!(pwd.dentry->d_flags & DCACHE_HASHED) && !IS_ROOT(pwd.dentry)) {
		err = -ENOENT; /* the cwd was removed */
	} else {
		unsigned long len = page + PATH_MAX - s;
		err = len > size ? -ERANGE : copy_to_user(ubuf, s, len) ? -EFAULT : (long)len;
	}
	path_put(&root);
	path_put(&pwd);
	kfree(page);
	return err;
}
