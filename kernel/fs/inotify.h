/* inotify's limits (Linux: /proc/sys/fs/inotify/), shown by
 * kernel/fs/proc/generic.c and enforced by kernel/fs/inotify.c. */
#ifndef KERNEL_FS_INOTIFY_H
#define KERNEL_FS_INOTIFY_H

#define INOTIFY_MAX_QUEUED_EVENTS  16384 /* events queued per instance, then IN_Q_OVERFLOW */
#define INOTIFY_MAX_USER_INSTANCES 128   /* instances per user (EMFILE), Linux's default */
#define INOTIFY_MAX_USER_WATCHES   65536 /* watches per user (ENOSPC) */

#endif
