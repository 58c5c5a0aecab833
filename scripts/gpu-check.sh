#!/usr/bin/env bash
# One-shot GPU check (docs/performance.md, "GPU check"): on a machine with an NVIDIA GPU it
#   1. builds the app with -Pgpu (onnxruntime_gpu),
#   2. runs the synthetic-correctness check on the CUDA execution provider (the designed transcript, no "bad"/"trap"
#      tokens: ParakeetStageBenchTest with -Dvideopipe.bench.cuda=true),
#   3. generates (or reuses) the compute-equivalent Parakeet-TDT-0.6B (random weights: speed, not accuracy),
#   4. runs bench-parakeet per stage with batch sizes up to 64 and concurrent jobs,
# and writes one JSON ($OUT_DIR/gpu-check.json) and a table ($OUT_DIR/gpu-check.txt).
#
# Without a GPU it says so and exits 3; with --cpu it runs the same steps on the CPU execution provider instead
# (batches 1,4; figures labelled CPU) and exits 0 when they pass.
#
# Offline machines: the build needs the Maven repository of a -Pgpu build (onnxruntime_gpu is 642 MB). Fill one where
# there is network (`mvn -Pgpu -DskipTests package dependency:go-offline -Dmaven.repo.local=/path/m2`), bring it along
# and point MAVEN_REPO at it; the script builds with -o whenever that works. CUDA 12 and cuDNN 9 libraries must be
# installed on the host (the NVIDIA CUDA runtime images have them).
#
# usage: scripts/gpu-check.sh [--cpu] [--out DIR] [--audio FILE] [--batches 1,4,8,16,32,64] [--jobs 4]
set -uo pipefail
cd "$(dirname "$0")/.."

ALLOW_CPU=0
OUT_DIR=gpu-check
AUDIO=samples/talk.mp4
BATCHES=""
JOBS=4
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) ALLOW_CPU=1 ;;
    --out) OUT_DIR=$2; shift ;;
    --audio) AUDIO=$2; shift ;;
    --batches) BATCHES=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUT_DIR"
LOG="$OUT_DIR/gpu-check.log"
: > "$LOG"
START=$(date +%s)
log() { echo "gpu-check [$(( $(date +%s) - START )) s]: $*" | tee -a "$LOG" >&2; }
fail() { log "FAILED: $*"; exit 1; }

GPU=""
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
  GPU=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)
fi
if [ -z "$GPU" ]; then
  if command -v nvidia-smi >/dev/null 2>&1; then why="nvidia-smi lists no GPU"; else why="no nvidia-smi on the PATH"; fi
  log "NO NVIDIA GPU FOUND ($why): nothing here can be measured on a GPU."
  if [ "$ALLOW_CPU" = 0 ]; then
    printf '{"status": "NO_GPU", "reason": "%s", "host": "%s"}\n' "$why" "$(hostname)" > "$OUT_DIR/gpu-check.json"
    log "exit 3 (wrote $OUT_DIR/gpu-check.json); --cpu runs the same checks on the CPU execution provider"
    exit 3
  fi
  log "--cpu: running the checks on the CPU execution provider; the figures are CPU figures"
  PROFILE=""
  PROVIDER_FLAG="--cpu"
  CUDA_TEST=false
  BATCHES=${BATCHES:-1,4}
  DEVICE="CPU only (no GPU found): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
else
  log "GPU: $GPU"
  PROFILE="-Pgpu"
  PROVIDER_FLAG=""
  CUDA_TEST=true
  BATCHES=${BATCHES:-1,4,8,16,32,64}
  DEVICE="GPU: $GPU"
fi

MVN=(mvn -B -ntp -q)
if [ -n "${MAVEN_REPO:-}" ]; then
  MVN+=("-Dmaven.repo.local=$MAVEN_REPO")
fi
# Offline first (the GPU machine may have no network); online only when offline resolution fails.
mvn_run() {
  if "${MVN[@]}" -o "$@" >>"$LOG" 2>&1; then return 0; fi
  log "offline build failed (see $LOG); trying with the network"
  "${MVN[@]}" "$@" >>"$LOG" 2>&1
}

log "1/4 build ${PROFILE:-(CPU onnxruntime)}"
mvn_run $PROFILE -pl api -am package -DskipTests || fail "build (see $LOG)"
JAR=api/target/videopipe.jar

if [ "$CUDA_TEST" = true ]; then EP="the CUDA execution provider"; else EP="the CPU execution provider"; fi
log "2/4 synthetic-correctness check on $EP"
if mvn_run $PROFILE -pl bench -am test -Dtest=ParakeetStageBenchTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dvideopipe.bench.cuda=$CUDA_TEST; then
  SYNTHETIC="passed: designed text 'the pipeline works' x3, no bad/trap tokens, on ${DEVICE}"
else
  fail "synthetic-correctness check (bench/target/surefire-reports/*ParakeetStageBenchTest*)"
fi
log "    $SYNTHETIC"

log "3/4 compute-equivalent Parakeet-TDT-0.6B (random weights; generated once into ~/.cache/videopipe)"
java -jar "$JAR" parakeet-equivalent >>"$LOG" 2>&1 || fail "parakeet-equivalent (see $LOG)"

log "4/4 bench-parakeet: batches $BATCHES, $JOBS concurrent jobs, audio $AUDIO"
java -Xmx8g -jar "$JAR" bench-parakeet equivalent "$AUDIO" $PROVIDER_FLAG --batches "$BATCHES" --jobs "$JOBS" \
    --runs 2 --json "$OUT_DIR/gpu-check.json" --note "$DEVICE" --note "synthetic check $SYNTHETIC" \
    --note "scripts/gpu-check.sh in $(( $(date +%s) - START )) s before the benchmark" \
    2>>"$LOG" | tee "$OUT_DIR/gpu-check.txt" || fail "bench-parakeet (see $LOG)"
log "done in $(( $(date +%s) - START )) s: $OUT_DIR/gpu-check.json and $OUT_DIR/gpu-check.txt"
