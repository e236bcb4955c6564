/* Regions of an address space (Linux: mm/mmap.c): mmap, munmap, brk and
 * stack growth. These only create, split, merge and remove VMAs; frames
 * arrive later, on the first touch (mm/memory.c). */
#include "mm/mm.h"
#include "mm/filemap.h"
#include "mm/shmem.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/memfd.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "proc/signal.h"
#include "proc/task.h"

unsigned long rlimit_stack(void)
{
	return task_rlimit(current, RLIMIT_STACK);
}

/* Top-down search below mmap_base, or the hint if it is free. */
static unsigned long get_unmapped_area(unsigned long addr, unsigned long len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;

	if (len > mm->task_size - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (addr) {
		addr = ALIGN_UP(addr, PAGE_SIZE);
		if (addr >= MMAP_MIN_ADDR && addr <= mm->task_size - len &&
		    !find_vma_intersection(mm, addr, addr + len))
			return addr;
	}
	addr = unmapped_area_topdown(mm, len, MMAP_MIN_ADDR, mm->mmap_base);
	if (IS_ERR_VALUE(addr)) /* the area below mmap_base is full: try above */
		addr = unmapped_area(mm, len, mm->mmap_base, mm->task_size);
	return addr;
}

static unsigned long calc_vm_flags(unsigned long prot, unsigned long flags)
{
	unsigned long vm = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
			   (prot & PROT_EXEC ? VM_EXEC : 0) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		vm |= VM_SHARED | VM_MAYSHARE;
	if (flags & MAP_NORESERVE)
		vm |= VM_NORESERVE;
	if (flags & MAP_GROWSDOWN)
		vm |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm |= VM_LOCKED;
	return vm;
}

void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages)
{
	mm->total_vm += npages;
	if (flags & VM_GROWSDOWN)
		mm->stack_vm += npages;
	else if ((flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
		mm->exec_vm += npages;
	else if ((flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		mm->data_vm += npages;
}

/* Pages of [start, end) already mapped (a MAP_FIXED mapping replaces them). */
static unsigned long count_vma_pages_range(struct mm_struct *mm, unsigned long start,
					   unsigned long end)
{
	unsigned long n = 0;

	for (struct vm_area_struct *v = find_vma(mm, start); v && v->vm_start < end; v = v->vm_next)
		n += (MIN(end, v->vm_end) - MAX(start, v->vm_start)) >> PAGE_SHIFT;
	return n;
}

/* RLIMIT_AS bounds the whole address space, RLIMIT_DATA the private
 * writable part (Linux's may_expand_vm). */
bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long npages)
{
	if (mm->total_vm + npages > task_rlimit(current, RLIMIT_AS) >> PAGE_SHIFT)
		return false;
	if ((flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE &&
	    mm->data_vm + npages > task_rlimit(current, RLIMIT_DATA) >> PAGE_SHIFT)
		return false;
	return true;
}

/* An object of the caller's to map instead of a file (SysV shm). */
struct mmap_object {
	const struct vm_operations_struct *ops;
	void *private_data;
};

static unsigned long mmap_region(struct file *file, unsigned long addr, unsigned long len,
				 unsigned long vm_flags, unsigned long pgoff,
				 const struct mmap_object *obj)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *prev, *vma;
	const struct vm_operations_struct *ops = file ? &generic_file_vm_ops : NULL;
	int err;

	unsigned long npages = len >> PAGE_SHIFT;
	if (!may_expand_vm(mm, vm_flags, npages) &&
	    !may_expand_vm(mm, vm_flags, npages - count_vma_pages_range(mm, addr, addr + len)))
		return -ENOMEM;
	err = do_munmap(mm, addr, len); /* MAP_FIXED replaces what was there */
	if (err)
		return (unsigned long)err;
	find_vma_prev(mm, addr, &prev);
	if (!obj && (!(vm_flags & VM_SHARED) || file)) {
		vma = vma_merge(mm, prev, addr, addr + len, vm_flags, file, pgoff, ops, NULL);
		if (vma)
			goto out;
	}
	vma = vma_alloc();
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	vma->vm_pgoff = pgoff;
	if (obj) {
		vma->vm_ops = obj->ops;
		vma->vm_private_data = obj->private_data;
	} else if (file) {
		vma->vm_file = get_file(file);
		vma->vm_ops = ops;
		vma_link_file(vma);
	} else if (vm_flags & VM_SHARED) {
		err = shmem_zero_setup(vma); /* shared anonymous: a shmem object */
		if (err) {
			vma_free(vma);
			return (unsigned long)err;
		}
	} else {
		vma->vm_pgoff = addr >> PAGE_SHIFT;
	}
	err = vma_link(mm, vma);
	if (err) {
		if (vma->vm_ops && vma->vm_ops->close)
			vma->vm_ops->close(vma);
		vma_free(vma);
		return (unsigned long)err;
	}
	if (obj && obj->ops->open)
		obj->ops->open(vma); /* the VMA's reference on the object */
out:
	vm_stat_account(mm, vm_flags, len >> PAGE_SHIFT);
	return addr;
}

static unsigned long do_mmap_common(struct file *file, const struct mmap_object *obj,
				    unsigned long addr, unsigned long len, unsigned long prot,
				    unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long type = flags & MAP_TYPE;

	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (len > USER_VA_END)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK)
			return -EINVAL;
		if (addr > mm->task_size - len || addr < MMAP_MIN_ADDR)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
			return -EEXIST;
	}
	if (file) {
		unsigned acc = file->f_flags & O_ACCMODE;
		if (acc == O_WRONLY)
			return -EACCES;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
			return -EACCES;
		if (!file->f_inode || !file->f_op->mmap)
			return -ENODEV;
		if (file->f_mode & FMODE_MMAP_ANON)
			file = NULL; /* /dev/zero: anonymous memory */
	}
	unsigned long vm_flags = calc_vm_flags(prot, flags) | mm->def_flags;
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		int err = memfd_check_seals_mmap(file, &vm_flags);
		if (err)
			return (unsigned long)err;
	}
	addr = get_unmapped_area(addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (obj && !(prot & PROT_WRITE))
		vm_flags &= ~VM_MAYWRITE; /* as a file opened read-only: no mprotect to write */
	return mmap_region(file, addr, len, vm_flags, pgoff, obj);
}

unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	return do_mmap_common(file, NULL, addr, len, prot, flags, pgoff);
}

