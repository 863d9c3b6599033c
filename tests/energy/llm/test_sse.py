from energy.llm.sse import DataStream


async def lines(*items: str):
    for item in items:
        yield item


async def read(stream: DataStream) -> list[str]:
    return [payload async for payload in stream]


async def test_it_joins_multi_line_data_and_skips_comments_and_other_fields():
    stream = DataStream(lines(": keep-alive", "event: message", "id: 1", "data: a", "data:b", "", "data: c", ""))

    assert await read(stream) == ["a\nb", "c"]
    assert not stream.finished


async def test_it_stops_at_done():
    stream = DataStream(lines("data: a", "", "data: [DONE]", "", "data: after", ""))

    assert await read(stream) == ["a"]
    assert stream.finished


async def test_it_drops_an_event_cut_off_before_its_blank_line():
    stream = DataStream(lines("data: a", "", 'data: {"resp'))

    assert await read(stream) == ["a"]
    assert not stream.finished


async def test_it_accepts_a_final_done_without_its_blank_line():
    stream = DataStream(lines("data: a", "", "data: [DONE]"))

    assert await read(stream) == ["a"]
    assert stream.finished
