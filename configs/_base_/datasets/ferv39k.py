# FERV39kDataset from its official release under `data_root` (see README).
_base_ = ['dfer.py']

data_root = '{{$FERV39K_ROOT:data/FERV39k}}'
num_classes = 7

dataset = dict(type='FERV39kDataset', data_root=data_root)
train_dataloader = dict(dataset=dataset)
val_dataloader = dict(dataset=dataset)
test_dataloader = val_dataloader
