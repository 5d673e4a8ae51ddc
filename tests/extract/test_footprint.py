import subprocess
import sys

# Packages the extractor must not load for an HTML page: the `extract` part of the package stays light.
# lightgbm's Python package drags in SciPy (23 MB) and feedparser is only for feeds (12 MB).
HEAVY = ("lightgbm", "scipy", "feedparser")


def test_extracting_an_html_page_with_the_models_imports_none_of_the_heavy_packages() -> None:
    script = (
        "import sys, warta\n"
        "page = '<html><body><article><p>' + 'A sentence about the harbour. ' * 40 + '</p></article></body></html>'\n"
        "article = warta.extract(page)\n"
        "assert 'body model' in article.provenance['body'], article.provenance\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
