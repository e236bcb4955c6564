/* Changing existing regions: mprotect (Linux: mm/mprotect.c), mremap
 * (mm/mremap.c), madvise, mincore and msync. Each splits VMAs where the
 * range starts or ends inside one and re-merges neighbours afterwards. */
#include "mm/mm.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/ramfs.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "proc/task.h"

/* The VMAs of [start, end) must cover it without holes: -ENOMEM if not. */
int range_mapped(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long at = start;

	for (; vma && vma->vm_start <= at && at < end; vma = vma->vm_next)
		at = vma->vm_end;
	return at >= end ? 0 : -ENOMEM;
}

static int check_range(unsigned long start, size_t *len)
{
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (*len > USER_VA_END || start > USER_VA_END - ALIGN_UP(*len, PAGE_SIZE))
		return -ENOMEM;
	*len = ALIGN_UP(*len, PAGE_SIZE);
	return 0;
}

/* Split so that exactly [start, end) is covered by whole VMAs. */
static int split_to_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	int err = 0;

	if (vma && vma->vm_start < start)
		err = split_vma(mm, vma, start, 0);
	vma = find_vma(mm, end);
	if (!err && vma && vma->vm_start < end && end < vma->vm_end)
		err = split_vma(mm, vma, end, 1);
	return err;
}

/* Neighbours that now look alike become one VMA again. */
void merge_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *prev, *v = find_vma_prev(mm, start, &prev);

	if (prev)
		v = prev;
	while (v && v->vm_start <= end) {
		struct vm_area_struct *m = vma_try_merge_neighbours(mm, v);
		v = m->vm_next;
	}
}

/* Apply fn to each VMA of [start, end) (which must be mapped), split to
 * fit it exactly; merge what ends up alike. Caller holds the mmap lock
 * for writing. */
int change_vma_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		     int (*fn)(struct vm_area_struct *v, unsigned long arg), unsigned long arg)
{
	int err = range_mapped(mm, start, end);

	if (!err)
		err = split_to_range(mm, start, end);
	for (struct vm_area_struct *v = err ? NULL : find_vma(mm, start); v && v->vm_start < end;
	     v = v->vm_next)
		if ((err = fn(v, arg)))
			break;
	merge_range(mm, start, end);
	return err;
}

static int mprotect_fixup(struct vm_area_struct *vma, unsigned long prot)
{
	unsigned long newflags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) |
				 (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
				 (prot & PROT_EXEC ? VM_EXEC : 0);

	/* Only permissions the VMA may have (VM_MAYx is VM_x << 4): [vvar]. */
	if ((newflags & ~(vma->vm_flags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC))
		return -EACCES;
	/* A shared mapping of a read-only file never becomes writable. */
	if ((newflags & VM_WRITE) && (vma->vm_flags & VM_SHARED) && vma->vm_file &&
	    (vma->vm_file->f_flags & 3) != 2)
		return -EACCES;
	long pages = (long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
	vm_stat_account(vma->vm_mm, vma->vm_flags, -pages); /* e.g. read-only becomes data */
	vm_stat_account(vma->vm_mm, newflags, pages);
	vma->vm_flags = newflags;
	vma->vm_page_prot = vm_get_page_prot(newflags);
	change_protection(vma, vma->vm_start, vma->vm_end);
	return 0;
}

SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len, unsigned long, prot)
{
	struct mm_struct *mm = current->mm;
	int err;

	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	if ((err = check_range(start, &len)))
		return err;
	if (!len)
		return 0;
	unsigned long end = start + len;
	mmap_write_lock(mm);
	err = change_vma_range(mm, start, end, mprotect_fixup, prot);
	mmap_write_unlock(mm);
	return err;
}

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21

static bool madvise_behavior_valid(int b)
{
	return (b >= MADV_NORMAL && b <= MADV_DONTNEED) || (b >= MADV_FREE && b <= MADV_PAGEOUT);
}

SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len, int, behavior)
{
	struct mm_struct *mm = current->mm;
	int err;

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if ((err = check_range(start, &len)))
		return err == -ENOMEM ? -EINVAL : err;
	if (!len)
		return 0;
	unsigned long end = start + len;
	mmap_write_lock(mm);
	err = range_mapped(mm, start, end);
	if (!err && (behavior == MADV_DONTNEED || behavior == MADV_FREE)) {
		/* Drop the frames: anonymous memory reads back as zeros,
		 * private file pages as the file's contents. */
		for (struct vm_area_struct *v = find_vma(mm, start); v && v->vm_start < end;
		     v = v->vm_next)
			zap_page_range(v, MAX(start, v->vm_start), MIN(end, v->vm_end));
	}
	mmap_write_unlock(mm);
	return err; /* the other advice is a hint; accepted */
}

