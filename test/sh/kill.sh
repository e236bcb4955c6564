# kill.sh: signals sent with kill: default actions end a process with
# 128+signal, kill -0 probes for existence, a handler in the target runs
# instead, and a stopped process resumes with CONT.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

# Wait (at most 10s) until a file exists: a child's "I am ready".
await() { i=0; while [ ! -e "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; }

sleep 30 & p=$!
kill -0 $p && echo "kill -0: alive"
kill -TERM $p
wait $p 2>/dev/null; echo "TERM: $?"
kill -0 $p 2>/dev/null || echo "kill -0 after reap: gone"

sleep 30 & p=$!
kill -KILL $p
wait $p 2>/dev/null; echo "KILL: $?"
sleep 30 & p=$!
kill -s HUP $p
wait $p 2>/dev/null; echo "HUP: $?"
sleep 30 & p=$!
kill -USR1 $p
wait $p 2>/dev/null; echo "USR1: $?"
sleep 30 & p=$!
kill -9 $p
wait $p 2>/dev/null; echo "-9: $?"

# Without job control, background jobs ignore INT and QUIT (POSIX; ash
# sets SIG_IGN in the child before it runs anything, so once the job says
# it is ready the signal must do nothing).
rm -f ready
(touch ready; sleep 1; exit 4) & p=$!
await ready
kill -INT $p
kill -QUIT $p
wait $p; echo "background job ignored INT and QUIT: $?"

# Names and numbers.
echo "kill -l 15: $(kill -l 15)"
echo "kill -l 143: $(kill -l 143)"
echo "kill -l HUP: $(kill -l HUP)"

# Sending to a pid that does not exist: ESRCH.
sleep 0 & p=$!; wait $p
kill -TERM $p 2>&1 | sed 's/.*: //'

# A handler in the target runs, and decides the exit status.
rm -f ready
sh -c 'trap "echo caught USR1; exit 5" USR1; touch ready; while :; do sleep 0.05; done' > out &
p=$!
await ready
kill -USR1 $p
wait $p 2>/dev/null; echo "handler exit: $?"
cat out

# An ignored signal does nothing; KILL cannot be ignored.
rm -f ready
sh -c 'trap "" TERM; touch ready; while :; do sleep 0.05; done' &
p=$!
await ready
kill -TERM $p
sleep 0.3
kill -0 $p && echo "ignored TERM: still alive"
kill -KILL $p
wait $p 2>/dev/null; echo "then KILL: $?"

# STOP and CONT: a stopped job does not run until continued.
rm -f ready
sh -c 'touch ready; while [ ! -e go ]; do sleep 0.05; done; echo resumed > resumed' &
p=$!
await ready
kill -STOP $p
touch go
sleep 0.5
[ -e resumed ] || echo "stopped: did not run"
kill -CONT $p
wait $p 2>/dev/null; echo "after CONT: $? $(cat resumed)"

# kill with several pids at once.
sleep 30 & a=$!
sleep 30 & b=$!
kill $a $b
wait $a 2>/dev/null; sa=$?
wait $b 2>/dev/null; echo "two at once: $sa $?"
