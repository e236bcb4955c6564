/* Wait queues and completions: the sleep/wake-up primitive everything
 * blocking is built on (wait4, vfork, pipes, futexes use their own). */
#include "proc/wait.h"
#include "proc/sched.h"
#include "kernel/errno.h"
#include "proc/signal.h"

void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

static void queue_entry(wait_queue_head_t *wq, struct wait_queue_entry *w, long state, bool excl)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);

	if (!w->entry.next || list_empty(&w->entry)) {
		w->flags = excl ? WQ_FLAG_EXCLUSIVE : 0;
		if (excl)
			list_add_tail(&w->entry, &wq->head);
		else
			list_add(&w->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, f);
}

void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w, long state)
{
	queue_entry(wq, w, state, false);
}

void prepare_to_wait_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w, long state)
{
	queue_entry(wq, w, state, true);
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	set_current_state(TASK_RUNNING);
	if (w->entry.next && !list_empty(&w->entry)) {
		unsigned long f = spin_lock_irqsave(&wq->lock);
		list_del_init(&w->entry);
		spin_unlock_irqrestore(&wq->lock, f);
	}
}

static void add_entry(wait_queue_head_t *wq, struct wait_queue_entry *w, bool excl)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);

	w->flags = excl ? WQ_FLAG_EXCLUSIVE : 0;
	if (excl)
		list_add_tail(&w->entry, &wq->head);
	else
		list_add(&w->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, f);
}

void add_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	add_entry(wq, w, false);
}

void add_wait_queue_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	add_entry(wq, w, true);
}

void remove_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);
	list_del_init(&w->entry);
	spin_unlock_irqrestore(&wq->lock, f);
}

/* Waking leaves the entries queued: each sleeper re-checks its condition
 * and removes itself in finish_wait (so no wake-up is lost). A callback
 * may remove its own entry (the _safe walk allows it). */
void __wake_up_key(wait_queue_head_t *wq, unsigned int state, int nr_exclusive, void *key)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);
	struct list_head *p, *n;

	for (p = wq->head.next, n = p->next; p != &wq->head; p = n, n = p->next) {
		struct wait_queue_entry *w = list_entry(p, struct wait_queue_entry, entry);
		int woke = w->func ? w->func(w, state, 0, key) : wake_up_state(w->task, state);
		if (woke && (w->flags & WQ_FLAG_EXCLUSIVE) && nr_exclusive && --nr_exclusive == 0)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, f);
}

void __wake_up(wait_queue_head_t *wq, unsigned int state, int nr_exclusive)
{
	__wake_up_key(wq, state, nr_exclusive, NULL);
}

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void complete(struct completion *c)
{
	unsigned long f = spin_lock_irqsave(&c->wait.lock);
	c->done++;
	spin_unlock_irqrestore(&c->wait.lock, f);
	__wake_up(&c->wait, TASK_NORMAL, 1);
}

void complete_all(struct completion *c)
{
	unsigned long f = spin_lock_irqsave(&c->wait.lock);
	c->done = ~0U / 2;
	spin_unlock_irqrestore(&c->wait.lock, f);
	__wake_up(&c->wait, TASK_NORMAL, 0);
}

static bool try_take(struct completion *c)
{
	unsigned long f = spin_lock_irqsave(&c->wait.lock);
	bool ok = c->done > 0;
	if (ok && c->done != ~0U / 2)
		c->done--;
	spin_unlock_irqrestore(&c->wait.lock, f);
	return ok;
}

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, try_take(c));
}

int wait_for_completion_killable(struct completion *c)
{
	struct wait_queue_entry w = { .task = current };
	int ret = 0;

	for (;;) {
		prepare_to_wait_exclusive(&c->wait, &w, TASK_KILLABLE);
		if (try_take(c))
			break;
		if (fatal_signal_pending(current)) {
			ret = -512; /* -ERESTARTSYS */
			break;
		}
		schedule();
	}
	finish_wait(&c->wait, &w);
	return ret;
}
