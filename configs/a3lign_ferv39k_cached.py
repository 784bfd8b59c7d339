# configs/a3lign_ferv39k.py trained from stored frame embeddings
# (docs/feature_cache.md). Make the store once, then train:
#   python tools/extract_features.py configs/a3lign_ferv39k.py \
#       --store data/features/ferv39k_vit-l-14
#   FEATURE_STORE=data/features/ferv39k_vit-l-14 \
#       python tools/train.py configs/a3lign_ferv39k_cached.py
_base_ = ['_base_/recipes/vit-l-14_cached.py', '_base_/datasets/ferv39k.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
