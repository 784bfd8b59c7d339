# A³lign-DFER without MAT (a CoOp prompt on the class names) on DFEW
# (docs/benchmark.md). Where the data and the weights are:
#   DFEW_ROOT=/data/DFEW CLIP_CHECKPOINT=/weights/ViT-L-14.pt FOLD=2 \
#   python tools/train.py configs/a3lign_dfew_no-mat.py
_base_ = ['_base_/recipes/a3lign_no-mat.py', '_base_/datasets/dfew.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
