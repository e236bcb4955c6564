/* membarrier(2) (Linux: kernel/sched/membarrier.c): make every thread of
 * this process (PRIVATE_EXPEDITED) or of the system (GLOBAL, and
 * GLOBAL_EXPEDITED) pass a full memory barrier before the call returns.
 * The harts that run such a thread right now get an IPI whose handler
 * fences and acknowledges; a thread not running passes the scheduler's
 * barrier (rq->lock) before it runs again. */
#include "proc/sched/sched.h"
#include "arch/riscv/sbi.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "mm/mm.h"

#define MEMBARRIER_CMD_QUERY 0
#define MEMBARRIER_CMD_GLOBAL (1 << 0)
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED (1 << 1)
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED (1 << 2)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED (1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED (1 << 4)
#define MEMBARRIER_CMD_BITMASK                                                    \
	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |                \
	 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)

/* Per hart: barriers asked of it, and the last request it acknowledged
 * (after its fence). Requesters add to req; only the hart writes ack. */
static u64 mb_req[NR_CPUS], mb_ack[NR_CPUS];

static inline void smp_mb(void)
{
	__asm__ __volatile__("fence rw, rw" ::: "memory");
}

/* From the supervisor software interrupt (every IPI passes here). */
void membarrier_ipi(void)
{
	int cpu = smp_processor_id();
	u64 r = __atomic_load_n(&mb_req[cpu], __ATOMIC_ACQUIRE);

	smp_mb();
	if (__atomic_load_n(&mb_ack[cpu], __ATOMIC_RELAXED) < r)
		__atomic_store_n(&mb_ack[cpu], r, __ATOMIC_RELEASE);
}

/* Does cpu run a thread of mm (any user task if mm is NULL)? The rq lock
 * keeps rq->curr from going away while we look at it. */
static bool runs_mm(int cpu, struct mm_struct *mm)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned long f = spin_lock_irqsave(&rq->lock);
	struct task_struct *p = rq->curr;
	bool yes = !(p->flags & PF_IDLE) && p->mm && (!mm || p->mm == mm);

	spin_unlock_irqrestore(&rq->lock, f);
	return yes;
}

/* IPI the harts running a thread of mm (all user threads if NULL) and
 * wait for each to fence. We spin preemptible, with interrupts on: two
 * harts asking each other at once both get through. */
static void membarrier_ipi_wait(struct mm_struct *mm)
{
	u64 want[NR_CPUS];
	unsigned long hartmask = 0, cpus = 0;
	int self = smp_processor_id();

	smp_mb(); /* order the caller's accesses before the remote barriers */
	for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		if (cpu == self || !READ_ONCE(harts[cpu].online) || !runs_mm(cpu, mm))
			continue;
		want[cpu] = __atomic_add_fetch(&mb_req[cpu], 1, __ATOMIC_ACQ_REL);
		cpus |= 1UL << cpu;
		hartmask |= 1UL << harts[cpu].hartid;
	}
	if (hartmask)
		sbi_send_ipi(hartmask, 0);
	for (int cpu = 0; cpu < nr_cpus_possible; cpu++)
		while ((cpus & (1UL << cpu)) && __atomic_load_n(&mb_ack[cpu], __ATOMIC_ACQUIRE) < want[cpu])
			__asm__ __volatile__("" ::: "memory");
	smp_mb(); /* and the remote ones before what the caller does next */
}

SYSCALL_DEFINE3(membarrier, int, cmd, unsigned int, flags, int, cpu_id)
{
	struct mm_struct *mm = current->mm;

	(void)cpu_id; /* only MEMBARRIER_CMD_FLAG_CPU (with RSEQ, not offered) uses it */
	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_CMD_BITMASK;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		/* Every running user thread (registered or not: a superset). */
		membarrier_ipi_wait(NULL);
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		__atomic_fetch_or(&mm->membarrier_state, cmd, __ATOMIC_RELEASE);
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		if (!(__atomic_load_n(&mm->membarrier_state, __ATOMIC_ACQUIRE) &
		      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
			return -EPERM;
		membarrier_ipi_wait(mm);
		return 0;
	}
	return -EINVAL;
}
