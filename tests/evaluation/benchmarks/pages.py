"""The benchmark pages' helpers: runs built by the real engine (two rules-engine routes, no
network, one repetition of every scenario, no warm-up; the driver runs in the test's own
process), logged-in clients, and a page parsed with the standard library's HTML parser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.test import Client

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkSuite

SECOND_RULES_KEY = "test/rules-b"


def queue_run(suite: BenchmarkSuite) -> BenchmarkRun:
    return start_benchmark(suite, ["builtin/rules", SECOND_RULES_KEY], acting_user=None, repetitions=1,
                           warmup_repetitions=0)


def finish(run: BenchmarkRun) -> BenchmarkRun:
    execution.drive(run.pk)
    run.refresh_from_db()
    return run


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list["Element"] = field(default_factory=list)
    own_text: str = ""  # the text directly inside the element
    text: str = ""  # all the text inside it, its children's included

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def descendants(self) -> list["Element"]:
        return [element for child in self.children for element in (child, *child.descendants())]

    def find_all(self, tag: str, class_: str | None = None, **attrs: str) -> list["Element"]:
        """The element's descendants with this tag, this class among theirs and these attributes, in document order."""
        found = []
        for child in self.children:
            if (child.tag == tag and (class_ is None or class_ in child.classes)
                    and all(child.attrs.get(name) == value for name, value in attrs.items())):
                found.append(child)
            found.extend(child.find_all(tag, class_, **attrs))
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("[document]", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].own_text += data
        for element in self.open:
            element.text += data


def parse_html(html: str) -> Element:
    """The page as a tree of elements (html.parser from the standard library)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
