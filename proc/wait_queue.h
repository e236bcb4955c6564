/* The wait-queue head alone (its functions are in proc/wait.h), so that
 * structures outside proc/ (mm_struct's mmap_lock) can embed one without
 * pulling in task_struct. */
#ifndef PROC_WAIT_QUEUE_H
#define PROC_WAIT_QUEUE_H
#include "kernel/list.h"
#include "kernel/spinlock.h"

struct wait_queue_head {
	spinlock_t lock;         /* protects head */
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#endif
