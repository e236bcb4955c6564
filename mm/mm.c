/* mm_struct lifetime and the mmap lock. The kernel half of every pgd is
 * a copy of swapper_pg_dir's root entries (the lower levels are shared),
 * so the kernel is mapped in every address space. */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/oom_kill.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "proc/sched.h"
#include "proc/wait.h"
#include "arch/riscv/vm.h"
#include "arch/riscv/csr.h"
#include "kernel/errno.h"
#include "kernel/preempt.h"
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

/* A reader-writer lock: faults share it, layout changes own it. Its
 * holder can be preempted (kernel/preempt.h), so a waiter that may sleep
 * does, on its mm's own queue, rather than spin while the holder waits
 * for its hart (a SCHED_FIFO waiter would spin out its whole RT budget).
 * A waiter that may not sleep (a spinlock held, interrupts off) spins. */

static bool mmap_trylock(struct mm_struct *mm, bool write)
{
	bool got;

	spin_lock(&mm->mmap_lock.lock);
	got = !mm->mmap_lock.writer && (!write || !mm->mmap_lock.readers);
	if (got && write)
		mm->mmap_lock.writer = true;
	else if (got)
		mm->mmap_lock.readers++;
	spin_unlock(&mm->mmap_lock.lock);
	return got;
}

static void mmap_lock_acquire(struct mm_struct *mm, bool write)
{
	if (mmap_trylock(mm, write))
		return;
	if (!preemptible()) {
		while (!mmap_trylock(mm, write))
			;
		return;
	}
	/* Counted before the queue's own check of the condition: an unlock
	 * after that check sees the count and wakes us. */
	__atomic_add_fetch(&mm->mmap_lock.sleepers, 1, __ATOMIC_SEQ_CST);
	wait_event(mm->mmap_lock.wait, mmap_trylock(mm, write));
	__atomic_sub_fetch(&mm->mmap_lock.sleepers, 1, __ATOMIC_SEQ_CST);
}

static void mmap_unlock_wake(struct mm_struct *mm)
{
	if (__atomic_load_n(&mm->mmap_lock.sleepers, __ATOMIC_SEQ_CST))
		wake_up_all(&mm->mmap_lock.wait);
}

void mmap_read_lock(struct mm_struct *mm)
{
	mmap_lock_acquire(mm, false);
}

void mmap_read_unlock(struct mm_struct *mm)
{
	spin_lock(&mm->mmap_lock.lock);
	mm->mmap_lock.readers--;
	spin_unlock(&mm->mmap_lock.lock);
	mmap_unlock_wake(mm);
}

void mmap_write_lock(struct mm_struct *mm)
{
	mmap_lock_acquire(mm, true);
}

void mmap_write_unlock(struct mm_struct *mm)
{
	spin_lock(&mm->mmap_lock.lock);
	mm->mmap_lock.writer = false;
	spin_unlock(&mm->mmap_lock.lock);
	mmap_unlock_wake(mm);
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = alloc_page_va();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	mod_pagetable(1);
	/* An empty user half; the kernel half is copied, so not cleared. */
	memzero_aligned(mm->pgd, PAGE_SIZE / 2);
	memcpy_aligned(&mm->pgd[PTRS_PER_PT / 2], &swapper_pg_dir[PTRS_PER_PT / 2], PAGE_SIZE / 2);
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->task_size = USER_VA_END;
	mm->mm_rb = RB_ROOT;
	spin_lock_init(&mm->page_table_lock);
	spin_lock_init(&mm->mmap_lock.lock);
	init_waitqueue_head(&mm->mmap_lock.wait);
	return mm;
}

/* Last user gone: unmap every region, free the page tables and the mm. */
void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	exit_mmap(mm);
	oom_mm_released(mm);
	free_page_va(mm->pgd);
	mod_pagetable(-1);
	kfree(mm);
}