unsigned long do_mmap_object(const struct vm_operations_struct *ops, void *private_data,
			     unsigned long addr, unsigned long len, unsigned long prot,
			     unsigned long flags)
{
	struct mmap_object obj = { ops, private_data };

	return do_mmap_common(NULL, &obj, addr, len, prot, flags | MAP_SHARED, 0);
}

/* Fault in every page of [start, start+len) now (MAP_POPULATE, mlock),
 * VMA by VMA so that holes cost nothing. A huge range can take long: stop
 * when the task is killed (Linux's __get_user_pages does the same). */
void mm_populate(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	unsigned long end = start + len;

	mmap_read_lock(mm);
	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma->vm_next) {
		if (!(vma->vm_flags & (VM_READ | VM_WRITE)))
			continue;
		unsigned int fl = vma->vm_flags & VM_WRITE ? FAULT_FLAG_WRITE : 0;
		for (unsigned long a = MAX(start, vma->vm_start); a < MIN(end, vma->vm_end); a += PAGE_SIZE)
			if ((handle_mm_fault(vma, a, fl) & VM_FAULT_ERROR) || fatal_signal_pending(current))
				goto out;
	}
out:
	mmap_read_unlock(mm);
}

static void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	zap_page_range(vma, vma->vm_start, vma->vm_end);
	vm_stat_account(mm, vma->vm_flags, -(long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT));
	vma_unlink(mm, vma);
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	vma_free(vma);
}

/* Unmap [start, start+len): split the VMAs at the ends, remove the rest.
 * The caller holds the mmap lock for writing. */
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	unsigned long end;
	struct vm_area_struct *vma, *last;

	if ((start & ~PAGE_MASK) || start > mm->task_size || len > mm->task_size - start)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	end = start + len;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (vma->vm_start < start) {
		int err = split_vma(mm, vma, start, 0);
		if (err)
			return err;
	}
	last = find_vma(mm, end);
	if (last && last->vm_start < end) {
		int err = split_vma(mm, last, end, 1);
		if (err)
			return err;
	}
	vma = find_vma(mm, start); /* the splits made new VMAs: look again */
	struct vm_area_struct *prev = vma->vm_prev;
	while (vma && vma->vm_start < end) {
		struct vm_area_struct *next = vma->vm_next;
		remove_vma(mm, vma);
		vma = next;
	}
	/* Tables wholly between the surviving neighbours map nothing now. */
	free_pgtables(mm, start, end, prev ? prev->vm_end : 0, vma ? vma->vm_start : USER_VA_END);
	return 0;
}

