"""Stories in the reader: the list, a story's page and its JSON, its feed, and the story on an article page."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.stories.test_store_stories import article, save
from tests.stories.test_stories import FLOOD_EN, FLOOD_ID, WIRE, topic_embedder
from warta.jobs.stories import assign_stories
from warta.serve import create_app
from warta.store import Store

from .conftest import BASE_URL

pytest.importorskip("datasketch")

DAY = datetime(2023, 4, 3, 9, tzinfo=UTC)


def test_a_story_gathers_its_reports_folds_copies_and_leads_related_coverage(store: Store) -> None:
    save(store, article("https://a.example/flood", "Floods kill 12 in Kotabaru", FLOOD_EN, "en", DAY))
    save(store, article("https://b.example/banjir", "Banjir Kotabaru, 12 tewas", FLOOD_ID, "id", DAY))
    save(store, article("https://wire.example/rescue", "Rescuers search Kotabaru", WIRE, "en", DAY))
    save(store, article("https://client.example/x", "Survivors pulled from mud", "UPDATE " + WIRE, "en", DAY))
    assign_stories(store, topic_embedder)
    flood = store.article("https://a.example/flood")
    assert flood is not None
    assert flood.story is not None
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        (listed,) = client.get("/api/v1/stories").json()["stories"]
        assert listed["id"] == flood.story
        assert (listed["reports"], listed["copies"]) == (3, 1)
        assert listed["languages"] == ["en", "id"]
        assert listed["headline"] == "Floods kill 12 in Kotabaru"

        page = client.get(f"/api/v1/stories/{flood.story}").json()
        assert page == client.get(f"/stories/{flood.story}?format=json").json()
        timeline = page["timeline"]
        assert timeline[0]["title"] == "Floods kill 12 in Kotabaru"
        assert len(timeline) == 3  # the copy is folded into the report it copies
        wire = next(report for report in timeline if report["title"] == "Rescuers search Kotabaru")
        assert [copy["title"] for copy in wire["also_published_by"]] == ["Survivors pulled from mud"]
        html = client.get(f"/stories/{flood.story}").text
        assert "Timeline" in html
        assert "Banjir Kotabaru, 12 tewas" in html

        detail = client.get(f"/api/v1/articles/{flood.id}").json()
        assert detail["story"]["id"] == flood.story
        same = [related for related in detail["related"] if related["same_story"]]
        assert {related["title"] for related in same} == {"Banjir Kotabaru, 12 tewas", "Rescuers search Kotabaru"}
        assert detail["related"][: len(same)] == same  # the story's reports come first

        feed = feedparser.parse(client.get(f"/feeds/stories/{flood.story}.atom").text)
        assert len(feed.entries) == 3
        assert client.get("/api/v1/stories/999").status_code == 404


def test_a_followed_story_brings_its_reports_to_the_following_list(store: Store) -> None:
    save(store, article("https://a.example/flood", "Floods kill 12 in Kotabaru", FLOOD_EN, "en", DAY))
    save(store, article("https://b.example/banjir", "Banjir Kotabaru, 12 tewas", FLOOD_ID, "id", DAY))
    assign_stories(store, topic_embedder)
    flood = store.article("https://a.example/flood")
    assert flood is not None
    assert flood.story is not None
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        following = "/api/v1/articles?following=true"
        assert client.get(following).json()["articles"] == []
        assert client.put(f"/api/v1/stories/{flood.story}/follow").json() == {"story_id": flood.story, "followed": True}
        assert client.get(f"/api/v1/stories/{flood.story}").json()["story"]["followed"] is True
        titles = {item["title"] for item in client.get(following).json()["articles"]}
        assert titles == {"Floods kill 12 in Kotabaru", "Banjir Kotabaru, 12 tewas"}
        # The star on the story page is a plain form too, and refused from another site's page.
        page = client.get(f"/stories/{flood.story}").text
        assert f'action="/stories/{flood.story}/follow"' in page
        refused = client.post(
            f"/stories/{flood.story}/follow", data={"followed": "0"}, headers={"Origin": "https://evil.example"}
        )
        assert refused.status_code == 403
        unfollowed = client.post(f"/stories/{flood.story}/follow", data={"followed": "0"}, follow_redirects=False)
        assert unfollowed.status_code == 303
        assert client.get(following).json()["articles"] == []
        assert client.put("/api/v1/stories/999/follow").status_code == 404
