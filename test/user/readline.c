/* Boot test helper: reads one line from the console (which arrives through
 * the UART's receive interrupt) and echoes it back. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[128];
	size_t n = 0;

	printf("readline: waiting for input\n");
	fflush(stdout);
	while (n < sizeof(buf) - 1) {
		ssize_t r = read(0, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n) || memchr(buf, '\r', n))
			break;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	printf("readline: got [%s]\n", buf);
	return n ? 0 : 1;
}
