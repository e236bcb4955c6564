/* The memory character devices of major 1 (Linux: drivers/char/mem.c and
 * the random devices): /dev/null (1:3), /dev/zero (1:5), /dev/full (1:7),
 * /dev/random (1:8) and /dev/urandom (1:9). One registration for the
 * major; open picks each minor's operations. */
#include "kernel/fs/mem.h"
#include "kernel/fs/fs.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "proc/signal.h"

#define MEM_MAJOR 1

/* Reads and writes do not move a position: lseek just says 0. */
static s64 null_lseek(struct file *f, s64 off, int whence)
{
	(void)off, (void)whence;
	f->f_pos = 0;
	return 0;
}

static ssize_t read_null(struct file *f, struct iov_iter *to, u64 *pos)
{
	(void)f, (void)to, (void)pos;
	return 0;
}

static ssize_t write_null(struct file *f, struct iov_iter *from, u64 *pos)
{
	(void)f, (void)pos;
	return (ssize_t)from->count; /* swallowed */
}

/* Fill the reader's buffer a chunk at a time with fill(); a fault ends
 * the read short, a signal between chunks too. */
static ssize_t read_filled(struct iov_iter *to, size_t chunk,
			   size_t (*fill)(size_t n, struct iov_iter *to))
{
	size_t done = 0;

	while (to->count) {
		size_t want = MIN(to->count, chunk), n = fill(want, to);
		done += n;
		if (n < want)
			return done ? (ssize_t)done : -EFAULT;
		if (to->count && signal_pending(current))
			break;
	}
	return (ssize_t)done;
}

static size_t fill_zero(size_t n, struct iov_iter *to)
{
	return iov_iter_zero(n, to);
}

static ssize_t read_zero(struct file *f, struct iov_iter *to, u64 *pos)
{
	(void)f, (void)pos;
	return read_filled(to, PAGE_SIZE, fill_zero); /* a page at a time */
}

static ssize_t write_full(struct file *f, struct iov_iter *from, u64 *pos)
{
	(void)f, (void)from, (void)pos;
	return -ENOSPC;
}

/* Both random devices read from the kernel generator (kernel/random.h);
 * it never blocks, as /dev/random has not since Linux 5.6 once seeded. */
static size_t fill_random(size_t n, struct iov_iter *to)
{
	u8 k[256];

	get_random_bytes(k, n);
	return copy_to_iter(k, n, to);
}

static ssize_t read_random(struct file *f, struct iov_iter *to, u64 *pos)
{
	(void)f, (void)pos;
	return read_filled(to, 256, fill_random);
}

static const struct file_operations null_fops = {
	.llseek = null_lseek, .read_iter = read_null, .write_iter = write_null,
};
/* mmap of /dev/zero gives anonymous memory (private) or shared anonymous
 * memory (MAP_SHARED): do_mmap sees FMODE_MMAP_ANON and drops the file. */
static int mmap_zero(struct file *f, struct vm_area_struct *vma)
{
	(void)f, (void)vma;
	return 0;
}

static const struct file_operations zero_fops = {
	.llseek = null_lseek, .read_iter = read_zero, .write_iter = write_null, .mmap = mmap_zero,
};
static const struct file_operations full_fops = {
	.llseek = null_lseek, .read_iter = read_zero, .write_iter = write_full,
};
static const struct file_operations random_fops = {
	.llseek = null_lseek, .read_iter = read_random, .write_iter = write_null,
};

static int memory_open(struct inode *inode, struct file *f)
{
	switch (MINOR(inode->i_rdev)) {
	case 3:
		f->f_op = &null_fops;
		return 0;
	case 5:
		f->f_op = &zero_fops;
		f->f_mode |= FMODE_MMAP_ANON;
		return 0;
	case 7:
		f->f_op = &full_fops;
		return 0;
	case 8:
	case 9:
		f->f_op = &random_fops; /* writes would add entropy: swallowed */
		return 0;
	}
	return -ENXIO;
}

static const struct file_operations memory_fops = {
	.open = memory_open,
};

void chr_dev_init(void)
{
	if (register_chrdev(MEM_MAJOR, 0, 256, "mem", &memory_fops))
		pr_err("mem: cannot register major %d\n", MEM_MAJOR);
}
