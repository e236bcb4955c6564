/* fs_struct: a process's file-system context (root, cwd, umask), shared
 * with CLONE_FS, copied otherwise. The VFS issue gives root/pwd dentries;
 * until then every path starts at the one root. */
#ifndef KERNEL_FS_FS_STRUCT_H
#define KERNEL_FS_FS_STRUCT_H
#include "kernel/spinlock.h"

struct inode;
struct task_struct;

struct fs_struct {
	int users;            /* tasks sharing it */
	spinlock_t lock;      /* protects umask, root, pwd */
	unsigned int umask;
	struct inode *root, *pwd;
};

struct fs_struct *fs_alloc(void);
struct fs_struct *copy_fs_struct(struct fs_struct *old);
void exit_fs(struct task_struct *t);

#endif
