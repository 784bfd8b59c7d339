#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG GPUS [train.py options]
# Runs tools/train.py on GPUS processes of this node with torchrun; set
# NNODES, NODE_RANK, MASTER_ADDR and PORT for several nodes.
set -euo pipefail
CONFIG=$1
GPUS=$2
exec python -m torch.distributed.run --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" --nproc_per_node="$GPUS" \
    "$(dirname "$0")/train.py" "$CONFIG" --launcher pytorch "${@:3}"
