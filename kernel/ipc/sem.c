/* System V semaphores (Linux: ipc/sem.c): arrays of counters changed by
 * semop, all operations of one call applied atomically or not at all. A
 * call that cannot proceed sleeps on the array's pending list; whoever
 * changes values next retries the queued calls on their behalf
 * (update_queue) and wakes those that went through. SEM_UNDO adjustments
 * are kept per process (kernel/ipc/sem_undo.c). */
#include "kernel/ipc/sem.h"
#include "kernel/errno.h"
#include "kernel/fs/proc/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/sched.h"

#define GETPID 11
#define GETVAL 12
#define GETALL 13
#define GETNCNT 14
#define GETZCNT 15
#define SETVAL 16
#define SETALL 17
#define SEM_STAT 18
#define SEM_INFO 19
#define SEM_STAT_ANY 20

#define SEM_QUEUE_PENDING 1 /* sem_queue.status while nobody has completed it */

/* One sleeping semop call: on the sleeper's stack, touched by others only
 * with the array's lock held, which the sleeper takes before it returns. */
struct sem_queue {
	struct list_head list;       /* in sma->pending */
	struct task_struct *sleeper;
	struct sem_undo *undo;       /* for SEM_UNDO operations */
	int pid;
	int status;                  /* SEM_QUEUE_PENDING, then 0 or -errno */
	struct sembuf *sops;
	struct sembuf *blocking;     /* the operation that could not proceed */
	int nsops;
	bool alter;                  /* changes a value (not only waits for zero) */
};

