/* The first page table, built before the MMU is on (this code runs at
 * physical addresses, so it uses only pc-relative data and no pointer
 * tables). One table of 1 GiB leaves serves both the identity map, needed
 * for the instant satp changes, and the direct map at PAGE_OFFSET. */
#include "arch/riscv/csr.h"
#include "arch/riscv/pgtable.h"
#include "arch/riscv/sbi.h"

pte_t early_pg_dir[PTRS_PER_PT] __aligned(PAGE_SIZE);
static pte_t early_pud[PTRS_PER_PT] __aligned(PAGE_SIZE);
unsigned long early_satp;

static void early_puts(const char *s)
{
	while (*s)
		sbi_console_putchar(*s++);
}

void setup_vm(void)
{
	u64 pud_pfn = (uintptr_t)early_pud >> PAGE_SHIFT;

	for (int i = 0; i < PTRS_PER_PT; i++)
		early_pud[i] = pfn_pte((u64)i << (30 - PAGE_SHIFT),
				       PAGE_KERNEL | _PAGE_EXEC);
	early_pg_dir[0] = pfn_pte(pud_pfn, _PAGE_PRESENT);
	early_pg_dir[PT_INDEX(PAGE_OFFSET, 3)] = pfn_pte(pud_pfn, _PAGE_PRESENT);
	early_satp = SATP_MODE_SV48 | ((uintptr_t)early_pg_dir >> PAGE_SHIFT);

	/* satp is WARL: a mode the hart lacks leaves it unchanged. */
	__asm__ __volatile__("sfence.vma" ::: "memory");
	csr_write(satp, early_satp);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	if (csr_read(satp) >> SATP_MODE_SHIFT != SATP_MODE_SV48 >> SATP_MODE_SHIFT) {
		early_puts("Vireo: this hart does not implement Sv48 paging "
			   "(satp.MODE=9 was refused); Vireo needs Sv48. Stopping.\n");
		sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE);
		for (;;)
			wait_for_interrupt();
	}
}
