# pipeline.sh: pipes between processes: data passes in order, big
# transfers block and resume, a reader that quits early ends the writer
# (SIGPIPE), and a pipeline's exit status is its last command's.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

echo "hello pipe" | cat | cat | tr a-z A-Z
printf 'b\na\nc\n' | sort | tr '\n' ' '; echo

# 1 MiB through two pipes: the writer blocks when the pipe is full.
dd if=/dev/zero bs=1024 count=1024 2>/dev/null | cat | wc -c
seq 1 100000 | cat | md5sum
seq 1 100000 | md5sum
seq 1 100000 | tail -1

# The reader exits early: yes and seq must die of SIGPIPE, not hang.
yes | head -3
seq 1 10000000 | head -2
yes | (read a; echo "read $a")

# Exit status: the last command's, ! inverts, pipefail sees earlier ones.
false | true; echo "false|true: $?"
true | false; echo "true|false: $?"
! true | false; echo "! ... false: $?"
sh -c 'exit 3' | sh -c 'exit 5'; echo "3|5: $?"
set -o pipefail
sh -c 'exit 3' | true; echo "pipefail 3|true: $?"
set +o pipefail

# Stderr goes around the pipe unless 2>&1 joins it.
{ echo out; echo err >&2; } 2>/dev/null | cat
{ echo out; echo err >&2; } 2>&1 | sort

# A while-read loop at the end of a pipeline runs in a subshell.
n=0
seq 1 5 | while read x; do n=$((n + x)); echo "sum $n"; done
echo "outside n=$n"

# A long pipeline of shells, each adding one.
echo 0 | { read x; echo $((x+1)); } | { read x; echo $((x+1)); } | \
	{ read x; echo $((x+1)); } | { read x; echo $((x+1)); } | { read x; echo $((x+1)); }

# Named pipe: a writer and a reader meet through the file system.
mkfifo fifo
(seq 1 3 > fifo) &
cat fifo
wait
echo "fifo: $(stat -c %F fifo)"
