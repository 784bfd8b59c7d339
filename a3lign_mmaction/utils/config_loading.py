from typing import Optional

from mmengine.config import Config

__all__ = ['load_config']


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """A config file with a command line's ``--cfg-options`` merged in.

    Args:
        path (str): The config file.
        cfg_options (dict, optional): Dotted keys to values, as
            MMEngine's ``DictAction`` parses them. Defaults to None.

    Returns:
        Config: The config.
    """
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg
