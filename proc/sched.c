/* Task creation and switching for the boot skeleton: a task gets a kernel
 * stack with pt_regs at the top and a thread_struct that makes its first
 * switch land in ret_from_kernel_thread. Each hart has one run slot besides
 * its idle task; the CFS run queues of the scheduler issue replace it. */
#include "proc/sched.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/traps.h"
#include "mm/page_alloc.h"
#include "mm/mm.h"
#include "arch/riscv/tlbflush.h"
#include "mm/slab.h"

union thread_union {
	u8 stack[THREAD_SIZE];
} init_thread_union __aligned(THREAD_SIZE);

struct task_struct init_task = {
	.thread_info = { .cpu = 0 },
	.stack = &init_thread_union,
	.state = TASK_RUNNING,
	.flags = PF_KTHREAD | PF_IDLE,
	.comm = "swapper/0",
};

struct hart harts[NR_CPUS];
int nr_cpus_possible = 1;
static struct task_struct *run_slot[NR_CPUS]; /* the one non-idle task per hart */
static int last_pid;

int alloc_pid(void)
{
	return __atomic_add_fetch(&last_pid, 1, __ATOMIC_RELAXED);
}

struct task_struct *alloc_task(const char *comm, int cpu)
{
	struct task_struct *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->stack = alloc_pages_va(THREAD_ORDER);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	t->thread_info.cpu = cpu;
	t->thread_info.kernel_sp = (long)t->stack + THREAD_SIZE;
	t->state = TASK_RUNNING;
	strlcpy(t->comm, comm, sizeof(t->comm));
	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	t->rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;
	t->rlim[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };
	t->rlim[RLIMIT_CORE].rlim_cur = 0;
	memset(task_pt_regs(t), 0, sizeof(struct pt_regs));
	return t;
}

/* A task that first runs fn(arg) in S-mode; if fn returns, the task
 * leaves through its pt_regs (set by exec to enter user mode). */
struct task_struct *kernel_thread(int (*fn)(void *), void *arg, const char *comm, int cpu)
{
	struct task_struct *t = alloc_task(comm, cpu);

	if (!t)
		return NULL;
	t->flags = PF_KTHREAD;
	t->thread.ra = (unsigned long)ret_from_kernel_thread;
	t->thread.sp = (unsigned long)task_pt_regs(t);
	t->thread.s[0] = (unsigned long)fn;
	t->thread.s[1] = (unsigned long)arg;
	task_pt_regs(t)->status = SR_SPP | SR_SPIE; /* until exec says user mode */
	t->pid = t->tgid = alloc_pid();
	return t;
}

void wake_up_new_task(struct task_struct *t)
{
	int cpu = t->thread_info.cpu;

	BUG_ON(run_slot[cpu]);
	run_slot[cpu] = t;
}

/* Switch to this hart's runnable task, or to its idle task. */
void schedule(void)
{
	int cpu = smp_processor_id();
	struct task_struct *prev = current, *next = run_slot[cpu];
	unsigned long f = local_irq_save();

	if (next && next->state == TASK_DEAD) {
		run_slot[cpu] = NULL;
		next = NULL;
	}
	if (!next)
		next = harts[cpu].idle;
	if (next != prev) {
		prev->nvcsw++;
		if (next->mm)
			switch_mm(prev->mm, next->mm);
		__switch_to(prev, next);
	}
	local_irq_restore(f);
}

/* Sleep in wfi until there is something to run. */
void cpu_idle(void)
{
	for (;;) {
		if (run_slot[smp_processor_id()])
			schedule();
		local_irq_enable();
		wait_for_interrupt();
	}
}
