/* fs_struct lifetime (see fs_struct.h) and umask. */
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/ramfs.h"
#include "kernel/syscall.h"
#include "mm/slab.h"
#include "proc/task.h"

struct fs_struct *fs_alloc(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->users = 1;
	spin_lock_init(&fs->lock);
	fs->umask = 022;
	fs->root = fs->pwd = ramfs_root();
	return fs;
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = fs_alloc();

	if (!fs)
		return NULL;
	spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	spin_unlock(&old->lock);
	return fs;
}

void exit_fs(struct task_struct *t)
{
	struct fs_struct *fs = t->fs;

	if (!fs)
		return;
	t->fs = NULL;
	if (__atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(fs);
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
