/* Memory locking (Linux: mm/mlock.c): mlock, mlock2, munlock, mlockall,
 * munlockall. A locked VMA carries VM_LOCKED and its pages are faulted in
 * at once (not with MLOCK_ONFAULT / MCL_ONFAULT: VM_LOCKONFAULT). Vireo
 * never pages memory out, so residency is all a lock has to ensure;
 * /proc/<pid>/status reports the locked size as VmLck. RLIMIT_MEMLOCK
 * bounds the locked pages of a task without CAP_IPC_LOCK. */
#include "mm/mm.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "proc/cred.h"
#include "proc/task.h"

#define MLOCK_ONFAULT 0x01
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)

/* Special mappings ([vdso], [vvar]) are never locked (Linux's VM_SPECIAL). */
static int mlock_fixup(struct vm_area_struct *v, unsigned long newflags)
{
	if (!(v->vm_flags & VM_DONTEXPAND))
		v->vm_flags = (v->vm_flags & ~VM_LOCKED_MASK) | newflags;
	return 0;
}

/* Locked pages of mm, leaving out those inside [start, end). mmap lock held. */
static unsigned long locked_pages(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next) {
		if (!(v->vm_flags & VM_LOCKED))
			continue;
		unsigned long s = v->vm_start, e = v->vm_end;
		n += (e - s) >> PAGE_SHIFT;
		if (s < end && e > start) /* the part already in the range: counted once */
			n -= (MIN(e, end) - MAX(s, start)) >> PAGE_SHIFT;
	}
	return n;
}

/* Linux's can_do_mlock: a zero RLIMIT_MEMLOCK means no locking at all. */
static bool can_do_mlock(void)
{
	return task_rlimit(current, RLIMIT_MEMLOCK) != 0 || capable(CAP_IPC_LOCK);
}

static bool within_memlock(unsigned long pages)
{
	return pages <= task_rlimit(current, RLIMIT_MEMLOCK) >> PAGE_SHIFT || capable(CAP_IPC_LOCK);
}

/* A new mapping that mlockall(MCL_FUTURE) or MAP_LOCKED locks (Linux's
 * mlock_future_ok). mmap lock held. */
bool mlock_future_ok(struct mm_struct *mm, unsigned long flags, unsigned long len)
{
	return !(flags & VM_LOCKED) || within_memlock(locked_pages(mm, 0, 0) + (len >> PAGE_SHIFT));
}

/* Lock (flags VM_LOCKED...) or unlock (0) [start, start + len). */
static long apply_vma_lock_flags(unsigned long start, size_t len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	long err;

	/* Linux rounds the range out to pages instead of refusing it. */
	len = ALIGN_UP(len + (start & ~PAGE_MASK), PAGE_SIZE);
	start &= PAGE_MASK;
	if (len > USER_VA_END || start > USER_VA_END - len)
		return -ENOMEM;
	if (!len)
		return 0;
	unsigned long end = start + len;
	if (flags && !can_do_mlock())
		return -EPERM;
	mmap_write_lock(mm);
	if (flags && !within_memlock(locked_pages(mm, start, end) + (len >> PAGE_SHIFT)))
		err = -ENOMEM;
	else
		err = change_vma_range(mm, start, end, mlock_fixup, flags);
	mmap_write_unlock(mm);
	if (!err && (flags & VM_LOCKED_MASK) == VM_LOCKED)
		mm_populate(start, len);
	return err;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, size_t, len)
{
	return apply_vma_lock_flags(start, len, VM_LOCKED);
}

SYSCALL_DEFINE3(mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return apply_vma_lock_flags(start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

SYSCALL_DEFINE2(munlock, unsigned long, start, size_t, len)
{
	return apply_vma_lock_flags(start, len, 0);
}

/* Every VMA now (MCL_CURRENT), and what is mapped later (MCL_FUTURE:
 * mm->def_flags, which mmap and brk add). */
static long apply_mlockall_flags(int flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long to_add = flags ? VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0) : 0;

	if (flags && !can_do_mlock())
		return -EPERM;
	mmap_write_lock(mm);
	if ((flags & MCL_CURRENT) && !within_memlock(mm->total_vm)) {
		mmap_write_unlock(mm);
		return -ENOMEM;
	}
	mm->def_flags = (flags & MCL_FUTURE) ? to_add : 0;
	if ((flags & MCL_CURRENT) || !flags) {
		for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
			mlock_fixup(v, to_add);
		merge_range(mm, 0, USER_VA_END);
	}
	mmap_write_unlock(mm);
	if ((flags & (MCL_CURRENT | MCL_ONFAULT)) == MCL_CURRENT)
		mm_populate(0, USER_VA_END);
	return 0;
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	return apply_mlockall_flags(flags);
}

SYSCALL_DEFINE0(munlockall)
{
	return apply_mlockall_flags(0);
}
