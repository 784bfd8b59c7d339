# Pipelines, data loaders and metric of the DFER datasets. The dataset
# itself (class, root, fold) comes from dfew.py, ferv39k.py or mafw.py: a
# config puts their `dataset` into its loaders.
# Pipelines: 16 frames, one from each of 16 equal segments (random in
# training, the middle one in testing; short clips repeat frames), face
# crops at `image_size` pixels; random resized crop and horizontal flip in
# training. The test pipeline is also what MMAction2's inference API and
# demos run (docs/mmaction_routes.md): VideoInit opens a video file or a
# folder of frames, VideoDecode reads the dataset's frame lists too, and
# FaceCrop cuts the face out of raw frames (the datasets' are crops).
image_size = 224
train_pipeline = [
    dict(type='SegmentSampleFrames', clip_len=16, num_clips=1),
    dict(type='FrameListDecode'),
    dict(type='RandomResizedCrop', area_range=(0.6, 1.0)),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='VideoInit'),
    dict(type='SegmentSampleFrames', clip_len=16, num_clips=1, test_mode=True),
    dict(type='VideoDecode'),
    dict(type='FaceCrop'),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]

# TotalBatchSampler: 64 clips per step in total, split over the GPUs (the
# paper's batch on any number). packed_collate in training and validation:
# each batch leaves a worker in two shared-memory segments instead of two
# per clip (see its docstring). The test loader keeps MMEngine's default,
# since MMAction2Inferencer reads its collate_fn as a registry name, which
# the runner does not take.
train_dataloader = dict(
    batch_size=64,
    batch_sampler=dict(type='TotalBatchSampler'),
    num_workers=8,
    persistent_workers=True,
    collate_fn=dict(type='packed_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(split='train', pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(split='test', pipeline=test_pipeline, test_mode=True))
val_dataloader = dict(test_dataloader, collate_fn=dict(type='packed_collate'))

# Validation after every epoch writes the confusion matrix as CSV only;
# testing draws it as a PNG too.
val_evaluator = dict(type='UARWARMetric', plot_confusion_matrix=False)
test_evaluator = dict(type='UARWARMetric')