/* Anonymous growth of the heap: merge into the brk VMA when possible. */
int do_brk_flags(unsigned long addr, unsigned long len)
{
	unsigned long r = mmap_region(NULL, addr, len,
				      VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
					      current->mm->def_flags, 0, NULL);
	return IS_ERR_VALUE(r) ? (int)r : 0;
}

/* A fault below a VM_GROWSDOWN VMA: extend it, keeping RLIMIT_STACK and
 * a guard gap above the next lower VMA. Caller holds the mmap lock for
 * writing. */
int expand_stack(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long new_start = addr & PAGE_MASK;
	struct vm_area_struct *prev = vma->vm_prev;

	if (!(vma->vm_flags & VM_GROWSDOWN) || new_start >= vma->vm_start)
		return -EFAULT;
	if (vma->vm_end - new_start > rlimit_stack() ||
	    !may_expand_vm(mm, vma->vm_flags, (vma->vm_start - new_start) >> PAGE_SHIFT))
		return -ENOMEM;
	if (new_start < MMAP_MIN_ADDR || (prev && prev->vm_end + STACK_GUARD_GAP > new_start))
		return -ENOMEM;
	unsigned long grow = (vma->vm_start - new_start) >> PAGE_SHIFT;
	vma_adjust_bounds(mm, vma, new_start, vma->vm_end, vma->vm_pgoff - grow);
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	return 0;
}

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, int, fd, unsigned long, off)
{
	struct file *file = NULL;
	unsigned long ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(fd);
		if (!file)
			return -EBADF;
	}
	mmap_write_lock(current->mm);
	ret = do_mmap(file, addr, len, prot, flags, off >> PAGE_SHIFT);
	mmap_write_unlock(current->mm);
	if (file)
		fput(file);
	/* Locked memory is resident from the start (Linux populates it too). */
	bool locked = (flags & MAP_LOCKED) || (current->mm->def_flags & VM_LOCKED);
	if (locked && (current->mm->def_flags & VM_LOCKONFAULT) && !(flags & MAP_LOCKED))
		locked = false;
	if (!IS_ERR_VALUE(ret) && (locked || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		mm_populate(ret, len);
	return (long)ret;
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	int err;

	mmap_write_lock(current->mm);
	err = do_munmap(current->mm, addr, len);
	mmap_write_unlock(current->mm);
	return err;
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long newbrk, oldbrk = 0, ret;

	mmap_write_lock(mm);
	ret = mm->brk;
	if (brk < mm->start_brk)
		goto out;
	newbrk = ALIGN_UP(brk, PAGE_SIZE);
	oldbrk = ALIGN_UP(mm->brk, PAGE_SIZE);
	if (newbrk < oldbrk) {
		if (do_munmap(mm, newbrk, oldbrk - newbrk) == 0)
			ret = mm->brk = brk;
		goto out;
	}
	if (newbrk > oldbrk) {
		/* Keep clear of the next mapping, and of a stack's guard gap. */
		struct vm_area_struct *next = find_vma(mm, oldbrk);
		unsigned long gap = next && (next->vm_flags & VM_GROWSDOWN) ? STACK_GUARD_GAP : 0;
		if (newbrk > mm->task_size || (next && newbrk + gap > next->vm_start))
			goto out;
		/* RLIMIT_DATA covers the heap and the data segment (check_data_rlimit). */
		if ((brk - mm->start_brk) + (mm->end_data - mm->start_data) >
		    task_rlimit(current, RLIMIT_DATA))
			goto out;
		if (do_brk_flags(oldbrk, newbrk - oldbrk))
			goto out;
	}
	ret = mm->brk = brk;
out:
	mmap_write_unlock(mm);
	if (ret == brk && (mm->def_flags & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED && brk > oldbrk)
		mm_populate(oldbrk, ALIGN_UP(brk, PAGE_SIZE) - oldbrk); /* mlockall(MCL_FUTURE) */
	return (long)ret;
}
