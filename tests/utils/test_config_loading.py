from a3lign_mmaction.utils import load_config
from tests.repository import CONFIG_DIR


def test_command_line_options_are_merged():
    path = f'{CONFIG_DIR}/a3lign_dfew.py'
    assert load_config(path).train_dataloader.batch_size == 64
    cfg = load_config(path, {
        'train_dataloader.batch_size': 8,
        'model.clip.checkpoint': None
    })
    assert cfg.train_dataloader.batch_size == 8
    assert cfg.model.clip.checkpoint is None