/* The user structures (asm-generic/sembuf.h, linux/sem.h). */
struct semid64_ds {
	struct ipc64_perm sem_perm;
	long sem_otime, sem_ctime;
	unsigned long sem_nsems, __unused3, __unused4;
};
_Static_assert(sizeof(struct semid64_ds) == 88, "glibc's struct semid_ds on riscv64");
struct seminfo {
	int semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

struct ipc_ids sem_ids;
static unsigned long sem_tot; /* semaphores of all arrays; protected by sem_ids.rwsem */

/* ---- applying operations ---- */

/* Try the whole call: 0 (done), 1 (must wait; q->blocking says on what),
 * or -errno (EAGAIN for IPC_NOWAIT, ERANGE); nothing changes unless 0. */
static int perform_atomic_semop(struct sem_array *sma, struct sem_queue *q)
{
	struct sembuf *sop;
	int i, err;

	for (i = 0; i < q->nsops; i++) {
		sop = &q->sops[i];
		int curr = sma->sems[sop->sem_num].semval;
		int result = curr + sop->sem_op;

		if ((!sop->sem_op && curr) || result < 0) {
			q->blocking = sop;
			err = sop->sem_flg & IPC_NOWAIT ? -EAGAIN : 1;
			goto undo;
		}
		if (result > SEMVMX) {
			err = -ERANGE;
			goto undo;
		}
		if (sop->sem_flg & SEM_UNDO) {
			int adj = q->undo->semadj[sop->sem_num] - sop->sem_op;
			if (adj < -SEMAEM - 1 || adj > SEMAEM) {
				err = -ERANGE;
				goto undo;
			}
		}
		sma->sems[sop->sem_num].semval = result;
	}
	for (i = 0; i < q->nsops; i++) {
		sop = &q->sops[i];
		if (sop->sem_flg & SEM_UNDO)
			q->undo->semadj[sop->sem_num] -= sop->sem_op;
		sma->sems[sop->sem_num].sempid = q->pid;
	}
	return 0;
undo:
	while (--i >= 0)
		sma->sems[q->sops[i].sem_num].semval -= q->sops[i].sem_op;
	return err;
}

static void wake_up_sem_queue(struct sem_queue *q, int status)
{
	struct task_struct *t = q->sleeper;

	list_del_init(&q->list);
	WRITE_ONCE(q->status, status);
	wake_up_process(t);
}

void update_queue(struct sem_array *sma)
{
	struct list_head *p, *n;

again:
	list_for_each_safe(p, n, &sma->pending) {
		struct sem_queue *q = list_entry(p, struct sem_queue, list);
		int err = perform_atomic_semop(sma, q);

		if (err > 0)
			continue;
		wake_up_sem_queue(q, err);
		if (!err) {
			sma->sem_otime = ipc_get_seconds();
			if (q->alter)
				goto again; /* values changed: earlier sleepers may go now */
		}
	}
}

/* Sleepers whose blocking operation on semnum waits for zero or for an increase. */
static int count_semcnt(struct sem_array *sma, int semnum, bool count_zero)
{
	struct list_head *p;
	int n = 0;

	list_for_each(p, &sma->pending) {
		struct sembuf *sop = list_entry(p, struct sem_queue, list)->blocking;
		if (sop->sem_num == semnum && (count_zero ? sop->sem_op == 0 : sop->sem_op < 0))
			n++;
	}
	return n;
}

/* ---- creation and removal ---- */

static void sem_free(struct kern_ipc_perm *perm)
{
	kfree(sem_of(perm));
}

static int newary(struct ipc_ids *ids, struct ipc_params *p)
{
	int nsems = (int)p->size, id;
	struct sem_array *sma;

	if (!nsems)
		return -EINVAL;
	if (sem_tot + (unsigned long)nsems > SEMMNS)
		return -ENOSPC;
	sma = kzalloc(sizeof(*sma) + (size_t)nsems * sizeof(struct sem));
	if (!sma)
		return -ENOMEM;
	sma->sem_nsems = nsems;
	sma->sem_ctime = ipc_get_seconds();
	INIT_LIST_HEAD(&sma->pending);
	INIT_LIST_HEAD(&sma->list_id);
	sma->sem_perm.free = sem_free;
	id = ipc_addid(ids, &sma->sem_perm, p->key, p->flg);
	if (id < 0) {
		kfree(sma);
		return id;
	}
	sem_tot += (unsigned long)nsems;
	return id;
}

static int sem_more_checks(struct kern_ipc_perm *perm, struct ipc_params *p)
{
	return p->size > (unsigned long)sem_of(perm)->sem_nsems ? -EINVAL : 0;
}

static const struct ipc_ops sem_ops = { .getnew = newary, .more_checks = sem_more_checks };

void sem_init(void)
{
	ipc_init_ids(&sem_ids, SEMMNI);
}

SYSCALL_DEFINE3(semget, key_t, key, int, nsems, int, semflg)
{
	struct ipc_params p = { .key = key, .flg = semflg, .size = (unsigned long)nsems };

	if (nsems < 0 || nsems > SEMMSL)
		return -EINVAL;
	return ipcget(&sem_ids, &sem_ops, &p);
}

/* IPC_RMID: sem_ids.rwsem and the array's lock held; unlocks. Undo
 * entries go, sleepers get EIDRM. */
static void freeary(struct sem_array *sma)
{
	struct list_head *p, *n;

	free_undos(sma);
	list_for_each_safe(p, n, &sma->pending)
		wake_up_sem_queue(list_entry(p, struct sem_queue, list), -EIDRM);
	sem_tot -= (unsigned long)sma->sem_nsems;
	ipc_rmid(&sem_ids, &sma->sem_perm);
	ipc_unlock_object(&sma->sem_perm);
	ipc_putref(&sma->sem_perm); /* the table's */
}

/* ---- semop ---- */

/* Queue q and sleep until it is completed, the array goes, a signal comes
 * or the deadline passes. Array locked on entry and on return. */
static int sem_wait_queued(struct sem_array *sma, struct sem_queue *q, u64 deadline)
{
	q->sleeper = current;
	q->status = SEM_QUEUE_PENDING;
	list_add_tail(&q->list, &sma->pending);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		ipc_unlock_object(&sma->sem_perm);
		/* A signal sent before the state was set would not wake us. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!signal_pending(current))
			ipc_sleep(deadline);
		set_current_state(TASK_RUNNING);
		ipc_lock_object(&sma->sem_perm);
		if (q->status != SEM_QUEUE_PENDING)
			return q->status;
		if (signal_pending(current) || (deadline && ktime_get_ns() >= deadline)) {
			list_del_init(&q->list);
			return signal_pending(current) ? -EINTR : -EAGAIN;
		}
	}
}

static long do_semtimedop(int semid, struct sembuf __user *tsops, unsigned int nsops,
			  u64 deadline)
{
	struct sem_queue q = { .nsops = (int)nsops, .pid = current->tgid };
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	int max = 0;
	bool undos = false;
	long err;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > SEMOPM)
		return -E2BIG;
	q.sops = kmalloc(nsops * sizeof(struct sembuf));
	if (!q.sops)
		return -ENOMEM;
	if (copy_from_user(q.sops, tsops, nsops * sizeof(struct sembuf))) {
		err = -EFAULT;
		goto out_free;
	}
	for (unsigned int i = 0; i < nsops; i++) {
		max = MAX(max, q.sops[i].sem_num);
		undos |= (q.sops[i].sem_flg & SEM_UNDO) != 0;
		q.alter |= q.sops[i].sem_op != 0;
	}
	perm = ipc_obtain_lock(&sem_ids, semid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		goto out_free;
	}
	sma = sem_of(perm);
	err = -EFBIG;
	if (max >= sma->sem_nsems)
		goto out_unlock;
	err = -EACCES;
	if (ipcperms(perm, q.alter ? S_IWUGO : S_IRUGO))
		goto out_unlock;
	if (undos) {
		q.undo = find_alloc_undo(sma); /* may drop and retake the lock */
		if (IS_ERR(q.undo)) {
			err = PTR_ERR(q.undo);
			ipc_putref(perm);
			goto out_free;
		}
	}
	err = perform_atomic_semop(sma, &q);
	if (err == 0) {
		sma->sem_otime = ipc_get_seconds();
		if (q.alter)
			update_queue(sma);
	} else if (err > 0) {
		err = sem_wait_queued(sma, &q, deadline);
	}
out_unlock:
	ipc_unlock_put(perm);
out_free:
	kfree(q.sops);
	return err;
}

