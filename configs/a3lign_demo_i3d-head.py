# Mixing toolboxes (b): the CLIP image tower (tiny, random init) + the JAS
# neck as a plain temporal encoder + MMAction2's stock I3DHead, in MMAction2's
# stock Recognizer3D, trained end to end as usual (no BAP) on the demo faces.
_base_ = ['a3lign_demo.py']

model = dict(
    _delete_=True,
    type='Recognizer3D',
    backbone=dict(
        type='CLIPVisionBackbone',
        clip=dict(arch={{_base_.model.clip.arch}})),
    neck=dict(
        type='JASNeck',
        embed_dim=64,
        num_frames=_base_.clip_len,
        num_sentences=_base_.clip_len),
    cls_head=dict(
        type='I3DHead', num_classes=6, in_channels=64, average_clips='prob'),
    data_preprocessor={{_base_.model.data_preprocessor}})

# The demo's AdamW, without BAP's stages and MAT's learning rate.
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=30)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=30, eta_min=0, by_epoch=True)
]
