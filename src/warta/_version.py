"""Warta's version, in a module of its own: the stages that stamp it (the User-Agent, the WARC records, the
store's `extractor_version`, the reader's footer) import it from here, not from the package face, which would
load the extractor with it."""

__version__ = "0.1.0"
