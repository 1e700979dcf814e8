#!/usr/bin/env bash
# A long run (days of training and evaluation) on development machines that keep only what is
# committed: each session starts it where the last one stopped, and parks it in the repository before
# the session ends. A development tool (not in the package); see docs/long-runs.md.
#
#   scripts/long-run.sh start lasynth-c    # unpack runs/lasynth-c if there, build, start in the background
#   scripts/long-run.sh status lasynth-c   # the experiment's --status, and the log's last lines
#   scripts/long-run.sh park lasynth-c     # Ctrl-C it (every checkpoint saved), pack into runs/lasynth-c
#
# The run's command line is RUNS[name] below; its log is checkpoints/<name>.log, its pid
# checkpoints/<name>.pid. park does not commit: `git add runs/<name> && git commit` after it.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A RUNS=(
  # Table 4 and Fig. 7a of LaSynth (issue 17): every variant 10,000 steps, snapshots at 30/50/70/100 %.
  # First the four variants the issue's bars compare, trained and evaluated; then (drop --variants)
  # the three ablations. --resume: a report of the first stage does not stop the second.
  [lasynth-c]="experiment lasynth-c --steps 10000 --fractions 0.3,0.5,0.7,1 --train-jobs 2 --jobs 2 --timeout 10 --seed 1 --resume --variants lasynth,lasynth-no-partial-executor,robustfill,propsig"
  # Does partial execution help once long programs are trained? LaSynth against NoPartialExecutor
  # teacher-forced over 128 tokens instead of 64 (31 % of the simplified test programs are longer than
  # 63 body tokens; bench/seq-minic/exec-probe.ts), on the same test tasks. After lasynth-c.
  [lasynth-c-t128]="experiment lasynth-c --steps 10000 --fractions 1 --rounds 0 --train-jobs 2 --jobs 2 --timeout 10 --seed 1 --resume --train-tokens 128 --variants lasynth,lasynth-no-partial-executor --tasks experiments/lasynth-c/tasks/test.jsonl --checkpoints checkpoints/lasynth-c-t128 --out experiments/lasynth-c-t128"
)
declare -A FOLDERS=(
  [lasynth-c]="checkpoints/lasynth-c experiments/lasynth-c"
  [lasynth-c-t128]="checkpoints/lasynth-c-t128 experiments/lasynth-c-t128"
)

cmd=${1:-}
name=${2:-}
if [[ -z "$cmd" || -z "$name" || -z "${RUNS[$name]:-}" ]]; then
  echo "usage: scripts/long-run.sh start|status|park NAME (names: ${!RUNS[*]})" >&2
  exit 2
fi
pidfile=checkpoints/$name.pid
log=checkpoints/$name.log
# Is run $1 running? Its pid file names a live process whose command line is the run's (a pid left
# by a run that ended may belong to another process by now).
alive() {
  local f=checkpoints/$1.pid pid
  [[ -f $f ]] || return 1
  pid=$(cat "$f")
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "dist/cli/main.js ${RUNS[$1]}"
}
running() { alive "$name"; }

case $cmd in
  start)
    if running; then
      echo "long-run: $name is running (pid $(cat "$pidfile"))" >&2
      exit 2
    fi
    for other in "${!RUNS[@]}"; do
      if alive "$other"; then
        echo "long-run: $other is running from dist/; building now could break it (park it first)" >&2
        exit 2
      fi
    done
    mkdir -p checkpoints
    if [[ -d runs/$name && ! -f runs/$name/carry.json ]]; then
      echo "long-run: runs/$name has no carry.json (a pack that did not finish?); nothing started" >&2
      exit 2
    fi
    if [[ -f runs/$name/carry.json ]]; then node scripts/carry-run.mjs unpack "runs/$name"; fi
    [[ -d node_modules ]] || npm ci
    npm run build >/dev/null
    # shellcheck disable=SC2086
    setsid nohup nice -n 5 node dist/cli/main.js ${RUNS[$name]} </dev/null >>"$log" 2>&1 &
    echo $! >"$pidfile"
    echo "started $name (pid $!); log $log"
    ;;
  status)
    if [[ ! -f dist/cli/main.js ]]; then
      echo "long-run: no dist/ yet; run 'scripts/long-run.sh start $name' (it builds)" >&2
      exit 2
    fi
    # shellcheck disable=SC2086
    node dist/cli/main.js ${RUNS[$name]} --status
    if running; then echo "running (pid $(cat "$pidfile"))"; else echo "not running"; fi
    [[ -f $log ]] && tail -n 4 "$log" | cut -c1-200
    ;;
  park)
    if running; then
      pid=$(cat "$pidfile")
      kill -INT "$pid"
      # The trainings finish their step and save; wait for the whole process to end.
      for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "long-run: $name did not stop within 10 minutes; not packed" >&2
        exit 1
      fi
    fi
    # shellcheck disable=SC2086
    node scripts/carry-run.mjs pack "runs/$name" ${FOLDERS[$name]}
    # A packed file git ignores would not be committed, and the next machine would not have it.
    ignored=$(git ls-files --others --ignored --exclude-standard -- "runs/$name" | head -n 3)
    if [[ -n "$ignored" ]]; then
      echo "long-run: git ignores packed files (fix .gitignore), e.g.:" >&2
      echo "$ignored" >&2
      exit 1
    fi
    echo "now: git add runs/$name && git commit -m '$name: parked'"
    ;;
  *)
    echo "long-run: unknown command '$cmd' (start, status or park)" >&2
    exit 2
    ;;
esac
