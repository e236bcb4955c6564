/* Supplementary groups (Linux: kernel/groups.c): a sorted, refcounted
 * list hung off struct cred, set by setgroups and searched by the
 * permission checks through in_group_p. */
#include "proc/cred.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

struct group_info *groups_alloc(int n)
{
	struct group_info *gi = kmalloc(sizeof(*gi) + (size_t)n * sizeof(u32));

	if (!gi)
		return NULL;
	gi->usage = 1;
	gi->ngroups = n;
	return gi;
}

void put_group_info(struct group_info *gi)
{
	if (gi && __atomic_sub_fetch(&gi->usage, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(gi);
}

/* Heap sort: in place, no recursion, n log n even for 65536 groups. */
static void sift_down(u32 *a, int root, int n)
{
	for (int child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		u32 t = a[root];
		a[root] = a[child];
		a[child] = t;
	}
}

static void groups_sort(struct group_info *gi)
{
	u32 *a = gi->gid;
	int n = gi->ngroups;

	for (int i = n / 2 - 1; i >= 0; i--)
		sift_down(a, i, n);
	for (int end = n - 1; end > 0; end--) {
		u32 t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

bool groups_search(const struct group_info *gi, u32 gid)
{
	int lo = 0, hi = gi ? gi->ngroups : 0;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (gi->gid[mid] == gid)
			return true;
		if (gi->gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool in_group_p(u32 gid)
{
	const struct cred *c = current_cred();

	return gid == c->fsgid || groups_search(c->group_info, gid);
}

bool in_egroup_p(u32 gid)
{
	const struct cred *c = current_cred();

	return gid == c->egid || groups_search(c->group_info, gid);
}

SYSCALL_DEFINE2(getgroups, int, size, u32 __user *, list)
{
	const struct group_info *gi = current_cred()->group_info;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return gi->ngroups;
	if (size < gi->ngroups)
		return -EINVAL;
	if (copy_to_user(list, gi->gid, (size_t)gi->ngroups * sizeof(u32)))
		return -EFAULT;
	return gi->ngroups;
}

SYSCALL_DEFINE2(setgroups, int, size, const u32 __user *, list)
{
	struct group_info *gi;
	struct cred *new;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if ((unsigned int)size > NGROUPS_MAX)
		return -EINVAL;
	if (!(gi = groups_alloc(size)))
		return -ENOMEM;
	if (size && copy_from_user(gi->gid, list, (size_t)size * sizeof(u32))) {
		put_group_info(gi);
		return -EFAULT;
	}
	for (int i = 0; i < size; i++) {
		if (gi->gid[i] == INVALID_UID) {
			put_group_info(gi);
			return -EINVAL;
		}
	}
	groups_sort(gi);
	if (!(new = prepare_creds())) {
		put_group_info(gi);
		return -ENOMEM;
	}
	put_group_info(new->group_info);
	new->group_info = gi;
	return commit_creds(new);
}
