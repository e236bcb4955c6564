/* The system-call table and dispatcher. An unknown number returns -ENOSYS
 * and is logged once, so missing calls show up without flooding the log. */
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "proc/task.h"

/* number, name: Linux riscv64 (asm-generic/unistd.h) */
#define SYSCALLS(X)                                                              \
	SYSCALLS_FS(X) SYSCALLS_PIPE(X) SYSCALLS_CRED(X) SYSCALLS_NET(X) SYSCALLS_EVENT(X) \
	SYSCALLS_TIMER(X) SYSCALLS_IPC(X) X(93, exit) X(94, exit_group) X(96, set_tid_address) X(101, nanosleep) \
	X(112, clock_settime) X(113, clock_gettime) X(114, clock_getres) X(115, clock_nanosleep) X(160, uname) X(161, sethostname) X(162, setdomainname) X(165, getrusage)  \
	X(169, gettimeofday) X(170, settimeofday) X(172, getpid) X(173, getppid)           \
	X(178, gettid) X(179, sysinfo) X(214, brk)   \
	X(215, munmap) X(216, mremap) X(221, execve) X(222, mmap) X(226, mprotect) \
	X(227, msync) X(232, mincore) X(233, madvise) X(220, clone) X(435, clone3)     \
	X(260, wait4) X(95, waitid) X(124, sched_yield) X(154, setpgid) X(155, getpgid) \
	X(156, getsid) X(157, setsid) X(167, prctl) X(153, times)                      \
	X(123, sched_getaffinity) X(166, umask) X(281, execveat) \
	X(98, futex) X(99, set_robust_list) X(100, get_robust_list) X(129, kill) \
	X(102, getitimer) X(103, setitimer) X(130, tkill) X(131, tgkill) X(132, sigaltstack)   \
	X(133, rt_sigsuspend) X(134, rt_sigaction) X(135, rt_sigprocmask) X(136, rt_sigpending) \
	X(137, rt_sigtimedwait) X(138, rt_sigqueueinfo) X(139, rt_sigreturn) X(240, rt_tgsigqueueinfo) \
	X(118, sched_setparam) X(119, sched_setscheduler) X(120, sched_getscheduler)        \
	X(121, sched_getparam) X(122, sched_setaffinity) X(125, sched_get_priority_max)     \
	X(126, sched_get_priority_min) X(127, sched_rr_get_interval) X(140, setpriority)     \
	X(141, getpriority) X(274, sched_setattr) X(275, sched_getattr) X(168, getcpu) X(261, prlimit64) X(278, getrandom) X(259, riscv_flush_icache)

/* Files (kernel/fs/): descriptors, I/O, names, mounts. */
#define SYSCALLS_FS(X)                                                                      \
	X(17, getcwd) X(23, dup) X(24, dup3) X(25, fcntl) X(29, ioctl) X(32, flock)             \
	X(33, mknodat) X(34, mkdirat) X(35, unlinkat) X(36, symlinkat) X(37, linkat)             \
	X(39, umount2) X(40, mount) X(43, statfs) X(44, fstatfs) X(45, truncate)                 \
	X(46, ftruncate) X(47, fallocate) X(48, faccessat) X(49, chdir) X(50, fchdir)            \
	X(51, chroot) X(52, fchmod) X(53, fchmodat) X(54, fchownat) X(55, fchown)                \
	X(56, openat) X(57, close) X(61, getdents64) X(62, lseek) X(63, read) X(64, write)       \
	X(65, readv) X(66, writev) X(67, pread64) X(68, pwrite64) X(69, preadv) X(70, pwritev)   \
	X(71, sendfile) X(78, readlinkat) X(79, newfstatat) X(80, fstat) X(81, sync)             \
	X(82, fsync) X(83, fdatasync) X(88, utimensat) X(142, reboot) X(267, syncfs)             \
	X(276, renameat2) X(285, copy_file_range) X(291, statx) X(436, close_range)              \
	X(439, faccessat2)
/* Pipes and waiting on descriptors (kernel/fs/pipe.c, kernel/fs/select.c). */
#define SYSCALLS_PIPE(X) X(59, pipe2) X(72, pselect6) X(73, ppoll)

