#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG GPUS [train.py options]
# tools/train.py on GPUS processes with torchrun (see tools/dist_run.sh).
exec "$(dirname "$0")/dist_run.sh" train.py "$2" "$1" "${@:3}"
