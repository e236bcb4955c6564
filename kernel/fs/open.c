/* Opening and closing, and the calls that change a file's attributes:
 * openat, close, close_range, faccessat, chmod/chown families, truncate,
 * fallocate (Linux: fs/open.c). */
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/cred.h"

#define VALID_OPEN_FLAGS                                                                   \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
	 O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC |   \
	 O_PATH | O_TMPFILE | 020000 /* FASYNC */)

/* Change the size of d's file (the caller checked write access). */
int do_truncate(struct dentry *d, u64 size)
{
	struct iattr a = { .ia_valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, .ia_size = size };
	struct inode *inode = d->d_inode;

	a.ia_mtime = current_time();
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	if (size > task_rlimit(current, RLIMIT_FSIZE)) { /* Linux's inode_newsize_ok */
		send_sig(SIGXFSZ, current, 0);
		return -EFBIG;
	}
	file_remove_privs(inode);
	mutex_lock(&inode->i_rwsem);
	int err = inode->i_op->setattr(d, &a);
	mutex_unlock(&inode->i_rwsem);
	if (!err)
		fsnotify_change(d, a.ia_valid);
	return err;
}

int vfs_truncate(const struct path *p, u64 size)
{
	struct inode *inode = p->dentry->d_inode;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (p->mnt->mnt_flags & MS_RDONLY)
		return -EROFS;
	int err = inode_permission(inode, MAY_WRITE);
	return err ? err : do_truncate(p->dentry, size);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, uname, int, flags, unsigned int, mode)
{
	flags &= VALID_OPEN_FLAGS; /* open/openat ignore unknown bits (only openat2 checks) */
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	char *name = getname(uname, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	int fd = get_unused_fd_flags((unsigned)flags);
	if (fd >= 0) {
		struct file *f = do_filp_open(dfd, name, flags, mode);
		if (IS_ERR(f)) {
			put_unused_fd(fd);
			fd = (int)PTR_ERR(f);
		} else {
			fsnotify_open(f);
			fd_install_at(fd, f);
		}
	}
	putname(name);
	return fd;
}

SYSCALL_DEFINE1(close, int, fd)
{
	int err = close_fd(fd);

	/* An interrupted ->flush still closed the descriptor: never restart. */
	return err == -ERESTARTSYS ? -EINTR : err;
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4
SYSCALL_DEFINE3(close_range, unsigned int, first, unsigned int, last, unsigned int, flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	if (last >= NR_OPEN_MAX)
		last = NR_OPEN_MAX - 1;
	for (unsigned int fd = first; fd <= last && first < NR_OPEN_MAX; fd++) {
		if (flags & CLOSE_RANGE_CLOEXEC) {
			struct file *f = fget((int)fd);
			if (f) {
				set_close_on_exec((int)fd, true);
				fput(f);
			}
		} else {
			close_fd((int)fd);
		}
	}
	return 0;
}

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

static long faccess_path(int dfd, const char __user *name, int mode, int flags)
{
	struct path p;
	long err = user_path_at(dfd, name,
			   ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			   ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &p);
	if (err)
		return err;
	struct inode *inode = p.dentry->d_inode;
	if ((mode & W_OK) && (p.mnt->mnt_flags & MS_RDONLY) &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) || S_ISLNK(inode->i_mode)))
		err = -EROFS;
	else
		err = inode_permission(inode, mode);
	path_put(&p);
	return err;
}

/* access() asks about the real ids: act with them for the check (Linux:
 * access_override_creds), the capabilities following the real uid. */
static const struct cred *access_override_creds(void)
{
	const struct cred *c = current_cred();
	u64 eff = c->uid ? 0 : c->cap_permitted;

	if (c->fsuid == c->uid && c->fsgid == c->gid && c->cap_effective == eff)
		return NULL; /* already the same */
	struct cred *new = prepare_creds();
	if (!new)
		return ERR_PTR(-ENOMEM);
	new->fsuid = new->uid;
	new->fsgid = new->gid;
	new->cap_effective = eff;
	const struct cred *old = override_creds(new);
	put_cred(new); /* override_creds took its own reference */
	return old;
}