/* One byte per page: 1 if resident (mapped, or in the file's page cache). */
SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len, unsigned char __user *, vec)
{
	struct mm_struct *mm = current->mm;
	unsigned char buf[256];
	int err;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((err = check_range(start, &len)))
		return err;
	unsigned long end = start + len;
	mmap_read_lock(mm);
	err = range_mapped(mm, start, end);
	for (unsigned long a = start; !err && a < end;) {
		size_t n = 0;
		for (; n < sizeof(buf) && a < end; n++, a += PAGE_SIZE) {
			struct vm_area_struct *v = find_vma(mm, a);
			buf[n] = follow_page(mm, a, NULL) != NULL;
			if (!buf[n] && v->vm_file && v->vm_file->f_inode->i_mapping) {
				struct address_space *m = v->vm_file->f_inode->i_mapping;
				unsigned long idx = v->vm_pgoff + ((a - v->vm_start) >> PAGE_SHIFT);
				spin_lock(&m->tree_lock);
				buf[n] = radix_tree_lookup(&m->i_pages, idx) != NULL;
				spin_unlock(&m->tree_lock);
			}
		}
		if (copy_to_user(vec, buf, n))
			err = -EFAULT;
		vec += n;
	}
	mmap_read_unlock(mm);
	return err;
}

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/* Files live in memory: there is nothing to write back. */
SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	int err;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((err = check_range(start, &len)))
		return err;
	mmap_read_lock(current->mm);
	err = len ? range_mapped(current->mm, start, start + len) : 0;
	mmap_read_unlock(current->mm);
	return err;
}

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* Move the VMA [addr, addr+old_len) to new_addr, taking its frames along. */
static unsigned long move_vma(struct vm_area_struct *vma, unsigned long addr, unsigned long old_len,
			      unsigned long new_len, unsigned long new_addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *n = vma_alloc();

	if (!n)
		return -ENOMEM;
	*n = *vma;
	n->vm_start = new_addr;
	n->vm_end = new_addr + new_len;
	n->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (!vma->vm_file && !vma->vm_ops)
		n->vm_pgoff = new_addr >> PAGE_SHIFT;
	n->vm_next = n->vm_prev = NULL;
	if (vma_link(mm, n)) {
		vma_free(n);
		return -ENOMEM;
	}
	vm_stat_account(mm, n->vm_flags, (long)(new_len >> PAGE_SHIFT)); /* do_munmap takes it back */
	if (n->vm_ops && n->vm_ops->open)
		n->vm_ops->open(n);
	if (move_page_tables(vma, addr, n, new_addr, old_len)) {
		do_munmap(mm, new_addr, new_len);
		return -ENOMEM;
	}
	do_munmap(mm, addr, old_len); /* its PTEs are empty now: frames moved */
	return new_addr;
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len, unsigned long, new_len,
		unsigned long, flags, unsigned long, new_addr)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL; /* not supported yet */
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len || !old_len || new_len > USER_VA_END || old_len > USER_VA_END)
		return -EINVAL;
	mmap_write_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr || addr + old_len > vma->vm_end) {
		ret = -EFAULT;
		goto out;
	}
	if (new_len > old_len && !may_expand_vm(mm, vma->vm_flags, (new_len - old_len) >> PAGE_SHIFT)) {
		ret = -ENOMEM; /* RLIMIT_AS, RLIMIT_DATA */
		goto out;
	}
	if (flags & MREMAP_FIXED) {
		if ((new_addr & ~PAGE_MASK) || new_addr > USER_VA_END - new_len ||
		    (new_addr < addr + old_len && addr < new_addr + new_len)) {
			ret = -EINVAL;
			goto out;
		}
		do_munmap(mm, new_addr, new_len);
		if (new_len < old_len)
			do_munmap(mm, addr + new_len, old_len - new_len), old_len = new_len;
		ret = move_vma(vma, addr, old_len, new_len, new_addr);
		goto out;
	}
	if (new_len <= old_len) { /* shrink in place */
		ret = new_len < old_len ? (unsigned long)do_munmap(mm, addr + new_len, old_len - new_len)
					: 0;
		if (!ret)
			ret = addr;
		goto out;
	}
	/* Grow in place if this is the VMA's end and the space after is free. */
	if (addr + old_len == vma->vm_end &&
	    (!vma->vm_next || vma->vm_next->vm_start >= addr + new_len) &&
	    addr + new_len <= mm->task_size) {
		vma_adjust_bounds(mm, vma, vma->vm_start, addr + new_len, vma->vm_pgoff);
		vm_stat_account(mm, vma->vm_flags, (long)((new_len - old_len) >> PAGE_SHIFT));
		ret = addr;
		goto out;
	}
	if (!(flags & MREMAP_MAYMOVE)) {
		ret = -ENOMEM;
		goto out;
	}
	new_addr = unmapped_area_topdown(mm, new_len, MMAP_MIN_ADDR, mm->mmap_base);
	ret = IS_ERR_VALUE(new_addr) ? new_addr : move_vma(vma, addr, old_len, new_len, new_addr);
out:
	mmap_write_unlock(mm);
	return (long)ret;
}
