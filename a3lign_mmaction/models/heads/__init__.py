from .class_texts import CLASS_TEXT_DIR, read_class_texts
from .clip_text_head import CLIPTextHead
from .mat_head import MATHead
from .prompt_head import PromptHead

__all__ = [
    'CLASS_TEXT_DIR', 'CLIPTextHead', 'MATHead', 'PromptHead',
    'read_class_texts'
]
