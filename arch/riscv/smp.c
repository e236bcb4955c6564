/* Bringing up the other harts: each gets an idle task (its stack and
 * per-hart data hang off tp) and is started through SBI HSM at
 * secondary_start; it reports online and idles in wfi. */
#include "arch/riscv/smp.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/sbi.h"
#include "kernel/printk.h"
#include "mm/page.h"
#include "proc/sched.h"

extern char secondary_start[];
extern struct task_struct *secondary_idle[64]; /* head.S: for harts that arrive at _start */
static volatile int nr_online = 1;

void secondary_start_kernel(unsigned long hartid)
{
	struct hart *h = this_hart();

	h->online = true;
	sched_init_secondary(h->cpu);
	plic_init_hart(h->cpu);
	csr_set(sie, SIE_SSIE);
	__atomic_add_fetch(&nr_online, 1, __ATOMIC_RELEASE);
	pr_info("hart %lu online (cpu %d)\n", hartid, h->cpu);
	cpu_idle();
}

int smp_boot_secondaries(void)
{
	for (int cpu = 1; cpu < nr_cpus_possible; cpu++) {
		struct task_struct *idle = alloc_task_struct();
		if (!idle) {
			pr_err("smp: no memory for hart %lu's idle task\n", harts[cpu].hartid);
			continue;
		}
		snprintf(idle->comm, sizeof(idle->comm), "swapper/%d", cpu);
		idle->flags = PF_KTHREAD | PF_IDLE;
		idle->usage = 1;
		idle->state = TASK_RUNNING;
		idle->static_prio = idle->normal_prio = idle->prio = MAX_PRIO - 20;
		idle->thread_info.cpu = cpu;
		idle->thread_info.kernel_sp = (long)idle->stack + THREAD_SIZE;
		INIT_LIST_HEAD(&idle->children);
		INIT_LIST_HEAD(&idle->thread_group);
		INIT_LIST_HEAD(&idle->tasks);
		timers_init_cpu(cpu);
		harts[cpu].idle = idle;
		int expect = nr_online + 1;
		if (harts[cpu].hartid < 64)
			__atomic_store_n(&secondary_idle[harts[cpu].hartid], idle, __ATOMIC_RELEASE);
		long err = sbi_hart_start(harts[cpu].hartid, __pa(secondary_start), (unsigned long)idle);
		if (err) {
			pr_err("smp: SBI could not start hart %lu (error %ld)\n", harts[cpu].hartid, err);
			continue;
		}
		/* Wait (bounded) so harts come up in order and the log is stable. */
		for (unsigned long t0 = get_cycles(); get_cycles() - t0 < 100000000UL;)
			if (__atomic_load_n(&nr_online, __ATOMIC_ACQUIRE) >= expect)
				break;
		if (nr_online < expect)
			pr_err("smp: hart %lu did not come online\n", harts[cpu].hartid);
	}
	return nr_online;
}