SYSCALL_DEFINE4(semtimedop, int, semid, struct sembuf __user *, tsops, unsigned int, nsops,
		const void __user *, timeout)
{
	u64 deadline = 0;

	if (timeout) {
		int err = ipc_timeout_deadline(timeout, &deadline);
		if (err)
			return err;
	}
	return do_semtimedop(semid, tsops, nsops, deadline);
}

SYSCALL_DEFINE3(semop, int, semid, struct sembuf __user *, tsops, unsigned int, nsops)
{
	return do_semtimedop(semid, tsops, nsops, 0);
}

/* ---- semctl ---- */

static long semctl_info(int cmd, void __user *buf)
{
	struct seminfo si = { .semmap = SEMMAP, .semmni = SEMMNI, .semmns = SEMMNS,
			      .semmnu = SEMMNU, .semmsl = SEMMSL, .semopm = SEMOPM,
			      .semume = SEMUME, .semusz = SEMUSZ, .semvmx = SEMVMX,
			      .semaem = SEMAEM };
	long ret;

	mutex_lock(&sem_ids.rwsem);
	if (cmd == SEM_INFO) {
		si.semusz = sem_ids.in_use;
		si.semaem = (int)sem_tot;
	}
	ret = ipc_max_idx(&sem_ids);
	mutex_unlock(&sem_ids.rwsem);
	return copy_to_user(buf, &si, sizeof(si)) ? -EFAULT : ret;
}

static void fill_semid64(struct kern_ipc_perm *perm, void *out)
{
	struct sem_array *sma = sem_of(perm);
	struct semid64_ds *ds = out;

	ds->sem_otime = sma->sem_otime;
	ds->sem_ctime = sma->sem_ctime;
	ds->sem_nsems = (unsigned long)sma->sem_nsems;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, SETVAL: one semaphore. */
static long semctl_one(int semid, int semnum, int cmd, unsigned long arg)
{
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	int val = (int)arg;
	long ret;

	if (cmd == SETVAL && (val < 0 || val > SEMVMX))
		return -ERANGE;
	perm = ipc_obtain_lock(&sem_ids, semid);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	sma = sem_of(perm);
	ret = -EINVAL;
	if (semnum < 0 || semnum >= sma->sem_nsems)
		goto out;
	ret = -EACCES;
	if (ipcperms(perm, cmd == SETVAL ? S_IWUGO : S_IRUGO))
		goto out;
	switch (cmd) {
	case GETVAL: ret = sma->sems[semnum].semval; break;
	case GETPID: ret = sma->sems[semnum].sempid; break;
	case GETNCNT: ret = count_semcnt(sma, semnum, false); break;
	case GETZCNT: ret = count_semcnt(sma, semnum, true); break;
	case SETVAL:
		clear_undo_adjustments(sma, semnum);
		sma->sems[semnum].semval = val;
		sma->sems[semnum].sempid = current->tgid;
		sma->sem_ctime = ipc_get_seconds();
		update_queue(sma);
		ret = 0;
		break;
	}
out:
	ipc_unlock_put(perm);
	return ret;
}

/* GETALL and SETALL: the whole array, through a kernel copy. */
static long semctl_all(int semid, int cmd, unsigned short __user *array)
{
	struct kern_ipc_perm *perm = ipc_obtain_object_check(&sem_ids, semid);
	struct sem_array *sma;
	unsigned short *vals;
	int nsems, err;

	if (IS_ERR(perm))
		return PTR_ERR(perm);
	sma = sem_of(perm);
	nsems = sma->sem_nsems; /* fixed for the array's life: no lock needed */
	vals = kmalloc((size_t)nsems * sizeof(*vals));
	err = -ENOMEM;
	if (!vals)
		goto out_put;
	err = -EFAULT;
	if (cmd == SETALL && copy_from_user(vals, array, (size_t)nsems * sizeof(*vals)))
		goto out_free;
	for (int i = 0; cmd == SETALL && i < nsems; i++)
		if (vals[i] > SEMVMX) {
			err = -ERANGE;
			goto out_free;
		}
	err = ipc_lock_object_check(perm);
	if (err)
		goto out_free;
	if (ipcperms(perm, cmd == SETALL ? S_IWUGO : S_IRUGO)) {
		ipc_unlock_object(perm);
		err = -EACCES;
		goto out_free;
	}
	for (int i = 0; i < nsems; i++) {
		if (cmd == GETALL) {
			vals[i] = (unsigned short)sma->sems[i].semval;
			continue;
		}
		clear_undo_adjustments(sma, i);
		sma->sems[i].semval = vals[i];
		sma->sems[i].sempid = current->tgid;
	}
	if (cmd == SETALL) {
		sma->sem_ctime = ipc_get_seconds();
		update_queue(sma);
	}
	ipc_unlock_object(perm);
	err = 0;
	if (cmd == GETALL && copy_to_user(array, vals, (size_t)nsems * sizeof(*vals)))
		err = -EFAULT;
out_free:
	kfree(vals);
out_put:
	ipc_putref(perm);
	return err;
}

/* IPC_SET and IPC_RMID. */
static long semctl_down(int semid, int cmd, void __user *buf)
{
	struct semid64_ds ds;
	struct kern_ipc_perm *perm;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	perm = ipcctl_obtain_check(&sem_ids, semid);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	if (cmd == IPC_RMID) {
		freeary(sem_of(perm)); /* unlocks */
		ipc_putref(perm);
	} else {
		ipc_update_perm(&ds.sem_perm, perm);
		sem_of(perm)->sem_ctime = ipc_get_seconds();
		ipc_unlock_put(perm);
	}
	mutex_unlock(&sem_ids.rwsem);
	return 0;
}

/* arg is union semun: an int for SETVAL, a pointer otherwise. glibc on
 * riscv64 passes cmd without IPC_64; as Linux, IPC_64 in it is EINVAL. */
SYSCALL_DEFINE4(semctl, int, semid, int, semnum, int, cmd, unsigned long, arg)
{
	void __user *p = (void __user *)arg;

	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return semctl_info(cmd, p);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY: {
		struct semid64_ds ds;
		return ipc_stat(&sem_ids, semid, cmd, cmd == SEM_STAT_ANY, p, &ds, sizeof(ds),
				fill_semid64);
	}
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETVAL:
		return semctl_one(semid, semnum, cmd, arg);
	case GETALL:
	case SETALL:
		return semctl_all(semid, cmd, p);
	case IPC_SET:
	case IPC_RMID:
		return semctl_down(semid, cmd, p);
	default:
		return -EINVAL;
	}
}

static void sem_proc_line(struct kern_ipc_perm *perm, struct pbuf *p)
{
	struct sem_array *sma = sem_of(perm);

	pb_printf(p, "%10d %10d  %4o %10u %5u %5u %5u %5u %10ld %10ld\n", perm->key, perm->id,
		  perm->mode, sma->sem_nsems, perm->uid, perm->gid, perm->cuid, perm->cgid,
		  sma->sem_otime, sma->sem_ctime);
}

size_t sysvipc_sem_proc_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return ipc_proc_show(&sem_ids, buf, n,
			     "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n",
			     sem_proc_line);
}
