"""A generated corpus of civic-blog posts, written out for PlacePress, Pelican and Hugo.

`make_posts(n, seed)` is pure and deterministic; `write_corpus` lays out three projects
that hold the same posts, each in its own tool's idiom (front matter, links between posts):

    DEST/placepress/   pyproject.toml, content/posts/, templates/, static/, data/ (copied)
    DEST/pelican/      pelicanconf.py, content/*.md, theme/ (from bench/themes/pelican)
    DEST/hugo/         hugo.toml, content/posts/*.md, layouts/ (from bench/themes/hugo)

    python bench/corpus.py --posts 1000 --out bench/work/1000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
THEMES = Path(__file__).resolve().parent / "themes"

CATEGORIES = (
    "budgets", "consultations", "neighbourhoods", "public services", "health and care", "housing",
    "transport", "children and young people", "community safety", "reports & briefings", "economy",
    "environment",
)
TAGS = (
    "total place", "city region", "council tax", "spending review", "scrutiny", "ward forums",
    "libraries", "leisure centres", "bin collections", "street lighting", "bus services", "tram",
    "cycling", "parks", "allotments", "youth services", "children's centres", "early years",
    "schools", "apprenticeships", "skills", "worklessness", "welfare advice", "social housing",
    "private renting", "homelessness", "adult social care", "carers", "mental health", "gp surgeries",
    "public health", "neighbourhood policing", "anti-social behaviour", "fire service", "volunteering",
    "voluntary sector", "tenants", "residents' associations", "local elections", "area committees",
    "participatory budgeting", "commissioning", "procurement", "shared services", "pooled budgets",
    "low carbon", "climate change", "recycling", "air quality", "regeneration", "high streets",
    "small businesses", "equality", "older people", "disability", "community cohesion",
    "freedom of information", "open data", "local democracy", "partnerships",
)
PLACES = (
    "Ancoats", "Hulme", "Moss Side", "Levenshulme", "Gorton", "Wythenshawe", "Harpurhey", "Chorlton",
    "Didsbury", "Longsight", "Cheetham Hill", "Openshaw", "Ardwick", "Rusholme", "Withington",
    "Blackley", "Collyhurst", "Miles Platting", "Clayton", "Beswick", "Fallowfield", "Burnage",
    "Northenden", "Whalley Range",
)
SERVICES = (
    "adult social care", "the library service", "bin collections", "youth services",
    "children's centres", "street lighting", "bus services", "housing repairs", "health visiting",
    "leisure centres", "school transport", "community mental health teams", "welfare advice",
    "neighbourhood policing", "parks maintenance", "home care", "drug and alcohol services",
)
BODIES = (
    "the city council", "the primary care trust", "the police authority", "the fire and rescue service",
    "Jobcentre Plus", "the housing trust", "AGMA", "the local strategic partnership",
    "the ward co-ordination group", "the residents' association", "the tenants' federation",
    "the passenger transport executive",
)
GROUPS = (
    "residents", "tenants", "carers", "older people", "parents of young children", "small traders",
    "volunteers", "ward councillors", "front-line staff", "young people", "community groups",
)
DOCUMENTS = (
    "the budget consultation paper", "the neighbourhood plan", "the scrutiny committee's report",
    "the draft strategy", "the Total Place final report", "the area assessment",
    "the equality impact assessment", "the officers' briefing note", "the cabinet report",
)
SENTENCES = (
    "{Group} in {place} told us that {service} had 'got harder to reach' over the past year.",
    "The figure quoted for {service} in {document} is £{amount} million a year -- about {pct} per cent of the total.",
    "As one of the {group} at the meeting put it, \"we don't need another leaflet, we need someone who answers the phone\".",
    "{Body} says the changes will be phased in over {months} months, starting in {month}.",
    "Nobody we spoke to in {place} disagreed that {service} needs to change; the argument is about how, and how quickly.",
    "It's worth remembering that {body} and {body2} have been counting the same households for years without comparing notes.",
    "The consultation runs until {day} {month}, and {body} has promised to publish every response it receives.",
    "{Document} is frank about the risks: it calls the timetable \"challenging\" and the savings \"not yet secured\".",
    "We asked {body} how many people use {service} in {place}; the answer was {count}, but that figure is from {year}.",
    "Several {group} pointed out that the drop-in sessions were held at 2pm on a weekday -- hardly ideal for anyone in work.",
    "The proposal would bring {service} and {service2} under one manager, with a single budget for the whole of {place}.",
    "That's not a small change: {service} alone accounts for {count} visits a month across the ward.",
    "What's missing from {document} is any sense of what {group} themselves would choose if they were asked.",
    "{Body} points to {place} as the model, where a shared front desk has cut waiting times by {pct} per cent.",
    "The 'whole area' approach sounds sensible, but it only works if the money really follows the people.",
    "Councillors on the scrutiny committee asked for the figures to be broken down by ward, and were told that would take until {month}.",
    "There is a real question about who will be accountable when {body} and {body2} run {service} together.",
    "We'll be at the {place} forum on {day} {month} and will report back on what was said.",
    "The savings target for {service} is £{amount} million over three years, which {body} describes as 'stretching but achievable'.",
    "In {place}, {group} have already started their own rota to keep the community room open on Saturdays.",
    "None of this is new -- the same ideas were in the neighbourhood renewal plans of {year2} -- but the money is tighter now.",
    "If you have used {service} recently, we'd like to hear whether the changes have made any difference to you.",
    "The pilot covers {count} households in {place} and {place2}, and will be evaluated after eighteen months.",
    "{Body} has published the spending map for {place}: it shows £{amount} million going through {small} different organisations.",
    "The honest answer is that nobody yet knows whether pooling budgets for {service} will save money or simply move it around.",
)
HEADINGS = (
    "What was proposed", "What residents said", "The numbers", "Background", "Questions we still have",
    "How the money is spent", "Who decides", "What {body} says", "{Place} in focus", "The view from the front line",
    "Where this leaves {service}", "Comparing notes with {place}",
)
BULLETS = (
    "{service} in {place}: {outcome}",
    "{body} to report back by {month}",
    "a drop-in session at the {place} library on {day} {month}",
    "the £{amount} million question: who pays for {service}?",
    "concerns from {group} about {service} to go to scrutiny",
)
OUTCOMES = ("no change this year", "opening hours cut", "merged with the neighbourhood office",
            "moved to the health centre", "out to tender", "under review until the autumn")
TITLES = (
    "{Service} in {place}: what {document} means",
    "Consultation on {service} closes on {day} {month}",
    "{Place} residents question changes to {service}",
    "Budget {year}/{yy}: {service} under review",
    "Notes from the {place} ward forum",
    "Total Place and {service}: a first look",
    "Who runs {service}? {Body} and the 'whole area' approach",
    "What {group} think of {service} in {place}",
    "Reading {document} so you don't have to",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIRST, LAST = datetime(2009, 1, 1, 8), datetime(2012, 12, 31, 20)
LINK = re.compile(r"\]\(@post:([^)]+)\)")


@dataclass(frozen=True)
class Post:
    name: str
    """The file name, e.g. '2010-05-01-some-slug.md'."""
    title: str
    slug: str
    date: datetime
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    pilots: tuple[str, ...]
    body: str
    """Markdown; a link to another post is written `](@post:NAME)` until a writer resolves it."""


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


class _Prose:
    """Fills sentence templates from the vocabularies with one seeded random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, template: str) -> str:
        pick = self.rng.choice
        two = self.rng.sample
        service, service2 = two(SERVICES, 2)
        body, body2 = two(BODIES, 2)
        place, place2 = two(PLACES, 2)
        number = self.rng.randint
        words = {
            "service": service, "service2": service2, "body": body, "body2": body2, "place": place, "place2": place2,
            "group": pick(GROUPS), "document": pick(DOCUMENTS), "month": pick(MONTHS), "outcome": pick(OUTCOMES),
            "day": number(1, 28), "months": number(6, 24), "pct": number(3, 40), "amount": f"{number(2, 400) / 10:.1f}",
            "count": f"{number(120, 9800):,}", "small": number(7, 31), "year": number(2009, 2012), "year2": number(2001, 2006),
        }
        words["yy"] = f"{(words['year'] + 1) % 100:02d}"
        words.update({k.capitalize(): _upper_first(str(v)) for k, v in words.items()})
        return template.format(**words)

    def paragraph(self, links: list[str]) -> str:
        sentences = [self.fill(s) for s in self.rng.sample(SENTENCES, self.rng.randint(3, 5))]
        if links:
            sentences.insert(self.rng.randint(1, len(sentences)), self._link_sentence(links.pop()))
        return " ".join(sentences)

    def _link_sentence(self, target: str) -> str:
        if target.startswith("https://"):
            return f"The papers are on [the consultation pages]({target}), with a summary in plain English."
        return f"We wrote about this [in an earlier post](@post:{target}), and little has changed since."

    def bullets(self) -> str:
        return "\n".join("- " + self.fill(self.rng.choice(BULLETS)) for _ in range(self.rng.randint(3, 5)))

    def table(self) -> str:
        rows = ["| Service | 2009/10 (£m) | 2010/11 (£m) | Change |", "|---|---:|---:|---|"]
        for service in self.rng.sample(SERVICES, self.rng.randint(3, 5)):
            before = self.rng.randint(20, 900) / 10
            after = before * self.rng.uniform(0.75, 1.05)
            rows.append(f"| {_upper_first(service)} | {before:.1f} | {after:.1f} | {(after - before) / before:+.0%} |")
        return "\n".join(rows)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def make_body(prose: _Prose, earlier: list[str], words: int) -> str:
    """About `words` words: an opening, `##` sections with lists, links, now and then a table."""
    rng = prose.rng
    links = rng.sample(earlier, min(len(earlier), rng.randint(1, 2))) + [f"https://example.org/consultations/{rng.randint(1, 400)}"]
    rng.shuffle(links)
    blocks = [prose.paragraph(links)]
    table = rng.random() < 0.25
    headings = rng.sample(HEADINGS, len(HEADINGS))
    while sum(len(b.split()) for b in blocks) < words - 140 and headings:
        blocks.append("## " + prose.fill(headings.pop()))
        blocks.append(prose.paragraph(links))
        if rng.random() < 0.4:
            blocks += ["The main points:", prose.bullets()]
        if table:
            blocks += ["The budget lines as published:", prose.table()]
            table = False
    blocks += ["## What happens next", prose.paragraph(links)]
    if rng.random() < 0.2:
        blocks[-1] += "[^1]"
        blocks.append("[^1]: " + prose.fill(rng.choice(SENTENCES)))
    return "\n\n".join(blocks) + "\n"


