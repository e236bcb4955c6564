/* Name-space calls for the kernel itself, on kernel strings (Linux:
 * fs/init.c): the initramfs unpacker and devtmpfs use them at boot. */
#include "kernel/fs/init.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/string.h"

int init_mkdir(const char *path, u32 mode)
{
	struct path parent;
	struct dentry *d = filename_create(AT_FDCWD, path, &parent, true);

	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	int err = vfs_mkdir(parent.dentry->d_inode, d, mode & 07777);
	done_path_create(&parent, d);
	return err;
}

int init_mknod(const char *path, u32 mode, u32 dev)
{
	struct path parent;
	struct dentry *d = filename_create(AT_FDCWD, path, &parent, false);

	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	struct inode *dir = parent.dentry->d_inode;
	int err = S_ISREG(mode) ? vfs_create(dir, d, mode) : vfs_mknod(dir, d, mode, dev);
	done_path_create(&parent, d);
	return err;
}

int init_symlink(const char *target, const char *path)
{
	struct path parent;
	struct dentry *d = filename_create(AT_FDCWD, path, &parent, false);

	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	int err = vfs_symlink(parent.dentry->d_inode, d, target);
	done_path_create(&parent, d);
	return err;
}

int init_link(const char *oldpath, const char *newpath)
{
	struct path old, parent;
	int err = kern_path(oldpath, 0, &old);

	if (err)
		return err;
	struct dentry *d = filename_create(AT_FDCWD, newpath, &parent, false);
	if (IS_ERR(d)) {
		path_put(&old);
		return (int)PTR_ERR(d);
	}
	struct inode *dir = parent.dentry->d_inode;
	err = S_ISDIR(old.dentry->d_inode->i_mode) ? -EPERM :
	      dir->i_op->link ? dir->i_op->link(old.dentry, dir, d) : -EPERM;
	done_path_create(&parent, d);
	path_put(&old);
	return err;
}

/* Remove path's last component, whatever it is (an empty dir included). */
int init_remove(const char *path)
{
	struct path parent;
	struct qstr last;
	int type, err;
	bool slash;

	err = kern_path_parent(AT_FDCWD, path, &parent, &last, &type, &slash);
	if (err)
		return err;
	if (type) {
		path_put(&parent);
		return -EINVAL;
	}
	struct inode *dir = parent.dentry->d_inode;
	mutex_lock(&dir->i_rwsem);
	struct dentry *d = lookup_one_for_change(parent.dentry, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		err = !d->d_inode ? -ENOENT : S_ISDIR(d->d_inode->i_mode) ? vfs_rmdir(dir, d)
									: vfs_unlink(dir, d);
		dput(d);
	}
	mutex_unlock(&dir->i_rwsem);
	path_put(&parent);
	return err;
}

int init_setattr(const char *path, u32 mode, u32 uid, u32 gid, s64 mtime)
{
	struct path p;
	int err = kern_path(path, 0, &p);

	if (err)
		return err;
	struct iattr a = { .ia_valid = ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_MTIME | ATTR_ATIME,
			   .ia_mode = mode, .ia_uid = uid, .ia_gid = gid };
	a.ia_mtime.tv_sec = a.ia_atime.tv_sec = mtime;
	setattr_copy(p.dentry->d_inode, &a);
	path_put(&p);
	return 0;
}

int init_mount(const char *dev, const char *dir, const char *type, unsigned long flags)
{
	struct path p;
	int err = kern_path(dir, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = do_mount(dev, &p, type, flags, NULL);
	path_put(&p);
	return err;
}
