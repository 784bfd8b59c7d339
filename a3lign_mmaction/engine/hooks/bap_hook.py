import itertools
from typing import Optional, Sequence, Union

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.optim.scheduler.param_scheduler import \
    CosineRestartParamScheduler
from torch.nn.parallel import DistributedDataParallel

from ...models.recognizers import parameter_table
from ...utils import format_table

__all__ = ['BAPHook']


@HOOKS.register_module()
class BAPHook(Hook):
    """Bidirectional Alignment training Paradigm: train in stages.

    Each stage runs for a number of epochs and names what trains and the
    video path, either as a stage of the model's own table
    (``dict(epochs=40, stage=1)``, see :class:`CLIPRecognizer`) or in full
    (``dict(epochs=40, train=['prompts', ...], video_path='mean')``). The
    stages must add up to the run's ``max_epochs``.

    At the start of every stage the hook sets the model's stage, drops the
    optimizer state (momentum, Adam's moments) of every parameter the stage
    trains, so that each stage starts afresh as a separate training phase
    would, and logs which parameters train. On resume it sets the stage of
    the epoch the run continues from, and drops the state only where that
    epoch starts a stage, so a resumed run trains exactly what an
    uninterrupted one would.

    Requirements, checked when training starts: every parameter that trains
    in some stage is in the optimizer (build the model with all stages'
    parameters trainable, i.e. without a ``stage``), and a model wrapped in
    ``DistributedDataParallel`` was wrapped with them all trainable and with
    ``find_unused_parameters=True``, so that DDP averages the gradients of
    parameters that start training after the wrap and tolerates the ones a
    stage freezes.

    Args:
        stages (sequence[dict]): The stages, in order; a config takes them
            from :func:`bap_schedule`, with the matching ``max_epochs`` and
            learning-rate restarts.
        reset_optimizer (bool): Start the parameters of each stage with
            fresh optimizer state. False carries it over: a parameter that
            resumes training (MAT in stage 3) then gets the momentum it had
            when it stopped, applied at the restarted learning rate.
            Defaults to True.
    """

    priority = 'NORMAL'

    def __init__(self,
                 stages: Sequence[dict],
                 reset_optimizer: bool = True) -> None:
        if not stages:
            raise ValueError('BAPHook needs at least one stage')
        for index, stage in enumerate(stages):
            epochs = stage.get('epochs')
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f'stage {index + 1}: `epochs` must be a '
                                 f'positive int, got {epochs!r}')
            if ('stage' in stage) == ('train' in stage):
                raise ValueError(
                    f'stage {index + 1}: give either `stage` (a stage of '
                    'the model) or `train` and `video_path`')
            keys = {'epochs', 'stage'} if 'stage' in stage else {
                'epochs', 'train', 'video_path'
            }
            ignored = sorted(set(stage) - keys)
            if ignored:
                raise ValueError(
                    f'stage {index + 1}: {", ".join(map(repr, ignored))} '
                    f'would be ignored: a stage takes {sorted(keys)} '
                    + ("(the model's stage sets what trains and the video "
                       'path; give `train` and `video_path` instead of '
                       '`stage` to set them)' if 'stage' in stage else ''))
        self.stages = [dict(stage) for stage in stages]
        self.ends = list(
            itertools.accumulate(stage['epochs'] for stage in self.stages))
        self.reset_optimizer = reset_optimizer
        self.current: Optional[int] = None

    def stage_at(self, epoch: int) -> int:
        """Index of the stage that epoch ``epoch`` (0-based) belongs to."""
        for index, end in enumerate(self.ends):
            if epoch < end:
                return index
        return len(self.ends) - 1

    def _model_stage(self, index: int) -> Union[int, dict]:
        """What :meth:`CLIPRecognizer.set_stage` is given: the model's
        stage number, or the stage dict."""
        stage = self.stages[index]
        if 'stage' in stage:
            return stage['stage']
        return dict(train=stage['train'], video_path=stage['video_path'])

    def _spec(self, model, index: int) -> dict:
        return model.stage_spec(self._model_stage(index))

    def _title(self, index: int) -> str:
        stage = self.stages[index]
        name = f" (model stage {stage['stage']})" if 'stage' in stage else ''
        return f'BAP stage {index + 1}/{len(self.stages)}{name}'

    @staticmethod
    def _unwrap(runner):
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def _check_trainable(self, runner) -> None:
        """Check that every parameter some stage trains can train.

        Runs before the first stage is set, so what trains now is what the
        DDP wrapper and the optimizer were given (nothing in between changes
        ``requires_grad``).
        """
        model = self._unwrap(runner)
        if not hasattr(model, 'set_stage'):
            raise TypeError(f'BAPHook needs a model with stages (e.g. '
                            f'CLIPRecognizer), got {type(model).__name__}')
        groups = model.parameter_groups()
        in_optimizer = {
            id(p)
            for group in runner.optim_wrapper.param_groups
            for p in group['params']
        }
        missing = sorted({
            name
            for index in range(len(self.stages))
            for name in self._spec(model, index)['train']
            for p in groups[name]
            if not p.requires_grad or id(p) not in in_optimizer
        })
        if missing:
            raise ValueError(
                f'parameter groups {missing} train in some BAP stage but '
                'were frozen when the model was wrapped and the optimizer '
                'built; build the model without `stage`.')
        if (isinstance(runner.model, DistributedDataParallel)
                and not runner.model.find_unused_parameters):
            raise ValueError(
                'BAP freezes parameters stage by stage, so '
                'DistributedDataParallel needs '
                'model_wrapper_cfg.find_unused_parameters=True')

    def before_train(self, runner) -> None:
        """Check the setup and set the stage of the first epoch to run.

        This is where a resumed run replays the schedule.
        """
        self._check_trainable(runner)
        if self.ends[-1] != runner.max_epochs:
            raise ValueError(
                f'BAP stages last {self.ends[-1]} epochs '
                f'({" + ".join(str(s["epochs"]) for s in self.stages)}) but '
                f'train_cfg.max_epochs is {runner.max_epochs}')
        self._check_restarts(runner)
        self.current = None
        self._switch(runner, self.stage_at(runner.epoch))

    def _check_restarts(self, runner) -> None:
        """A cosine-restart schedule must restart where the stages start."""
        epoch_length = len(runner.train_dataloader)
        for scheduler in runner.param_schedulers or []:
            if not isinstance(scheduler, CosineRestartParamScheduler):
                continue
            unit = 1 if scheduler.by_epoch else epoch_length
            ends = list(itertools.accumulate(scheduler.periods))
            if ends == [end * unit for end in self.ends]:
                continue
            message = (f'{type(scheduler).__name__} restarts after '
                       f'{[end // unit for end in ends]} epochs but the BAP '
                       f'stages end after {self.ends}')
            periods = [stage['epochs'] for stage in self.stages]
            configured = [
                step.get('periods')
                for step in runner.cfg.get('param_scheduler') or []
            ]
            if runner.cfg.get('resume') and periods in configured:
                raise ValueError(
                    f'{message}: the schedule was resumed from the '
                    "checkpoint, whose run had other BAP stages, and "
                    'MMEngine restores a schedule on --resume. Keep the '
                    "checkpoint's stages to resume, or start a new run from "
                    'its weights (--cfg-options load_from=CHECKPOINT, '
                    'without --resume).')
            raise ValueError(f'{message}; give it periods={periods}')

    def before_train_epoch(self, runner) -> None:
        """Switch the stage at a stage boundary."""
        self._switch(runner, self.stage_at(runner.epoch))

    def _switch(self, runner, index: int) -> None:
        if index == self.current:
            return
        model = self._unwrap(runner)
        spec = self._spec(model, index)
        model.set_stage(self._model_stage(index))
        self.current = index
        title = self._title(index)
        reset = ''
        starts = runner.epoch == (self.ends[index - 1] if index else 0)
        if self.reset_optimizer and starts:
            count = self._reset_optimizer_state(
                runner, model.parameter_groups(), spec['train'])
            reset = f'; optimizer state of {count} tensors reset'
        print_log(
            f'{title} from epoch {runner.epoch + 1}: video path '
            f"'{spec['video_path']}'{reset}\n" +
            format_table(parameter_table(model, {title: spec})),
            logger='current')

    @staticmethod
    def _reset_optimizer_state(runner, groups: dict,
                               names: Sequence[str]) -> int:
        """Drop the optimizer state of the groups ``names``; return how
        many parameters had some."""
        state = runner.optim_wrapper.optimizer.state
        params = [p for name in names for p in groups[name]]
        return sum(state.pop(p, None) is not None for p in params)
