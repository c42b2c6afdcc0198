"""Pelican settings for the benchmark corpus: the same site as PlacePress builds, minus what
Pelican does not do without plugins (pilots, forums, date archives, sitemap)."""

from placepress.markup import EXTENSION_CONFIG, EXTENSIONS

SITENAME = "Sustainable Neighbourhoods (benchmark corpus)"
SITEURL = "https://bench.example.org"
PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en-GB"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# The Markdown reader with PlacePress's extensions and settings, read from placepress/markup.py.
# PlacePress always makes quotes and dashes typographic, with `smarty` or with its own code;
# Pelican's way is `smarty`, so it is added when PlacePress does not list it.
TYPOGRAPHER = {"smarty": {"substitutions": {
    "left-single-quote": "‘", "right-single-quote": "’", "left-double-quote": "“", "right-double-quote": "”",
    "left-angle-quote": "«", "right-angle-quote": "»", "ellipsis": "…", "ndash": "–", "mdash": "—",
}}}
_extensions = list(EXTENSIONS) + [name for name in TYPOGRAPHER if name not in EXTENSIONS]
MARKDOWN = {
    "extensions": _extensions,
    "extension_configs": {name: EXTENSION_CONFIG.get(name, TYPOGRAPHER.get(name, {})) for name in _extensions},
    "output_format": "html5",
}

# As a Pelican user would for fast rebuilds: keep parsed content between builds.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"

# Same addresses as PlacePress.
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"), (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))

# Only the home page among the direct templates; no author, archive or tag-index pages.
DIRECT_TEMPLATES = ["index"]
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None}
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = ""

# An Atom feed of the site and one per category, 20 entries with full content.
FEED_ALL_ATOM = "feed.xml"
CATEGORY_FEED_ATOM = "category/{slug}/feed.xml"
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20
STATIC_PATHS = []
