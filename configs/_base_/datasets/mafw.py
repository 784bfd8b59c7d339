# MAFWDataset from its official release under `data_root` (see README).
_base_ = ['dfer_pipelines.py']

dataset_type = 'MAFWDataset'
data_root = '{{$MAFW_ROOT:data/MAFW}}'
# Cross-validation fold, 1..5; the datasets derive their split files
# from it. From the command line: FOLD=2 python tools/train.py ...
fold = int('{{$FOLD:1}}')
num_classes = 11

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        fold=fold,
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
        fold=fold,
        pipeline={{_base_.test_pipeline}},
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='UARWARMetric')
test_evaluator = val_evaluator
