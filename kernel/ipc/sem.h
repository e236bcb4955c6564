/* System V semaphore arrays (Linux: ipc/sem.c), shared between the semop
 * and semctl code (kernel/ipc/sem.c) and the SEM_UNDO bookkeeping
 * (kernel/ipc/sem_undo.c). */
#ifndef KERNEL_IPC_SEM_H
#define KERNEL_IPC_SEM_H
#include "kernel/ipc/util.h"
#include "kernel/ipc/ipc.h"

/* Limits (linux/sem.h); SEMMNI is the table size Vireo holds. */
#define SEMMNI IPC_MAX_ENTRIES
#define SEMMSL 32000
#define SEMMNS (SEMMNI * SEMMSL)
#define SEMOPM 500
#define SEMVMX 32767
#define SEMAEM SEMVMX
#define SEMUME SEMOPM
#define SEMMNU SEMMNS
#define SEMMAP SEMMNS
#define SEMUSZ 20

#define SEM_UNDO 0x1000

struct sembuf {
	unsigned short sem_num;
	short sem_op;
	short sem_flg;
};

struct sem {
	int semval;
	int sempid; /* tgid of the last process to change it */
};

struct sem_array {
	struct kern_ipc_perm sem_perm; /* its lock protects everything below, the
					* sleepers on pending and the undo entries on list_id */
	long sem_ctime, sem_otime;
	struct list_head pending;      /* of struct sem_queue: sleeping semop calls */
	struct list_head list_id;      /* of struct sem_undo for this array */
	int sem_nsems;
	struct sem sems[];
};

/* One process's adjustments for one array. */
struct sem_undo {
	struct list_head list_proc;    /* in ulp->list_proc (ulp->lock) */
	struct list_head list_id;      /* in sma->list_id (the array's lock) */
	struct sem_undo_list *ulp;
	int semid;                     /* -1 once the array is gone (both locks) */
	short semadj[];                /* sem_nsems of them */
};

/* The undo entries of a process, shared by its CLONE_SYSVSEM threads. */
struct sem_undo_list {
	int refcnt;                    /* tasks sharing it (atomic) */
	spinlock_t lock;               /* protects list_proc */
	struct list_head list_proc;
};

extern struct ipc_ids sem_ids;

static inline struct sem_array *sem_of(struct kern_ipc_perm *perm)
{
	return container_of(perm, struct sem_array, sem_perm);
}

/* Retry the sleeping calls after values changed (array locked). */
void update_queue(struct sem_array *sma);

/* The caller's undo entry for sma (locked), made if needed; the lock may be
 * dropped and retaken meanwhile. On error the array is unlocked. */
struct sem_undo *find_alloc_undo(struct sem_array *sma);
/* IPC_RMID: drop every undo entry of sma (array locked). */
void free_undos(struct sem_array *sma);
/* SETVAL/SETALL: forget the adjustments for semnum (array locked). */
void clear_undo_adjustments(struct sem_array *sma, int semnum);

#endif
