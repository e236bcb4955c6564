/* kernel_clone: the one path by which every task is made — fork, vfork,
 * threads and kernel threads (Linux: kernel/fork.c). copy_process builds
 * the child from the parent, sharing or copying each part as the CLONE_*
 * flags say; wake_up_new_task then puts it on a run queue. */
#include "proc/fork.h"
#include "proc/cred.h"
#include "proc/user.h"
#include "proc/exit.h"
#include "proc/futex.h"
#include "proc/pid.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/tlbflush.h"
#include "arch/riscv/traps.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/ipc/ipc.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vma.h"

extern void ret_from_fork(void);
void attach_pid(struct task_struct *t);

/* ---- task structs ---- */

/* A task_struct and its kernel stack, neither zeroed. */
static struct task_struct *dup_task_alloc(void)
{
	struct task_struct *t = kmalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->stack = alloc_pages_va(THREAD_ORDER);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	mod_kernel_stack(1 << THREAD_ORDER);
	return t;
}

struct task_struct *alloc_task_struct(void)
{
	struct task_struct *t = dup_task_alloc();

	if (t) {
		void *stack = t->stack;
		memset(t, 0, sizeof(*t));
		t->stack = stack;
		t->real_cred = get_cred(&init_cred); /* idle tasks are root, as init_task */
		t->cred = get_cred(&init_cred);
		user_processes_add(init_cred.user, 1);
	}
	return t;
}

void get_task_struct(struct task_struct *t)
{
	__atomic_add_fetch(&t->usage, 1, __ATOMIC_RELAXED);
}

void put_task_struct(struct task_struct *t)
{
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0) {
		exit_creds(t);
		free_pages_va(t->stack, THREAD_ORDER);
		mod_kernel_stack(-(1 << THREAD_ORDER));
		kfree(t);
	}
}

/* ---- address space ---- */

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();
	int err = 0;

	if (!mm)
		return NULL;
	mmap_write_lock(old);
	mm->mmap_base = old->mmap_base;
	mm->start_code = old->start_code, mm->end_code = old->end_code;
	mm->start_data = old->start_data, mm->end_data = old->end_data;
	mm->start_brk = old->start_brk, mm->brk = old->brk, mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start, mm->arg_end = old->arg_end;
	mm->env_start = old->env_start, mm->env_end = old->env_end;
	mm->total_vm = old->total_vm, mm->stack_vm = old->stack_vm;
	mm->membarrier_state = old->membarrier_state; /* kept by fork, not by exec */
	mm->exec_vm = old->exec_vm, mm->data_vm = old->data_vm;
	for (struct vm_area_struct *v = old->mmap; v && !err; v = v->vm_next) {
		if (v->vm_flags & VM_DONTCOPY)
			continue;
		/* Not vma_alloc(): every field is copied, zeroing first is waste. */
		struct vm_area_struct *n = kmalloc(sizeof(*n));
		if (!n) {
			err = -ENOMEM;
			break;
		}
		*n = *v;
		n->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT); /* memory locks are not inherited */
		n->vm_next = n->vm_prev = NULL;
		if (vma_link(mm, n)) {
			vma_free(n);
			err = -ENOMEM;
			break;
		}
		if (n->vm_ops && n->vm_ops->open)
			n->vm_ops->open(n);
		err = copy_page_range(mm, old, v);
	}
	mmap_write_unlock(old);
	flush_tlb_mm(old); /* its private pages are write-protected now */
	if (err) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

static int copy_mm(u64 flags, struct task_struct *p)
{
	struct mm_struct *old = current->mm;

	p->mm = p->active_mm = NULL;
	if (!old)
		return 0; /* kernel thread */
	if (flags & CLONE_VM) {
		__atomic_add_fetch(&old->mm_users, 1, __ATOMIC_RELAXED);
		p->mm = p->active_mm = old;
		return 0;
	}
	p->mm = p->active_mm = dup_mm(old);
	return p->mm ? 0 : -ENOMEM;
}

static int copy_files(u64 flags, struct task_struct *p)
{
	struct files_struct *old = current->files;

	if (!old)
		return 0;
	if (flags & CLONE_FILES) {
		__atomic_add_fetch(&old->count, 1, __ATOMIC_RELAXED);
		return 0;
	}
	p->files = dup_fd(old);
	return p->files ? 0 : -ENOMEM;
}

static int copy_fs(u64 flags, struct task_struct *p)
{
	struct fs_struct *old = current->fs;

	if (!old)
		return 0;
	if (flags & CLONE_FS) {
		__atomic_add_fetch(&old->users, 1, __ATOMIC_RELAXED);
		return 0;
	}
	p->fs = copy_fs_struct(old);
	return p->fs ? 0 : -ENOMEM;
}

