# The optimizer and loops of A³lign-DFER: SGD with momentum 0.9 and weight
# decay 1e-4; learning rate 1e-2 for the dynamic encoders and 1e-3 for MAT's
# prompts (lr_mult 0.1); validation after every epoch. The epochs and the
# learning-rate schedule come from the BAP stages (recipes/a3lign.py).
train_cfg = dict(type='EpochBasedTrainLoop', val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys={'cls_head.prompts': dict(lr_mult=0.1)}))
