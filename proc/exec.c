/* execve: do_execve → load_elf_binary. Everything that can fail (file
 * lookup, header checks, argument copying, building the new mm) happens
 * before the point of no return; only then is the old mm dropped. */
#include "proc/exec.h"
#include "proc/elf.h"
#include "proc/task.h"
#include "kernel/fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/random.h"
#include "arch/riscv/csr.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "arch/riscv/tlbflush.h"
#include "kernel/fs/file.h"
#include "proc/exit.h"
#include "proc/signal.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define ARG_ORDER 5                               /* 128 KiB for strings + vectors */
#define STACK_INIT_SIZE (128UL * 1024)
#define ARG_MAX_BYTES ((PAGE_SIZE << ARG_ORDER) - PAGE_SIZE)
#define MAX_ARG_STRINGS 0x7fffffff
#define ELF_ET_DYN_BASE ((USER_VA_END / 3 * 2) & PAGE_MASK)

static unsigned long elf_hwcap;

/* AT_HWCAP on riscv: one bit per single-letter extension in riscv,isa. */
void exec_set_hwcap(const char *isa)
{
	if (strncmp(isa, "rv64", 4) != 0)
		return;
	for (const char *p = isa + 4; *p && *p != '_'; p++)
		if (*p >= 'a' && *p <= 'z')
			elf_hwcap |= 1UL << (*p - 'a');
}

/* The argument area, built top-down in a kernel buffer that mirrors the
 * top of the new user stack. */
struct linux_binprm {
	const char *filename;
	struct inode *inode;
	Elf64_Ehdr eh;
	Elf64_Phdr *phdrs;
	struct mm_struct *mm;
	struct file *file;
	char *kbuf;          /* mirror of [STACK_TOP - size, STACK_TOP) */
	unsigned long p;     /* current user address of the stack top */
	int argc, envc;
	unsigned long execfn, random;
	unsigned long argv_user, envp_user; /* user address of first string of each */
	unsigned long load_bias;
};

static inline char *kaddr(struct linux_binprm *b, unsigned long uaddr)
{
	return b->kbuf + (uaddr - (STACK_TOP - ARG_MAX_BYTES));
}

static int push_bytes(struct linux_binprm *b, const void *src, size_t n)
{
	if (b->p - n < STACK_TOP - ARG_MAX_BYTES + PAGE_SIZE)
		return -E2BIG;
	b->p -= n;
	memcpy(kaddr(b, b->p), src, n);
	return 0;
}

/* Copy strings in reverse order so they end up in order in memory.
 * `user` says whether the array and strings are user pointers. */
static int copy_strings(struct linux_binprm *b, const char *const *arr, bool user, int *count)
{
	int n = 0;

	for (;; n++) {
		const char *s;
		if (user) {
			if (get_user(s, (const char *const __user *)&arr[n]))
				return -EFAULT;
		} else {
			s = arr ? arr[n] : NULL;
		}
		if (!s)
			break;
		if (n >= MAX_ARG_STRINGS)
			return -E2BIG;
	}
	*count = n;
	for (int i = n - 1; i >= 0; i--) {
		const char *s;
		long len;
		if (user) {
			if (get_user(s, (const char *const __user *)&arr[i]))
				return -EFAULT;
			char tmp[256];
			/* Copy in pieces from the end isn't possible without the
			 * length: find it first, then copy the whole string. */
			len = 0;
			for (;;) {
				long c = strncpy_from_user(tmp, s + len, sizeof(tmp));
				if (c < 0)
					return -EFAULT;
				len += c;
				if (c < (long)sizeof(tmp))
					break;
				if (len > (long)ARG_MAX_BYTES)
					return -E2BIG;
			}
			if (b->p - (len + 1) < STACK_TOP - ARG_MAX_BYTES + PAGE_SIZE)
				return -E2BIG;
			b->p -= len + 1;
			if (copy_from_user(kaddr(b, b->p), s, len + 1))
				return -EFAULT;
		} else {
			s = arr[i];
			int err = push_bytes(b, s, strlen(s) + 1);
			if (err)
				return err;
		}
	}
	return 0;
}

