/* File locks (Linux: fs/locks.c, include/linux/filelock.h): flock(2)
 * locks, POSIX record locks and open-file-description (OFD) record locks,
 * kept per inode. fcntl.c and flock(2) call in; file.c and inode.c hook the
 * releases at close, last fput and inode freeing. */
#ifndef KERNEL_FS_LOCKS_H
#define KERNEL_FS_LOCKS_H
#include "kernel/fs/fs.h"

struct files_struct;

#ifndef EDEADLK
#define EDEADLK 35              /* asm-generic/errno.h */
#endif

/* struct flock of the riscv64 ABI (asm-generic/fcntl.h; on 64-bit it is
 * also struct flock64): 32 bytes, padding after l_whence and l_pid. */
struct flock64 {
	s16 l_type, l_whence;
	s64 l_start, l_len;
	s32 l_pid;
};
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

/* flock(2) operations. */
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define LOCK_MAND 32            /* obsolete: accepted and ignored, as Linux */

/* F_GETLK / F_OFD_GETLK: report the first lock that would block *arg. */
long fcntl_getlk(struct file *f, bool ofd, struct flock64 __user *arg);
/* F_SETLK(W) / F_OFD_SETLK(W): take, change or release a byte range. */
long fcntl_setlk(struct file *f, bool ofd, bool wait, struct flock64 __user *arg);
/* flock(2) on an open file (cmd: LOCK_SH/EX/UN, maybe | LOCK_NB). */
long do_flock(struct file *f, unsigned int cmd);

/* Every close(2) of a descriptor: owner's POSIX locks on f's inode go.
 * owner NULL means the caller's table is already detached (exit_files). */
void locks_remove_posix(struct file *f, struct files_struct *owner);
/* The last reference to f: its flock and OFD locks go. */
void locks_remove_file(struct file *f);
/* The inode is being freed: its lock context (and any lock left) goes. */
void locks_free_lock_context(struct inode *inode);

/* /proc/locks text in Linux's format; returns the length it needs. */
size_t locks_show(struct file *f, char *buf, size_t n);

#endif
