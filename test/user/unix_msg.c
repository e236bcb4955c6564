/* Boot test: AF_UNIX datagrams and control messages. Boundaries, sender
 * addresses, truncation, connected datagram sockets, many senders to one
 * receiver and its queue limit (with poll), SCM_RIGHTS (a pipe and a file
 * across processes, MSG_CTRUNC, files closed when never received, the
 * garbage collector), SCM_CREDENTIALS and SO_PEERCRED.
 * Passes under qemu-riscv64 too, the reference for Linux. */
#include "test/user/unix_common.h"

static void test_dgram(void)
{
	struct sockaddr_un a, b, from;
	socklen_t la, lb, flen = sizeof(from);
	char buf[4096], big[3000];
	int ok = 1;

	unlink(PATH_A);
	unlink(PATH_B);
	la = mkaddr(&a, PATH_A, 0);
	lb = mkaddr(&b, PATH_B, 0);
	int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(bind(sa, (struct sockaddr *)&a, la) == 0 && bind(sb, (struct sockaddr *)&b, lb) == 0,
	      "dgram: bind two paths");
	memset(big, 'x', sizeof(big));
	ok &= sendto(sa, "one", 3, 0, (struct sockaddr *)&b, lb) == 3;
	ok &= sendto(sa, big, sizeof(big), 0, (struct sockaddr *)&b, lb) == sizeof(big);
	ok &= sendto(sa, "three!", 6, 0, (struct sockaddr *)&b, lb) == 6;
	CHECK(ok, "dgram: three sendto");
	ssize_t n = recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	CHECK(n == 3 && flen == la && !strcmp(from.sun_path, PATH_A), "dgram: first message and sender address");
	CHECK(recv(sb, buf, sizeof(buf), 0) == sizeof(big), "dgram: boundary kept for 3000 bytes");
	struct iovec iov = { buf, 4 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	n = recvmsg(sb, &m, 0);
	CHECK(n == 4 && (m.msg_flags & MSG_TRUNC), "dgram: short buffer gives MSG_TRUNC");
	ok = sendto(sa, "abcdef", 6, 0, (struct sockaddr *)&b, lb) == 6;
	CHECK(ok && recv(sb, buf, 2, MSG_PEEK | MSG_TRUNC) == 6 && recv(sb, buf, 2, MSG_TRUNC) == 6 &&
	      recv(sb, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN,
	      "dgram: MSG_TRUNC returns the real length, MSG_PEEK leaves it");
	int un = socket(AF_UNIX, SOCK_DGRAM, 0);
	flen = sizeof(from);
	CHECK(sendto(un, "?", 1, 0, (struct sockaddr *)&b, lb) == 1 &&
	      recvfrom(sb, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) == 1 && flen == 0,
	      "dgram: unbound sender has no address");
	CHECK(connect(sa, (struct sockaddr *)&b, lb) == 0 && connect(sb, (struct sockaddr *)&a, la) == 0 &&
	      send(sa, "c", 1, 0) == 1 && recv(sb, buf, 1, 0) == 1, "dgram: connect and send");
	CHECK(sendto(un, "?", 1, 0, (struct sockaddr *)&b, lb) < 0 && errno == EPERM,
	      "dgram: sending to a socket connected elsewhere: EPERM");
	close(sb);
	CHECK(send(sa, "x", 1, 0) < 0 && errno == ECONNREFUSED, "dgram: peer closed: ECONNREFUSED");
	CHECK(send(sa, "x", 1, 0) < 0 && errno == ENOTCONN, "dgram: then not connected");
	close(sa);
	close(un);
	unlink(PATH_A);
	unlink(PATH_B);
}

/* NPROC processes send 50 numbered datagrams each to one receiver that
 * is slower than they are: senders wait for room in its queue, nothing
 * is lost and each sender's datagrams arrive in order. */
static void test_dgram_many(void)
{
	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, "vireo-dgram-many", 1);
	int rx = socket(AF_UNIX, SOCK_DGRAM, 0), next[NPROC] = { 0 }, ok = 1;
	pid_t kids[NPROC];

	CHECK(bind(rx, (struct sockaddr *)&a, len) == 0, "dgram: receiver bound");
	for (int p = 0; p < NPROC; p++) {
		kids[p] = fork();
		if (kids[p])
			continue;
		int tx = socket(AF_UNIX, SOCK_DGRAM, 0);
		for (int i = 0; i < 50; i++) {
			int msg[2] = { p, i };
			if (sendto(tx, msg, sizeof(msg), 0, (struct sockaddr *)&a, len) != sizeof(msg))
				_exit(1);
		}
		_exit(0);
	}
	for (int n = 0; n < NPROC * 50 && ok; n++) {
		int msg[2];
		ok = recv(rx, msg, sizeof(msg), 0) == sizeof(msg) && msg[0] >= 0 && msg[0] < NPROC &&
		     msg[1] == next[msg[0]]++;
	}
	for (int p = 0; p < NPROC; p++)
		ok &= wait_ok(kids[p]);
	CHECK(ok, "dgram: 4 senders x 50 to one receiver, none lost, each in order");
	/* a sender connected to a full receiver is not writable until it reads */
	int tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0), n = 0;
	CHECK(connect(tx, (struct sockaddr *)&a, len) == 0, "dgram: connect to the receiver");
	while (send(tx, "q", 1, 0) == 1)
		n++;
	struct pollfd pf = { tx, POLLOUT, 0 };
	CHECK(errno == EAGAIN && n > 0 && poll(&pf, 1, 0) == 0, "dgram: receiver's queue full: EAGAIN, not writable");
	pid_t pid = fork();
	if (!pid) {
		usleep(100000);
		char c;
		_exit(recv(rx, &c, 1, 0) == 1 ? 0 : 1);
	}
	CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT), "dgram: writable once the receiver reads");
	CHECK(wait_ok(pid), "dgram: the reading child exits 0");
	close(tx);
	close(rx);
}

