/* Process exit (proc/exit.c). `code` is a wait status: (status << 8) for
 * a normal exit, the signal number for a kill. */
#ifndef PROC_EXIT_H
#define PROC_EXIT_H

void __attribute__((noreturn)) do_exit(int code);
void __attribute__((noreturn)) do_group_exit(int code);

#endif
