from io import StringIO

from django.core.management.base import OutputWrapper

from evaluation.benchmarks.report import Progress
from evaluation.management.commands.run_benchmark import ProgressBar


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_it_redraws_one_line_in_place_on_a_terminal():
    screen = Terminal()
    bar = ProgressBar(OutputWrapper(screen))

    for done in (0, 1, 1, 2):
        bar.show(Progress(total=2, queued=2 - done, running=0, succeeded=done, failed=0))
    bar.close()

    drawn = screen.getvalue()
    assert drawn.count("\r") == 3  # the repeated state is not redrawn
    assert drawn.count("\n") == 1
    assert "] 2/2 units 100.0 %  queued 0 · running 0 · succeeded 2 · failed 0" in drawn.split("\r")[-1]
