from warta.stories.headline import headline


def test_the_title_sharing_most_words_with_the_others_stands_for_the_story() -> None:
    titles = [
        ("BREAKING: quake", "en"),
        ("Magnitude 6.2 quake strikes Cianjur", "en"),
        ("Cianjur earthquake kills dozens in West Java", "en"),
        ("West Java earthquake: Cianjur death toll rises", "en"),
    ]
    assert headline(titles) == "Cianjur earthquake kills dozens in West Java"


def test_titles_are_chosen_in_the_language_most_reports_are_in() -> None:
    titles = [
        ("Cianjur earthquake kills dozens", "en"),
        ("Gempa Cianjur, puluhan orang tewas", "id"),
        ("Korban gempa Cianjur bertambah", "id"),
    ]
    assert headline(titles) in {"Gempa Cianjur, puluhan orang tewas", "Korban gempa Cianjur bertambah"}


def test_ties_go_to_the_first_report_and_missing_titles_are_skipped() -> None:
    assert headline([(None, "en"), ("  ", "en"), ("Flood in Kotabaru", "en"), ("Kotabaru flood", "en")]) == (
        "Flood in Kotabaru"
    )
    assert headline([(None, None)]) is None
    assert headline([("Only one", None)]) == "Only one"
