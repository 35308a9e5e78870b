"""flags.py: download the flags of the 20 most populous countries,
one after another (sequential baseline).

Written for the playground in the spirit of Fluent Python (1e ch. 17,
2e ch. 20); the flags are SVG files here.
"""
import time
from pathlib import Path

import httpx

POP20_CC = ('CN IN US ID BR PK NG BD RU JP '
            'MX PH VN ET EG DE IR TR CD FR').split()

BASE_URL = 'http://fluentpython.com/data/flags'
DEST_DIR = Path('downloaded')


def save_flag(img: bytes, filename: str) -> None:
    (DEST_DIR / filename).write_bytes(img)


def get_flag(cc: str) -> bytes:
    url = f'{BASE_URL}/{cc}/{cc}.svg'.lower()
    resp = httpx.get(url, timeout=6.1, follow_redirects=True)
    resp.raise_for_status()  # no error handling: a 404 ends the run
    return resp.content


def download_many(cc_list: list[str]) -> int:
    for cc in sorted(cc_list):         # one request at a time
        image = get_flag(cc)           # blocks until the flag arrives
        save_flag(image, f'{cc}.svg')
        print(cc, end=' ', flush=True)  # all codes on one line
    return len(cc_list)


def main(downloader) -> None:
    DEST_DIR.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    count = downloader(POP20_CC)
    elapsed = time.perf_counter() - t0
    print(f'\n{count} flags downloaded in {elapsed:.2f}s')


if __name__ == '__main__':
    main(download_many)
