# configs/a3lign_demo.py without BAP: one joint stage of the demo's 50
# epochs, everything trainable from the first (docs/benchmark.md).
_base_ = ['a3lign_demo.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

train_cfg, param_scheduler, custom_hooks = bap_schedule(
    [dict(epochs=50, stage=3)], _base_.custom_hooks)
train_cfg.update(val_interval=5)
