/* Control messages (Linux: net/core/scm.c): parsing a sender's cmsg
 * buffer into a scm_cookie, and writing the receiver's: credentials and
 * files passed as new descriptors. */
#include "kernel/net/scm.h"
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

#define OPTMEM_MAX 20480    /* largest control buffer (net.core.optmem_max) */

void scm_fp_free(struct scm_fp_list *fpl)
{
	for (int i = 0; i < fpl->count; i++)
		if (fpl->fp[i])
			fput(fpl->fp[i]);
	kfree(fpl);
}

struct scm_fp_list *scm_fp_dup(const struct scm_fp_list *fpl)
{
	struct scm_fp_list *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->count = fpl->count;
	for (int i = 0; i < fpl->count; i++)
		n->fp[i] = get_file(fpl->fp[i]);
	return n;
}

void scm_destroy(struct scm_cookie *scm)
{
	if (scm->fp)
		scm_fp_free(scm->fp);
	scm->fp = NULL;
}

/* SCM_RIGHTS: a reference to each descriptor's file. */
static int scm_fp_copy(const struct cmsghdr *cm, struct scm_cookie *scm)
{
	const int *fds = (const int *)((const char *)cm + CMSG_HDRLEN);
	int num = (int)((cm->cmsg_len - CMSG_HDRLEN) / sizeof(int));

	if (num <= 0)
		return 0;
	if (!scm->fp) {
		scm->fp = kmalloc(sizeof(*scm->fp));
		if (!scm->fp)
			return -ENOMEM;
		scm->fp->count = 0;
	}
	if (scm->fp->count + num > SCM_MAX_FD)
		return -EINVAL;
	for (int i = 0; i < num; i++) {
		struct file *f = fget(fds[i]);
		if (!f)
			return -EBADF;
		scm->fp->fp[scm->fp->count++] = f;
	}
	return 0;
}

/* SCM_CREDENTIALS: Linux lets only a privileged sender claim another
 * pid or id; every task here is root (euid 0), the check is kept for
 * when that changes. */
static int scm_creds_copy(const struct cmsghdr *cm, struct scm_cookie *scm)
{
	struct ucred uc, me;

	if (cm->cmsg_len != CMSG_HDRLEN + sizeof(uc))
		return -EINVAL;
	memcpy(&uc, (const char *)cm + CMSG_HDRLEN, sizeof(uc));
	cred_current(&me);
	if (me.uid != 0 && (uc.pid != me.pid || uc.uid != me.uid || uc.gid != me.gid))
		return -EPERM;
	scm->creds = uc;
	scm->has_creds = true;
	return 0;
}

static int scm_parse(struct socket *sock, const char *buf, size_t len, struct scm_cookie *scm)
{
	size_t off = 0;

	while (len - off >= sizeof(struct cmsghdr)) {
		const struct cmsghdr *cm = (const struct cmsghdr *)(buf + off);
		int err = 0;

		if (cm->cmsg_len < sizeof(struct cmsghdr) || cm->cmsg_len > len - off)
			return -EINVAL;
		if (cm->cmsg_level == SOL_SOCKET) {
			if (cm->cmsg_type == SCM_RIGHTS)
				err = sock->ops->family == AF_UNIX ? scm_fp_copy(cm, scm) : -EINVAL;
			else if (cm->cmsg_type == SCM_CREDENTIALS)
				err = scm_creds_copy(cm, scm);
			else
				err = -EINVAL;
		}
		if (err)
			return err;
		off += CMSG_ALIGN(cm->cmsg_len);
		if (off > len)
			break;
	}
	return 0;
}

int scm_send(struct socket *sock, struct msghdr *m, struct scm_cookie *scm)
{
	size_t len = m->msg_controllen;
	char *buf;
	int err;

	memset(scm, 0, sizeof(*scm));
	cred_current(&scm->creds);
	if (!len)
		return 0;
	if (len > OPTMEM_MAX)
		return -ENOBUFS;
	buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	err = copy_from_user(buf, m->msg_control, len);
	if (!err)
		err = scm_parse(sock, buf, len, scm);
	kfree(buf);
	if (err)
		scm_destroy(scm);
	else if (scm->fp && !scm->fp->count)
		scm_destroy(scm);
	return err;
}

int put_cmsg(struct msghdr *m, int level, int type, size_t len, const void *data)
{
	struct cmsghdr cm = { CMSG_HDRLEN + len, level, type };
	size_t space = CMSG_ALIGN(cm.cmsg_len);

	if (m->msg_controllen < sizeof(cm)) {
		m->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	if (m->msg_controllen < cm.cmsg_len) {
		m->msg_flags |= MSG_CTRUNC;
		cm.cmsg_len = m->msg_controllen;
	}
	if (copy_to_user(m->msg_control, &cm, sizeof(cm)) ||
	    copy_to_user((char __user *)m->msg_control + CMSG_HDRLEN, data,
			 cm.cmsg_len - CMSG_HDRLEN))
		return -EFAULT;
	space = MIN(space, m->msg_controllen);
	m->msg_control = (char __user *)m->msg_control + space;
	m->msg_controllen -= space;
	m->msg_control_used += space;
	return 0;
}

/* As many files as the buffer has room for become descriptors; the rest
 * are closed and MSG_CTRUNC tells the receiver. */
static void scm_detach_fds(struct msghdr *m, struct scm_cookie *scm, int flags)
{
	struct scm_fp_list *fpl = scm->fp;
	int __user *ufds = (int __user *)((char __user *)m->msg_control + CMSG_HDRLEN);
	int fdmax = m->msg_controllen > CMSG_HDRLEN
			    ? (int)((m->msg_controllen - CMSG_HDRLEN) / sizeof(int)) : 0;
	int i;

	for (i = 0; i < fpl->count && i < fdmax; i++) {
		int fd = get_unused_fd_flags(flags & MSG_CMSG_CLOEXEC ? O_CLOEXEC : 0);
		if (fd < 0)
			break;
		if (put_user(fd, ufds + i)) {
			put_unused_fd(fd);
			break;
		}
		fd_install_at(fd, fpl->fp[i]); /* the descriptor takes the reference */
		fpl->fp[i] = NULL;
	}
	if (i) {
		struct cmsghdr cm = { CMSG_HDRLEN + (size_t)i * sizeof(int), SOL_SOCKET, SCM_RIGHTS };
		size_t space = MIN(CMSG_ALIGN(cm.cmsg_len), m->msg_controllen);
		if (!copy_to_user(m->msg_control, &cm, sizeof(cm))) {
			m->msg_control = (char __user *)m->msg_control + space;
			m->msg_controllen -= space;
			m->msg_control_used += space;
		}
	}
	if (i < fpl->count)
		m->msg_flags |= MSG_CTRUNC;
	scm_destroy(scm); /* closes what was not handed out */
}

void scm_recv(struct socket *sock, struct msghdr *m, struct scm_cookie *scm, int flags)
{
	bool passcred = sock_flag(sock->sk, SOCK_PASSCRED);

	if (!m->msg_control) {
		if (passcred || scm->fp)
			m->msg_flags |= MSG_CTRUNC;
		scm_destroy(scm);
		return;
	}
	if (passcred)
		put_cmsg(m, SOL_SOCKET, SCM_CREDENTIALS, sizeof(scm->creds), &scm->creds);
	if (scm->fp)
		scm_detach_fds(m, scm, flags);
}
