# The linear probe (_base_/parts/linear-probe.py) on the demo's tiny CLIP
# (docs/benchmark.md).
_base_ = ['a3lign_demo.py', '_base_/parts/linear-probe.py']

model = dict(
    neck=dict(_base_.linear_probe_neck, _delete_=True),
    cls_head=dict(
        _base_.linear_probe_head, _delete_=True, num_classes=6,
        in_channels=64))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=_base_.linear_probe_epochs)
param_scheduler = _base_.linear_probe_param_scheduler
