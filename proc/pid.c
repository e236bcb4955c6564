/* pid allocation and lookup. The table maps a pid to its task; the use
 * counts keep ids reserved while a process group or session refers to
 * them after the task is gone. tasklist_lock protects both. */
#include "proc/pid.h"
#include "proc/sched.h"
#include "kernel/errno.h"

static struct task_struct *pid_table[PID_MAX_DEFAULT];
static unsigned short pid_users[PID_MAX_DEFAULT]; /* task + groups/sessions using the id */
static int last_pid;
DEFINE_SPINLOCK(tasklist_lock);

/* Caller holds tasklist_lock. */
int alloc_pid(void)
{
	for (int n = 0; n < PID_MAX_DEFAULT; n++) {
		int pid = last_pid + 1 + n;
		if (pid >= PID_MAX_DEFAULT)
			pid = 300 + (pid - PID_MAX_DEFAULT) % (PID_MAX_DEFAULT - 300); /* Linux wraps to 300 */
		if (pid_users[pid] == 0) {
			pid_users[pid] = 1;
			last_pid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

void free_pid(int pid)
{
	pid_table[pid] = NULL;
	pid_release(pid);
}

void pid_hold(int pid)
{
	pid_users[pid]++;
}

void pid_release(int pid)
{
	pid_users[pid]--;
}

void attach_pid(struct task_struct *t)
{
	pid_table[t->pid] = t;
}

struct task_struct *find_task_by_pid(int pid)
{
	if (pid <= 0 || pid >= PID_MAX_DEFAULT)
		return NULL;
	return pid_table[pid];
}
