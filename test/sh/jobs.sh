# jobs.sh: background jobs: & returns at once with the child's pid in $!,
# wait collects each job's exit status (or 128+signal), and a plain wait
# waits for all of them. Jobs write to their own files, so the output
# does not depend on scheduling.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

# $! is the pid of the background process itself.
sh -c 'echo $$ > pid' &
p=$!
wait $p
[ "$(cat pid)" = "$p" ] && echo "\$! is the job's pid"

# & does not wait: the job is still sleeping when the shell goes on.
(sleep 2; echo done > late) &
p=$!
[ -e late ] || echo "shell went on while the job runs"
wait $p; echo "wait status $?"
cat late

# Statuses of several jobs, collected out of order.
(exit 3) & a=$!
(sleep 0.2; exit 7) & b=$!
false & c=$!
true & d=$!
wait $b; echo "b: $?"
wait $a; echo "a: $?"
wait $c; echo "c: $?"
wait $d; echo "d: $?"
sh -c 'kill -9 $$' & e=$!
wait $e 2>/dev/null; echo "killed by 9: $?"

# A plain wait waits for every job.
for i in 1 2 3 4 5 6 7 8; do (sleep 0.$i; echo $i > job$i) & done
wait
echo "after wait: $(cat job* | sort -n | tr '\n' ' ')"

# Waiting for a pid that is not our child fails with 127.
wait 1 2>/dev/null; echo "wait for init: $?"

# Jobs run in parallel: 4 jobs of 1s each take well under 4s.
start=$(date +%s)
for i in 1 2 3 4; do sleep 1 & done
wait
end=$(date +%s)
[ $((end - start)) -lt 4 ] && echo "4 sleeps in parallel"

# Background job with its output in a pipe we read.
(echo from-bg) | cat &
wait

# A background job's stdin is /dev/null in a non-interactive shell.
cat > stdin-of-bg &
wait
echo "bg stdin gave $(wc -c < stdin-of-bg) bytes"