static int read_headers(struct linux_binprm *b)
{
	ssize_t n = ramfs_read(b->inode, &b->eh, sizeof(b->eh), 0);
	if (n < 0)
		return (int)n;
	/* The header check needs the file size to bound the phdr table. */
	if (n < (ssize_t)sizeof(b->eh) || elf_check_header(&b->eh, b->inode->i_size) != 0)
		return -ENOEXEC;
	size_t sz = (size_t)b->eh.e_phnum * sizeof(Elf64_Phdr);
	b->phdrs = kmalloc(sz);
	if (!b->phdrs)
		return -ENOMEM;
	if (ramfs_read(b->inode, b->phdrs, sz, b->eh.e_phoff) != (ssize_t)sz)
		return -ENOEXEC;
	int err = elf_check_phdrs(&b->eh, b->phdrs, b->inode->i_size);
	if (err)
		return err;
	b->load_bias = b->eh.e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	for (int i = 0; i < b->eh.e_phnum; i++)
		if (b->phdrs[i].p_type == PT_INTERP)
			return -ENOEXEC; /* dynamic programs: the processes issue */
	return 0;
}

static unsigned long elf_prot(u32 pflags)
{
	return (pflags & PF_R ? PROT_READ : 0) | (pflags & PF_W ? PROT_WRITE : 0) |
	       (pflags & PF_X ? PROT_EXEC : 0);
}

/* One PT_LOAD: the file part as a private file mapping (pages come from
 * the page cache on first touch), the rest (bss) as anonymous memory. */
static int elf_map_segment(struct linux_binprm *b, const Elf64_Phdr *ph)
{
	unsigned long addr = b->load_bias + ph->p_vaddr;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);
	unsigned long file_end = addr + ph->p_filesz, mem_end = addr + ph->p_memsz;
	unsigned long prot = elf_prot(ph->p_flags), r;

	if (ph->p_filesz) {
		mmap_write_lock(current->mm);
		r = do_mmap(b->file, start, ALIGN_UP(file_end, PAGE_SIZE) - start, prot,
			    MAP_PRIVATE | MAP_FIXED, ALIGN_DOWN(ph->p_offset, PAGE_SIZE) >> PAGE_SHIFT);
		mmap_write_unlock(current->mm);
		if (IS_ERR_VALUE(r))
			return (int)r;
	}
	if (ph->p_memsz > ph->p_filesz) {
		/* The rest of the last file page belongs to the bss: zero it
		 * (a write fault gives this process its own copy). */
		unsigned long pad = ALIGN_UP(file_end, PAGE_SIZE) - file_end;
		if (ph->p_filesz && pad && (ph->p_flags & PF_W)) {
			static const u8 zeros[256];
			for (unsigned long a = file_end; a < file_end + pad;) {
				size_t c = MIN(sizeof(zeros), file_end + pad - a);
				if (access_remote_vm(current->mm, a, (void *)zeros, c, true))
					return -EFAULT;
				a += c;
			}
		}
		unsigned long anon = ph->p_filesz ? ALIGN_UP(file_end, PAGE_SIZE) : start;
		if (ALIGN_UP(mem_end, PAGE_SIZE) > anon) {
			mmap_write_lock(current->mm);
			r = do_mmap(NULL, anon, ALIGN_UP(mem_end, PAGE_SIZE) - anon, prot,
				    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0);
			mmap_write_unlock(current->mm);
			if (IS_ERR_VALUE(r))
				return (int)r;
		}
	}
	return 0;
}

