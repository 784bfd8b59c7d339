#!/usr/bin/env bash
# Usage: tools/slurm_run.sh SCRIPT PARTITION JOB_NAME [SCRIPT's arguments]
# Runs tools/SCRIPT (train.py, test.py, extract_features.py) on GPUS SLURM
# tasks, one per GPU, with MMEngine's slurm launcher. Variables: GPUS
# (total, default 8), GPUS_PER_NODE (default 8), CPUS_PER_TASK (default
# 5), SRUN_ARGS (more srun options, e.g. "--time=4:00:00"), MASTER_PORT
# (default: random).
set -euo pipefail
SCRIPT=$1
PARTITION=$2
JOB_NAME=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
# Word splitting of SRUN_ARGS is wanted: it holds several options.
read -r -a SRUN_OPTIONS <<< "${SRUN_ARGS:-}"
export MASTER_PORT=${MASTER_PORT:-$((12000 + RANDOM % 20000))}
# Absolute: the tasks may start in another folder on another node.
TOOLS=$(cd "$(dirname "$0")" && pwd)
exec srun -p "$PARTITION" --job-name="$JOB_NAME" \
    --gres=gpu:"$GPUS_PER_NODE" --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 "${SRUN_OPTIONS[@]}" \
    python -u "$TOOLS/$SCRIPT" "${@:4}" --launcher slurm
