"""A bounded load test: N concurrent clients for D seconds against a running example site.

    python loadtest/load.py --base http://127.0.0.1:8765 --clients 50 --duration 120

Standard library only. Each client loops over a weighted mix of what visitors do: the cluster
listing (plain, filtered, searched, paginated), factsheets, the community map page and its
GeoJSON (organisations, clusters and activities layers, a bounding box), the RSS and Atom feeds,
the activity listing and its iCal calendar, the forum board, and forum posts (the form is read,
then sent with its CSRF and fill-time tokens). The URLs are found through the site's API v2.

It prints a JSON summary: requests, per-kind counts, status classes, latency percentiles, the
5xx count, and the titles of the forum posts the site accepted (a redirect to ``thanks/``), which
``run.sh`` then looks for in the database. The exit status is 1 when there was any 5xx or
transport error.
"""

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect()), jar


def fetch(client, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with client.open(request, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers or {})


def discover(base):
    client, _jar = opener()

    def pages(page_type):
        url = f"{base}/api/v2/pages/?type={page_type}&limit=20"
        status, body, _headers = fetch(client, url)
        assert status == 200, (url, status)
        return [item["meta"]["html_url"] for item in json.loads(body)["items"]]

    urls = {
        "index": pages("wagtail_ar.ClusterIndexPage")[0],
        "clusters": pages("wagtail_ar.ClusterPage"),
        "map": pages("wagtail_ar.CommunityMapPage")[0],
        "activities": pages("wagtail_ar.ActivityIndexPage")[0],
        "forum": pages("wagtail_ar.ForumPage")[0],
    }

    def local(url):  # the API names the site's host: ask the server under test instead
        parts = urllib.parse.urlsplit(url)
        return base + urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))

    return {
        key: [local(u) for u in value] if isinstance(value, list) else local(value)
        for key, value in urls.items()
    }


def mix(urls):
    """``[(weight, kind, function(client) -> (status, body)), …]``."""

    def get(url):
        return lambda client: fetch(client, url)[:2]

    def random_get(kind, choices):
        return lambda client: fetch(client, random.choice(choices))[:2]  # noqa: S311

    index, amap, activities = urls["index"], urls["map"], urls["activities"]
    return [
        (
            14,
            "listing",
            random_get(
                "listing",
                [
                    index,
                    index + "?category=thematic",
                    index + "?status=active",
                    index + "?q=seagrass",
                    index + "?page=2",
                    index + "?country=IT&status=completed",
                    activities,
                    activities + "?when=upcoming",
                ],
            ),
        ),
        (14, "factsheet", random_get("factsheet", urls["clusters"])),
        (6, "map", get(amap)),
        (
            12,
            "geojson",
            random_get(
                "geojson",
                [
                    amap + "geojson/",
                    amap + "geojson/?layer=clusters",
                    amap + "geojson/?layer=activities",
                    amap + "geojson/?bbox=-10,30,40,48",
                    amap + "geojson/?role=pp&country=IT",
                ],
            ),
        ),
        (
            8,
            "feeds",
            random_get(
                "feeds",
                [
                    index + "feed/",
                    index + "feed/atom/",
                    activities + "ical/",
                ],
            ),
        ),
        (4, "forum", get(urls["forum"])),
        (2, "forum_post", None),  # see post_to_forum
    ]


def post_to_forum(client, jar, forum_url, run_id, accepted, lock):
    status, body, _headers = fetch(client, forum_url + "new/")
    if status != 200:
        return status, body
    html = body.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]*)"', html).group(1)
    theme = re.search(r'name="themes" value="(\d+)"', html)
    title = f"Load test {run_id} {uuid.uuid4().hex[:12]}"
    fields = {
        "csrfmiddlewaretoken": csrf,
        "started": started,
        "website": "",
        "kind": "need",
        "title": title,
        "description": "Monitoring data for seagrass meadows, posted by the load test.",
        "name": "Load Test",
        "organisation": "Loopback NGO",
        "country": "IT",
        "community_role": "external",
        "email": "loadtest@example.org",
        "consent": "on",
    }
    if theme:
        fields["themes"] = theme.group(1)
    data = urllib.parse.urlencode(fields).encode()
    status, body, headers = fetch(
        client,
        forum_url + "new/",
        data=data,
        headers={
            "Referer": forum_url + "new/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    if status in (302, 303) and "thanks" in headers.get("Location", ""):
        with lock:
            accepted.append(title)
    return status, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--run-id", default=uuid.uuid4().hex[:8])
    parser.add_argument("--accepted-file", help="where to write the accepted posts' titles")
    args = parser.parse_args()

    urls = discover(args.base)
    weighted = mix(urls)
    kinds = [w[1] for w in weighted]
    weights = [w[0] for w in weighted]
    actions = {w[1]: w[2] for w in weighted}
    lock = threading.Lock()
    statuses, by_kind, latencies, errors, accepted, server_errors = (
        Counter(),
        Counter(),
        [],
        Counter(),
        [],
        [],
    )
    deadline = time.monotonic() + args.duration

    def client_loop(seed):
        rng = random.Random(seed)  # noqa: S311
        client, jar = opener()
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                if kind == "forum_post":
                    status, body = post_to_forum(
                        client, jar, urls["forum"], args.run_id, accepted, lock
                    )
                else:
                    status, body = actions[kind](client)
            except Exception as error:  # noqa: BLE001 - counted and reported
                with lock:
                    errors[type(error).__name__] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                statuses[f"{status // 100}xx"] += 1
                by_kind[kind] += 1
                latencies.append(elapsed)
                if status >= 500:
                    server_errors.append((kind, status, body[:200].decode(errors="replace")))

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    summary = {
        "run_id": args.run_id,
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / wall, 1),
        "by_kind": dict(by_kind),
        "statuses": dict(statuses),
        "server_errors_5xx": len(server_errors),
        "transport_errors": dict(errors),
        "latency_ms": {
            "median": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95": pct(0.95) if latencies else None,
            "p99": pct(0.99) if latencies else None,
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
        },
        "forum_posts_accepted": len(accepted),
        "first_5xx": server_errors[:3],
    }
    print(json.dumps(summary, indent=2))
    if args.accepted_file:
        with open(args.accepted_file, "w") as out:
            json.dump(accepted, out)
    raise SystemExit(1 if server_errors or errors else 0)


if __name__ == "__main__":
    main()
