/* User address spaces: page-table set-up and teardown, mapping and
 * protecting pages, and switching satp. The kernel half of every pgd is
 * a copy of swapper_pg_dir's root entries (shared lower levels). */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "arch/riscv/vm.h"
#include "arch/riscv/csr.h"
#include "kernel/errno.h"
#include "kernel/string.h"

static u64 prot_to_pte(int prot)
{
	u64 p = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return _PAGE_PROT_NONE;
	if (prot & (PROT_READ | PROT_WRITE))
		p |= _PAGE_READ; /* W without R is reserved in Sv48 */
	if (prot & PROT_WRITE)
		p |= _PAGE_WRITE;
	if (prot & PROT_EXEC)
		p |= _PAGE_EXEC;
	return p;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = get_zeroed_page();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	memcpy(&mm->pgd[PTRS_PER_PT / 2], &swapper_pg_dir[PTRS_PER_PT / 2],
	       PTRS_PER_PT / 2 * sizeof(pte_t));
	mm->mm_users = 1;
	mm->task_size = USER_VA_END;
	spin_lock_init(&mm->page_table_lock);
	return mm;
}

/* Free the frames and table pages of the user half below `pt`. */
static void free_pt_level(pte_t *pt, int level)
{
	for (int i = 0; i < PTRS_PER_PT; i++) {
		pte_t e = pt[i];
		if (!pte_present(e))
			continue;
		void *va = __va(pte_pfn(e) << PAGE_SHIFT);
		if (pte_leaf(e))
			put_page(virt_to_page(va));
		else
			free_pt_level(va, level - 1);
	}
	free_page_va(pt);
}

void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users > 0)
		return;
	for (int i = 0; i < PTRS_PER_PT / 2; i++) {
		pte_t e = mm->pgd[i];
		if (e & _PAGE_PRESENT)
			free_pt_level(__va(pte_pfn(e) << PAGE_SHIFT), PGDIR_LEVELS - 2);
	}
	free_page_va(mm->pgd);
	kfree(mm);
}

void switch_mm(struct mm_struct *mm)
{
	unsigned long satp = mm ? SATP_MODE_SV48 | (__pa(mm->pgd) >> PAGE_SHIFT) : swapper_satp;

	csr_write(satp, satp);
	local_flush_tlb_all();
}

int mm_map_anon(struct mm_struct *mm, unsigned long start, unsigned long end, int prot)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end > USER_VA_END || start >= end)
		return -EINVAL;
	spin_lock(&mm->page_table_lock);
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		pte_t *e = pt_walk(mm->pgd, va, 0, true);
		if (!e)
			goto nomem;
		if (pte_present(*e))
			continue; /* already there (segments sharing a page) */
		void *page = get_zeroed_page();
		if (!page)
			goto nomem;
		*e = pfn_pte(__pa(page) >> PAGE_SHIFT, prot_to_pte(prot));
		mm->total_vm++;
	}
	spin_unlock(&mm->page_table_lock);
	return 0;
nomem:
	spin_unlock(&mm->page_table_lock);
	return -ENOMEM;
}

void mm_unmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	spin_lock(&mm->page_table_lock);
	for (unsigned long va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
		pte_t *e = pt_walk(mm->pgd, va, 0, false);
		if (!e || !pte_present(*e))
			continue;
		put_page(virt_to_page(__va(pte_pfn(*e) << PAGE_SHIFT)));
		*e = 0;
		mm->total_vm--;
	}
	spin_unlock(&mm->page_table_lock);
	local_flush_tlb_all();
}

int mm_protect(struct mm_struct *mm, unsigned long start, unsigned long end, int prot)
{
	int ret = 0;

	spin_lock(&mm->page_table_lock);
	/* Linux fails with -ENOMEM, changing nothing, if part is unmapped. */
	for (unsigned long va = start; va < end && !ret; va += PAGE_SIZE) {
		pte_t *e = pt_walk(mm->pgd, va, 0, false);
		if (!e || !pte_present(*e))
			ret = -ENOMEM;
	}
	for (unsigned long va = start; va < end && !ret; va += PAGE_SIZE) {
		pte_t *e = pt_walk(mm->pgd, va, 0, false);
		*e = pfn_pte(pte_pfn(*e), prot_to_pte(prot));
	}
	spin_unlock(&mm->page_table_lock);
	local_flush_tlb_all();
	return ret;
}

void *mm_page_va(struct mm_struct *mm, unsigned long va)
{
	pte_t *e = pt_walk(mm->pgd, va, 0, false);

	if (!e || !(*e & _PAGE_PRESENT))
		return NULL;
	return (char *)__va(pte_pfn(*e) << PAGE_SHIFT) + (va & (PAGE_SIZE - 1));
}
