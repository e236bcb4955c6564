/* Process exit and wait (proc/exit.c). `code` is a wait status: (status
 * << 8) for a normal exit, the signal number (| 0x80 for a core dump)
 * for a kill. */
#ifndef PROC_EXIT_H
#define PROC_EXIT_H

struct task_struct;
void __attribute__((noreturn)) do_exit(int code);
void __attribute__((noreturn)) do_group_exit(int code);
void release_task(struct task_struct *p);

#endif
