/* Calls that change the name space, on top of the walk in namei.c:
 * mkdirat, mknodat, unlinkat, symlinkat, linkat, renameat2, readlinkat,
 * each with Linux's checks and errors (Linux: the second half of
 * fs/namei.c). The parent directory's i_rwsem is held around the change. */
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/cred.h"

/* Serializes renames, so a directory cannot be moved under itself by two
 * renames racing (Linux: s_vfs_rename_mutex). */
static DEFINE_MUTEX(rename_mutex);

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4

static int may_write_mnt(const struct path *p)
{
	return (p->mnt->mnt_flags & MS_RDONLY) ? -EROFS : 0;
}

/* Adding a name needs write and search permission on the directory. */
static int may_create(struct inode *dir)
{
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* In a sticky directory (/tmp) only the file's owner, the directory's
 * owner or CAP_FOWNER may remove or rename a name (Linux: check_sticky). */
static bool sticky_denies(struct inode *dir, struct inode *inode)
{
	u32 fsuid = current_fsuid();

	if (!(dir->i_mode & S_ISVTX) || inode->i_uid == fsuid || dir->i_uid == fsuid)
		return false;
	return !capable(CAP_FOWNER);
}

/* Removing (or replacing) the name d in dir (Linux: may_delete). */
static int may_delete(struct inode *dir, struct dentry *d)
{
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	return sticky_denies(dir, d->d_inode) ? -EPERM : 0;
}

int vfs_create(struct inode *dir, struct dentry *d, u32 mode)
{
	int err = may_create(dir);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;
	err = dir->i_op->create(dir, d, mode);
	if (!err)
		fsnotify_create(dir, d);
	return err;
}

int vfs_mkdir(struct inode *dir, struct dentry *d, u32 mode)
{
	int err = may_create(dir);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->mkdir)
		return -EPERM;
	err = dir->i_op->mkdir(dir, d, (mode & (S_IALLUGO)) | S_IFDIR);
	if (!err)
		fsnotify_create(dir, d); /* Linux: fsnotify_mkdir, the same IN_CREATE|IN_ISDIR */
	return err;
}

int vfs_mknod(struct inode *dir, struct dentry *d, u32 mode, u32 dev)
{
	int err = may_create(dir);

	if (err)
		return err;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !capable(CAP_MKNOD))
		return -EPERM;
	if (!dir->i_op || !dir->i_op->mknod)
		return -EPERM;
	err = dir->i_op->mknod(dir, d, mode, dev);
	if (!err)
		fsnotify_create(dir, d);
	return err;
}

int vfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	int err = may_create(dir);

	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->symlink)
		return -EPERM;
	err = dir->i_op->symlink(dir, d, target);
	if (!err)
		fsnotify_create(dir, d);
	return err;
}

int vfs_unlink(struct inode *dir, struct dentry *d)
{
	int err = may_delete(dir, d);

	if (err)
		return err;
	if (S_ISDIR(d->d_inode->i_mode))
		return -EISDIR;
	if (d_mountpoint(d))
		return -EBUSY;
	if (!dir->i_op || !dir->i_op->unlink)
		return -EPERM;
	struct inode *victim = d->d_inode;
	err = dir->i_op->unlink(dir, d);
	if (!err) {
		fsnotify_link_count(victim);
		d_delete(d);
		fsnotify_delete(dir, victim, d);
	}
	return err;
}

int vfs_rmdir(struct inode *dir, struct dentry *d)
{
	int err = may_delete(dir, d);

	if (err)
		return err;
	if (!S_ISDIR(d->d_inode->i_mode))
		return -ENOTDIR;
	if (d_mountpoint(d))
		return -EBUSY;
	if (!dir->i_op || !dir->i_op->rmdir)
		return -EPERM;
	struct inode *victim = d->d_inode;
	err = dir->i_op->rmdir(dir, d);
	if (!err) {
		d_delete(d);
		fsnotify_delete(dir, victim, d);
	}
	return err;
}

