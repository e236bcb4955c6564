/* Signals, the riscv64 half (Linux: arch/riscv/kernel/signal.c): the
 * rt_sigframe a handler runs on (Linux's user ABI layout, checked below),
 * system-call restart on the way back to user mode, and rt_sigreturn. */
#include "proc/signal.h"
#include "proc/sched.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/vdso.h"
#include "kernel/errno.h"
#include "kernel/preempt.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

/* ---- the user-visible frame ---- */

struct user_regs_struct { /* pc, then x1..x31: the first 32 slots of pt_regs */
	unsigned long pc, ra, sp, gp, tp, t0, t1, t2, s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	unsigned long t3, t4, t5, t6;
};

struct __riscv_f_ext_state {
	u32 f[32];
	u32 fcsr;
};
struct __riscv_d_ext_state {
	u64 f[32];
	u32 fcsr;
};
struct __riscv_q_ext_state {
	u64 f[64] __aligned(16);
	u32 fcsr;
	u32 reserved[3]; /* zero: room for extensions (V) */
};
union __riscv_fp_state {
	struct __riscv_f_ext_state f;
	struct __riscv_d_ext_state d;
	struct __riscv_q_ext_state q;
};

struct sigcontext {
	struct user_regs_struct sc_regs;
	union __riscv_fp_state sc_fpregs;
};

struct ucontext {
	unsigned long uc_flags;
	unsigned long uc_link; /* struct ucontext __user * */
	stack_t uc_stack;
	sigset_t uc_sigmask;
	u8 __unused[1024 / 8 - sizeof(sigset_t)]; /* glibc's 128-byte sigset_t ends here */
	struct sigcontext uc_mcontext;
};

struct rt_sigframe {
	siginfo_t info;
	struct ucontext uc;
};

/* The offsets glibc (sys/ucontext.h) and Linux agree on. */
_Static_assert(sizeof(struct user_regs_struct) == 32 * 8, "user_regs_struct");
_Static_assert(offsetof(struct pt_regs, t6) == 31 * 8, "user_regs_struct is a prefix of pt_regs");
_Static_assert(sizeof(union __riscv_fp_state) == 528, "__riscv_fp_state");
_Static_assert(offsetof(struct sigcontext, sc_fpregs) == 256, "sigcontext");
_Static_assert(offsetof(struct sigcontext, sc_fpregs.d.fcsr) == 512, "sigcontext fcsr");
_Static_assert(sizeof(stack_t) == 24 && offsetof(stack_t, ss_size) == 16, "stack_t");
_Static_assert(offsetof(struct ucontext, uc_stack) == 16, "ucontext");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 40, "ucontext");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 176, "ucontext");
_Static_assert(sizeof(struct ucontext) == 960, "ucontext");
_Static_assert(offsetof(struct rt_sigframe, uc) == 128, "rt_sigframe");
_Static_assert(sizeof(struct rt_sigframe) == 1088, "rt_sigframe");

#define __NR_rt_sigreturn 139

/* ---- building a handler's frame ---- */

/* Where the frame goes: below sp, or at the top of the alternate stack
 * for SA_ONSTACK; 16-byte aligned. -1 (a bad address) if the frame would
 * overflow the alternate stack we are already on. */
static unsigned long get_sigframe(struct ksignal *ksig, struct pt_regs *regs, size_t size)
{
	unsigned long sp = regs->sp;

	if (on_sig_stack(sp) && !on_sig_stack(sp - size))
		return -1UL;
	if ((ksig->ka.sa_flags & SA_ONSTACK) && sas_ss_flags(sp) == 0)
		sp = current->sas_ss_sp + current->sas_ss_size;
	return (sp - size) & ~0xfUL;
}

/* 0, or -EFAULT if the frame could not be written (the caller then
 * kills with SIGSEGV). */
