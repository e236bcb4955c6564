/* memfd_create(2) and file sealing (Linux: mm/memfd.c over mm/shmem.c):
 * an anonymous tmpfs-like file (its data is its page cache, like ramfs)
 * on the internal pipefs mount, named "memfd:NAME" in /proc/<pid>/fd, and
 * the seals F_ADD_SEALS puts on it: no more seals, no shrinking, no
 * growing, no writing (through write(), truncation or shared mappings). */
#include "kernel/fs/memfd.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/file.h"
#include "kernel/fs/ramfs.h"
#include "kernel/fs/stat.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/filemap.h"
#include "mm/mm_types.h"
#include "mm/slab.h"

#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB 0x0004U
#define MFD_NAME_PREFIX "memfd:"
#define MFD_NAME_MAX_LEN (255 - 6) /* NAME_MAX minus the prefix */

#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#define F_SEAL_FUTURE_WRITE 0x0010
#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)
#define WRITE_SEALS (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

/* The seals live in the inode's i_private (a memfd inode has no other
 * private data); i_rwsem serializes changing them against writers. */
static unsigned int memfd_seals(struct inode *inode)
{
	return (unsigned int)(unsigned long)READ_ONCE(inode->i_private);
}

static ssize_t memfd_write_iter(struct file *f, struct iov_iter *from, u64 *pos)
{
	unsigned int seals = memfd_seals(f->f_inode);
	u64 at = ((f->f_flags & O_APPEND) || from->append) ? f->f_inode->i_size : *pos;

	if (seals & WRITE_SEALS)
		return -EPERM;
	if ((seals & F_SEAL_GROW) && at + from->count > f->f_inode->i_size) {
		if (at >= f->f_inode->i_size)
			return -EPERM;
		from->count = f->f_inode->i_size - at; /* up to the end, as Linux's page-wise check */
	}
	return generic_file_write_iter(f, from, pos);
}

static const struct file_operations memfd_fops = {
	.llseek = generic_file_llseek,
	.read_iter = generic_file_read_iter,
	.write_iter = memfd_write_iter,
	.mmap = generic_file_mmap,
};

/* Truncation and fallocate growth come here (do_truncate). */
static int memfd_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->d_inode;
	unsigned int seals = memfd_seals(inode);

	if (a->ia_valid & ATTR_SIZE) {
		if ((seals & WRITE_SEALS) && a->ia_size != inode->i_size)
			return -EPERM;
		if ((seals & F_SEAL_SHRINK) && a->ia_size < inode->i_size)
			return -EPERM;
		if ((seals & F_SEAL_GROW) && a->ia_size > inode->i_size)
			return -EPERM;
	}
	return ramfs_setattr(d, a);
}

static const struct inode_operations memfd_iops = {
	.setattr = memfd_setattr,
	.getattr = ramfs_getattr,
};

/* d_fsdata holds "memfd:NAME"; d_path shows it as Linux does. */
static void memfd_dname(struct dentry *d, char *buf, int buflen)
{
	snprintf(buf, (size_t)buflen, "/%s (deleted)", (const char *)d->d_fsdata);
}

static void memfd_d_release(struct dentry *d)
{
	kfree(d->d_fsdata);
}

static const struct dentry_operations memfd_dops = {
	.d_release = memfd_d_release,
	.d_dname = memfd_dname,
};

static struct file *memfd_file(char *name, unsigned int flags)
{
	struct inode *inode = new_inode_pseudo();

	if (!inode || IS_ERR(inode))
		return NULL;
	inode->i_mode = S_IFREG | 0777;
	inode->i_op = &memfd_iops;
	inode->i_fop = &memfd_fops;
	inode->i_private = (void *)(unsigned long)(flags & MFD_ALLOW_SEALING ? 0 : F_SEAL_SEAL);
	struct file *f = alloc_file_pseudo_ops(inode, O_RDWR | O_LARGEFILE, &memfd_fops, &memfd_dops);
	if (!f) {
		iput(inode);
		return NULL;
	}
	f->f_dentry->d_fsdata = name;
	f->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE; /* a regular file, unlike a pipe */
	return f;
}

SYSCALL_DEFINE2(memfd_create, const char __user *, uname, unsigned int, flags)
{
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL; /* MFD_HUGETLB included: no huge pages here */
	char *name = kmalloc(sizeof(MFD_NAME_PREFIX) + MFD_NAME_MAX_LEN + 1);
	if (!name)
		return -ENOMEM;
	memcpy(name, MFD_NAME_PREFIX, sizeof(MFD_NAME_PREFIX) - 1);
	long n = strncpy_from_user(name + sizeof(MFD_NAME_PREFIX) - 1, uname, MFD_NAME_MAX_LEN + 1);
	long err = n < 0 ? -EFAULT : n > MFD_NAME_MAX_LEN ? -EINVAL : 0;
	struct file *f = err ? NULL : memfd_file(name, flags); /* the dentry owns name */
	if (!f) {
		kfree(name);
		return err ? err : -ENOMEM;
	}
	int fd = fd_install_flags(f, flags & MFD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		fput(f);
	return fd;
}

/* Does a shared mapping that may write (VM_SHARED and VM_MAYWRITE) exist? */
static bool mapping_writably_mapped(struct inode *inode)
{
	struct address_space *m = inode->i_mapping;
	bool yes = false;
	struct list_head *pos;

	if (!m)
		return false;
	spin_lock(&m->i_mmap_lock);
	list_for_each(pos, &m->i_mmap) {
		struct vm_area_struct *v = list_entry(pos, struct vm_area_struct, shared);
		if ((v->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
			yes = true;
	}
	spin_unlock(&m->i_mmap_lock);
	return yes;
}

static long memfd_add_seals(struct inode *inode, unsigned int seals)
{
	long err = 0;

	if (seals & ~F_ALL_SEALS)
		return -EINVAL;
	mutex_lock(&inode->i_rwsem);
	unsigned int cur = memfd_seals(inode);
	if (cur & F_SEAL_SEAL)
		err = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(cur & F_SEAL_WRITE) && mapping_writably_mapped(inode))
		err = -EBUSY;
	else
		WRITE_ONCE(inode->i_private, (void *)(unsigned long)(cur | seals));
	mutex_unlock(&inode->i_rwsem);
	return err;
}

long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (f->f_op != &memfd_fops)
		return -EINVAL; /* only memfds can be sealed here (tmpfs files cannot) */
	if (cmd == F_GET_SEALS)
		return memfd_seals(f->f_inode);
	if (!(f->f_mode & FMODE_WRITE))
		return -EPERM;
	return memfd_add_seals(f->f_inode, (unsigned int)arg);
}

int memfd_check_seals_mmap(struct file *f, unsigned long *vm_flags)
{
	if (f->f_op != &memfd_fops || !(memfd_seals(f->f_inode) & WRITE_SEALS) ||
	    !(*vm_flags & VM_SHARED))
		return 0;
	if (*vm_flags & VM_WRITE)
		return -EPERM;
	*vm_flags &= ~VM_MAYWRITE; /* mprotect cannot make it writable later */
	return 0;
}
