/* The out-of-memory killer (Linux: mm/oom_kill.c). When a page fault finds
 * no free frame, the process using the most memory is killed, not whoever
 * happened to fault; one victim at a time, and the faulting tasks wait and
 * retry until its memory is back. init and kernel threads are never
 * chosen. */
#include "mm/oom_kill.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "kernel/printk.h"
#include "proc/sched.h"
#include "proc/signal.h"

/* Protects oom_mm and oom_deadline: the last victim's address space, until
 * exit_mmap has given its memory back (Linux tracks signal->oom_mm the same
 * way), so faults that keep failing meanwhile kill nobody else. */
static DEFINE_SPINLOCK(oom_lock);
static struct mm_struct *oom_mm;
static u64 oom_deadline; /* a victim stuck longer than this: choose again */
#define OOM_VICTIM_WAIT_NS (5ULL * 1000 * 1000 * 1000)

/* Resident pages and page-table pages below pt (the zero page is shared,
 * not the process's). */
static unsigned long rss_of_table(const pte_t *pt, int level, int nr)
{
	unsigned long n = 0;

	for (int i = 0; i < nr; i++) {
		pte_t e = pt[i];
		if (!pte_present(e))
			continue;
		if (level > 0 && !pte_leaf(e)) {
			n += 1 + rss_of_table(__va(pte_pfn(e) << PAGE_SHIFT), level - 1, PTRS_PER_PT);
			continue;
		}
		unsigned long pfn = pte_pfn(e);
		if (pfn_valid(pfn) && pfn_to_page(pfn) != zero_page)
			n += LEVEL_SIZE(level) >> PAGE_SHIFT;
	}
	return n;
}

/* Linux's oom_badness: resident pages plus page tables. task_lock keeps
 * p->mm; its page_table_lock, taken before task_lock is dropped, keeps the
 * tables (exit_mmap needs that lock before it frees anything). */
static unsigned long oom_badness(struct task_struct *p)
{
	task_lock(p);
	struct mm_struct *mm = p->mm;
	if (!mm) {
		task_unlock(p);
		return 0;
	}
	spin_lock(&mm->page_table_lock);
	task_unlock(p);
	unsigned long n = rss_of_table(mm->pgd, PGDIR_LEVELS - 1, PTRS_PER_PT / 2);
	spin_unlock(&mm->page_table_lock);
	return n;
}

void oom_mm_released(struct mm_struct *mm)
{
	if (__atomic_load_n(&oom_mm, __ATOMIC_RELAXED) != mm)
		return;
	spin_lock(&oom_lock);
	if (oom_mm == mm)
		oom_mm = NULL;
	spin_unlock(&oom_lock);
}

bool out_of_memory(void)
{
	struct task_struct *chosen = NULL;
	unsigned long best = 0;
	struct list_head *pos;

	spin_lock(&oom_lock);
	if (oom_mm && ktime_get_ns() < oom_deadline) {
		spin_unlock(&oom_lock);
		return true; /* the last victim's memory is on its way back */
	}
	oom_mm = NULL;
	spin_lock(&tasklist_lock);
	list_for_each(pos, &init_task.tasks) { /* group leaders */
		struct task_struct *t = list_entry(pos, struct task_struct, tasks);
		if (t->pid <= 1 || (t->flags & (PF_KTHREAD | PF_EXITING)))
			continue;
		unsigned long points = oom_badness(t);
		if (points > best) {
			best = points;
			chosen = t;
		}
	}
	if (chosen)
		get_task_struct(chosen);
	spin_unlock(&tasklist_lock);
	if (chosen) {
		task_lock(chosen);
		oom_mm = chosen->mm; /* cleared by mmput once exit_mmap is done */
		task_unlock(chosen);
		oom_deadline = ktime_get_ns() + OOM_VICTIM_WAIT_NS;
		pr_err("Out of memory: Killed process %d (%s) rss:%lukB\n", chosen->pid, chosen->comm,
		       best * (PAGE_SIZE / 1024));
		group_send_sig(SIGKILL, chosen);
		put_task_struct(chosen);
	}
	spin_unlock(&oom_lock);
	return chosen != NULL;
}