static int setup_rt_frame(struct ksignal *ksig, const sigset_t *set, struct pt_regs *regs)
{
	unsigned long ret = vdso_rt_sigreturn_addr(current->mm);
	unsigned long sp = get_sigframe(ksig, regs, sizeof(struct rt_sigframe));
	struct rt_sigframe __user *frame = (struct rt_sigframe __user *)sp;
	struct rt_sigframe kf;

	if (!ret || !access_ok(frame, sizeof(kf)))
		return -EFAULT;
	memset(&kf, 0, sizeof(kf));
	kf.info = ksig->info;
	kf.uc.uc_flags = 0;
	kf.uc.uc_link = 0;
	save_altstack(&kf.uc.uc_stack, regs->sp);
	kf.uc.uc_sigmask = *set;
	memcpy(&kf.uc.uc_mcontext.sc_regs, regs, sizeof(struct user_regs_struct));
	/* The user's FP registers are live in the hart (the kernel uses no
	 * FP); FS Off means the program never touched them. */
	if (regs->status & SR_FS) {
		struct user_fpstate fp;
		fstate_save(&fp);
		memcpy(kf.uc.uc_mcontext.sc_fpregs.d.f, fp.f, sizeof(fp.f));
		kf.uc.uc_mcontext.sc_fpregs.d.fcsr = fp.fcsr;
	}
	if (copy_to_user(frame, &kf, sizeof(kf)))
		return -EFAULT;

	/* handler(sig, &info, &uc), returning into the trampoline. The FP
	 * registers are left as they were, as Linux does. */
	regs->epc = (unsigned long)ksig->ka.sa_handler;
	regs->ra = ret;
	regs->sp = sp;
	regs->a0 = ksig->sig;
	regs->a1 = (unsigned long)&frame->info;
	regs->a2 = (unsigned long)&frame->uc;
	return 0;
}

static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	int ret = setup_rt_frame(ksig, sigmask_to_save(), regs);

	signal_setup_done(ret, ksig);
}

/* ---- delivery and system-call restart ---- */

static bool is_restart_errno(long r)
{
	return r == -ERESTARTSYS || r == -ERESTARTNOINTR || r == -ERESTARTNOHAND ||
	       r == -ERESTART_RESTARTBLOCK;
}

void do_signal(struct pt_regs *regs)
{
	struct ksignal ksig;
	/* do_syscall left epc past the ecall and the first argument in orig_a0. */
	bool syscall = regs->cause == EXC_SYSCALL;
	long retval = (long)regs->a0;

	if (syscall)
		regs->cause = -1UL; /* decide about restarting once, not again on the next pass */

	if (get_signal(&ksig)) {
		if (syscall && is_restart_errno(retval)) {
			if (retval == -ERESTARTNOINTR ||
			    (retval == -ERESTARTSYS && (ksig.ka.sa_flags & SA_RESTART))) {
				regs->a0 = regs->orig_a0; /* run it again after the handler */
				regs->epc -= 4;
			} else {
				regs->a0 = -EINTR;
			}
		}
		handle_signal(&ksig, regs);
		return;
	}

	/* No handler ran (the signal was ignored, stopped us, or there was
	 * none): restart transparently. We keep no restart_block, so a
	 * RESTART_RESTARTBLOCK call (nanosleep...) reports -EINTR instead. */
	if (syscall && is_restart_errno(retval)) {
		if (retval == -ERESTART_RESTARTBLOCK) {
			regs->a0 = -EINTR;
		} else {
			regs->a0 = regs->orig_a0;
			regs->epc -= 4;
		}
	}
	restore_saved_sigmask();
}

/* ---- rt_sigreturn ---- */

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct rt_sigframe __user *frame = (struct rt_sigframe __user *)regs->sp;
	struct ucontext uc;
	struct user_fpstate fp;

	if (copy_from_user(&uc, &frame->uc, sizeof(uc)))
		goto badframe;
	set_current_blocked(&uc.uc_sigmask);
	/* The 32 user registers, pc included; status (privilege, interrupt
	 * enable) is never taken from user memory. */
	memcpy(regs, &uc.uc_mcontext.sc_regs, sizeof(struct user_regs_struct));
	memcpy(fp.f, uc.uc_mcontext.sc_fpregs.d.f, sizeof(fp.f));
	fp.fcsr = uc.uc_mcontext.sc_fpregs.d.fcsr;
	/* Dirty: the hart's registers are newer than current->fpstate. Both
	 * with preemption off: a switch in between would see a clean state,
	 * not save the registers, and load the old fpstate on the way back. */
	preempt_disable();
	fstate_restore(&fp);
	regs->status = (regs->status & ~SR_FS) | SR_FS_DIRTY;
	preempt_enable();
	regs->cause = -1UL; /* this is no system call to restart */
	/* Put back the alternate stack setting (undoes SS_AUTODISARM);
	 * refused while running on it, as Linux quietly does. */
	do_sigaltstack(&uc.uc_stack, NULL, regs->sp);
	return (long)regs->a0; /* do_syscall stores it back into a0 */

badframe:
	force_sig(SIGSEGV);
	return 0;
}
