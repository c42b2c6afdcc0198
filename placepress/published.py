"""Files a site publishes beside its pages and feeds: each picture's sizes, and the redirects
of old addresses."""

from __future__ import annotations

from pathlib import Path

from .incremental import IncrementalPlan
from .pictures.library import output_paths, published_files
from .problems import Problem
from .redirects import check_targets, netlify_file, query_addresses, redirect_page
from .routes import output_path
from .site import Site


def picture_files(root: Path, site: Site, plan: IncrementalPlan, store: Path | None) -> dict[str, bytes | None]:
    """Every picture's published files; None for those still as the last build wrote them
    (`store`: where the pictures' files are kept between builds)."""
    files: dict[str, bytes | None] = {}
    for picture in site.pictures.values():
        paths = output_paths(picture)
        if plan.keep_files(paths, picture.key):
            files.update(dict.fromkeys(paths))
        else:
            files.update(published_files(root, picture, site.config.pictures, store))
    return files


def redirect_files(site: Site, outputs: set[str], sources: set[str]) -> tuple[dict[str, bytes], list[Problem]]:
    """`_redirects` and a redirect page at each old path (data/redirects.yaml), once every target
    is known to exist (`outputs`: every file the site publishes) and nothing it publishes is
    replaced; `sources` are all the content files, published or not."""
    if not site.redirects:
        return {}, []
    config = site.config
    problems = check_targets(site.redirects, site.urls, sources - set(site.urls),
                             lambda address: output_path(address) in outputs, outputs)

    def target_url(target: str) -> str:
        return config.path_url(site.urls[target] if target in site.urls else target)

    files = {"_redirects": netlify_file(site.redirects, target_url, config.base_path)}
    addresses = query_addresses(site.redirects, target_url, config.base_path)
    if addresses:
        files["old-addresses.json"] = addresses
    for redirect in site.redirects:
        if redirect.page and redirect.page not in outputs:
            files[redirect.page] = redirect_page(target_url(redirect.target), config.origin + target_url(redirect.target),
                                                 config.language, config.title)
    return files, problems
