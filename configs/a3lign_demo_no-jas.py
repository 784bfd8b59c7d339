# configs/a3lign_demo.py without JAS: temporal means on the video and the
# text side, MAT trained alone for the demo's 50 epochs (docs/benchmark.md).
# The mean of the frames does not depend on their order, so a forming
# expression and its fading mirror get one prediction.
_base_ = ['a3lign_demo.py']

from a3lign_mmaction.engine import bap_schedule  # noqa: E402

model = dict(neck=dict(_delete_=True, type='TemporalMeanNeck'))
train_cfg, param_scheduler, custom_hooks = bap_schedule(
    [dict(epochs=50, stage=1)], _base_.custom_hooks)
train_cfg.update(val_interval=5)
