# FERV39k as released (tools/data/ferv39k/README.md): one train/test split.
data_root = '{{$FERV39K_ROOT:data/FERV39k}}'
num_classes = 7
dataset = dict(type='FERV39kDataset', data_root=data_root)
