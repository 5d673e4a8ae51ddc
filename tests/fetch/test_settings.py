from __future__ import annotations

import pytest

import warta
import warta.fetch
from warta.fetch import FetchSettings


def test_user_agent_names_the_project_its_version_and_a_contact() -> None:
    assert FetchSettings().user_agent == f"Warta/{warta.__version__} (+https://github.com/warta-news/warta)"
    with_contact = FetchSettings(contact="crawl@example.org").user_agent
    assert with_contact == f"Warta/{warta.__version__} (+https://github.com/warta-news/warta; crawl@example.org)"
    assert FetchSettings(user_agent="Custom/1.0").user_agent == "Custom/1.0"


def test_defaults_are_polite_and_safe() -> None:
    defaults = FetchSettings()
    assert defaults.interval == 1.0
    assert defaults.respect_robots
    assert not defaults.allow_private
    assert (defaults.connect_timeout, defaults.read_timeout) == (15.0, 30.0)
    assert defaults.max_body_bytes == 20 * 1024 * 1024
    assert (defaults.max_redirects, defaults.max_retries, defaults.concurrency) == (5, 3, 8)
    assert FetchSettings(rate_per_host=0).interval == FetchSettings(rate_per_host=None).interval == 0.0


@pytest.mark.parametrize(
    "bad",
    [{"read_timeout": 0}, {"max_body_bytes": 0}, {"max_retries": -1}, {"rate_per_host": -1.0}, {"concurrency": 0}],
)
def test_nonsense_settings_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message names the field; any of them will do
        FetchSettings(**bad)  # type: ignore[arg-type]


def test_exports_are_complete() -> None:
    for name in warta.fetch.__all__:
        assert hasattr(warta.fetch, name), name
    public = {n for n, v in vars(warta.fetch).items() if not n.startswith("_") and type(v).__name__ != "module"}
    assert public <= set(warta.fetch.__all__)
