/* Helpers file systems share (Linux: fs/libfs.c, fs/seq_file.c): seeking,
 * directories kept only in the dcache, and text files produced whole at
 * open (most of /proc). */
#include "kernel/fs/fs.h"
#include "kernel/fs/dcache.h"
#include "kernel/string.h"
#include "mm/slab.h"

static s64 llseek_to(struct file *f, s64 off, int whence, s64 size)
{
	s64 base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (s64)f->f_pos; break;
	case SEEK_END: base = size; break;
	case SEEK_DATA:
		if (off < 0 || off >= size)
			return -ENXIO;
		base = 0;
		break;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		return (s64)(f->f_pos = (u64)size);
	default: return -EINVAL;
	}
	if (base + off < 0 || (off > 0 && base + off < base))
		return -EINVAL;
	f->f_pos = (u64)(base + off);
	return (s64)f->f_pos;
}

s64 generic_file_llseek(struct file *f, s64 off, int whence)
{
	return llseek_to(f, off, whence, (s64)f->f_inode->i_size);
}

s64 no_seek_end_llseek(struct file *f, s64 off, int whence)
{
	if (whence == SEEK_END || whence == SEEK_DATA || whence == SEEK_HOLE)
		return -EINVAL;
	return llseek_to(f, off, whence, 0);
}

/* Directory offsets are readdir cookies: only rewinding and going back to
 * a position told before make sense. */
static s64 dcache_dir_lseek(struct file *f, s64 off, int whence)
{
	if (whence == SEEK_CUR)
		off += (s64)f->f_pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	f->f_pos = (u64)off;
	return off;
}

const struct file_operations simple_dir_operations = {
	.llseek = dcache_dir_lseek,
	.iterate = dcache_readdir,
};

/* ---- single_open: whole text made at open -------------------------------- */
struct single_text {
	size_t len;
	char buf[];
};

int single_open(struct file *f, size_t (*show)(struct file *f, char *buf, size_t n))
{
	size_t cap = 4096 - sizeof(struct single_text);

	for (;;) {
		struct single_text *t = kmalloc(sizeof(*t) + cap);
		if (!t)
			return -ENOMEM;
		size_t need = show(f, t->buf, cap);
		if (need <= cap) {
			t->len = need;
			f->private_data = t;
			return 0;
		}
		kfree(t);
		if (need > (8u << 20))
			return -ENOMEM;
		cap = need + 256; /* it may grow meanwhile */
	}
}

ssize_t single_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct single_text *t = f->private_data;

	if (!t || *pos >= t->len || !to->count)
		return 0;
	size_t n = copy_to_iter(t->buf + *pos, t->len - *pos, to);
	if (!n)
		return -EFAULT;
	*pos += n;
	return (ssize_t)n;
}

int single_release(struct inode *inode, struct file *f)
{
	(void)inode;
	kfree(f->private_data);
	f->private_data = NULL;
	return 0;
}