/* Credentials (proc/cred.c, proc/groups.c, proc/capability.c). */
#define SYSCALLS_CRED(X)                                                                    \
	X(90, capget) X(91, capset) X(143, setregid) X(144, setgid) X(145, setreuid)              \
	X(146, setuid) X(147, setresuid) X(148, getresuid) X(149, setresgid) X(150, getresgid)    \
	X(151, setfsuid) X(152, setfsgid) X(158, getgroups) X(159, setgroups) X(174, getuid)      \
	X(175, geteuid) X(176, getgid) X(177, getegid)

/* Sockets (kernel/net/). */
#define SYSCALLS_NET(X)                                                                     \
	X(198, socket) X(199, socketpair) X(200, bind) X(201, listen) X(202, accept)             \
	X(203, connect) X(204, getsockname) X(205, getpeername) X(206, sendto) X(207, recvfrom)  \
	X(208, setsockopt) X(209, getsockopt) X(210, shutdown) X(211, sendmsg) X(212, recvmsg)   \
	X(242, accept4) X(243, recvmmsg) X(269, sendmmsg)

/* Event descriptors: eventfd, epoll, timerfd, signalfd (kernel/fs/). */
#define SYSCALLS_EVENT(X) X(19, eventfd2) X(20, epoll_create1) X(21, epoll_ctl) X(22, epoll_pwait) \
	X(441, epoll_pwait2) X(85, timerfd_create) X(86, timerfd_settime) X(87, timerfd_gettime) \
	X(74, signalfd4) X(26, inotify_init1) X(27, inotify_add_watch) X(28, inotify_rm_watch)

/* POSIX timers, resource limits and other process calls (proc/). */
#define SYSCALLS_TIMER(X)                                                                   \
	X(107, timer_create) X(108, timer_gettime) X(109, timer_getoverrun) X(110, timer_settime) \
	X(111, timer_delete) X(163, getrlimit) X(164, setrlimit) X(92, personality)             \
	X(223, fadvise64) X(213, readahead) X(84, sync_file_range) X(286, preadv2)              \
	X(287, pwritev2) X(116, syslog) X(258, riscv_hwprobe) X(228, mlock) X(229, munlock)        \
	X(230, mlockall) X(231, munlockall) X(284, mlock2) X(283, membarrier)   \
	X(279, memfd_create) X(434, pidfd_open) X(424, pidfd_send_signal)

/* System V IPC: shared memory, semaphores, message queues; POSIX message
 * queues (kernel/ipc/). */
#define SYSCALLS_IPC(X)                                                                     \
	X(186, msgget) X(187, msgctl) X(188, msgrcv) X(189, msgsnd) X(190, semget)              \
	X(191, semctl) X(192, semtimedop) X(193, semop) X(194, shmget) X(195, shmctl)           \
	X(196, shmat) X(197, shmdt) X(180, mq_open) X(181, mq_unlink) X(182, mq_timedsend) \
	X(183, mq_timedreceive) X(184, mq_notify) X(185, mq_getsetattr)

/* Weak: a call whose code is not linked in yet is -ENOSYS (NULL entry). */
#define DECLARE(n, name) long sys_##name(const struct pt_regs *) __attribute__((weak));
SYSCALLS(DECLARE)

#define NR_SYSCALLS 463
#define ENTRY(n, name) [n] = sys_##name,
static const syscall_fn_t sys_call_table[NR_SYSCALLS] = { SYSCALLS(ENTRY) };

/* One bit per number already reported missing (a racy set is harmless). */
static unsigned long enosys_logged[(NR_SYSCALLS + 63) / 64];

void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->a7;

	regs->orig_a0 = regs->a0;
	if (likely(nr < NR_SYSCALLS && sys_call_table[nr])) {
		regs->a0 = sys_call_table[nr](regs);
		return;
	}
	if (nr < NR_SYSCALLS) {
		unsigned long bit = 1UL << (nr % 64);
		if (!(__atomic_fetch_or(&enosys_logged[nr / 64], bit, __ATOMIC_RELAXED) & bit))
			pr_warn("%s[%d]: unimplemented system call %lu\n", current->comm,
				current->pid, nr);
	}
	regs->a0 = -ENOSYS;
}
