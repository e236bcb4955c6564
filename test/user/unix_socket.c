/* Boot test: AF_UNIX sockets. Stream and seqpacket sockets by socketpair
 * and by name (a path in /tmp and the abstract namespace), many clients
 * from several processes, seqpacket boundaries and truncation,
 * non-blocking calls, poll readiness, shutdown/EOF/EPIPE, options and the
 * error cases (datagrams and control messages: unix_msg.c).
 * Passes under qemu-riscv64 too, the reference for Linux. */
#include "test/user/unix_common.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void test_socketpair(void)
{
	int sv[2], ok;
	char buf[64], link[64], want[64];
	struct stat st;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair stream");
	pid_t pid = fork();
	if (!pid) {
		close(sv[0]);
		ssize_t n = read(sv[1], buf, sizeof(buf));
		for (ssize_t i = 0; i < n; i++)
			buf[i] = (char)(buf[i] - 'a' + 'A');
		_exit(n > 0 && write(sv[1], buf, (size_t)n) == n ? 0 : 1);
	}
	close(sv[1]);
	ok = write(sv[0], "hello", 5) == 5 && read_full(sv[0], buf, 5) == 0 && !memcmp(buf, "HELLO", 5);
	CHECK(ok, "socketpair echo across fork");
	CHECK(wait_ok(pid), "echo child exits 0");
	CHECK(read(sv[0], buf, sizeof(buf)) == 0, "EOF once the peer process is gone");
	CHECK(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode), "fstat gives S_IFSOCK");
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", sv[0]);
	ssize_t n = readlink(buf, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(!strcmp(link, want), "/proc/self/fd link reads socket:[ino]");
	close(sv[0]);
}

/* A server on addr accepting NPROC*NCONN clients (NPROC processes) that
 * each send their number and expect it back doubled. */
static void test_server(const struct sockaddr_un *addr, socklen_t len, const char *what)
{
	char name[96];
	int srv = socket(AF_UNIX, SOCK_STREAM, 0), ok = 1;
	pid_t kids[NPROC];

	snprintf(name, sizeof(name), "%s: bind and listen", what);
	CHECK(srv >= 0 && bind(srv, (const struct sockaddr *)addr, len) == 0 && listen(srv, 2) == 0, name);
	for (int p = 0; p < NPROC; p++) {
		kids[p] = fork();
		if (kids[p])
			continue;
		for (int c = 0; c < NCONN; c++) {
			int fd = socket(AF_UNIX, SOCK_STREAM, 0), v = p * 100 + c, r = 0;
			/* the exit status tells the step that failed and its errno */
			if (connect(fd, (const struct sockaddr *)addr, len))
				_exit(errno & 63);
			if (write(fd, &v, 4) != 4)
				_exit(64 | (errno & 63));
			if (read_full(fd, (char *)&r, 4) || r != 2 * v)
				_exit(128 | (errno & 63));
			close(fd);
		}
		_exit(0);
	}
	for (int i = 0; i < NPROC * NCONN; i++) {
		struct sockaddr_un peer;
		socklen_t plen = sizeof(peer);
		int fd = accept(srv, (struct sockaddr *)&peer, &plen), v;
		if (fd < 0 || plen != sizeof(sa_family_t) || read_full(fd, (char *)&v, 4)) {
			printf("# connection %d: fd %d addrlen %d errno %d\n", i, fd, (int)plen, errno);
			ok = 0;
			break;
		}
		v *= 2;
		ok &= write(fd, &v, 4) == 4;
		close(fd);
	}
	for (int p = 0; p < NPROC; p++) {
		int st;
		if (waitpid(kids[p], &st, 0) != kids[p] || st) {
			printf("# client process %d: status %#x\n", p, st);
			ok = 0;
		}
	}
	snprintf(name, sizeof(name), "%s: %d clients from %d processes served", what, NPROC * NCONN, NPROC);
	CHECK(ok, name);
	struct sockaddr_un got;
	socklen_t glen = sizeof(got);
	snprintf(name, sizeof(name), "%s: getsockname gives the bound name", what);
	CHECK(getsockname(srv, (struct sockaddr *)&got, &glen) == 0 && glen == len &&
	      !memcmp(&got, addr, len), name);
	int dup = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(name, sizeof(name), "%s: second bind EADDRINUSE", what);
	CHECK(bind(dup, (const struct sockaddr *)addr, len) < 0 && errno == EADDRINUSE, name);
	close(dup);
	close(srv);
}