static long do_faccessat(int dfd, const char __user *name, int mode, int flags)
{
	const struct cred *old = NULL;
	long err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EACCESS)) {
		old = access_override_creds();
		if (IS_ERR(old))
			return PTR_ERR(old);
	}
	err = faccess_path(dfd, name, mode, flags);
	if (old)
		revert_creds(old);
	return err;
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, name, int, mode)
{
	return do_faccessat(dfd, name, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, name, int, mode, int, flags)
{
	return do_faccessat(dfd, name, mode, flags);
}

static long chmod_path(const struct path *p, unsigned int mode)
{
	struct iattr a = { .ia_valid = ATTR_MODE | ATTR_CTIME, .ia_mode = mode & S_IALLUGO };
	return notify_change(p, &a);
}

static long chown_path(const struct path *p, u32 uid, u32 gid)
{
	struct iattr a = { .ia_valid = ATTR_CTIME };

	if (uid != (u32)-1) {
		a.ia_valid |= ATTR_UID;
		a.ia_uid = uid;
	}
	if (gid != (u32)-1) {
		a.ia_valid |= ATTR_GID;
		a.ia_gid = gid;
	}
	/* A change of owner clears set-user-ID and set-group-ID (Linux). */
	u32 mode = p->dentry->d_inode->i_mode;
	if ((a.ia_valid & (ATTR_UID | ATTR_GID)) && !S_ISDIR(mode) && (mode & (S_ISUID | S_ISGID))) {
		a.ia_valid |= ATTR_MODE;
		a.ia_mode = mode & ~(S_ISUID | ((mode & S_IXGRP) ? S_ISGID : 0)) & S_IALLUGO;
	}
	return notify_change(p, &a);
}

/* Apply fn to the file behind fd (any descriptor, O_PATH ones included). */
static long with_fd_path(int fd, long (*fn)(const struct path *, unsigned long, unsigned long),
			 unsigned long a, unsigned long b)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	if (!f->f_dentry) {
		fput(f);
		return -EINVAL;
	}
	struct path p = { f->f_vfsmnt, f->f_dentry };
	err = (f->f_mode & FMODE_PATH) ? -EBADF : fn(&p, a, b);
	fput(f);
	return err;
}

static long chmod_fn(const struct path *p, unsigned long mode, unsigned long unused)
{
	(void)unused;
	return chmod_path(p, (unsigned int)mode);
}

static long chown_fn(const struct path *p, unsigned long uid, unsigned long gid)
{
	return chown_path(p, (u32)uid, (u32)gid);
}

SYSCALL_DEFINE2(fchmod, int, fd, unsigned int, mode)
{
	return with_fd_path(fd, chmod_fn, mode, 0);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, name, unsigned int, mode)
{
	struct path p;
	long err = user_path_at(dfd, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = chmod_path(&p, mode);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE3(fchown, int, fd, unsigned int, uid, unsigned int, gid)
{
	return with_fd_path(fd, chown_fn, uid, gid);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, name, unsigned int, uid,
		unsigned int, gid, int, flags)
{
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, name, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
				      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &p);
	if (err)
		return err;
	err = chown_path(&p, uid, gid);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(truncate, const char __user *, name, s64, length)
{
	struct path p;
	long err;

	if (length < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, name, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = vfs_truncate(&p, (u64)length);
	path_put(&p);
	return err;
}

static long do_ftruncate(int fd, u64 length, bool small)
{
	struct file *f = fget(fd);
	long err;

	(void)small;
	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_WRITE) || !f->f_dentry)
		err = -EINVAL;
	else if (!S_ISREG(f->f_inode->i_mode))
		err = -EINVAL;
	else if (f->f_flags & O_APPEND)
		err = -EPERM;
	else
		err = do_truncate(f->f_dentry, length);
	fput(f);
	return err;
}

SYSCALL_DEFINE2(ftruncate, int, fd, s64, length)
{
	if (length < 0)
		return -EINVAL;
	return do_ftruncate(fd, (u64)length, false);
}

#define FALLOC_FL_KEEP_SIZE 1
SYSCALL_DEFINE4(fallocate, int, fd, int, mode, s64, offset, s64, len)
{
	struct file *f;
	long err = 0;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_WRITE))
		err = -EBADF;
	else if (!f->f_dentry || !S_ISREG(f->f_inode->i_mode))
		err = S_ISDIR(f->f_inode->i_mode) ? -EISDIR : -ENODEV;
	else if (!(mode & FALLOC_FL_KEEP_SIZE) && (u64)(offset + len) > f->f_inode->i_size)
		err = do_truncate(f->f_dentry, (u64)(offset + len)); /* memory-backed: no blocks */
	fput(f);
	return err;
}
