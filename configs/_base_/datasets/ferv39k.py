# FERV39kDataset from its official release under `data_root` (see README).
_base_ = ['dfer_pipelines.py']

dataset_type = 'FERV39kDataset'
data_root = '{{$FERV39K_ROOT:data/FERV39k}}'
num_classes = 7

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        pipeline={{_base_.test_pipeline}},
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='UARWARMetric')
test_evaluator = val_evaluator
