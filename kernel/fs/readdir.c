/* getdents64 (Linux: fs/readdir.c): the file system's ->iterate emits
 * entries through a callback that packs struct linux_dirent64 records
 * into the user's buffer until it is full. */
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};

struct getdents_callback {
	struct dir_context ctx;
	char __user *cur;
	struct linux_dirent64 __user *prev; /* its d_off is set by the next entry */
	size_t left;
	int error;
	bool any;
};

static bool filldir64(struct dir_context *ctx, const char *name, int namelen, u64 ino,
		      unsigned int type)
{
	struct getdents_callback *b = (struct getdents_callback *)ctx;
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + namelen + 1, 8);
	struct {
		struct linux_dirent64 d;
		char name[NAME_MAX + 1 + 8];
	} rec;

	if (reclen > b->left) {
		if (!b->any)
			b->error = -EINVAL; /* the buffer cannot hold even one entry */
		return false;
	}
	/* d_off is where the entry after it starts: this one's position. */
	if (b->prev && put_user((s64)ctx->pos, &b->prev->d_off)) {
		b->error = -EFAULT;
		return false;
	}
	memset(&rec, 0, reclen);
	rec.d.d_ino = ino;
	rec.d.d_off = (s64)ctx->pos + 1;
	rec.d.d_reclen = (u16)reclen;
	rec.d.d_type = (u8)type;
	memcpy(rec.d.d_name, name, (size_t)namelen);
	if (copy_to_user(b->cur, &rec, reclen)) {
		b->error = -EFAULT;
		return false;
	}
	b->prev = (struct linux_dirent64 __user *)b->cur;
	b->cur += reclen;
	b->left -= reclen;
	b->any = true;
	return true;
}

SYSCALL_DEFINE3(getdents64, int, fd, void __user *, dirent, unsigned int, count)
{
	struct file *f = fget(fd);
	struct getdents_callback b = { .ctx.actor = filldir64, .cur = dirent, .left = count };
	long err;

	if (!f)
		return -EBADF;
	if (!f->f_op->iterate || (f->f_mode & FMODE_PATH)) {
		fput(f);
		return (f->f_mode & FMODE_PATH) ? -EBADF : -ENOTDIR;
	}
	if (!access_ok(dirent, count)) {
		fput(f);
		return -EFAULT;
	}
	mutex_lock(&f->f_pos_lock);
	b.ctx.pos = f->f_pos;
	err = f->f_op->iterate(f, &b.ctx);
	f->f_pos = b.ctx.pos;
	if (b.prev && put_user((s64)b.ctx.pos, &b.prev->d_off))
		b.error = -EFAULT;
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	if (b.error && !b.any)
		return b.error;
	if (err && !b.any)
		return err;
	return (long)(count - b.left);
}
