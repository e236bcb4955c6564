/* ASID allocation and TLB shootdown.
 *
 * ASIDs: context_id = generation | asid. A new mm, or one whose generation
 * is old, takes the next free ASID; when they run out the generation
 * advances, the bitmap empties, and every hart flushes its whole TLB
 * before its next switch (flush_pending). Shootdowns flush by address for
 * all ASIDs, which stays correct however ASIDs were reassigned. */
#include "arch/riscv/tlbflush.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/vm.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "mm/page.h"
#include "proc/task.h"

#define MAX_ASIDS 65536
unsigned long asid_bits;
static unsigned long nr_asids;
static u64 asid_generation = MAX_ASIDS; /* low 16 bits are the ASID */
static unsigned long next_asid = 1;     /* ASID 0: the kernel-only context */
static unsigned long asid_used[MAX_ASIDS / 64];
static unsigned long flush_pending;     /* harts (cpu bits) owing a full flush */
/* Protects the generation, the bitmap and flush_pending. */
static DEFINE_SPINLOCK(asid_lock);
static bool have_rfence;

/* satp's ASID field is WARL: write all ones, read back what sticks. */
void asid_init(void)
{
	unsigned long old = csr_read(satp);

	csr_write(satp, old | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	for (unsigned long m = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK; m; m >>= 1)
		asid_bits += m & 1;
	csr_write(satp, old);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	nr_asids = asid_bits ? 1UL << asid_bits : 1;
	have_rfence = sbi_probe_extension(SBI_EXT_RFENCE);
	pr_info("mm: %lu ASID bits, TLB shootdown via %s\n", asid_bits,
		have_rfence ? "SBI RFENCE" : "IPI fallback (none)");
}

static u64 new_context(void)
{
	while (next_asid < nr_asids && (asid_used[next_asid / 64] & (1UL << (next_asid % 64))))
		next_asid++;
	if (next_asid >= nr_asids) { /* rollover */
		asid_generation += MAX_ASIDS;
		memset(asid_used, 0, sizeof(asid_used));
		next_asid = 1;
		flush_pending = ~0UL;
	}
	asid_used[next_asid / 64] |= 1UL << (next_asid % 64);
	return asid_generation | next_asid++;
}

/* Interrupts off throughout: the cpu whose flush_pending bit is cleared
 * must be the hart whose satp is written and TLB flushed (exec and exit
 * call this outside the scheduler, preemptible). */
void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned long satp, irq = local_irq_save();
	int cpu = smp_processor_id();

	(void)prev;
	if (!next) {
		csr_write(satp, swapper_satp);
		local_irq_restore(irq);
		return;
	}
	spin_lock(&asid_lock);
	if (nr_asids == 1)
		next->context_id = asid_generation; /* no ASIDs: flush at every switch */
	else if ((next->context_id & ~(u64)(MAX_ASIDS - 1)) != asid_generation)
		next->context_id = new_context();
	bool flush = nr_asids == 1 || (flush_pending & (1UL << cpu));
	flush_pending &= ~(1UL << cpu);
	spin_unlock(&asid_lock);
	__atomic_fetch_or(&next->cpu_mask, 1UL << cpu, __ATOMIC_RELAXED);
	satp = SATP_MODE_SV48 | ((next->context_id & (MAX_ASIDS - 1)) << SATP_ASID_SHIFT) |
	       (__pa(next->pgd) >> PAGE_SHIFT);
	csr_write(satp, satp);
	if (flush)
		__asm__ __volatile__("sfence.vma" ::: "memory");
	local_irq_restore(irq);
}

/* hartid mask of the other harts that may cache mm's translations.
 * Callers keep preemption off from their local flush to the remote one,
 * so "other" means other than the hart that was flushed locally. */
static unsigned long other_harts(struct mm_struct *mm)
{
	unsigned long cpus = __atomic_load_n(&mm->cpu_mask, __ATOMIC_RELAXED);
	unsigned long mask = 0;

	cpus &= ~(1UL << smp_processor_id());
	for (int cpu = 0; cpus && cpu < nr_cpus_possible; cpu++)
		if (cpus & (1UL << cpu))
			mask |= 1UL << harts[cpu].hartid;
	return mask;
}

static void remote_flush(struct mm_struct *mm, unsigned long start, unsigned long size)
{
	unsigned long mask = other_harts(mm);

	if (mask && have_rfence)
		sbi_ecall(SBI_EXT_RFENCE, 1, mask, 0, start, size);
}

void flush_tlb_mm(struct mm_struct *mm)
{
	preempt_disable();
	__asm__ __volatile__("sfence.vma" ::: "memory");
	remote_flush(mm, 0, ~0UL);
	preempt_enable();
}

void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	if (end - start > 64 * PAGE_SIZE) {
		flush_tlb_mm(vma->vm_mm);
		return;
	}
	preempt_disable();
	for (unsigned long a = start; a < end; a += PAGE_SIZE)
		local_flush_tlb_page(a);
	remote_flush(vma->vm_mm, start, end - start);
	preempt_enable();
}

void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr)
{
	preempt_disable();
	local_flush_tlb_page(addr);
	remote_flush(vma->vm_mm, addr, PAGE_SIZE);
	preempt_enable();
}

/* riscv_flush_icache(2): make stores to instructions visible to
 * instruction fetch, on every hart (Linux: arch/riscv/mm/cacheflush.c;
 * without per-mm tracking, all harts fence now). */
#define SYS_RISCV_FLUSH_ICACHE_LOCAL 1UL
SYSCALL_DEFINE3(riscv_flush_icache, unsigned long, start, unsigned long, end, unsigned long, flags)
{
	(void)start, (void)end;
	if (flags & ~SYS_RISCV_FLUSH_ICACHE_LOCAL)
		return -EINVAL;
	__asm__ volatile("fence.i" ::: "memory");
	if (!(flags & SYS_RISCV_FLUSH_ICACHE_LOCAL) && have_rfence)
		sbi_ecall(SBI_EXT_RFENCE, 0, 0, -1UL, 0, 0); /* remote fence.i, all harts */
	return 0;
}
