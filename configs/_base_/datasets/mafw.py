# MAFWDataset from its official release under `data_root` (see README).
_base_ = ['dfer.py']

data_root = '{{$MAFW_ROOT:data/MAFW}}'
# Cross-validation fold, 1..5; the datasets derive their split files
# from it. From the command line: FOLD=2 python tools/train.py ...
fold = int('{{$FOLD:1}}')
num_classes = 11

dataset = dict(type='MAFWDataset', data_root=data_root, fold=fold)
train_dataloader = dict(dataset=dataset)
val_dataloader = dict(dataset=dataset)
test_dataloader = val_dataloader
