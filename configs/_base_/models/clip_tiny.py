# A tiny random-init CLIP for demos and tests: the layout of OpenAI's ViT
# CLIPs (QuickGELU, 77-token context, the real 49,408-token vocabulary, so
# open_clip's tokenizer works), at 32x32 pixels and width 128.
clip_arch = dict(
    embed_dim=64,
    quick_gelu=True,
    vision_cfg=dict(image_size=32, layers=2, width=128, patch_size=8),
    text_cfg=dict(
        context_length=77, vocab_size=49408, width=128, heads=2, layers=2))
