/* Character device registry (Linux: fs/char_dev.c): drivers register
 * file operations for a major number and a range of minors; opening a
 * device node finds them by the inode's i_rdev and switches f_op. */
#include "kernel/fs/fs.h"
#include "kernel/string.h"

#define MAX_CHRDEVS 32
struct char_device {
	unsigned int major, minor_base, count;
	const char *name;
	const struct file_operations *fops;
};
static struct char_device chrdevs[MAX_CHRDEVS];
static int nr_chrdevs;
static DEFINE_SPINLOCK(chrdevs_lock); /* protects chrdevs[] and nr_chrdevs */

int register_chrdev(unsigned int major, unsigned int minor_base, unsigned int count,
		    const char *name, const struct file_operations *fops)
{
	int err = 0;

	spin_lock(&chrdevs_lock);
	for (int i = 0; i < nr_chrdevs; i++) {
		struct char_device *c = &chrdevs[i];
		if (c->major == major && minor_base < c->minor_base + c->count &&
		    c->minor_base < minor_base + count)
			err = -EBUSY;
	}
	if (!err && nr_chrdevs == MAX_CHRDEVS)
		err = -ENOSPC;
	if (!err)
		chrdevs[nr_chrdevs++] = (struct char_device){ major, minor_base, count, name, fops };
	spin_unlock(&chrdevs_lock);
	return err;
}

static const struct file_operations *chrdev_fops(u32 rdev)
{
	const struct file_operations *fops = NULL;

	spin_lock(&chrdevs_lock);
	for (int i = 0; i < nr_chrdevs; i++) {
		struct char_device *c = &chrdevs[i];
		if (c->major == MAJOR(rdev) && MINOR(rdev) >= c->minor_base &&
		    MINOR(rdev) < c->minor_base + c->count)
			fops = c->fops;
	}
	spin_unlock(&chrdevs_lock);
	return fops;
}

static int chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_operations *fops = chrdev_fops(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	f->f_op = fops;
	return fops->open ? fops->open(inode, f) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
