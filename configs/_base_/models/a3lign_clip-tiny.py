# A³lign-DFER with a tiny random-init CLIP, for the demo and the tests: the
# layout of OpenAI's ViT CLIPs (QuickGELU, 77-token context, the real
# 49,408-token vocabulary, so open_clip's tokenizer works) at 32x32 pixels
# and width 128.
_base_ = ['a3lign.py']

model = dict(
    clip=dict(
        arch=dict(
            embed_dim=64,
            quick_gelu=True,
            vision_cfg=dict(
                image_size=32, layers=2, width=128, patch_size=8),
            text_cfg=dict(
                context_length=77,
                vocab_size=49408,
                width=128,
                heads=2,
                layers=2))))
