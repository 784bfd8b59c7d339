# MAFW as released (README, "Datasets"); FOLD picks the fold, 1..5.
data_root = '{{$MAFW_ROOT:data/MAFW}}'
fold = int('{{$FOLD:1}}')
num_classes = 11
dataset = dict(type='MAFWDataset', data_root=data_root, fold=fold)
