/* Memory system calls of the boot skeleton: brk grows and shrinks the
 * heap (pages allocated at once), mprotect and munmap work on mapped
 * pages. The address-space issue rebuilds these on VMAs. */
#include "mm/mm.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "proc/task.h"

SYSCALL_DEFINE1(brk, unsigned long, newbrk)
{
	struct mm_struct *mm = current->mm;
	unsigned long old = ALIGN_UP(mm->brk, PAGE_SIZE), want = ALIGN_UP(newbrk, PAGE_SIZE);

	if (newbrk < mm->start_brk || newbrk > mm->start_brk + BRK_MAX || newbrk > mm->stack_low)
		return (long)mm->brk; /* Linux: failure returns the current break */
	if (want > old && mm_map_anon(mm, old, want, PROT_READ | PROT_WRITE)) {
		mm_unmap(mm, old, want);
		return (long)mm->brk;
	}
	if (want < old)
		mm_unmap(mm, want, old);
	mm->brk = newbrk;
	return (long)newbrk;
}

static int check_range(unsigned long start, size_t len)
{
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_VA_END || start > USER_VA_END - ALIGN_UP(len, PAGE_SIZE))
		return -ENOMEM;
	return 0;
}

SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len, unsigned long, prot)
{
	int err = check_range(start, len);

	if (err)
		return err;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	return mm_protect(current->mm, start, start + ALIGN_UP(len, PAGE_SIZE), (int)prot);
}

SYSCALL_DEFINE2(munmap, unsigned long, start, size_t, len)
{
	int err = check_range(start, len);

	if (err)
		return err;
	if (!len)
		return -EINVAL;
	mm_unmap(current->mm, start, start + ALIGN_UP(len, PAGE_SIZE));
	return 0;
}
