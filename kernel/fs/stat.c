/* File attributes out to user space (Linux: fs/stat.c, fs/statfs.c,
 * fs/utimes.c): fstat, newfstatat, statx, statfs/fstatfs, utimensat. */
#include "kernel/fs/namei.h"
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

static int vfs_getattr(struct dentry *d, struct inode *inode, struct kstat *st)
{
	if (inode->i_op && inode->i_op->getattr && d)
		return inode->i_op->getattr(d, st);
	generic_fillattr(inode, st);
	return 0;
}

static int stat_path_or_fd(int dfd, const char __user *name, int flags, struct kstat *st,
			   struct dentry **pd)
{
	struct path p;
	unsigned int lf = ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			  ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	char c;

	(void)pd;
	if (get_user(c, name))
		return -EFAULT;
	if (!c && (flags & AT_EMPTY_PATH) && dfd != AT_FDCWD) {
		struct file *f = fget(dfd);
		if (!f)
			return -EBADF;
		int err = vfs_getattr(f->f_dentry, f->f_inode, st);
		fput(f);
		return err;
	}
	int err = user_path_at(dfd, name, lf, &p);
	if (err)
		return err;
	err = vfs_getattr(p.dentry, p.dentry->d_inode, st);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(fstat, int, fd, struct kstat __user *, ust)
{
	struct kstat st;
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = vfs_getattr(f->f_dentry, f->f_inode, &st);
	fput(f);
	if (!err && copy_to_user(ust, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, name, struct kstat __user *, ust,
		int, flags)
{
	struct kstat st;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = stat_path_or_fd(dfd, name, flags, &st, NULL);
	if (!err && copy_to_user(ust, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

/* struct statx (uapi/linux/stat.h). */
struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};
struct statx {
	u32 stx_mask, stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink, stx_uid, stx_gid;
	u16 stx_mode, __spare0;
	u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	u64 stx_mnt_id;
	u32 stx_dio_mem_align, stx_dio_offset_align;
	u64 __spare3[12];
};
#define STATX_BASIC_STATS 0x7ffU
#define AT_STATX_SYNC_TYPE 0x6000
#define STATX__RESERVED 0x80000000U

SYSCALL_DEFINE5(statx, int, dfd, const char __user *, name, int, flags, unsigned int, mask,
		struct statx __user *, ubuf)
{
	struct kstat st;
	struct statx sx;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	err = stat_path_or_fd(dfd, name, flags, &st, NULL);
	if (err)
		return err;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = (u32)st.st_blksize;
	sx.stx_nlink = st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = (u16)st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = (u64)st.st_size;
	sx.stx_blocks = (u64)st.st_blocks;
	sx.stx_atime = (struct statx_timestamp){ st.st_atime_sec, (u32)st.st_atime_nsec, 0 };
	sx.stx_mtime = (struct statx_timestamp){ st.st_mtime_sec, (u32)st.st_mtime_nsec, 0 };
	sx.stx_ctime = (struct statx_timestamp){ st.st_ctime_sec, (u32)st.st_ctime_nsec, 0 };
	sx.stx_rdev_major = (u32)((st.st_rdev >> 8) & 0xfff);
	sx.stx_rdev_minor = (u32)((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & 0xfff00));
	sx.stx_dev_major = MAJOR(st.st_dev);
	sx.stx_dev_minor = MINOR(st.st_dev);
	return copy_to_user(ubuf, &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* A file system without ->statfs reports a memory-backed one. */
static int vfs_statfs(struct dentry *d, struct kstatfs *buf)
{
	struct super_block *sb = d->d_sb;

	memset(buf, 0, sizeof(*buf));
	buf->f_type = (s64)sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_frsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	buf->f_fsid[0] = (s32)sb->s_dev;
	if (sb->s_op && sb->s_op->statfs)
		return sb->s_op->statfs(sb, buf);
	return 0;
}

static int statfs_flags(struct vfsmount *m)
{
	return (m->mnt_flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME)) |
	       0x20 /* ST_VALID */;
}

SYSCALL_DEFINE2(statfs, const char __user *, name, struct kstatfs __user *, ubuf)
{
	struct kstatfs st;
	struct path p;
	int err = user_path_at(AT_FDCWD, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = vfs_statfs(p.dentry, &st);
	st.f_flags = statfs_flags(p.mnt);
	path_put(&p);
	return !err && copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : err;
}

SYSCALL_DEFINE2(fstatfs, int, fd, struct kstatfs __user *, ubuf)
{
	struct kstatfs st;
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	if (f->f_dentry) {
		err = vfs_statfs(f->f_dentry, &st);
		st.f_flags = statfs_flags(f->f_vfsmnt);
	} else { /* a pipe */
		memset(&st, 0, sizeof(st));
		st.f_type = 0x50495045;
		st.f_bsize = st.f_frsize = PAGE_SIZE;
		st.f_namelen = NAME_MAX;
		err = 0;
	}
	fput(f);
	return !err && copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : err;
}

#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)

/* An explicit time (attr_set) is for the owner; "now" for writers too. */
static int utime_field(const struct timespec64 *t, unsigned int attr, unsigned int attr_set,
		       struct timespec64 *out, unsigned int *valid)
{
	if (t->tv_nsec == UTIME_OMIT)
		return 0;
	if (t->tv_nsec == UTIME_NOW) {
		*out = current_time();
	} else {
		if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000L)
			return -EINVAL;
		*out = *t;
		*valid |= attr_set;
	}
	*valid |= attr;
	return 0;
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, name,
		const struct timespec64 __user *, utimes, int, flags)
{
	struct timespec64 t[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct iattr a = { .ia_valid = ATTR_CTIME };
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes && copy_from_user(t, utimes, sizeof(t)))
		return -EFAULT;
	if ((err = utime_field(&t[0], ATTR_ATIME, ATTR_ATIME_SET, &a.ia_atime, &a.ia_valid)) ||
	    (err = utime_field(&t[1], ATTR_MTIME, ATTR_MTIME_SET, &a.ia_mtime, &a.ia_valid)))
		return err;
	if (!utimes || (t[0].tv_nsec == UTIME_NOW && t[1].tv_nsec == UTIME_NOW))
		a.ia_valid |= ATTR_TOUCH;
	if (!name) { /* futimens: glibc passes NULL with the descriptor */
		struct file *f = fget(dfd);
		if (!f)
			return -EBADF;
		p = (struct path){ f->f_vfsmnt, f->f_dentry };
		if (p.dentry)
			path_get(&p);
		fput(f);
		if (!p.dentry)
			return -EINVAL;
	} else {
		err = user_path_at(dfd, name, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
					      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0), &p);
		if (err)
			return err;
	}
	err = notify_change(&p, &a);
	path_put(&p);
	return err;
}
