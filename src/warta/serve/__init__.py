"""The web reader, its JSON API and its feeds (`warta serve`)."""

from warta.serve.app import create_app

__all__ = ["create_app"]
