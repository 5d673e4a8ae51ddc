"""How the route table is served: each view at its pages (HTML, or JSON when asked), at its API paths and
as feeds, from the one signature FastAPI reads its parameters from.

A page answers with the view's model as JSON when the request asks with `Accept: application/json` or
`?format=json`, else with the view's template rendered from the same model. API paths answer JSON, with the
model as their response model in the OpenAPI description. A feed answers Atom or JSON Feed by the suffix of
its path. Errors follow the same split: JSON under `/api/` and `/feeds/` (and when a page was asked for JSON),
an error page otherwise, and a sign-in redirect when a shared reader's page needs a token. A parameter that
does not parse is FastAPI's 422, with every detail, for scripts; on a page, which a person filled in or
edited by hand, it is a 400 that says what was wrong.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from warta.serve import feeds
from warta.serve.context import Context, ViewError, reader
from warta.serve.schema import ArticleSummary

# What an `Address` sets as a default to make a parameter that the view leaves optional required there.
REQUIRED = inspect.Parameter.empty


@dataclass(frozen=True, slots=True)
class Address:
    """One address of a view.

    `fixed` arguments are set by the address and not read from the request; with `only`, the request may set
    just the parameters named there, and the others keep their defaults. `defaults` change an argument's
    default there (`REQUIRED`: the request must give it). `name` is FastAPI's route name, from which the
    OpenAPI operation id and summary are made; `description` replaces the view's docstring in OpenAPI.
    """

    path: str
    method: str = "GET"
    fixed: Mapping[str, Any] = field(default_factory=dict)
    only: tuple[str, ...] | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class FeedContent:
    """What a feed of a view's model carries: its title, the reader page it follows, and its articles."""

    title: str
    home: str
    items: Sequence[ArticleSummary]


@dataclass(frozen=True, slots=True)
class Feed:
    """A view's model as Atom or JSON Feed: `address.path` ends in `.{kind}`."""

    address: Address
    content: Callable[[Any], FeedContent]


@dataclass(frozen=True, slots=True)
class View:
    """A view and every address it answers at.

    `call` takes the request's `Context` as its first parameter, named `ctx`, and returns a `model`.
    `page_context` adds what a template needs beyond the model (a form's choices), from the context, the
    model and the view's arguments.
    """

    call: Callable[..., BaseModel]
    model: type[BaseModel]
    template: str | None = None
    pages: tuple[str | Address, ...] = ()
    api: tuple[str | Address, ...] = ()
    feeds: tuple[Feed, ...] = ()
    page_context: Callable[[Context, Any, Mapping[str, Any]], dict[str, Any]] | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """An address whose function makes its own response: the sign-in page and what forms post."""

    path: str
    call: Callable[..., Response]
    method: str = "GET"


def register(app: FastAPI, routes: Iterable[View | Action]) -> None:
    """Serve every route of `routes` on `app`, and answer errors as the route's kind of client expects."""
    for route in routes:
        if isinstance(route, Action):
            app.add_api_route(route.path, route.call, methods=[route.method], include_in_schema=False)
        else:
            _serve(app, route)
    app.add_exception_handler(ViewError, _view_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


def _serve(app: FastAPI, view: View) -> None:
    name = view.call.__name__
    for page in map(_address, view.pages):
        app.add_api_route(
            page.path,
            _endpoint(view.call, page, _page_answer(view), page.name or f"{name}_page"),
            methods=[page.method],
            response_class=HTMLResponse,
            response_model=None,
            include_in_schema=False,
        )
    for api in map(_address, view.api):
        app.add_api_route(
            api.path,
            _endpoint(view.call, api, lambda _arguments, model: model, api.name or f"api_{name}"),
            methods=[api.method],
            response_model=view.model,
            tags=list(view.tags),
        )
    for feed in view.feeds:
        address = feed.address
        app.add_api_route(
            address.path,
            _endpoint(view.call, address, _feed_answer(feed), address.name or f"{name}_feed", first=(_KIND,)),
            methods=[address.method],
            response_model=None,
            tags=["feeds"],
        )


def wants_json(request: Request) -> bool:
    """Whether a page was asked for its JSON rather than its HTML."""
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return accept.split(",")[0].strip().startswith("application/json")


def _address(address: str | Address) -> Address:
    return address if isinstance(address, Address) else Address(address)


Answer = Callable[[Mapping[str, Any], Any], Any]


def _endpoint(
    call: Callable[..., BaseModel],
    address: Address,
    answer: Answer,
    name: str,
    *,
    first: Sequence[inspect.Parameter] = (),
) -> Callable[..., Any]:
    """A FastAPI endpoint calling `call` at `address` and answering with `answer(arguments, model)`.

    The endpoint's signature is the view's, resolved, with the address's fixed arguments taken out and its
    defaults put in, after the `first` parameters of the answer's own: FastAPI reads that signature, so the
    parameters are declared once, on the view, for every address.
    """
    own = {parameter.name for parameter in first}
    parameters = list(first)
    fixed = dict(address.fixed)
    for parameter in inspect.signature(call, eval_str=True).parameters.values():
        if parameter.name in fixed:
            continue
        if address.only is not None and parameter.name not in (*address.only, "ctx"):
            fixed[parameter.name] = parameter.default
            continue
        default = address.defaults.get(parameter.name, parameter.default)
        parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY, default=default))

    def endpoint(**arguments: Any) -> Any:
        view_arguments = {key: value for key, value in arguments.items() if key not in own}
        return answer(arguments, call(**view_arguments, **fixed))

    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = name
    endpoint.__doc__ = address.description or call.__doc__
    return endpoint


