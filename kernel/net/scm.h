/* Socket control messages (Linux: include/net/scm.h, net/core/scm.c):
 * SCM_RIGHTS carries open files (referenced while in flight, installed
 * as new descriptors by the receiver), SCM_CREDENTIALS a pid/uid/gid. */
#ifndef KERNEL_NET_SCM_H
#define KERNEL_NET_SCM_H
#include "kernel/net/sock.h"

#define SCM_MAX_FD 253      /* files in one message (Linux's limit) */

/* struct cmsghdr of riscv64 user space, and its alignment. */
struct cmsghdr {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
#define CMSG_ALIGN(len) (((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define CMSG_HDRLEN CMSG_ALIGN(sizeof(struct cmsghdr))

struct scm_fp_list {
	short count;
	struct file *fp[SCM_MAX_FD]; /* each referenced */
};

/* What one sendmsg's control buffer said, or what a recvmsg hands out. */
struct scm_cookie {
	struct ucred creds;
	bool has_creds;             /* SCM_CREDENTIALS was given */
	struct scm_fp_list *fp;
};

/* Parse m->msg_control (user memory) into scm: creds default to the
 * caller's. -EINVAL bad messages, -EBADF bad descriptors. */
int scm_send(struct socket *sock, struct msghdr *m, struct scm_cookie *scm);
void scm_destroy(struct scm_cookie *scm);
/* Deliver scm to the receiver's control buffer: SCM_CREDENTIALS when
 * the socket has SO_PASSCRED, SCM_RIGHTS as new descriptors (as many as
 * fit, MSG_CTRUNC and closed for the rest). Consumes scm->fp. */
void scm_recv(struct socket *sock, struct msghdr *m, struct scm_cookie *scm, int flags);
/* Another reference to each file (MSG_PEEK must leave them queued). */
struct scm_fp_list *scm_fp_dup(const struct scm_fp_list *fpl);
void scm_fp_free(struct scm_fp_list *fpl);
/* Append one control message; MSG_CTRUNC if it does not fit. */
int put_cmsg(struct msghdr *m, int level, int type, size_t len, const void *data);

#endif
