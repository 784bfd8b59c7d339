# A³lign-DFER without MAT (the paper's ablation): a CoOp prompt, 16 learned
# context tokens shared by all classes before each class name, one sentence
# per class, in place of MAT's classes x sentences x tokens. The JAS neck
# keeps its video side; with one sentence per class it has no text side to
# align. BAP's stages are the full model's. A config adds the dataset and
# its class names (model.cls_head.class_texts, a file of
# a3lign_mmaction/models/heads/class_text_files or a path).
_base_ = ['vit-l-14.py']

model = dict(
    neck=dict(num_sentences=None),
    cls_head=dict(
        _delete_=True,
        type='PromptHead',
        num_classes=7,
        class_texts='dfer7_names',
        num_tokens=16))