static long do_mknodat(int dfd, const char __user *uname, u32 mode, u32 dev)
{
	struct path parent;
	u32 type = mode & S_IFMT;
	long err;

	if (type == S_IFDIR)
		return -EPERM;
	if (type && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	char *name = getname(uname, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	struct dentry *d = filename_create(dfd, name, &parent, false);
	if (IS_ERR(d)) {
		putname(name);
		return PTR_ERR(d);
	}
	mode = (mode & ~S_IFMT & ~current_umask()) | (type ? type : S_IFREG);
	struct inode *dir = parent.dentry->d_inode;
	err = may_write_mnt(&parent);
	if (!err)
		err = S_ISREG(mode) ? vfs_create(dir, d, mode) : vfs_mknod(dir, d, mode, dev);
	done_path_create(&parent, d);
	putname(name);
	return err;
}

/* User dev_t (glibc's encoding) to the kernel's MKDEV. */
static u32 new_decode_dev(u64 dev)
{
	u32 major = (u32)((dev & 0xfff00) >> 8);
	u32 minor = (u32)((dev & 0xff) | ((dev >> 12) & 0xfff00));
	return MKDEV(major, minor);
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, name, unsigned int, mode,
		unsigned int, dev)
{
	return do_mknodat(dfd, name, mode, new_decode_dev(dev));
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, uname, unsigned int, mode)
{
	struct path parent;
	char *name = getname(uname, false);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	struct dentry *d = filename_create(dfd, name, &parent, true);
	if (IS_ERR(d)) {
		putname(name);
		return PTR_ERR(d);
	}
	err = may_write_mnt(&parent);
	if (!err)
		err = vfs_mkdir(parent.dentry->d_inode, d, mode & ~current_umask() & 07777);
	done_path_create(&parent, d);
	putname(name);
	return err;
}

SYSCALL_DEFINE3(symlinkat, const char __user *, utarget, int, dfd, const char __user *, uname)
{
	struct path parent;
	char *target = getname(utarget, false);
	long err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	char *name = getname(uname, false);
	if (IS_ERR(name)) {
		putname(target);
		return PTR_ERR(name);
	}
	struct dentry *d = filename_create(dfd, name, &parent, false);
	err = IS_ERR(d) ? PTR_ERR(d) : may_write_mnt(&parent);
	if (!err)
		err = vfs_symlink(parent.dentry->d_inode, d, target);
	if (!IS_ERR(d))
		done_path_create(&parent, d);
	putname(name);
	putname(target);
	return err;
}

/* unlink or rmdir of name's last component. */
static long do_remove(int dfd, const char __user *uname, bool rmdir)
{
	struct path parent;
	struct qstr last;
	int type;
	bool slash;
	char *name = getname(uname, false);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = kern_path_parent(dfd, name, &parent, &last, &type, &slash);
	if (err)
		goto out_name;
	if (type) {
		err = !rmdir ? -EISDIR : type == 1 ? -EINVAL : type == 2 ? -ENOTEMPTY : -EBUSY;
		goto out_parent;
	}
	err = may_write_mnt(&parent);
	if (err)
		goto out_parent;
	struct inode *dir = parent.dentry->d_inode;
	mutex_lock(&dir->i_rwsem);
	struct dentry *d = lookup_one_for_change(parent.dentry, &last);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
	} else {
		if (!d->d_inode)
			err = -ENOENT;
		else if (rmdir)
			err = vfs_rmdir(dir, d);
		else if (slash && !S_ISDIR(d->d_inode->i_mode))
			err = -ENOTDIR;
		else
			err = vfs_unlink(dir, d);
		dput(d);
	}
	mutex_unlock(&dir->i_rwsem);
out_parent:
	path_put(&parent);
out_name:
	putname(name);
	return err;
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, name, int, flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_remove(dfd, name, flags & AT_REMOVEDIR);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, uold, int, newdfd,
		const char __user *, unew, int, flags)
{
	struct path old, parent;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(olddfd, uold,
			   ((flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0) |
			   ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &old);
	if (err)
		return err;
	char *name = getname(unew, false);
	if (IS_ERR(name)) {
		path_put(&old);
		return PTR_ERR(name);
	}
	struct dentry *d = filename_create(newdfd, name, &parent, false);
	err = IS_ERR(d) ? PTR_ERR(d) : 0;
	if (!err) {
		struct inode *dir = parent.dentry->d_inode;
		if (parent.mnt->mnt_sb != old.mnt->mnt_sb)
			err = -EXDEV;
		else if (S_ISDIR(old.dentry->d_inode->i_mode))
			err = -EPERM;
		else if (!(err = may_write_mnt(&parent)) && !(err = may_create(dir)))
			err = dir->i_op && dir->i_op->link ? dir->i_op->link(old.dentry, dir, d) : -EPERM;
		if (!err)
			fsnotify_link(dir, old.dentry->d_inode, d);
		done_path_create(&parent, d);
	}
	putname(name);
	path_put(&old);
	return err;
}

/* Is d at or below ancestor? (rename of a directory into itself) */
static bool is_subdir(struct dentry *d, struct dentry *ancestor)
{
	bool found = false;

	spin_lock(&rename_lock);
	for (;;) {
		if (d == ancestor) {
			found = true;
			break;
		}
		if (IS_ROOT(d))
			break;
		d = d->d_parent;
	}
	spin_unlock(&rename_lock);
	return found;
}

static void lock_rename(struct inode *a, struct inode *b)
{
	if (a == b) {
		mutex_lock(&a->i_rwsem);
	} else if (a < b) {
		mutex_lock(&a->i_rwsem);
		mutex_lock(&b->i_rwsem);
	} else {
		mutex_lock(&b->i_rwsem);
		mutex_lock(&a->i_rwsem);
	}
}

static void unlock_rename(struct inode *a, struct inode *b)
{
	mutex_unlock(&a->i_rwsem);
	if (a != b)
		mutex_unlock(&b->i_rwsem);
}

static int rename_checks(struct dentry *old, struct dentry *new, unsigned int flags,
			 bool old_slash, bool new_slash)
{
	struct inode *oi = old->d_inode, *ni = new->d_inode;

	if (!oi)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && ni)
		return -EEXIST;
	if ((flags & RENAME_EXCHANGE) && !ni)
		return -ENOENT;
	if ((old_slash || new_slash) && !S_ISDIR(oi->i_mode))
		return -ENOTDIR;
	if (d_mountpoint(old) || d_mountpoint(new))
		return -EBUSY;
	if (!ni)
		return 0;
	if (flags & RENAME_EXCHANGE)
		return 0;
	if (S_ISDIR(oi->i_mode) && !S_ISDIR(ni->i_mode))
		return -ENOTDIR;
	if (!S_ISDIR(oi->i_mode) && S_ISDIR(ni->i_mode))
		return -EISDIR;
	return 0;
}

/* Both names change: delete rights on the old one, and on the new one
 * (or create rights where it is missing); a directory moving to another
 * parent rewrites its "..", so needs write permission on itself. */
static int may_rename(struct inode *odir, struct dentry *old, struct inode *ndir,
		      struct dentry *new, unsigned int flags)
{
	int err = may_delete(odir, old);

	if (!err)
		err = new->d_inode ? may_delete(ndir, new) : may_create(ndir);
	if (!err && odir != ndir && S_ISDIR(old->d_inode->i_mode))
		err = inode_permission(old->d_inode, MAY_WRITE);
	if (!err && odir != ndir && (flags & RENAME_EXCHANGE) && S_ISDIR(new->d_inode->i_mode))
		err = inode_permission(new->d_inode, MAY_WRITE);
	return err;
}

static long do_rename_locked(struct path *op, struct qstr *olast, struct path *np,
			     struct qstr *nlast, unsigned int flags, bool oslash, bool nslash)
{
	struct inode *odir = op->dentry->d_inode, *ndir = np->dentry->d_inode;
	struct dentry *old = lookup_one_for_change(op->dentry, olast);
	long err;

	if (IS_ERR(old))
		return PTR_ERR(old);
	struct dentry *new = lookup_one_for_change(np->dentry, nlast);
	if (IS_ERR(new)) {
		dput(old);
		return PTR_ERR(new);
	}
	err = rename_checks(old, new, flags, oslash, nslash);
	if (!err && old->d_inode == new->d_inode)
		goto out; /* the same file: nothing to do */
	/* A directory may not move below itself, nor be replaced by an ancestor. */
	if (!err && S_ISDIR(old->d_inode->i_mode) && is_subdir(np->dentry, old))
		err = -EINVAL;
	if (!err && new->d_inode && S_ISDIR(new->d_inode->i_mode) && is_subdir(op->dentry, new))
		err = (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	if (!err)
		err = may_rename(odir, old, ndir, new, flags);
	if (!err)
		err = odir->i_op && odir->i_op->rename ?
		      odir->i_op->rename(odir, old, ndir, new, flags) : -EPERM;
	if (!err) {
		struct qstr oname = { old->d_name.name, old->d_name.len, old->d_name.hash };
		char save[NAME_MAX + 1];
		memcpy(save, oname.name, oname.len + 1);
		oname.name = save;
		if (flags & RENAME_EXCHANGE) {
			d_move(old, np->dentry, nlast);
			d_move(new, op->dentry, &oname);
			fsnotify_move(odir, ndir, &oname, nlast, old->d_inode, NULL);
			fsnotify_move(ndir, odir, nlast, &oname, new->d_inode, NULL);
		} else {
			struct inode *target = new->d_inode;
			if (target)
				d_delete(new);
			d_move(old, np->dentry, nlast);
			fsnotify_move(odir, ndir, &oname, nlast, old->d_inode, target);
		}
	}
out:
	dput(new);
	dput(old);
	return err;
}

static long do_renameat2(int olddfd, const char __user *uold, int newdfd,
			 const char __user *unew, unsigned int flags)
{
	struct path op, np;
	struct qstr olast, nlast;
	int otype, ntype;
	bool oslash, nslash;
	long err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL; /* no overlay file systems */
	char *oname = getname(uold, false);
	if (IS_ERR(oname))
		return PTR_ERR(oname);
	char *nname = getname(unew, false);
	if (IS_ERR(nname)) {
		putname(oname);
		return PTR_ERR(nname);
	}
	err = kern_path_parent(olddfd, oname, &op, &olast, &otype, &oslash);
	if (err)
		goto out_names;
	err = kern_path_parent(newdfd, nname, &np, &nlast, &ntype, &nslash);
	if (err)
		goto out_old;
	if (otype || ntype)
		err = -EBUSY; /* ".", ".." or "/" */
	else if (op.mnt != np.mnt)
		err = -EXDEV;
	else
		err = may_write_mnt(&np);
	if (!err) {
		mutex_lock(&rename_mutex);
		lock_rename(op.dentry->d_inode, np.dentry->d_inode);
		err = do_rename_locked(&op, &olast, &np, &nlast, flags, oslash, nslash);
		unlock_rename(op.dentry->d_inode, np.dentry->d_inode);
		mutex_unlock(&rename_mutex);
	}
	path_put(&np);
out_old:
	path_put(&op);
out_names:
	putname(nname);
	putname(oname);
	return err;
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, unsigned int, flags)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, flags);
}

int vfs_readlink(struct dentry *d, char __user *buf, int buflen)
{
	struct inode *inode = d->d_inode;
	char *tofree = NULL;

	if (!S_ISLNK(inode->i_mode) || !inode->i_op || !inode->i_op->get_link)
		return -EINVAL;
	const char *t = inode->i_op->get_link(d, inode, &tofree);
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	int len = (int)strlen(t);
	if (len > buflen)
		len = buflen;
	int err = copy_to_user(buf, t, (unsigned long)len) ? -EFAULT : len;
	kfree(tofree);
	return err;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, name, char __user *, buf, int, n)
{
	struct path p;
	long err;

	if (n <= 0)
		return -EINVAL;
	err = user_path_at(dfd, name, LOOKUP_EMPTY, &p);
	if (err)
		return err;
	err = vfs_readlink(p.dentry, buf, n);
	path_put(&p);
	return err;
}
