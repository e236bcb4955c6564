/* System V IPC identifiers (Linux: ipc/util.h): each kind (shm, sem, msg)
 * keeps a table of objects that start with a struct kern_ipc_perm, found
 * by key (shmget/semget/msgget) or by id = seq * SEQ_MULTIPLIER + index. */
#ifndef KERNEL_IPC_UTIL_H
#define KERNEL_IPC_UTIL_H
#include "kernel/types.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "proc/mutex.h"

typedef int key_t;
#define IPC_PRIVATE 0

/* ipcget flags and ctl commands (linux/ipc.h) */
#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_NOWAIT 04000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3

#define IPCMNI 32768 /* ids per kind Linux can number: the index part of an id */
#define SEQ_MULTIPLIER IPCMNI
#define IPCID_SEQ_MAX (0x7fffffff / SEQ_MULTIPLIER)
#define IPC_MAX_ENTRIES 4096 /* objects per kind Vireo holds (its SHMMNI/SEMMNI/MSGMNI) */
#define IPC_KEY_BUCKETS 64

#define S_IRUGO 0444
#define S_IWUGO 0222

/* Common header of every IPC object. */
struct kern_ipc_perm {
	spinlock_t lock;          /* protects this object: the fields here and its kind's state */
	bool deleted;             /* removed from its table: operations fail with EIDRM */
	int id;
	key_t key;
	u32 uid, gid, cuid, cgid;
	u32 mode;                 /* low 9 bits: permissions; above: SHM_DEST... */
	unsigned short seq;
	int refcount;             /* the table's, plus one per user that looked it up (atomic) */
	void (*free)(struct kern_ipc_perm *); /* the kind's destructor, at refcount 0 */
	struct list_head key_list; /* in ids->key_hash, unless IPC_PRIVATE */
};

/* A table slot: the object at one index. */
struct ipc_slot {
	spinlock_t lock;          /* protects perm, so a lookup can take a reference
				   * before a concurrent removal drops the table's */
	struct kern_ipc_perm *perm;
};

/* The objects of one kind (shm, sem or msg) in the one IPC namespace. */
struct ipc_ids {
	struct mutex rwsem;       /* protects membership: slots' contents changing, key_hash,
				   * in_use, seq, max_idx (creation, removal, key lookup) */
	int in_use;
	unsigned short seq;
	int max_idx;              /* highest index in use, -1 if none */
	int limit;                /* objects allowed (<= IPC_MAX_ENTRIES) */
	struct list_head key_hash[IPC_KEY_BUCKETS];
	struct ipc_slot entries[IPC_MAX_ENTRIES];
};

/* struct ipc64_perm (asm-generic/ipcbuf.h) as user space sees it. */
struct ipc64_perm {
	key_t key;
	u32 uid, gid, cuid, cgid;
	u32 mode;
	unsigned short seq;
	unsigned short __pad2;
	unsigned long __unused1, __unused2;
};

/* What semget/shmget/msgget ask for; newary builds and inserts the object. */
struct ipc_params {
	key_t key;
	int flg;
	unsigned long size;       /* shm: segment size; sem: nsems */
};
struct ipc_ops {
	int (*getnew)(struct ipc_ids *ids, struct ipc_params *p);
	/* an existing object asked for with these params: 0 or -errno (size checks) */
	int (*more_checks)(struct kern_ipc_perm *perm, struct ipc_params *p);
};

void ipc_init_ids(struct ipc_ids *ids, int limit);
void ipc_init(void); /* all three kinds, at boot */

/* semget/shmget/msgget: find or create. */
long ipcget(struct ipc_ids *ids, const struct ipc_ops *ops, struct ipc_params *p);
/* Fill perm (owner: the caller) and put it in the table. Caller holds
 * ids->rwsem. Returns the new id, or -ENOSPC. perm->free must be set. */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *perm, key_t key, int mode);
