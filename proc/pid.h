/* Process ids (proc/pid.c): increasing, wrapping at pid_max, skipping
 * ids still in use by a task, a thread group, a process group or a
 * session (as Linux does). */
#ifndef PROC_PID_H
#define PROC_PID_H

#define PID_MAX_DEFAULT 32768

int alloc_pid(void);        /* -EAGAIN when all are in use */
void free_pid(int pid);
/* Keep an id reserved while a group or session still uses it. */
void pid_hold(int pid);
void pid_release(int pid);

#endif
