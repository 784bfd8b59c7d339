# DFEW as released (README, "Datasets"); FOLD picks the fold, 1..5.
data_root = '{{$DFEW_ROOT:data/DFEW}}'
fold = int('{{$FOLD:1}}')
num_classes = 7
dataset = dict(type='DFEWDataset', data_root=data_root, fold=fold)
