/* RISC-V supervisor CSRs, their bits, and accessors (privileged spec
 * v1.12 chapter 4). Usable from C and from assembly. */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

#define SR_SIE  (1UL << 1)
#define SR_SPIE (1UL << 5)
#define SR_SPP  (1UL << 8)
#define SR_FS   (3UL << 13)
#define SR_FS_INITIAL (1UL << 13)
#define SR_FS_CLEAN   (2UL << 13)
#define SR_FS_DIRTY   (3UL << 13)
#define SR_SUM  (1UL << 18)
#define SR_MXR  (1UL << 19)

#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXT)
#define CAUSE_IRQ_FLAG (1UL << 63)

#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_INST_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_SYSCALL 8
#define EXC_HYPERVISOR_SYSCALL 9
#define EXC_SUPERVISOR_SYSCALL 10
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

#define SATP_MODE_SV48 (9UL << 60)
#define SATP_MODE_SHIFT 60
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK 0xffffUL
#define SATP_PPN_MASK ((1UL << 44) - 1)

#define CSR_STIMECMP 0x14d

#ifndef __ASSEMBLY__
#define csr_read(csr) ({ unsigned long __v;                            \
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); \
	__v; })
#define csr_write(csr, val) ({ unsigned long __v = (unsigned long)(val);   \
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({ unsigned long __v = (unsigned long)(val);     \
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({ unsigned long __v = (unsigned long)(val);   \
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_read_clear(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ __volatile__("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"(__v) : "memory"); \
	__v; })

static inline unsigned long local_irq_save(void)
{
	return csr_read_clear(sstatus, SR_SIE) & SR_SIE;
}
static inline void local_irq_restore(unsigned long flags)
{
	csr_set(sstatus, flags & SR_SIE);
}
static inline void local_irq_enable(void) { csr_set(sstatus, SR_SIE); }
static inline void local_irq_disable(void) { csr_clear(sstatus, SR_SIE); }
static inline unsigned long get_cycles(void) { return csr_read(time); }
static inline void wait_for_interrupt(void) { __asm__ __volatile__("wfi" ::: "memory"); }
#endif

#endif
