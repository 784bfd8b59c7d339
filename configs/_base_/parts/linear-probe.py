# The parts of the linear probe, under names of their own, for its recipe
# (recipes/linear-probe.py) and its demo (linear-probe_demo.py) to take: the
# mean of a clip's normalised frame embeddings and MMAction2's I3DHead as a
# linear classifier (no dropout), AdamW for 100 epochs under one cosine.
linear_probe_neck = dict(type='TemporalMeanNeck')
linear_probe_head = dict(
    type='I3DHead',
    num_classes=7,
    in_channels=768,
    dropout_ratio=0,
    average_clips='prob')
linear_probe_optimizer = dict(type='AdamW', lr=1e-3, weight_decay=1e-4)
linear_probe_epochs = 100
linear_probe_param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=100,
        eta_min=0,
        by_epoch=True,
        convert_to_iter_based=True)
]
