from typing import Dict, List, Optional

import torch.nn as nn

__all__ = ['parameter_table']


def parameter_table(
        model: nn.Module,
        stages: Optional[Dict[str, dict]] = None) -> List[Dict[str, object]]:
    """A staged model's parameters per group, and whether each stage trains
    them.

    Args:
        model (nn.Module): A model with ``parameter_groups()`` and
            ``stages``, such as :class:`CLIPRecognizer`.
        stages (dict, optional): Column title to stage dict
            (``dict(train=[groups], ...)``). Defaults to None (the model's
            ``stages``, titled ``stage N``).

    Returns:
        list[dict]: A row per group with parameters (``module``,
        ``parameters``, then ``'train'`` or ``'frozen'`` under each stage's
        title), then one per child module with parameters in no group
        (``'<name> (fixed)'``), then ``total``; :func:`format_table` lays
        them out.
    """
    if stages is None:
        stages = {f'stage {k}': v for k, v in model.stages.items()}
    groups = model.parameter_groups()
    rows = []
    for name, params in groups.items():
        count = sum(p.numel() for p in params)
        if count:
            rows.append(
                dict(module=name, parameters=count, **{
                    title: 'train' if name in spec['train'] else 'frozen'
                    for title, spec in stages.items()
                }))
    grouped = {id(p) for params in groups.values() for p in params}
    for name, child in model.named_children():
        rest = sum(p.numel() for p in child.parameters()
                   if id(p) not in grouped)
        if rest:
            rows.append(
                dict(module=f'{name} (fixed)', parameters=rest,
                     **dict.fromkeys(stages, 'frozen')))
    rows.append(
        dict(module='total',
             parameters=sum(p.numel() for p in model.parameters())))
    return rows
