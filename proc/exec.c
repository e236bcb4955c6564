/* execve (Linux: fs/exec.c): do_execve opens the file and copies argv and
 * envp into a buffer mirroring the top of the new stack; a binary format
 * (#! script or ELF) then loads it. Everything that can fail happens
 * before begin_new_exec, the point of no return; errors until then leave
 * the caller untouched. */
#include "kernel/fs/fsnotify.h"
#include "proc/binfmt.h"
#include "proc/cred.h"
#include "proc/exec.h"
#include "proc/fork.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/tlbflush.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/file.h"
#include "kernel/random.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vma.h"

#define STACK_INIT_SIZE (128UL * 1024)
#define MAX_ARG_STRINGS 0x7fffffff

int bprm_push(struct linux_binprm *b, const void *src, size_t n)
{
	if (b->p - n < STACK_TOP - ARG_MAX_BYTES + PAGE_SIZE)
		return -E2BIG;
	b->p -= n;
	memcpy(bprm_kaddr(b, b->p), src, n);
	return 0;
}

/* Length of a user string including its NUL, or -EFAULT / -E2BIG. */
static long user_strlen(const char __user *s)
{
	char tmp[256];
	long len = 0;

	for (;;) {
		long c = strncpy_from_user(tmp, s + len, sizeof(tmp));
		if (c < 0)
			return -EFAULT;
		len += c;
		if (c < (long)sizeof(tmp))
			return len + 1;
		if (len > (long)ARG_MAX_BYTES)
			return -E2BIG;
	}
}

static int get_str(const char *const *arr, int i, bool user, const char **s)
{
	if (!user) {
		*s = arr ? arr[i] : NULL;
		return 0;
	}
	if (!arr) {
		*s = NULL;
		return 0;
	}
	return get_user(*s, (const char *const __user *)&arr[i]) ? -EFAULT : 0;
}

/* Push the strings of arr (last first, so they end up in order). */
static int copy_strings(struct linux_binprm *b, const char *const *arr, bool user, int *count)
{
	const char *s;
	int n = 0, err;

	for (;; n++) {
		if ((err = get_str(arr, n, user, &s)))
			return err;
		if (!s)
			break;
		if (n >= MAX_ARG_STRINGS)
			return -E2BIG;
	}
	*count = n;
	for (int i = n - 1; i >= 0; i--) {
		if ((err = get_str(arr, i, user, &s)))
			return err;
		if (!user) {
			err = bprm_push(b, s, strlen(s) + 1);
		} else {
			long len = user_strlen(s);
			if (len < 0)
				return (int)len;
			if (b->p - len < STACK_TOP - ARG_MAX_BYTES + PAGE_SIZE)
				return -E2BIG;
			b->p -= len;
			err = copy_from_user(bprm_kaddr(b, b->p), s, len) ? -EFAULT : 0;
		}
		if (err)
			return err;
	}
	return 0;
}

void bprm_close_file(struct linux_binprm *b)
{
	if (b->file)
		fput(b->file); /* it holds the inode */
	b->file = NULL;
	b->inode = NULL;
}

/* Open a file to execute: a regular file with execute permission on a
 * mount that allows it (Linux's do_open_execat). */
struct file *open_exec_at(int dfd, const char *path, int flags)
{
	struct file *f;

	if (!*path && (flags & AT_EMPTY_PATH)) {
		struct file *df = fget(dfd);
		if (!df)
			return ERR_PTR(-EBADF);
		f = df->f_dentry ? dentry_open(&(struct path){ df->f_vfsmnt, df->f_dentry }, O_RDONLY)
				 : ERR_PTR(-EACCES);
		fput(df);
	} else {
		f = do_filp_open(dfd, path, O_RDONLY | __FMODE_EXEC |
				 ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
	}
	if (IS_ERR(f))
		return f;
	struct inode *inode = f->f_inode;
	int err = !S_ISREG(inode->i_mode) ? -EACCES : (f->f_vfsmnt->mnt_flags & MS_NOEXEC) ? -EACCES
		  : inode_permission(inode, MAY_EXEC);
	if (err) {
		fput(f);
		return ERR_PTR(err);
	}
	if (*path)
		fsnotify_open(f); /* as Linux's do_open_execat (AT_EMPTY_PATH: no event) */
	return f;
}

static int bprm_open_at(struct linux_binprm *b, int dfd, const char *path, int flags)
{
	bprm_close_file(b);
	struct file *f = open_exec_at(dfd, path, flags);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	b->file = f;
	b->inode = f->f_inode;
	memset(b->buf, 0, sizeof(b->buf));
	return inode_read(b->inode, b->buf, sizeof(b->buf), 0) < 0 ? -EIO : 0;
}

/* Open the file to load and read its head (a script's interpreter, too). */
int bprm_open(struct linux_binprm *b, const char *path)
{
	return bprm_open_at(b, AT_FDCWD, path, 0);
}

/* Make current the only thread of its group: the others are killed and
 * waited for (Linux's de_thread). */
static int de_thread(struct task_struct *t)
{
	if (t->signal->nr_threads == 1)
		return 0;
	zap_other_threads(t);
	while (__atomic_load_n(&t->signal->nr_threads, __ATOMIC_ACQUIRE) > 1) {
		if (fatal_signal_pending(t))
			return -EINTR;
		schedule_timeout(1000000, TASK_KILLABLE);
	}
	return 0;
}

/* mmap_base: below the largest stack RLIMIT_STACK allows (Linux's
 * mmap_base without randomization: gap clamped to [128 MiB, 5/6 of the
 * address space]). */
static unsigned long mmap_base(void)
{
	unsigned long gap = rlimit_stack();

	gap = MAX(gap, 128UL << 20);
	gap = MIN(gap, USER_VA_END / 6 * 5);
	return ALIGN_DOWN(STACK_TOP - gap - STACK_GUARD_GAP, PAGE_SIZE);
}

/* The point of no return: install the new mm; the old image is gone. */
int begin_new_exec(struct linux_binprm *b)
{
	struct task_struct *t = current;
	struct mm_struct *old = t->mm;
	const char *base = strrchr(b->filename, '/');
	int err = bprm_creds_from_file(b);

	if (!err)
		err = de_thread(t);
	if (err)
		return err;
	b->mm->mmap_base = mmap_base();
	if (old)
		mm_release(t); /* robust futexes, clear_child_tid, the vfork parent */
	task_lock(t);
	t->mm = t->active_mm = b->mm;
	task_unlock(t);
	switch_mm(old, b->mm);
	if (old)
		mmput(old);
	b->mm = NULL;
	commit_creds(b->cred);
	b->cred = NULL;
	strlcpy(t->comm, base ? base + 1 : b->filename, sizeof(t->comm));
	t->flags &= ~(PF_KTHREAD | PF_FORKNOEXEC);
	if (t->files)
		do_close_on_exec(t->files);
	exit_posix_timers(t->signal); /* POSIX timers do not survive exec (ITIMER_REAL does) */
	flush_signal_handlers(t);
	t->sas_ss_sp = 0, t->sas_ss_size = 0, t->sas_ss_flags = 2; /* SS_DISABLE */
	return 0;
}

/* The stack VMA (growing down), with [sp, STACK_TOP) copied in. */
int setup_arg_pages(struct linux_binprm *b, unsigned long sp)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = vma_alloc();
	unsigned long low = MIN(ALIGN_DOWN(sp, PAGE_SIZE), STACK_TOP - STACK_INIT_SIZE);

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
	mm->stack_vm = (STACK_TOP - low) >> PAGE_SHIFT;
	mm->total_vm += mm->stack_vm;
	mm->start_stack = sp;
	return access_remote_vm(mm, sp, bprm_kaddr(b, sp), STACK_TOP - sp, true);
}