# ------------------------------------------------------------------------------------------------ pages


def _page_answer(route: View) -> Answer:
    template = route.template
    if template is None:
        raise ValueError(f"the view {route.call.__name__} has pages but no template")

    def answer(arguments: Mapping[str, Any], model: BaseModel) -> Response:
        ctx: Context = arguments["ctx"]
        if wants_json(ctx.request):
            return JSONResponse(model.model_dump(mode="json"))
        extra = route.page_context(ctx, model, arguments) if route.page_context else {}
        context = {"model": model, "viewer": ctx.viewer, "tokens_required": ctx.reader.tokens_required, **extra}
        return ctx.reader.templates.TemplateResponse(ctx.request, template, context)

    return answer


# ------------------------------------------------------------------------------------------------ feeds

FEED_KINDS = ("atom", "json")


def _feed_kind(kind: str) -> str:
    # A dependency, not a check in the answer: an unknown suffix is a 404 before the view runs its queries.
    if kind not in FEED_KINDS:
        raise ViewError(404, "feeds are .atom or .json")
    return kind


_KIND = inspect.Parameter("kind", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, Depends(_feed_kind)])


def _feed_answer(feed: Feed) -> Answer:
    def answer(arguments: Mapping[str, Any], model: BaseModel) -> Response:
        ctx: Context = arguments["ctx"]
        content = feed.content(model)
        url = str(ctx.request.url)
        base = str(ctx.request.base_url).rstrip("/")
        info = feeds.FeedInfo(id=url, title=content.title, home_url=base + content.home, feed_url=url)
        entries = [_entry(base, item) for item in content.items]
        if arguments["kind"] == "atom":
            return Response(feeds.atom(info, entries), media_type="application/atom+xml; charset=utf-8")
        return JSONResponse(feeds.json_feed(info, entries), media_type="application/feed+json")

    return answer


def _entry(base: str, item: ArticleSummary) -> feeds.FeedEntry:
    return feeds.FeedEntry(
        id=item.id,
        title=item.title or item.canonical_url or item.id,
        link=base + item.reader_path,
        original_url=item.url,
        published=datetime.fromisoformat(item.published) if item.published else None,
        updated=None,
        authors=tuple(person.name for person in item.authors),
        summary=item.description,
        language=item.language,
        publisher=item.publisher.name if item.publisher else item.site_name,
        image=item.image.url if item.image else None,
    )


# ----------------------------------------------------------------------------------------------- errors


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/feeds/"))


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as the client expects it: JSON for scripts, an error page for people, who are sent to sign
    in when a shared reader needs their token."""
    if status == 401 and not _is_api(request) and not wants_json(request):
        return RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), status_code=303)
    if _is_api(request) or wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    current = reader(request)
    context = {"status": status, "message": message, "viewer": None, "tokens_required": current.tokens_required}
    return current.templates.TemplateResponse(request, "error.html", context, status_code=status)


async def _view_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ViewError)
    return error_response(request, exc.status, exc.message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    # The API keeps FastAPI's 422 with every detail; a page (a form, a hand-edited address) is a bad request.
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return await request_validation_exception_handler(request, exc)
    return error_response(request, 400, "; ".join(map(_problem, exc.errors())))


def _problem(error: Mapping[str, Any]) -> str:
    """One invalid parameter, said for a person rather than a program."""
    given = error.get("input")
    if str(error.get("type", "")).startswith("date"):
        return f"not a date: {given!r} (use YYYY-MM-DD)"
    return f"{error['loc'][-1]}: {error['msg']} (got {given!r})"