static int map_segments(struct linux_binprm *b)
{
	struct mm_struct *mm = current->mm;
	unsigned long end_max = 0;

	for (int i = 0; i < b->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &b->phdrs[i];
		if (ph->p_type != PT_LOAD)
			continue;
		int err = elf_map_segment(b, ph);
		if (err)
			return err;
		unsigned long va = b->load_bias + ph->p_vaddr;
		end_max = MAX(end_max, va + ph->p_memsz);
		if (ph->p_flags & PF_X) {
			mm->start_code = mm->start_code ? MIN(mm->start_code, va) : va;
			mm->end_code = MAX(mm->end_code, va + ph->p_filesz);
		} else {
			mm->start_data = mm->start_data ? MIN(mm->start_data, va) : va;
			mm->end_data = MAX(mm->end_data, va + ph->p_filesz);
		}
	}
	mm->start_brk = mm->brk = ALIGN_UP(end_max, PAGE_SIZE);
	return 0;
}

static unsigned long phdr_addr(struct linux_binprm *b)
{
	for (int i = 0; i < b->eh.e_phnum; i++) {
		Elf64_Phdr *ph = &b->phdrs[i];
		if (ph->p_type == PT_LOAD && b->eh.e_phoff >= ph->p_offset &&
		    b->eh.e_phoff < ph->p_offset + ph->p_filesz)
			return b->load_bias + ph->p_vaddr + (b->eh.e_phoff - ph->p_offset);
	}
	return 0;
}

/* argc, argv[], envp[], auxv below the strings, 16-byte aligned. */
static int create_elf_tables(struct linux_binprm *b)
{
	unsigned long auxv[] = {
		AT_HWCAP, elf_hwcap, AT_PAGESZ, PAGE_SIZE, AT_CLKTCK, 100,
		AT_PHDR, phdr_addr(b), AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, b->eh.e_phnum,
		AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, b->load_bias + b->eh.e_entry,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0,
		AT_RANDOM, b->random, AT_EXECFN, b->execfn, AT_NULL, 0,
	};
	int nptr = 1 + b->argc + 1 + b->envc + 1;
	unsigned long size = nptr * sizeof(unsigned long) + sizeof(auxv);
	unsigned long sp = ALIGN_DOWN(b->p - size, 16);

	if (sp < STACK_TOP - ARG_MAX_BYTES + PAGE_SIZE)
		return -E2BIG;
	unsigned long *v = (unsigned long *)kaddr(b, sp);
	unsigned long s = b->argv_user;
	*v++ = b->argc;
	for (int i = 0; i < b->argc; i++, s += strlen(kaddr(b, s)) + 1)
		*v++ = s;
	*v++ = 0;
	b->mm->arg_start = b->argv_user;
	b->mm->arg_end = b->mm->env_start = s;
	for (int i = 0; i < b->envc; i++, s += strlen(kaddr(b, s)) + 1)
		*v++ = s;
	*v++ = 0;
	b->mm->env_end = s;
	memcpy(v, auxv, sizeof(auxv));
	b->p = sp;
	return 0;
}

/* The stack VMA (growing down) with the argument area copied in. */
static int setup_arg_pages(struct linux_binprm *b)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = vma_alloc();
	unsigned long low = MIN(ALIGN_DOWN(b->p, PAGE_SIZE), STACK_TOP - STACK_INIT_SIZE);

	if (!vma)
		return -ENOMEM;
	vma->vm_start = low;
	vma->vm_end = STACK_TOP;
	vma->vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_pgoff = low >> PAGE_SHIFT;
	mmap_write_lock(mm);
	int err = vma_link(mm, vma);
	mmap_write_unlock(mm);
	if (err) {
		vma_free(vma);
		return err;
	}
	mm->stack_vm = mm->total_vm = (STACK_TOP - low) >> PAGE_SHIFT;
	mm->start_stack = b->p;
	return access_remote_vm(mm, b->p, kaddr(b, b->p), STACK_TOP - b->p, true);
}

static int prepare_args(struct linux_binprm *b, const char *const *argv,
			const char *const *envp, bool user)
{
	u8 rnd[16];
	int err = push_bytes(b, b->filename, strlen(b->filename) + 1);

	if (err)
		return err;
	b->execfn = b->p;
	get_random_bytes(rnd, sizeof(rnd));
	if ((err = push_bytes(b, rnd, sizeof(rnd))))
		return err;
	b->random = b->p;
	if ((err = copy_strings(b, envp, user, &b->envc)))
		return err;
	b->envp_user = b->p;
	if ((err = copy_strings(b, argv, user, &b->argc)))
		return err;
	b->argv_user = b->p;
	return create_elf_tables(b);
}

