# Linear probe: the frozen CLIP ViT-L/14 and a linear classifier on the mean
# of its frame embeddings (_base_/parts/linear-probe.py). For another CLIP,
# set model.cls_head.in_channels to its embedding size.
_base_ = ['vit-l-14.py', '../parts/linear-probe.py']

model = dict(
    neck=dict(_base_.linear_probe_neck, _delete_=True),
    cls_head=dict(_base_.linear_probe_head, _delete_=True))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(
    optimizer=dict(_base_.linear_probe_optimizer, _delete_=True),
    paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=_base_.linear_probe_epochs)
param_scheduler = _base_.linear_probe_param_scheduler
