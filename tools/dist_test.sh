#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options]
# Runs tools/test.py on GPUS processes of this node with torchrun; set
# NNODES, NODE_RANK, MASTER_ADDR and PORT for several nodes.
set -euo pipefail
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
exec python -m torch.distributed.run --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" --nproc_per_node="$GPUS" \
    "$(dirname "$0")/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch \
    "${@:4}"
