/* fs_struct: a process's file-system context (root, cwd, umask), shared
 * with CLONE_FS, copied otherwise (Linux: include/linux/fs_struct.h). */
#ifndef KERNEL_FS_FS_STRUCT_H
#define KERNEL_FS_FS_STRUCT_H
#include "kernel/fs/mount.h"

struct task_struct;

struct fs_struct {
	int users;            /* tasks sharing it (atomic) */
	spinlock_t lock;      /* protects umask, root, pwd */
	unsigned int umask;
	struct path root, pwd;  /* each holds references */
};

struct fs_struct *fs_alloc(void);   /* root and cwd "/" of the root mount */
struct fs_struct *copy_fs_struct(struct fs_struct *old);
void exit_fs(struct task_struct *t);
/* Referenced copies of the current task's root / cwd. */
void get_fs_root(struct fs_struct *fs, struct path *root);
void get_fs_pwd(struct fs_struct *fs, struct path *pwd);
void set_fs_pwd(struct fs_struct *fs, const struct path *p);
void set_fs_root(struct fs_struct *fs, const struct path *p);
unsigned int current_umask(void);

#endif