static void test_names(void)
{
	struct sockaddr_un a, got;
	socklen_t len, glen = sizeof(got);
	struct stat st;

	unlink(PATH_A);
	len = mkaddr(&a, PATH_A, 0);
	test_server(&a, len, "path");
	CHECK(stat(PATH_A, &st) == 0 && S_ISSOCK(st.st_mode), "bind made an S_IFSOCK node");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(fd, (struct sockaddr *)&a, len) < 0 && errno == ECONNREFUSED,
	      "connect to a closed server's path: ECONNREFUSED");
	close(fd);
	unlink(PATH_A);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(fd, (struct sockaddr *)&a, len) < 0 && errno == ENOENT, "connect to no path: ENOENT");
	close(fd);
	len = mkaddr(&a, "vireo-abstract", 1);
	test_server(&a, len, "abstract");
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(getsockname(fd, (struct sockaddr *)&got, &glen) == 0 && glen == sizeof(sa_family_t),
	      "unbound getsockname: just the family");
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof(sa_family_t)) == 0, "autobind");
	glen = sizeof(got);
	CHECK(getsockname(fd, (struct sockaddr *)&got, &glen) == 0 && glen == 8 && !got.sun_path[0],
	      "autobind name: abstract, 5 characters");
	close(fd);
}

static void test_seqpacket(void)
{
	int sv[2], ok = 1;
	char buf[128], msg[50];

	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "seqpacket socketpair");
	memset(msg, 'm', sizeof(msg));
	for (int i = 1; i <= 3; i++)
		ok &= send(sv[0], msg, (size_t)(10 * i), 0) == 10 * i;
	for (int i = 1; i <= 3; i++)
		ok &= recv(sv[1], buf, sizeof(buf), 0) == 10 * i;
	CHECK(ok, "seqpacket: boundaries kept");
	struct iovec iov = { buf, 8 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ok = send(sv[0], msg, 50, 0) == 50 && send(sv[0], "tail", 4, 0) == 4;
	CHECK(ok && recvmsg(sv[1], &m, 0) == 8 && (m.msg_flags & MSG_TRUNC) &&
	      recv(sv[1], buf, sizeof(buf), 0) == 4 && !memcmp(buf, "tail", 4),
	      "seqpacket: truncated record's rest is dropped");
	close(sv[0]);
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 0, "seqpacket: EOF after peer close");
	CHECK(send(sv[1], "x", 1, MSG_NOSIGNAL) < 0 && errno == EPIPE, "seqpacket: EPIPE after peer close");
	close(sv[1]);

	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, "vireo-seq", 1);
	int srv = socket(AF_UNIX, SOCK_SEQPACKET, 0), cl = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ok = bind(srv, (struct sockaddr *)&a, len) == 0 && listen(srv, 1) == 0 &&
	     connect(cl, (struct sockaddr *)&a, len) == 0;
	int c = accept(srv, NULL, NULL);
	CHECK(ok && c >= 0 && send(cl, "rec", 3, 0) == 3 && recv(c, buf, sizeof(buf), 0) == 3,
	      "seqpacket: listen/connect/accept");
	close(c);
	close(cl);
	close(srv);
}