static void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->epc = pc;
	regs->sp = sp;
	regs->status = SR_SPIE | SR_FS_INITIAL; /* SPP = 0: user mode */
}

/* The point of no return: the caller's old image is gone after this. */
static void flush_old_exec(struct linux_binprm *b)
{
	struct task_struct *t = current;
	struct mm_struct *old = t->mm;
	const char *base = strrchr(b->filename, '/');

	t->mm = t->active_mm = b->mm;
	switch_mm(old, b->mm);
	if (old)
		mmput(old);
	b->mm = NULL;
	strlcpy(t->comm, base ? base + 1 : b->filename, sizeof(t->comm));
	t->flags &= ~PF_KTHREAD;
}

/* mmap_base: below the largest stack RLIMIT_STACK allows (Linux's
 * mmap_base without randomization: gap clamped to [128 MiB, 5/6 of
 * the address space]). */
static unsigned long mmap_base(void)
{
	unsigned long gap = rlimit_stack();

	gap = MAX(gap, 128UL << 20);
	gap = MIN(gap, USER_VA_END / 6 * 5);
	return ALIGN_DOWN(STACK_TOP - gap - STACK_GUARD_GAP, PAGE_SIZE);
}

static int do_execve(const char *filename, const char *const *argv, const char *const *envp,
		     bool user)
{
	struct linux_binprm b = { .filename = filename, .p = STACK_TOP };
	int err = ramfs_resolve_at(ramfs_root(), filename, 0, &b.inode);

	if (err)
		return err;
	if (!S_ISREG(b.inode->i_mode) || !(b.inode->i_mode & 0111)) {
		err = -EACCES;
		goto out;
	}
	if ((err = read_headers(&b)))
		goto out;
	b.kbuf = alloc_pages_va(ARG_ORDER);
	b.mm = mm_alloc();
	b.file = ramfs_file_open(b.inode, 0);
	err = -ENOMEM;
	if (!b.kbuf || !b.mm || !b.file)
		goto out;
	if ((err = prepare_args(&b, argv, envp, user)))
		goto out;
	b.mm->mmap_base = mmap_base();
	flush_old_exec(&b);
	/* From here on a failure cannot return to the old program. */
	if ((err = setup_arg_pages(&b)) || (err = map_segments(&b))) {
		pr_err("%s[%d]: exec of %s failed after the point of no return (error %d)\n",
		       current->comm, current->pid, filename, err);
		do_group_exit(SIGKILL);
	}
	start_thread(task_pt_regs(current), b.load_bias + b.eh.e_entry, b.p);
	err = 0;
out:
	if (b.file)
		fput(b.file);
	if (b.mm)
		mmput(b.mm);
	if (b.kbuf)
		free_pages_va(b.kbuf, ARG_ORDER);
	kfree(b.phdrs);
	ramfs_put(b.inode);
	return err;
}

int kernel_execve(const char *filename, const char *const *argv, const char *const *envp)
{
	return do_execve(filename, argv, envp, false);
}

SYSCALL_DEFINE3(execve, const char __user *, ufilename, const char *const __user *, argv,
		const char *const __user *, envp)
{
	char *name = kmalloc(PATH_MAX);
	long n;
	int err;

	if (!name)
		return -ENOMEM;
	n = strncpy_from_user(name, ufilename, PATH_MAX);
	if (n < 0)
		err = -EFAULT;
	else if (n == PATH_MAX)
		err = -ENAMETOOLONG;
	else if (n == 0)
		err = -ENOENT;
	else
		err = do_execve(name, argv, envp, true);
	kfree(name);
	/* On success a0 of the new image starts at 0, as start_thread left it. */
	return err ? err : 0;
}
