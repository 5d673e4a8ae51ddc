from py3langid.langid import MODEL_FILE, LanguageIdentifier

from warta.extract.language import _identifier, resolve_language

SAMPLES = (
    "Pemerintah mulai memberikan vaksin kepada lansia dan mengatakan stok vaksin telah tersedia di seluruh provinsi.",
    "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Elektroautos bis Ende Juni zu verlängern.",
    "The council voted on Tuesday to extend the bus network to the northern suburbs by the end of next year.",
    "Le gouvernement a annoncé mercredi un nouveau plan pour les transports publics dans les grandes villes du pays.",
    "東京都は新しい交通計画を発表し、来年までに北部の郊外へバス路線を延長すると述べた。",
)


def test_the_frugal_loader_ranks_exactly_as_py3langids_own() -> None:
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier = _identifier()
    assert not isinstance(identifier.tk_nextmove, type(reference.tk_nextmove))  # the table was not copied
    for text in SAMPLES:
        assert identifier.rank(text) == reference.rank(text)


def test_a_confident_detection_overrules_a_wrong_declaration() -> None:
    text = SAMPLES[1] * 3
    assert resolve_language("en", text) == ("de", "detected (declared en)")
    assert resolve_language("de-AT", text) == ("de", "declared+detected")
