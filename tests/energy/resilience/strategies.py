"""Hypothesis strategies for what providers do wrong."""

from hypothesis import strategies as st

from energy.llm.base import (
    DeadlineExceeded,
    EngineBusy,
    ProviderConnectionError,
    ProviderHTTPError,
    ProviderResponseError,
    ProviderTimeout,
    StreamIncomplete,
)
from energy.llm.retry import RetryPolicy
from tests.energy.resilience.faults import CLIENT_ERRORS, RETRYABLE_STATUSES, Fault

retry_after_s = st.none() | st.floats(min_value=0, max_value=3600, allow_nan=False)

faults = st.one_of(
    st.just(Fault("ok")),
    st.builds(Fault, kind=st.just("status"), status=st.sampled_from(RETRYABLE_STATUSES + CLIENT_ERRORS),
              retry_after_s=retry_after_s),
    st.sampled_from([Fault("timeout"), Fault("reset"), Fault("garbage"), Fault("broken")]),
)
scripts = st.lists(faults, max_size=6)

policies = st.builds(
    RetryPolicy,
    max_attempts=st.integers(min_value=1, max_value=10),
    backoff_base_s=st.floats(min_value=0, max_value=10),
    backoff_cap_s=st.floats(min_value=0, max_value=60),
    retry_after_cap_s=st.floats(min_value=0, max_value=120),
)
client_error_statuses = st.integers(min_value=400, max_value=499).filter(lambda s: s not in (408, 409, 429))
http_errors = st.builds(
    ProviderHTTPError,
    status_code=st.integers(min_value=400, max_value=599),
    message=st.just("fault"),
    retry_after_s=retry_after_s,
    code=st.sampled_from([None, 3040, 3036, 1000]),
)
provider_errors = http_errors | st.sampled_from([
    ProviderTimeout("timed out"), ProviderConnectionError("reset"), StreamIncomplete("broken", partial_text="Pl"),
    ProviderResponseError("bad JSON"), EngineBusy("engine busy"), DeadlineExceeded("no time left"),
])
jitters = st.floats(min_value=0, max_value=1, exclude_max=True)