/* The child's registers: the parent's, returning 0, on its own stack. */
static void copy_thread(struct task_struct *p, struct kernel_clone_args *args)
{
	struct pt_regs *regs = task_pt_regs(p);

	memset(&p->thread, 0, sizeof(p->thread));
	if (args->fn) {
		memset(regs, 0, sizeof(*regs));
		regs->status = SR_SPP | SR_SPIE;
		p->thread.ra = (unsigned long)ret_from_kernel_thread;
		p->thread.s[0] = (unsigned long)args->fn;
		p->thread.s[1] = (unsigned long)args->fn_arg;
	} else {
		*regs = *task_pt_regs(current);
		regs->a0 = 0;
		if (args->stack)
			regs->sp = args->stack + args->stack_size;
		if (args->flags & CLONE_SETTLS)
			regs->tp = args->tls;
		p->thread.ra = (unsigned long)ret_from_fork;
		/* Its FP registers are the parent's, as they are now. */
		if (regs->status & SR_FS)
			fstate_save(&p->fpstate);
	}
	p->thread.sp = (unsigned long)regs;
	p->thread_info.kernel_sp = (long)p->stack + THREAD_SIZE;
}

static int check_clone_flags(u64 flags, int exit_signal)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if (flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
		     CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_PIDFD))
		return -EINVAL; /* namespaces and pidfds are not implemented */
	if ((flags & CLONE_PARENT) && current->pid == 1)
		return -EINVAL;
	if (exit_signal < 0 || exit_signal > _NSIG)
		return -EINVAL;
	return 0;
}

static void copy_task_fields(struct task_struct *p)
{
	struct task_struct *cur = current;

	*p = (struct task_struct){
		.stack = p->stack,
		.usage = 2, /* one for release_task, one for the last switch away */
		.flags = (cur->flags & ~(PF_EXITING | PF_IDLE)) | PF_FORKNOEXEC,
		.static_prio = cur->static_prio,
		.normal_prio = cur->normal_prio,
		.policy = cur->policy,
		.rt_priority = cur->rt_priority,
		.cpus_mask = (cur->flags & PF_IDLE) ? ~0UL : cur->cpus_mask, /* idle tasks are pinned */
		.files = cur->files,
		.fs = cur->fs,
		.blocked = cur->blocked,
		.sas_ss_sp = cur->sas_ss_sp,
		.sas_ss_size = cur->sas_ss_size,
		.sas_ss_flags = cur->sas_ss_flags,
		.personality = cur->personality,
		.start_time = ktime_get_ns(),
	};
	memcpy(p->comm, cur->comm, sizeof(p->comm));
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->thread_group);
	INIT_LIST_HEAD(&p->tasks);
	INIT_LIST_HEAD(&p->pending.list);
	INIT_LIST_HEAD(&p->rt_run_list);
}

/* Link the child into the pid table and its family (tasklist_lock held). */
static int attach_family(struct task_struct *p, struct kernel_clone_args *args)
{
	u64 flags = args->flags;
	int pid = alloc_pid();

	if (pid < 0)
		return pid;
	p->pid = pid;
	if (flags & CLONE_THREAD) {
		p->tgid = current->tgid;
		p->group_leader = current->group_leader;
		p->exit_signal = -1;
		/* Signal code walks thread groups under siglock alone. */
		unsigned long f = spin_lock_irqsave(&p->sighand->siglock);
		list_add_tail(&p->thread_group, &p->group_leader->thread_group);
		spin_unlock_irqrestore(&p->sighand->siglock, f);
	} else {
		p->tgid = pid;
		p->group_leader = p;
		p->exit_signal = args->exit_signal;
	}
	if (flags & (CLONE_PARENT | CLONE_THREAD)) {
		p->real_parent = current->real_parent;
		if (flags & CLONE_PARENT)
			p->exit_signal = current->group_leader->exit_signal;
	} else {
		p->real_parent = current;
	}
	p->parent = p->real_parent;
	if (thread_group_leader(p)) {
		list_add_tail(&p->sibling, &p->real_parent->children);
		list_add_tail(&p->tasks, &init_task.tasks);
		pid_hold(p->signal->pgrp);
		pid_hold(p->signal->session);
	}
	attach_pid(p);
	return 0;
}

static void undo_copy(struct task_struct *p, u64 flags)
{
	if ((flags & CLONE_THREAD) && p->signal) /* copy_signal counted it */
		__atomic_sub_fetch(&p->signal->nr_threads, 1, __ATOMIC_ACQ_REL);
	if (p->mm)
		mmput(p->mm);
	exit_sem(p);
	exit_files(p);
	exit_fs(p);
	if (p->sighand)
		put_sighand(p->sighand);
	if (p->signal)
		put_signal(p->signal);
	exit_creds(p);
	free_pages_va(p->stack, THREAD_ORDER);
	mod_kernel_stack(-(1 << THREAD_ORDER));
	kfree(p);
}