/* Take the object out of the table (ids->rwsem and perm->lock held) and
 * mark it deleted; the table's reference is for the caller to drop. */
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *perm);
/* Make a removed-in-waiting object unfindable by key (shm with SHM_DEST). */
void ipc_set_key_private(struct ipc_ids *ids, struct kern_ipc_perm *perm);

/* The object with this id, with a reference taken, or ERR_PTR(-EINVAL). */
struct kern_ipc_perm *ipc_obtain_object_check(struct ipc_ids *ids, int id);
/* The object at this index (SHM_STAT...), with a reference, or ERR_PTR(-EINVAL). */
struct kern_ipc_perm *ipc_obtain_object_idx(struct ipc_ids *ids, int idx);
/* Look up by id and lock: ERR_PTR(-EINVAL) for a stale id, -EIDRM if it
 * was removed meanwhile. Undo with ipc_unlock_put(). */
struct kern_ipc_perm *ipc_obtain_lock(struct ipc_ids *ids, int id);
/* IPC_SET/IPC_RMID: takes ids->rwsem and the object's lock, or -EPERM
 * unless the caller owns it or is privileged (nothing held on error). */
struct kern_ipc_perm *ipcctl_obtain_check(struct ipc_ids *ids, int id);
/* IPC_STAT, and *_STAT (id is an index) or *_STAT_ANY (no read permission
 * needed): fill() completes the user structure ds (size bytes, an
 * ipc64_perm first) under the object's lock; it is then copied to buf.
 * Returns 0 for IPC_STAT, else the object's id. */
long ipc_stat(struct ipc_ids *ids, int id, int cmd, bool any, void __user *buf, void *ds,
	      size_t size, void (*fill)(struct kern_ipc_perm *perm, void *ds));
/* IPC_INFO's result: the highest index in use, 0 if none (ids->rwsem held). */
static inline long ipc_max_idx(struct ipc_ids *ids) { return ids->max_idx < 0 ? 0 : ids->max_idx; }
void ipc_unlock_put(struct kern_ipc_perm *perm);
void ipc_getref(struct kern_ipc_perm *perm);
void ipc_putref(struct kern_ipc_perm *perm);
/* Lock a looked-up object; -EIDRM (and unlocked) if it was removed meanwhile. */
int ipc_lock_object_check(struct kern_ipc_perm *perm);
static inline void ipc_lock_object(struct kern_ipc_perm *perm) { spin_lock(&perm->lock); }
static inline void ipc_unlock_object(struct kern_ipc_perm *perm) { spin_unlock(&perm->lock); }

/* May the caller access the object for flag's rwx bits (S_IRUGO...)? 0 or -1. */
int ipcperms(struct kern_ipc_perm *perm, short flag);
/* IPC_SET/IPC_RMID: the caller owns or created it, or is privileged. */
bool ipc_owner_or_capable(struct kern_ipc_perm *perm);
bool ipc_capable(void);
u32 ipc_current_euid(void);
u32 ipc_current_egid(void);
/* Seconds of CLOCK_REALTIME, for the *_time fields. */
long ipc_get_seconds(void);

void kernel_to_ipc64_perm(struct kern_ipc_perm *in, struct ipc64_perm *out);
/* IPC_SET: uid, gid and the permission bits from user space. */
void ipc_update_perm(struct ipc64_perm *in, struct kern_ipc_perm *out);

/* /proc/sysvipc/<kind> (a procfs show function's buf, n and result):
 * header, then show(perm) for each object, locked. */
struct pbuf;
size_t ipc_proc_show(struct ipc_ids *ids, char *buf, size_t n, const char *header,
		     void (*show)(struct kern_ipc_perm *perm, struct pbuf *p));

/* Sleep (the caller set the task state and dropped its locks) until woken
 * or, if deadline != 0, until ktime_get_ns() reaches it. */
void ipc_sleep(u64 deadline);
/* A struct timespec from user space as an absolute monotonic deadline. */
int ipc_timeout_deadline(const void __user *uts, u64 *deadline);

#endif