def make_posts(n: int, seed: int = 2010, pilots: tuple[str, ...] = ("gm-city-region",)) -> list[Post]:
    """Pure: `n` posts dated from 2009 to 2012, each linking to up to two earlier ones."""
    rng = random.Random(seed)
    prose = _Prose(rng)
    step = (LAST - FIRST) / max(n - 1, 1)
    posts: list[Post] = []
    slugs: set[str] = set()
    for index in range(n):
        title = prose.fill(rng.choice(TITLES))
        slug = slugify(title)
        if slug in slugs:
            slug = f"{slug}-{index}"
        slugs.add(slug)
        date = (FIRST + step * index).replace(second=0, microsecond=0)
        earlier = [p.name for p in rng.sample(posts, min(len(posts), 5))]
        posts.append(Post(
            name=f"{date:%Y-%m-%d}-{slug}.md", title=title, slug=slug, date=date,
            categories=tuple(rng.sample(CATEGORIES, rng.randint(1, 3))),
            tags=tuple(rng.sample(TAGS, rng.randint(2, 5))),
            pilots=tuple(rng.sample(pilots, rng.randint(1, 2))) if rng.random() < 0.2 else (),
            body=make_body(prose, earlier, rng.randint(560, 640)),
        ))
    return posts


def pilot_ids(registry: Path) -> tuple[str, ...]:
    """Ids of the programmes and pilot areas in data/pilots.yaml."""
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    return tuple(item["id"] for key in ("programmes", "areas") for item in data.get(key, []))