static struct task_struct *copy_process(struct kernel_clone_args *args)
{
	u64 flags = args->flags;
	int err = check_clone_flags(flags, args->exit_signal);

	if (err)
		return ERR_PTR(err);
	/* copy_task_fields() sets every field: no zeroing here. */
	struct task_struct *p = dup_task_alloc();
	if (!p)
		return ERR_PTR(-ENOMEM);
	copy_task_fields(p);
	spin_lock_init(&p->alloc_lock);
	if (flags & CLONE_CHILD_SETTID)
		p->set_child_tid = args->child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
	sched_fork(p);
	copy_creds(p, flags);
	if ((err = copy_files(flags, p)) || (err = copy_fs(flags, p)) ||
	    (err = copy_sighand(flags, p)) || (err = copy_signal(flags, p)) ||
	    (err = copy_mm(flags, p)) || (err = copy_semundo(flags, p))) {
		undo_copy(p, flags);
		return ERR_PTR(err);
	}
	copy_thread(p, args);
	spin_lock(&tasklist_lock);
	if ((current->signal->flags & SIGNAL_GROUP_EXIT) || fatal_signal_pending(current))
		err = -ERESTARTNOINTR; /* the parent is dying: no child */
	else if (nproc_limit_reached())
		err = -EAGAIN;
	else
		err = attach_family(p, args);
	spin_unlock(&tasklist_lock);
	if (err) {
		undo_copy(p, flags);
		return ERR_PTR(err);
	}
	return p;
}

long kernel_clone(struct kernel_clone_args *args)
{
	struct completion vfork;
	struct task_struct *p = copy_process(args);

	if (IS_ERR(p))
		return PTR_ERR(p);
	int pid = p->pid;
	if ((args->flags & CLONE_PARENT_SETTID) && put_user(pid, args->parent_tid)) {
		/* Linux ignores this error too: the child exists already. */
	}
	if (args->flags & CLONE_VFORK) {
		init_completion(&vfork);
		p->vfork_done = &vfork;
		get_task_struct(p);
	}
	wake_up_new_task(p);
	if (args->flags & CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits. */
		if (wait_for_completion_killable(&vfork))
			p->vfork_done = NULL; /* dying: the child must not touch our stack */
		put_task_struct(p);
	}
	return pid;
}

/* The child's first step in user context (ret_from_fork, entry.S). */
void ret_from_fork_c(struct task_struct *prev)
{
	schedule_tail(prev);
	if (current->set_child_tid)
		put_user(current->pid, current->set_child_tid);
	exit_to_user_mode(task_pt_regs(current));
}

void mm_release(struct task_struct *t)
{
	exit_robust_list(t); /* robust futexes, then clear_child_tid + wake */
	t->clear_child_tid = NULL;
	struct completion *vd = t->vfork_done;
	if (vd) {
		t->vfork_done = NULL;
		complete(vd);
	}
}

struct task_struct *kernel_thread(int (*fn)(void *), void *arg, const char *comm)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_UNTRACED, .fn = fn, .fn_arg = arg,
	};
	struct task_struct *p = copy_process(&args);

	if (IS_ERR(p))
		return NULL;
	strlcpy(p->comm, comm, sizeof(p->comm));
	p->flags |= PF_KTHREAD;
	wake_up_new_task(p);
	return p;
}

/* clone(flags, stack, parent_tid, tls, child_tid): riscv64 argument order. */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp, int __user *, parent_tid,
		unsigned long, tls, int __user *, child_tid)
{
	struct kernel_clone_args args = {
		.flags = flags & ~CSIGNAL,
		.exit_signal = (int)(flags & CSIGNAL),
		.stack = newsp,
		.parent_tid = parent_tid,
		.child_tid = child_tid,
		.tls = tls,
	};
	return kernel_clone(&args);
}

struct clone_args {
	u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};

SYSCALL_DEFINE2(clone3, struct clone_args __user *, uargs, size_t, size)
{
	struct clone_args a;

	if (size < 64 || size > PAGE_SIZE)
		return -EINVAL; /* CLONE_ARGS_SIZE_VER0 is 64 bytes */
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uargs, MIN(size, sizeof(a))))
		return -EFAULT;
	if ((a.flags & CSIGNAL) || a.exit_signal > _NSIG || a.set_tid || a.set_tid_size ||
	    (a.stack && !a.stack_size) || (!a.stack && a.stack_size))
		return -EINVAL;
	struct kernel_clone_args args = {
		.flags = a.flags,
		.exit_signal = (int)a.exit_signal,
		.stack = a.stack,
		.stack_size = a.stack_size,
		.parent_tid = (int __user *)a.parent_tid,
		.child_tid = (int __user *)a.child_tid,
		.tls = a.tls,
	};
	return kernel_clone(&args);
}
