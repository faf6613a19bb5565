"""The course's website in a real browser: every page served from 127.0.0.1, nothing fetched from elsewhere.

Builds the site (``make site``: tools/site/build.py) unless build/site is newer than every input, serves it with
http.server in a thread, and opens every page in Debian's Chromium (driven by playwright, launched as
tests/test_browser.py does). A page fails on any request to another host (blocked, and named), any request that
answers 404 or fails, any image that does not load, or any link to a page of the site that does not exist. Each
page is saved as a screenshot at phone (390 px) and projector (1280 px) widths in tests/screenshots/site/, and a
stepped gallery and a reveal are clicked on the way.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from test_browser import CHROMIUM, CHROMIUM_FLAGS, require_chromium
from test_site import SITE, ensure_built

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots" / "site"
WIDTHS = {"phone": (390, 844), "projector": (1280, 800)}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no line per request in the test's output
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_chromium()
    ensure_built(tmp_path_factory.mktemp("site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chromium(served):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def pages() -> list[str]:
    return sorted(p.name for p in SITE.glob("*.html"))


def test_every_page_loads_from_the_site_alone(served, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    host = urlparse(served).netloc
    problems, links = [], set()
    for width_name, (width, height) in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()

        def route(route_, request):
            if urlparse(request.url).netloc != host and not request.url.startswith(("data:", "blob:")):
                problems.append(f"{page.url}: a request to another host: {request.url}")
                return route_.abort()
            return route_.continue_()

        page.route("**/*", route)
        page.on("response", lambda response: response.status >= 400 and problems.append(
            f"{response.url}: HTTP {response.status}"))
        page.on("requestfailed", lambda request: urlparse(request.url).netloc == host and problems.append(
            f"{request.url}: failed ({request.failure})"))
        page.on("pageerror", lambda error: problems.append(f"{page.url}: script error {error}"))
        for name in pages():
            page.goto(served + name, wait_until="load")
            # lazy images: scroll through the page so that each loads, then ask which did not
            page.evaluate("""async () => { for (const img of document.images) { img.loading = 'eager'; }
                                          await Promise.all([...document.images].map(img => img.decode().catch(() => null))); }""")
            broken = page.evaluate("""() => [...document.images].filter(img => !img.complete || img.naturalWidth === 0)
                                             .map(img => img.getAttribute('src'))""")
            problems += [f"{name}: the image {src} does not load" for src in broken]
            missing_alt = page.evaluate("""() => [...document.images].filter(img => img.classList.contains('course-chart')
                                                   && !(img.getAttribute('alt') || '').trim()).map(img => img.src)""")
            problems += [f"{name}: a chart with no alt text: {src}" for src in missing_alt]
            if width_name == "phone":
                overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 2:
                    problems.append(f"{name}: the page is {overflow} px wider than a phone's screen")
            links |= {urldefrag(href)[0] for href in page.evaluate(
                "() => [...document.querySelectorAll('a[href]')].map(a => a.href)") if urlparse(href).netloc == host}
            page.screenshot(path=str(SHOTS / f"{Path(name).stem}-{width_name}.png"), full_page=False)
        context.close()
    for link in sorted(links):
        path = SITE / urlparse(link).path.lstrip("/")
        if not (path / "index.html" if path.is_dir() else path).exists():
            problems.append(f"a broken internal link: {link}")
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_a_gallery_steps_and_a_reveal_opens(served, chromium):
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(served + next(n for n in pages() if n.startswith("01_")))
    reveal = page.locator(".course-predict details.course-reveal").first
    assert not reveal.locator("img").first.is_visible(), "the answer's chart shows before Reveal is pressed"
    reveal.locator("summary").click()
    # the chart may still be loading when the click returns: wait for it (up to 10 s) rather than look once
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(reveal.locator("img").first).to_be_visible(timeout=10_000)
    reveal.screenshot(path=str(SHOTS / "reveal-phone.png"))
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    gallery = page.locator(".course-gallery.stepped:has(figure:nth-of-type(10) img)").first
    gallery.scroll_into_view_if_needed()
    shown = lambda: gallery.locator("figure.course-step.shown img").first.get_attribute("src")
    before = shown()
    gallery.locator(".course-steps button").nth(3).click()
    assert shown() != before, "pressing a year's button should show that year's map"
    assert gallery.locator("figure.course-step:visible").count() == 1
    gallery.screenshot(path=str(SHOTS / "gallery-phone.png"))
    page.close()
