from warta.extract.language import resolve_language

GERMAN = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Elektroautos bis Ende Juni zu verlängern."


def test_a_confident_detection_overrules_a_wrong_declaration() -> None:
    text = GERMAN * 3
    assert resolve_language("en", text) == ("de", "detected (declared en)")
    assert resolve_language("de-AT", text) == ("de", "declared+detected")


def test_too_little_text_leaves_the_declaration_alone() -> None:
    assert resolve_language("en", GERMAN) == ("en", "declared")
