# configs/videomae_dfew.py's recipe (_base_/parts/videomae.py) at the demo's
# size: MMAction2's VisionTransformer (VideoMAE) with 2 blocks of width 64
# on 32 px frames, trained from scratch on the demo faces
# (docs/benchmark.md).
_base_ = ['a3lign_demo.py', '_base_/parts/videomae.py']

model = dict(
    _base_.videomae_model,
    _delete_=True,
    backbone=dict(
        _base_.videomae_backbone,
        img_size=_base_.image_size,
        patch_size=8,
        embed_dims=64,
        depth=2,
        num_heads=2,
        num_frames=_base_.clip_len),
    cls_head=dict(_base_.videomae_model.cls_head, num_classes=6,
                  in_channels=64))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(
    _base_.videomae_optim_wrapper,
    _delete_=True,
    paramwise_cfg=dict(_base_.videomae_optim_wrapper.paramwise_cfg,
                       num_layers=2))
train_cfg = dict(max_epochs=_base_.videomae_epochs)
param_scheduler = _base_.videomae_param_scheduler
