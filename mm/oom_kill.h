/* The out-of-memory killer (mm/oom_kill.c). */
#ifndef MM_OOM_KILL_H
#define MM_OOM_KILL_H
#include "kernel/types.h"

/* No frame for a fault: kill the process with the most resident memory
 * (or wait for the last victim to release its own). False if there is
 * nobody to kill. Process context, no locks held. */
bool out_of_memory(void);

struct mm_struct;
/* mmput: mm's memory is back (exit_mmap done); a waiting OOM may go on. */
void oom_mm_released(struct mm_struct *mm);

#endif
