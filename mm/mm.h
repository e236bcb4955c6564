/* mm_struct: one user address space (Sv48 page table + layout). For now
 * every user page is allocated when it is mapped (exec, brk); VMAs and
 * demand paging replace that in the address-space issue. */
#ifndef MM_MM_H
#define MM_MM_H
#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "arch/riscv/pgtable.h"

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

#define STACK_TOP (USER_VA_END - PAGE_SIZE) /* a guard page above */
#define STACK_INIT_SIZE (128 * 1024)        /* mapped at exec */
#define RLIMIT_STACK_DEFAULT (8UL << 20)
#define BRK_MAX (1UL << 40) /* brk may not grow into the stack area */

struct mm_struct {
	pte_t *pgd;
	int mm_users;
	spinlock_t page_table_lock; /* protects the user half of pgd */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack, stack_low;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long task_size;
	unsigned long total_vm; /* pages mapped */
};

struct mm_struct *mm_alloc(void);
void mmput(struct mm_struct *mm);
void switch_mm(struct mm_struct *mm);
/* Map zeroed pages over [start, end) with PROT_* bits; -ENOMEM on failure. */
int mm_map_anon(struct mm_struct *mm, unsigned long start, unsigned long end, int prot);
void mm_unmap(struct mm_struct *mm, unsigned long start, unsigned long end);
int mm_protect(struct mm_struct *mm, unsigned long start, unsigned long end, int prot);
/* Kernel address of the page backing user address va, or NULL. */
void *mm_page_va(struct mm_struct *mm, unsigned long va);

#endif
