default_scope = 'mmaction'
custom_imports = dict(imports=['a3lign_mmaction'], allow_failed_imports=False)

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Every config here is scored by UARWARMetric; the best UAR is kept.
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        max_keep_ckpts=3,
        save_best='UAR',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'),
    visualization=dict(type='MultiViewVisualizationHook', enable=False))
# Config helpers (bap_schedule, embedding_recipe) add their hooks to these.
custom_hooks = [
    # Seeds every epoch from the run's seed and the epoch: a resumed run
    # draws the augmentations and dropout masks an uninterrupted one would.
    dict(type='EpochSeedHook'),
    # Warns on --resume where the config's optimizer or schedule differs
    # from the checkpoint's run: MMEngine restores those from the checkpoint.
    dict(type='ResumeSettingsHook')
]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)

# Scalars go to the work dir; for TensorBoard event files instead (needs
# `pip install tensorboard`), use
# --cfg-options visualizer.vis_backends.0.type=TensorboardVisBackend
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False

# DistributedDataParallel for --launcher pytorch. device_ids=None lets DDP
# take the module's own device, so the same config runs on GPUs (nccl) and,
# with env_cfg.dist_cfg.backend='gloo', on CPUs. BAP (BAPHook) trains
# different parameters in different stages: the model is wrapped with all
# of them trainable, so DDP averages their gradients in every stage, and
# find_unused_parameters lets a stage leave some without gradients.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel',
    device_ids=None,
    broadcast_buffers=False,
    find_unused_parameters=True)
