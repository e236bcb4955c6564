/* System V IPC as the rest of the kernel sees it (Linux: include/linux/ipc.h,
 * sem.h, shm.h): boot-time setup, the /proc/sysvipc files, and the SEM_UNDO
 * state a task carries through fork (CLONE_SYSVSEM shares it) and applies
 * at exit. */
#ifndef KERNEL_IPC_IPC_H
#define KERNEL_IPC_IPC_H
#include "kernel/types.h"

struct task_struct;
struct sem_undo_list;

/* In task_struct: the task's undo list, NULL until its first SEM_UNDO. */
struct sysv_sem {
	struct sem_undo_list *undo_list;
};

void ipc_init(void);
void shm_init(void);
void sem_init(void);
void msg_init(void);
void mq_init(void); /* registers the "mqueue" file system (kernel/ipc/mqueue.c) */

/* /proc/sysvipc/shm, sem, msg: Linux's columns (procfs show functions). */
struct file;
size_t sysvipc_shm_proc_show(struct file *f, char *buf, size_t n);
size_t sysvipc_sem_proc_show(struct file *f, char *buf, size_t n);
size_t sysvipc_msg_proc_show(struct file *f, char *buf, size_t n);

/* fork: share the parent's undo list with CLONE_SYSVSEM, else start empty. */
int copy_semundo(unsigned long clone_flags, struct task_struct *tsk);
/* exit (and a failed fork): drop the task's reference; the last one applies
 * the adjustments to the semaphores. */
void exit_sem(struct task_struct *tsk);

#endif