void start_thread(unsigned long pc, unsigned long sp)
{
	struct pt_regs *regs = task_pt_regs(current);

	memset(regs, 0, sizeof(*regs));
	regs->epc = pc;
	regs->sp = sp;
	regs->status = SR_SPIE | SR_FS_INITIAL; /* SPP = 0: user mode */
}

/* execfn at the very top, then 16 random bytes (AT_RANDOM), envp, argv. */
static int copy_args(struct linux_binprm *b, const char *const *argv, const char *const *envp,
		     bool user)
{
	u8 rnd[16];
	int err = bprm_push(b, b->filename, strlen(b->filename) + 1);

	if (err)
		return err;
	b->execfn = b->p;
	get_random_bytes(rnd, sizeof(rnd));
	if ((err = bprm_push(b, rnd, sizeof(rnd))))
		return err;
	b->random = b->p;
	if ((err = copy_strings(b, envp, user, &b->envc)) ||
	    (err = copy_strings(b, argv, user, &b->argc)))
		return err;
	if (b->argc == 0) { /* as Linux: an empty argv[0] for argv = {NULL} */
		if ((err = bprm_push(b, "", 1)))
			return err;
		b->argc = 1;
	}
	b->argv_start = b->p;
	return 0;
}

static int do_execve(int dfd, const char *filename, int flags, const char *const *argv,
		     const char *const *envp, bool user)
{
	struct linux_binprm b = { .filename = filename, .p = STACK_TOP };
	int err = bprm_open_at(&b, dfd, filename, flags);

	if (err)
		goto out;
	b.kbuf = alloc_pages_va(ARG_ORDER);
	b.mm = mm_alloc();
	b.cred = prepare_creds();
	err = -ENOMEM;
	if (!b.kbuf || !b.mm || !b.cred)
		goto out;
	if ((err = copy_args(&b, argv, envp, user)))
		goto out;
	err = load_script(&b);
	if (err == -ENOEXEC)
		err = load_elf_binary(&b);
out:
	bprm_close_file(&b);
	if (b.mm)
		mmput(b.mm);
	if (b.cred)
		abort_creds(b.cred);
	if (b.kbuf)
		free_pages_va(b.kbuf, ARG_ORDER);
	return err;
}

int kernel_execve(const char *filename, const char *const *argv, const char *const *envp)
{
	return do_execve(AT_FDCWD, filename, 0, argv, envp, false);
}

static long execve_common(int dfd, const char __user *ufilename, const char *const __user *argv,
			  const char *const __user *envp, int flags)
{
	char *name;
	long n;
	int err;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	name = kmalloc(PATH_MAX);
	if (!name)
		return -ENOMEM;
	n = strncpy_from_user(name, ufilename, PATH_MAX);
	if (n < 0)
		err = -EFAULT;
	else if (n == PATH_MAX)
		err = -ENAMETOOLONG;
	else if (n == 0 && !(flags & AT_EMPTY_PATH))
		err = -ENOENT;
	else
		err = do_execve(dfd, name, flags, argv, envp, true);
	kfree(name);
	/* On success a0 of the new image starts at 0, as start_thread left it. */
	return err;
}

SYSCALL_DEFINE3(execve, const char __user *, ufilename, const char *const __user *, argv,
		const char *const __user *, envp)
{
	return execve_common(AT_FDCWD, ufilename, argv, envp, 0);
}

SYSCALL_DEFINE5(execveat, int, dfd, const char __user *, ufilename, const char *const __user *, argv,
		const char *const __user *, envp, int, flags)
{
	return execve_common(dfd, ufilename, argv, envp, flags);
}
