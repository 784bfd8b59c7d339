import contextlib
import io

from a3lign_mmaction.utils import TaskProgress


def test_bar_is_written_where_stdout_is_now():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        bar = TaskProgress(4)
        bar.update(3)
        bar.close()
    assert '] 3/4, ' in out.getvalue() and out.getvalue().endswith('\n')


def test_callable_report_gets_task_steps_and_total():
    seen = []
    bar = TaskProgress(2, lambda *step: seen.append(step), 'cropping')
    bar.update()
    bar.update()
    bar.close()
    assert seen == [('cropping', 0, 2), ('cropping', 1, 2),
                    ('cropping', 2, 2)]


def test_no_report(capsys):
    bar = TaskProgress(2, False)
    bar.update()
    bar.close()
    assert capsys.readouterr().out == ''
