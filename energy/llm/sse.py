"""Server-sent events, reduced to what LLM streams use: the `data` of each event."""

from collections.abc import AsyncIterator

DONE = "[DONE]"


class DataStream:
    """Iterates the data payloads of the events in `lines` (as from `response.aiter_lines()`),
    stopping at `[DONE]`. `finished` then tells a completed stream from one that was cut off."""

    def __init__(self, lines: AsyncIterator[str]):
        self._lines = lines
        self.finished = False

    def __aiter__(self) -> AsyncIterator[str]:
        return self._payloads()

    async def _payloads(self) -> AsyncIterator[str]:
        data: list[str] = []
        async for line in self._lines:
            if line:
                field, _, value = line.partition(":")
                if field == "data":
                    data.append(value.removeprefix(" "))
                continue
            if not data:
                continue
            payload = "\n".join(data)
            data = []
            if payload == DONE:
                self.finished = True
                return
            yield payload
        # The SSE spec drops an event that lacks its closing blank line, as it may be cut off;
        # a bare [DONE] cannot be, and some servers omit that last blank line.
        if "\n".join(data) == DONE:
            self.finished = True