def _flow(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"


def placepress_file(post: Post) -> str:
    front = [f"title: {json.dumps(post.title, ensure_ascii=False)}", f"date: {post.date:%Y-%m-%d %H:%M}",
             f"categories: {_flow(post.categories)}", f"tags: {_flow(post.tags)}"]
    if post.pilots:
        front.append(f"pilots: {_flow(post.pilots)}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + LINK.sub(r"](\1)", post.body)


def pelican_file(post: Post) -> str:
    # Pelican takes one category, and resolves links to other files written {filename}NAME.
    meta = [f"Title: {post.title}", f"Date: {post.date:%Y-%m-%d %H:%M}", f"Category: {post.categories[0]}",
            f"Tags: {', '.join(post.tags)}", f"Slug: {post.slug}"]
    return "\n".join(meta) + "\n\n" + LINK.sub(r"]({filename}\1)", post.body)


def hugo_file(post: Post) -> str:
    front = [f"title: {json.dumps(post.title, ensure_ascii=False)}", f"date: {post.date:%Y-%m-%dT%H:%M:%S}",
             f"slug: {post.slug}", f"categories: {_flow(post.categories)}", f"tags: {_flow(post.tags)}"]
    return "---\n" + "\n".join(front) + "\n---\n\n" + LINK.sub(r']({{< ref "\1" >}})', post.body)


PYPROJECT = """\
[tool.placepress]
title = "Sustainable Neighbourhoods (benchmark corpus)"
tagline = "A generated corpus for timing builds"
url = "https://bench.example.org/"
language = "en-GB"
timezone = "Europe/London"
author = "Benchmark"
posts_per_page = 10
permalink = "/{year}/{month}/{day}/{slug}/"
feed_entries = 20
"""


def write_posts(folder: Path, posts: list[Post], render) -> None:
    folder.mkdir(parents=True)
    for post in posts:
        (folder / post.name).write_text(render(post), encoding="utf-8")


def write_corpus(n: int, seed: int, dest: Path, project: Path = PROJECT, search: bool = True) -> list[Post]:
    """Replace `dest` with the three projects, taking templates/, static/ and data/ from `project`.
    `search=False` turns off PlacePress's search index (the `search` setting, from c403d9a on)."""
    if dest.exists():
        shutil.rmtree(dest)
    posts = make_posts(n, seed, pilot_ids(project / "data" / "pilots.yaml"))
    ours = dest / "placepress"
    for folder in ("templates", "static", "data"):
        shutil.copytree(project / folder, ours / folder)
    (ours / "pyproject.toml").write_text(PYPROJECT + ("" if search else "search = false\n"), encoding="utf-8")
    write_posts(ours / "content" / "posts", posts, placepress_file)
    shutil.copytree(THEMES / "pelican", dest / "pelican")
    write_posts(dest / "pelican" / "content", posts, pelican_file)
    shutil.copytree(THEMES / "hugo", dest / "hugo")
    write_posts(dest / "hugo" / "content" / "posts", posts, hugo_file)
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a generated corpus for PlacePress, Pelican and Hugo.")
    parser.add_argument("--posts", type=int, default=1000, help="how many posts (default 1000)")
    parser.add_argument("--seed", type=int, default=2010, help="the random seed (default 2010)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to (re)create")
    args = parser.parse_args()
    posts = write_corpus(args.posts, args.seed, args.out)
    words = sum(len(p.body.split()) for p in posts) / len(posts)
    print(f"Wrote {len(posts)} posts (about {words:.0f} words each) to {args.out}")


if __name__ == "__main__":
    main()
