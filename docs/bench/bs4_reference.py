#!/usr/bin/env python3
"""Reference: the same article extraction with BeautifulSoup + lxml, timed per page.

Run: pip install beautifulsoup4 lxml && python3 docs/bench/bs4_reference.py
"""
import re
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "kontan"


def extract_article(html):
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "iframe", "svg", "noscript"]):
        tag.decompose()
    title = soup.select_one("h1.detail-desk").get_text(" ", strip=True)
    date = soup.select_one("div.fs14.ff-opensans.font-gray").get_text(" ", strip=True)
    img = soup.select_one(".img-detail-desk img")
    body = soup.select_one("[itemprop=articleBody]") or soup.select_one(".tmpt-desk-kon")
    paragraphs, related, byline = [], [], None
    for p in body.find_all("p"):
        if p.find_parent(class_=re.compile("gnews|pagination")):
            continue
        text = " ".join(p.get_text(" ").split())
        if not text:
            continue
        if byline is None and re.match(r"^(Reporter|Penulis|Sumber):", text):
            byline = dict(part.split(":", 1) for part in text.split("|"))
            continue
        link = p.select_one("a.track-bacajuga-inside")
        if link is not None:
            related.append((link.get_text(strip=True), link["href"]))
            continue
        paragraphs.append(text)
    bar = []
    for li in soup.select(".list-indikator li"):
        parts = li.get_text(" ").split()
        bar.append(parts)
    return title, date, img and img.get("src"), byline, paragraphs, related, bar


def main():
    for name in ["article-korea-utara.html", "article-rupiah-all.html"]:
        html = (FIXTURES / name).read_text()
        extract_article(html)
        n = 50
        start = time.perf_counter()
        for _ in range(n):
            extract_article(html)
        per = (time.perf_counter() - start) / n * 1000
        print(f"bs4+lxml full_extraction/{name}: {per:.2f} ms per page ({len(html) / 1024:.0f} KiB)")


if __name__ == "__main__":
    sys.exit(main())
