/* What socket.c shares with socket_calls.c, and the built-in family. */
#ifndef KERNEL_NET_SOCKET_INTERNAL_H
#define KERNEL_NET_SOCKET_INTERNAL_H
#include "kernel/net/net.h"

#define UIO_MAXIOV 1024

struct socket *sockfd_lookup(int fd, struct file **fp, int *err);
int sock_map_fd(struct socket *sock, int flags);
extern const struct net_proto_family unix_family_ops;

#endif
