# BAP, the training paradigm of A³lign-DFER: 40 epochs of stage 1 (MAT and
# the text dynamic encoder, against the temporal mean of the frames), 30 of
# stage 2 (the video dynamic encoder, against the fixed text side), 30 of
# stage 3 (both). SGD with momentum 0.9 and weight decay 1e-4; learning
# rate 1e-2 for the dynamic encoders and 1e-3 for MAT (lr_mult 0.1); the
# cosine schedule restarts at every stage. To change the stage lengths,
# change them in all three places: train_cfg, param_scheduler, custom_hooks
# (BAPHook checks that they agree).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'cls_head.prompts': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(
        type='CosineRestartLR',
        periods=[40, 30, 30],
        restart_weights=[1, 1, 1],
        eta_min=0,
        by_epoch=True,
        convert_to_iter_based=True)
]
custom_hooks = [
    dict(
        type='BAPHook',
        stages=[
            dict(epochs=40, stage=1),
            dict(epochs=30, stage=2),
            dict(epochs=30, stage=3)
        ])
]