static int send_fds(int sock, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))] = { 0 };
	struct iovec iov = { "F", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = CMSG_SPACE((size_t)n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
	return (int)sendmsg(sock, &m, 0);
}

/* Received descriptors into fds; the count, -1 on error. */
static int recv_fds(int sock, int *fds, int room, int *flags)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = CMSG_LEN((size_t)room * sizeof(int)) };
	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	*flags = m.msg_flags;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return 0;
	int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	memcpy(fds, CMSG_DATA(c), (size_t)n * sizeof(int));
	return n;
}

static void test_scm_rights(void)
{
	int sv[2], p[2], fds[2];
	char buf[32];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK(pipe(p) == 0 && write(p[1], "through pipe", 12) == 12, "pipe with data");
	int f = open("/tmp/vireo_us_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(f >= 0 && write(f, "file data", 9) == 9 && lseek(f, 0, SEEK_SET) == 0, "file with data");
	fds[0] = p[0];
	fds[1] = f;
	CHECK(send_fds(sv[0], fds, 2) == 1, "sendmsg SCM_RIGHTS with a pipe and a file");
	close(p[0]);
	close(f);
	unlink("/tmp/vireo_us_file");
	pid_t pid = fork();
	if (!pid) {
		int got[2], fl = 0;
		char b[32];
		if (recv_fds(sv[1], got, 2, &fl) != 2 || read(got[0], b, 12) != 12 || memcmp(b, "through pipe", 12) ||
		    read(got[1], b, 9) != 9 || memcmp(b, "file data", 9))
			_exit(1);
		_exit(0);
	}
	CHECK(wait_ok(pid), "another process reads both received descriptors");
	int q[2];
	pipe(q);
	fds[0] = fds[1] = q[0];
	char b1;
	struct iovec iov = { &b1, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK(send_fds(sv[0], fds, 2) == 1 && recvmsg(sv[1], &m, 0) == 1 && (m.msg_flags & MSG_CTRUNC),
	      "no room for the descriptors: MSG_CTRUNC");
	close(q[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK(write(q[1], "x", 1) < 0 && errno == EPIPE, "the descriptor not delivered was closed");
	signal(SIGPIPE, SIG_DFL);
	close(q[1]);
	/* in flight when the socket closes: the write end must be released */
	pipe(q);
	CHECK(send_fds(sv[0], &q[1], 1) == 1, "send a pipe's write end");
	close(q[1]);
	close(sv[0]);
	close(sv[1]);
	CHECK(read(q[0], buf, sizeof(buf)) == 0, "never received: closed with the socket (reader sees EOF)");
	close(q[0]);
	/* a socket sent over itself (with a pipe's write end): once closed,
	 * only the garbage collector can free that message */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(q);
	fds[0] = sv[0];
	fds[1] = q[1];
	CHECK(send_fds(sv[1], fds, 2) == 1, "send a socket into its own queue");
	close(q[1]);
	close(sv[0]);
	close(sv[1]);
	struct pollfd pf = { q[0], POLLIN, 0 };
	CHECK(poll(&pf, 1, 5000) == 1 && read(q[0], buf, sizeof(buf)) == 0,
	      "the unreachable cycle is collected: the pipe's writer is closed");
	close(q[0]);
	/* in flight but reachable (queued on an open socket): kept */
	int ab[2], cd[2], got, fl;
	socketpair(AF_UNIX, SOCK_STREAM, 0, ab);
	socketpair(AF_UNIX, SOCK_STREAM, 0, cd);
	send_fds(cd[0], &ab[0], 1);
	close(ab[0]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[0]); /* a release: the collector runs */
	close(sv[1]);
	CHECK(recv_fds(cd[1], &got, 1, &fl) == 1 && write(got, "alive", 5) == 5 && read(ab[1], buf, 5) == 5,
	      "a socket in flight on an open socket survives a collection");
	close(got);
	close(ab[1]);
	close(cd[0]);
	close(cd[1]);
}

static void test_creds(void)
{
	int sv[2], on = 1;
	struct ucred uc;
	socklen_t len = sizeof(uc);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 && len == sizeof(uc) &&
	      uc.pid == getpid() && uc.uid == getuid() && uc.gid == getgid(), "SO_PEERCRED of a socketpair");
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == 0, "SO_PASSCRED");
	pid_t pid = fork();
	if (!pid)
		_exit(write(sv[0], "c", 1) == 1 ? 0 : 1);
	wait_ok(pid);
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	CHECK(recvmsg(sv[1], &m, 0) == 1 && (c = CMSG_FIRSTHDR(&m)) && c->cmsg_type == SCM_CREDENTIALS &&
	      ((struct ucred *)CMSG_DATA(c))->pid == pid, "SCM_CREDENTIALS names the sending child");
	close(sv[0]);
	close(sv[1]);

	struct sockaddr_un a;
	socklen_t alen = mkaddr(&a, "vireo-cred", 1);
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(srv, (struct sockaddr *)&a, alen);
	listen(srv, 4);
	int pp[2];
	pipe(pp);
	pid = fork();
	if (!pid) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		struct ucred u;
		socklen_t l = sizeof(u);
		if (connect(fd, (struct sockaddr *)&a, alen) ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &u, &l) || u.pid != getppid())
			_exit(1);
		char x;
		_exit(read(pp[0], &x, 1) == 1 ? 0 : 1); /* stay until the parent looked */
	}
	int cfd = accept(srv, NULL, NULL);
	len = sizeof(uc);
	CHECK(cfd >= 0 && getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 && uc.pid == pid,
	      "SO_PEERCRED of an accepted connection: the client");
	write(pp[1], "g", 1);
	CHECK(wait_ok(pid), "client's SO_PEERCRED: the listener");
	close(pp[0]);
	close(pp[1]);
	close(cfd);
	close(srv);
}

int main(void)
{
	KTAP_START("unix_msg");
	test_dgram();
	test_dgram_many();
	test_scm_rights();
	test_creds();
	return ktap_done();
}
