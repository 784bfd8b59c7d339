# configs/a3lign_mafw.py trained from stored frame embeddings
# (docs/feature_cache.md). Make the store once, then train:
#   python tools/extract_features.py configs/a3lign_mafw.py \
#       --store data/features/mafw_vit-l-14 --folds 1 2 3 4 5
#   FEATURE_STORE=data/features/mafw_vit-l-14 \
#       python tools/train.py configs/a3lign_mafw_cached.py
_base_ = ['_base_/recipes/vit-l-14_cached.py', '_base_/datasets/mafw.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
