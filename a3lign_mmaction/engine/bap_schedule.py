from typing import List, Sequence, Tuple, Union

from .custom_hooks import add_custom_hook

__all__ = ['bap_schedule']


def bap_schedule(
    stages: Sequence[Union[int, dict]],
    custom_hooks: Sequence[dict] = ()
) -> Tuple[dict, List[dict], List[dict]]:
    """The three config entries that a BAP schedule sets, from one list.

    BAP's stage lengths decide the run's ``max_epochs``, where the cosine
    learning rate restarts and where :class:`BAPHook` switches stages; a
    config states the lengths once and takes all three from here, adding
    the hook to the hooks it inherits::

        from a3lign_mmaction.engine import bap_schedule
        train_cfg, param_scheduler, custom_hooks = bap_schedule(
            [40, 30, 30], _base_.custom_hooks)

    A config that imports from the package keeps ``_base_`` (if any) as
    its first statement: MMEngine reads a file that starts with such an
    import as a lazy-import config.

    Args:
        stages (sequence[int | dict]): The stages in order: an int is the
            length of the model's stage 1, 2, ... in that position; a dict
            is a :class:`BAPHook` stage (``dict(epochs=..., stage=...)`` or
            in full, with ``train`` and ``video_path``).
        custom_hooks (sequence[dict]): The hooks the config inherits; a
            :class:`BAPHook` among them is replaced. Defaults to none.

    Returns:
        tuple[dict, list[dict], list[dict]]: ``train_cfg`` (its
        ``max_epochs``; merged into the loop config of the base),
        ``param_scheduler`` (a cosine schedule that restarts with every
        stage) and ``custom_hooks`` (``custom_hooks`` with the
        :class:`BAPHook` added).
    """
    stages = [
        dict(epochs=stage, stage=index) if isinstance(stage, int) else
        dict(stage) for index, stage in enumerate(stages, 1)
    ]
    epochs = [stage['epochs'] for stage in stages]
    train_cfg = dict(max_epochs=sum(epochs))
    param_scheduler = [
        dict(
            type='CosineRestartLR',
            periods=epochs,
            restart_weights=[1] * len(epochs),
            eta_min=0,
            by_epoch=True,
            convert_to_iter_based=True)
    ]
    return train_cfg, param_scheduler, add_custom_hook(
        custom_hooks, dict(type='BAPHook', stages=stages))
