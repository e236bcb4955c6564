/* SEM_UNDO (Linux: ipc/sem.c, the sem_undo part): each process keeps, per
 * semaphore array it used with SEM_UNDO, the sum of the opposite of its
 * operations; at exit these are added back. Threads made with
 * CLONE_SYSVSEM share one list, applied when the last of them exits.
 * Lock order: the array's lock, then the list's. */
#include "kernel/ipc/sem.h"
#include "kernel/errno.h"
#include "mm/slab.h"
#include "proc/fork.h"
#include "proc/sched.h"

static struct sem_undo_list *get_undo_list(struct task_struct *t)
{
	struct sem_undo_list *ulp = t->sysvsem.undo_list;

	if (ulp)
		return ulp;
	ulp = kzalloc(sizeof(*ulp));
	if (!ulp)
		return NULL;
	ulp->refcnt = 1;
	spin_lock_init(&ulp->lock);
	INIT_LIST_HEAD(&ulp->list_proc);
	t->sysvsem.undo_list = ulp; /* only t itself (or fork, before the child runs) sets it */
	return ulp;
}

/* ulp->lock held. */
static struct sem_undo *lookup_undo(struct sem_undo_list *ulp, int semid)
{
	struct list_head *p;

	list_for_each(p, &ulp->list_proc) {
		struct sem_undo *un = list_entry(p, struct sem_undo, list_proc);
		if (un->semid == semid)
			return un;
	}
	return NULL;
}

/* kmalloc does not sleep here, so the array stays locked throughout. */
struct sem_undo *find_alloc_undo(struct sem_array *sma)
{
	struct sem_undo_list *ulp = get_undo_list(current);
	struct sem_undo *un = NULL;

	if (ulp) {
		spin_lock(&ulp->lock);
		un = lookup_undo(ulp, sma->sem_perm.id);
		spin_unlock(&ulp->lock);
		if (un)
			return un;
		un = kzalloc(sizeof(*un) + (size_t)sma->sem_nsems * sizeof(short));
	}
	if (!un) {
		ipc_unlock_object(&sma->sem_perm);
		return ERR_PTR(-ENOMEM);
	}
	un->ulp = ulp;
	un->semid = sma->sem_perm.id;
	list_add(&un->list_id, &sma->list_id);
	spin_lock(&ulp->lock);
	list_add(&un->list_proc, &ulp->list_proc);
	spin_unlock(&ulp->lock);
	return un;
}

void free_undos(struct sem_array *sma)
{
	struct list_head *p, *n;

	list_for_each_safe(p, n, &sma->list_id) {
		struct sem_undo *un = list_entry(p, struct sem_undo, list_id);

		list_del(&un->list_id);
		spin_lock(&un->ulp->lock);
		un->semid = -1;
		list_del(&un->list_proc);
		spin_unlock(&un->ulp->lock);
		kfree(un);
	}
}

void clear_undo_adjustments(struct sem_array *sma, int semnum)
{
	struct list_head *p;

	list_for_each(p, &sma->list_id)
		list_entry(p, struct sem_undo, list_id)->semadj[semnum] = 0;
}

int copy_semundo(unsigned long clone_flags, struct task_struct *tsk)
{
	struct sem_undo_list *ulp;

	tsk->sysvsem.undo_list = NULL;
	if (!(clone_flags & CLONE_SYSVSEM))
		return 0;
	ulp = get_undo_list(current);
	if (!ulp)
		return -ENOMEM;
	__atomic_add_fetch(&ulp->refcnt, 1, __ATOMIC_RELAXED);
	tsk->sysvsem.undo_list = ulp;
	return 0;
}

/* Add un's adjustments back, within [0, SEMVMX] (array locked). */
static void apply_undo(struct sem_array *sma, struct sem_undo *un, int pid)
{
	for (int i = 0; i < sma->sem_nsems; i++) {
		if (!un->semadj[i])
			continue;
		int val = sma->sems[i].semval + un->semadj[i];
		sma->sems[i].semval = val < 0 ? 0 : val > SEMVMX ? SEMVMX : val;
		sma->sems[i].sempid = pid;
	}
	update_queue(sma);
}

/* Apply and free the first entry of ulp. False when the list is empty. */
static bool exit_one_undo(struct sem_undo_list *ulp, int pid)
{
	struct kern_ipc_perm *perm;
	struct sem_undo *un;
	int semid;

	spin_lock(&ulp->lock);
	un = list_empty(&ulp->list_proc) ? NULL
					 : list_first_entry(&ulp->list_proc, struct sem_undo, list_proc);
	semid = un ? un->semid : -1;
	spin_unlock(&ulp->lock);
	if (!un)
		return false;
	perm = ipc_obtain_lock(&sem_ids, semid);
	if (IS_ERR(perm)) {
		yield(); /* IPC_RMID is under way: freeary takes the entry off */
		return true;
	}
	/* With the array locked, its entry cannot go: look it up again. */
	spin_lock(&ulp->lock);
	un = lookup_undo(ulp, semid);
	if (un)
		list_del(&un->list_proc);
	spin_unlock(&ulp->lock);
	if (un) {
		list_del(&un->list_id);
		apply_undo(sem_of(perm), un, pid);
	}
	ipc_unlock_put(perm);
	kfree(un);
	return true;
}

void exit_sem(struct task_struct *tsk)
{
	struct sem_undo_list *ulp = tsk->sysvsem.undo_list;

	if (!ulp)
		return;
	tsk->sysvsem.undo_list = NULL;
	if (__atomic_sub_fetch(&ulp->refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	while (exit_one_undo(ulp, tsk->tgid))
		;
	kfree(ulp);
}
