/* mm_struct lifetime and the mmap lock. The kernel half of every pgd is
 * a copy of swapper_pg_dir's root entries (the lower levels are shared),
 * so the kernel is mapped in every address space. */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "arch/riscv/vm.h"
#include "arch/riscv/csr.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"

struct page *zero_page;

void mm_init_zero_page(void)
{
	void *va = get_zeroed_page();

	if (!va)
		panic("no memory for the zero page");
	zero_page = virt_to_page(va);
}

/* A spinning reader-writer lock: faults share it, layout changes own it. */
void mmap_read_lock(struct mm_struct *mm)
{
	for (;;) {
		spin_lock(&mm->mmap_lock.lock);
		if (!mm->mmap_lock.writer) {
			mm->mmap_lock.readers++;
			spin_unlock(&mm->mmap_lock.lock);
			return;
		}
		spin_unlock(&mm->mmap_lock.lock);
	}
}

void mmap_read_unlock(struct mm_struct *mm)
{
	spin_lock(&mm->mmap_lock.lock);
	mm->mmap_lock.readers--;
	spin_unlock(&mm->mmap_lock.lock);
}

void mmap_write_lock(struct mm_struct *mm)
{
	for (;;) {
		spin_lock(&mm->mmap_lock.lock);
		if (!mm->mmap_lock.writer && !mm->mmap_lock.readers) {
			mm->mmap_lock.writer = true;
			spin_unlock(&mm->mmap_lock.lock);
			return;
		}
		spin_unlock(&mm->mmap_lock.lock);
	}
}

void mmap_write_unlock(struct mm_struct *mm)
{
	spin_lock(&mm->mmap_lock.lock);
	mm->mmap_lock.writer = false;
	spin_unlock(&mm->mmap_lock.lock);
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
	mm->mm_count = 1;
	mm->task_size = USER_VA_END;
	mm->mm_rb = RB_ROOT;
	spin_lock_init(&mm->page_table_lock);
	spin_lock_init(&mm->mmap_lock.lock);
	return mm;
}

/* Last user gone: unmap every region, free the page tables and the mm. */
void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	struct vm_area_struct *vma = mm->mmap;
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		if (vma->vm_ops && vma->vm_ops->close)
			vma->vm_ops->close(vma);
		vma_unlink(mm, vma);
		vma_free(vma);
		vma = next;
	}
	free_pgd_range(mm);
	free_page_va(mm->pgd);
	kfree(mm);
}