static void test_nonblock_poll(void)
{
	int sv[2], val;
	char buf[8192];
	socklen_t len = sizeof(val);
	struct pollfd pf;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0 &&
	      (fcntl(sv[0], F_GETFL) & O_NONBLOCK) && (fcntl(sv[0], F_GETFD) & FD_CLOEXEC),
	      "SOCK_NONBLOCK | SOCK_CLOEXEC");
	CHECK(read(sv[0], buf, 1) < 0 && errno == EAGAIN, "empty non-blocking read: EAGAIN");
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &(int){ 8192 }, sizeof(int)) == 0 &&
	      getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &val, &len) == 0 && val == 16384, "SO_SNDBUF doubled");
	pf = (struct pollfd){ sv[1], POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 0, "poll: nothing to read");
	long total = 0;
	ssize_t n;
	memset(buf, 'z', sizeof(buf));
	while ((n = write(sv[0], buf, sizeof(buf))) > 0)
		total += n;
	CHECK(n < 0 && errno == EAGAIN && total > 0 && total < 1 << 20, "writer stops at the send budget: EAGAIN");
	pf = (struct pollfd){ sv[0], POLLOUT, 0 };
	CHECK(poll(&pf, 1, 0) == 0, "poll: not writable while the budget is used");
	pf = (struct pollfd){ sv[1], POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "poll: readable");
	long drained = 0;
	while ((n = read(sv[1], buf, sizeof(buf))) > 0)
		drained += n;
	CHECK(drained == total, "every byte written is read");
	pf = (struct pollfd){ sv[0], POLLOUT, 1000 };
	CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLOUT), "poll: writable again");
	CHECK(recv(sv[1], buf, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN, "MSG_DONTWAIT: EAGAIN");
	shutdown(sv[0], SHUT_WR);
	pf = (struct pollfd){ sv[1], POLLIN | POLLRDHUP, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLRDHUP) && !(pf.revents & POLLHUP),
	      "poll: POLLRDHUP after the peer's SHUT_WR");
	close(sv[0]);
	pf = (struct pollfd){ sv[1], POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP), "poll: POLLHUP after the peer's close");
	close(sv[1]);

	struct sockaddr_un a;
	socklen_t alen = mkaddr(&a, "vireo-nb", 1);
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	bind(srv, (struct sockaddr *)&a, alen);
	listen(srv, 0);
	CHECK(accept(srv, NULL, NULL) < 0 && errno == EAGAIN, "non-blocking accept: EAGAIN");
	int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(connect(c1, (struct sockaddr *)&a, alen) == 0, "non-blocking connect");
	pf = (struct pollfd){ srv, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "poll: a pending connection is readable");
	int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(connect(c2, (struct sockaddr *)&a, alen) < 0 && errno == EAGAIN, "full backlog: EAGAIN");
	len = sizeof(val);
	CHECK(getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &val, &len) == 0 && val == 1, "SO_ACCEPTCONN");
	close(c1);
	close(c2);
	close(srv);
}

static void test_shutdown(void)
{
	int sv[2];
	char buf[8];

	signal(SIGPIPE, on_sigpipe);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK(write(sv[0], "ab", 2) == 2 && shutdown(sv[0], SHUT_WR) == 0, "SHUT_WR");
	CHECK(read(sv[1], buf, 8) == 2 && read(sv[1], buf, 8) == 0, "peer reads the data, then EOF");
	CHECK(write(sv[0], "x", 1) < 0 && errno == EPIPE && sigpipes == 1, "write after SHUT_WR: EPIPE and SIGPIPE");
	CHECK(write(sv[1], "back", 4) == 4 && read(sv[0], buf, 8) == 4, "the other direction still works");
	CHECK(shutdown(sv[0], 7) < 0 && errno == EINVAL, "shutdown: bad how EINVAL");
	close(sv[1]);
	CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) < 0 && errno == EPIPE && sigpipes == 1,
	      "closed peer: EPIPE, no signal with MSG_NOSIGNAL");
	close(sv[0]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "unread", 6);
	close(sv[0]);
	CHECK(read(sv[1], buf, 8) == 6 && read(sv[1], buf, 8) == 0, "data then EOF after close");
	close(sv[1]);
	signal(SIGPIPE, SIG_DFL);
}

static void test_misc(void)
{
	int sv[2], n = 0;
	char buf[16] = "0123456789";
	struct timeval tv = { 0, 100000 };
	struct timespec t0, t1;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK(write(sv[0], buf, 5) == 5 && ioctl(sv[1], FIONREAD, &n) == 0 && n == 5, "FIONREAD: unread bytes");
	CHECK(recv(sv[1], buf, 2, 0) == 2 && ioctl(sv[1], FIONREAD, &n) == 0 && n == 3, "FIONREAD after a partial read");
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_WAITALL | MSG_DONTWAIT) == 3, "MSG_WAITALL|MSG_DONTWAIT gives what is there");
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "SO_RCVTIMEO");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = (int)recv(sv[1], buf, sizeof(buf), 0), e = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(r < 0 && e == EAGAIN && ms >= 90, "receive timeout: EAGAIN after 100 ms");
	close(sv[0]);
	close(sv[1]);

	struct mmsghdr mm[3];
	struct iovec iov[3];
	char rb[3][8];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 3; i++) {
		iov[i] = (struct iovec){ buf, (size_t)i + 1 };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	CHECK(sendmmsg(sv[0], mm, 3, 0) == 3, "sendmmsg: three datagrams");
	for (int i = 0; i < 3; i++)
		iov[i] = (struct iovec){ rb[i], sizeof(rb[i]) };
	CHECK(recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL) == 3 && mm[0].msg_len == 1 && mm[1].msg_len == 2 &&
	      mm[2].msg_len == 3, "recvmmsg: three datagrams, boundaries kept");
	close(sv[0]);
	close(sv[1]);
}

