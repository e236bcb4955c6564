/* mm_struct and vm_area_struct: an address space and its regions, with
 * Linux's field names. VMAs are kept both on an address-ordered list
 * (vm_next/vm_prev) and in a red-black tree (mm_rb) augmented with the
 * largest free gap below each subtree, so find_vma and the search for a
 * free range are O(log n). Pure list/tree code is in mm/vma.c. */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H
#include "kernel/types.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/rbtree.h"
#include "arch/riscv/pgtable.h"
#include "proc/wait_queue.h"

/* vm_flags (Linux values) */
#define VM_NONE 0x00000000UL
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_MAYSHARE 0x00000080UL
#define VM_GROWSDOWN 0x00000100UL
#define VM_DENYWRITE 0x00000800UL
#define VM_LOCKED 0x00002000UL
#define VM_LOCKONFAULT 0x00080000UL /* mlock2(MLOCK_ONFAULT): locked, not populated */
#define VM_DONTCOPY 0x00020000UL
#define VM_DONTEXPAND 0x00040000UL
#define VM_ACCOUNT 0x00100000UL
#define VM_NORESERVE 0x00200000UL
#define VM_STACK VM_GROWSDOWN
/* Flags that must match for two neighbours to merge. */
#define VM_MERGE_MASK (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | \
		       VM_MAYEXEC | VM_MAYSHARE | VM_GROWSDOWN | VM_DONTEXPAND | VM_NORESERVE | \
		       VM_LOCKED | VM_LOCKONFAULT)

struct vm_area_struct;
struct file;
struct page;

/* vm_fault: what a fault handler is asked for, and what it returns. */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;  /* page-aligned faulting address */
	unsigned long pgoff;    /* page index in the file */
	unsigned int flags;     /* FAULT_FLAG_* */
	struct page *page;      /* out: the page to map (with a reference) */
};

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);  /* a new VMA now refers to the same object */
	void (*close)(struct vm_area_struct *vma); /* a VMA referring to it is gone */
	int (*fault)(struct vm_fault *vmf);        /* returns VM_FAULT_* bits */
	const char *name;
};

struct vm_area_struct {
	unsigned long vm_start;  /* first address */
	unsigned long vm_end;    /* first address after */
	struct vm_area_struct *vm_next, *vm_prev; /* address order */
	struct rb_node vm_rb;
	unsigned long rb_subtree_gap; /* largest gap below a VMA of this subtree */
	struct mm_struct *vm_mm;
	u64 vm_page_prot;        /* PTE bits for a mapping of this area */
	unsigned long vm_flags;
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;  /* offset in vm_file, in pages */
	struct file *vm_file;    /* mapped file, or NULL for anonymous memory */
	void *vm_private_data;
	struct list_head shared; /* in vm_file's mapping->i_mmap */
};

/* A reader-writer lock that sleeps (Linux's mmap_lock is an rw_semaphore):
 * page faults read, mmap/munmap/mprotect/brk write. Each mm has its own
 * queue of sleeping waiters, so an unlock wakes only this mm's. */
typedef struct {
	spinlock_t lock;   /* protects readers and writer below */
	int readers;
	bool writer;
	int sleepers;      /* waiters asleep on wait (atomic): unlock skips the wake-up at 0 */
	wait_queue_head_t wait;
} rwlock_t;

struct mm_struct {
	struct vm_area_struct *mmap; /* list of VMAs, lowest first */
	struct rb_root mm_rb;
	unsigned long highest_vm_end;
	int map_count;
	pte_t *pgd;
	int mm_users;            /* tasks using this mm */
	int mm_count;            /* references to the struct (mm_users counts as one) */
	rwlock_t mmap_lock;      /* protects the VMA list/tree and the layout fields */
	spinlock_t page_table_lock; /* protects the user half of pgd */
	u64 context_id;          /* ASID and its generation (arch/riscv/asid.c) */
	unsigned long cpu_mask;  /* harts that may hold TLB entries for this mm */
	unsigned long mmap_base, task_size;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long total_vm, stack_vm, exec_vm, data_vm; /* pages */
	unsigned long def_flags; /* VM_LOCKED(|VM_LOCKONFAULT) after mlockall(MCL_FUTURE) */
	int membarrier_state;    /* MEMBARRIER_CMD_REGISTER_* done (proc/sched/membarrier.c) */
};

#endif
