/* The address-space interface: mm_struct lifetime, page faults, mapping
 * and unmapping regions (Linux: mm/mmap.c, mm/memory.c, mm/mprotect.c). */
#ifndef MM_MM_H
#define MM_MM_H
#include "mm/mm_types.h"

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000

#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_MAJOR 0x0004
#define VM_FAULT_SIGSEGV 0x0040
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)
#define FAULT_FLAG_WRITE 0x01
#define FAULT_FLAG_USER 0x40
#define FAULT_FLAG_INSTRUCTION 0x100

#define STACK_TOP (USER_VA_END - PAGE_SIZE)  /* a guard page above */
#define RLIMIT_STACK_DEFAULT (8UL << 20)
#define STACK_GUARD_GAP (256UL << PAGE_SHIFT) /* Linux's stack_guard_gap */
#define MMAP_MIN_ADDR 0x10000UL               /* vm.mmap_min_addr */

struct file;
struct page;
extern struct page *zero_page;

/* Locks (mm/mm.c). */
void mmap_read_lock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);
void mmap_write_lock(struct mm_struct *mm);
void mmap_write_unlock(struct mm_struct *mm);

/* Lifetime (mm/mm.c). */
struct mm_struct *mm_alloc(void);
void mmput(struct mm_struct *mm);
void mm_init_zero_page(void);

/* Faults and page tables (mm/memory.c). */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags);
/* Clear the PTEs of [start, end) and drop their frames, keeping the page
 * tables (munmap frees those with free_pgtables). */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* The same, for another mm's VMA: truncation of a mapped file. */
void unmap_ptes_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* Free the page tables over [start, end) whose span lies inside
 * [floor, ceiling), a range the caller has emptied of VMAs. */
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long floor, unsigned long ceiling);
/* mmput of the last user: every VMA, frame and user page table. */
void exit_mmap(struct mm_struct *mm);
/* fork: share vma's frames with dst, write-protecting private writable ones. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end);
u64 vm_get_page_prot(unsigned long vm_flags);
/* The page mapped at addr (for mincore/pagemap), or NULL; *pte_out if wanted. */
struct page *follow_page(struct mm_struct *mm, unsigned long addr, pte_t *pte_out);
int move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
		     struct vm_area_struct *new_vma, unsigned long new_addr, unsigned long len);
/* Copy to/from another mm's memory, faulting pages in (exec's arguments). */
int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, size_t len, bool write);

/* Regions (mm/mmap.c). */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
/* Map an object with its own vm_ops (SysV shm): a MAP_SHARED VMA at offset
 * 0 whose ops->open is called once it is in place; no merging with
 * neighbours. Without PROT_WRITE, mprotect cannot add it later. */
unsigned long do_mmap_object(const struct vm_operations_struct *ops, void *private_data,
			     unsigned long addr, unsigned long len, unsigned long prot,
			     unsigned long flags);
int do_brk_flags(unsigned long addr, unsigned long len);
int expand_stack(struct vm_area_struct *vma, unsigned long addr);
unsigned long rlimit_stack(void);
bool may_expand_vm(struct mm_struct *mm, unsigned long flags, unsigned long npages);
/* total_vm and the stack/exec/data counts that RLIMIT_AS/DATA check. */
void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages);
/* RLIMIT_MEMLOCK for a mapping locked from the start (mm/mlock.c). */
bool mlock_future_ok(struct mm_struct *mm, unsigned long flags, unsigned long len);
void mm_populate(unsigned long start, unsigned long len);
/* Shared by the calls that change ranges of VMAs (mm/mprotect.c, mm/mlock.c). */
int range_mapped(struct mm_struct *mm, unsigned long start, unsigned long end);
void merge_range(struct mm_struct *mm, unsigned long start, unsigned long end);
int change_vma_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		     int (*fn)(struct vm_area_struct *v, unsigned long arg), unsigned long arg);

#endif