static void test_errors(void)
{
	struct sockaddr_un a;
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), v;
	socklen_t vl = sizeof(v);

	int file = open("/tmp/vireo_us_reg", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(send(file, "x", 1, 0) < 0 && errno == ENOTSOCK, "send on a file: ENOTSOCK");
	CHECK(listen(999, 1) < 0 && errno == EBADF, "bad descriptor: EBADF");
	CHECK(bind(fd, (struct sockaddr *)8, sizeof(a)) < 0 && errno == EFAULT, "bad address: EFAULT");
	CHECK(socket(46, SOCK_STREAM, 0) < 0 && errno == EAFNOSUPPORT, "unknown family: EAFNOSUPPORT");
	int in = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(in >= 0 || errno == EAFNOSUPPORT, "AF_INET: a socket or EAFNOSUPPORT");
	if (in >= 0)
		close(in);
	CHECK(socket(AF_UNIX, 11, 0) < 0 && errno == EINVAL, "bad type: EINVAL");
	CHECK(socket(AF_UNIX, SOCK_PACKET, 0) < 0 && errno == ESOCKTNOSUPPORT, "unsupported type: ESOCKTNOSUPPORT");
	CHECK(socket(AF_UNIX, SOCK_STREAM, 7) < 0 && errno == EPROTONOSUPPORT, "bad protocol: EPROTONOSUPPORT");
	memset(&a, 'n', sizeof(a));
	a.sun_family = AF_UNIX;
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a) + 1) < 0 && errno == EINVAL, "name too long: EINVAL");
	len = mkaddr(&a, "/tmp/vireo_us_reg", 0);
	CHECK(connect(fd, (struct sockaddr *)&a, len) < 0 && errno == ECONNREFUSED, "connect to a file: ECONNREFUSED");
	close(file);
	unlink("/tmp/vireo_us_reg");
	len = mkaddr(&a, "vireo-err", 1);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(d, (struct sockaddr *)&a, len) == 0 && bind(s, (struct sockaddr *)&a, len) == 0,
	      "the same abstract name for two types");
	int d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(bind(d2, (struct sockaddr *)&a, len) < 0 && errno == EADDRINUSE, "abstract name in use: EADDRINUSE");
	CHECK(connect(fd, (struct sockaddr *)&a, len) < 0 && errno == ECONNREFUSED, "not listening: ECONNREFUSED");
	CHECK(listen(d, 1) < 0 && errno == EOPNOTSUPP, "listen on dgram: EOPNOTSUPP");
	CHECK(getpeername(fd, (struct sockaddr *)&a, &len) < 0 && errno == ENOTCONN, "getpeername: ENOTCONN");
	CHECK(getsockopt(d, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_DGRAM, "SO_TYPE");
	CHECK(getsockopt(d, SOL_SOCKET, SO_DOMAIN, &v, &vl) == 0 && v == AF_UNIX, "SO_DOMAIN");
	CHECK(getsockopt(d, SOL_SOCKET, SO_ERROR, &v, &vl) == 0 && v == 0, "SO_ERROR");
	CHECK(setsockopt(d, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int)) == 0, "SO_REUSEADDR accepted");
	CHECK(send(fd, "x", 1, MSG_NOSIGNAL) < 0 && errno == ENOTCONN, "send unconnected: ENOTCONN");
	close(d);
	close(d2);
	close(s);
	close(fd);
}

int main(void)
{
	KTAP_START("unix_socket");
	test_socketpair();
	test_names();
	test_seqpacket();
	test_nonblock_poll();
	test_shutdown();
	test_misc();
	test_errors();
	return ktap_done();
}
