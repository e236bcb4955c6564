/* devpts (Linux: fs/devpts/inode.c): the /dev/pts file system where pty
 * slaves appear as /dev/pts/N while their master is open. */
#ifndef KERNEL_FS_DEVPTS_H
#define KERNEL_FS_DEVPTS_H
#include "kernel/fs/fs.h"

#define UNIX98_PTY_SLAVE_MAJOR 136
#define NR_UNIX98_PTY_MAX 1024  /* pty pairs at once (Linux: pty.max) */

void devpts_init(void);                 /* register the file system */
int devpts_new_index(void);             /* a free pty number, or -ENOSPC */
void devpts_kill_index(int idx);
/* Make /dev/pts/idx (char 136:idx, mode 0620, owned by the caller's
 * fsuid and group tty); returns its dentry, referenced, or an ERR_PTR. */
struct dentry *devpts_pty_new(int idx);
void devpts_pty_kill(struct dentry *d); /* remove it, drop the reference */
bool is_devpts_sb(const struct super_block *sb);

#endif
