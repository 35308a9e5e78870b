"""flags2_asyncio.py: flag downloads with a command line, a semaphore,
error handling and a progress bar.

Written for the playground in the spirit of Fluent Python's flags2
examples; the command-line helpers of flags2_common.py are folded in.

    $ python3 flags2_asyncio.py -s DELAY a b c
    $ python3 flags2_asyncio.py -s ERROR -al 100 -m 100
"""
import argparse
import asyncio
import string
import sys
import time
from collections import Counter
from enum import Enum
from http import HTTPStatus
from pathlib import Path

import httpx
import tqdm  # type: ignore

DownloadStatus = Enum('DownloadStatus', 'OK NOT_FOUND ERROR')

POP20_CC = ('CN IN US ID BR PK NG BD RU JP '
            'MX PH VN ET EG DE IR TR CD FR').split()

DEFAULT_CONCUR_REQ = 5   # kept low: remote sites answer 503 to floods
MAX_CONCUR_REQ = 1000

SERVERS = {
    'REMOTE': 'http://fluentpython.com/data/flags',
    'LOCAL':  'http://localhost:8000/flags',
    'DELAY':  'http://localhost:8001/flags',
    'ERROR':  'http://localhost:8002/flags',
}
DEST_DIR = Path('downloaded')
COUNTRY_CODES_FILE = Path('country_codes.txt')


def save_flag(img: bytes, filename: str) -> None:
    (DEST_DIR / filename).write_bytes(img)


async def get_flag(client: httpx.AsyncClient, base_url: str, cc: str) -> bytes:
    url = f'{base_url}/{cc}/{cc}.svg'.lower()
    resp = await client.get(url, timeout=3.1, follow_redirects=True)
    resp.raise_for_status()  # HTTPStatusError for 404, 418, 503...
    return resp.content


async def download_one(client, cc, base_url, semaphore, verbose):
    try:
        async with semaphore:  # at most concur_req requests in flight
            image = await get_flag(client, base_url, cc)
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code != HTTPStatus.NOT_FOUND:
            raise  # any other status: the supervisor counts an error
        status, msg = DownloadStatus.NOT_FOUND, f'not found: {exc.response.url}'
    else:
        await asyncio.to_thread(save_flag, image, f'{cc}.svg')
        status, msg = DownloadStatus.OK, 'OK'
    if verbose:
        print(cc, msg)
    return status


async def supervisor(cc_list, base_url, verbose, concur_req,
                     download=download_one) -> Counter[DownloadStatus]:
    counter: Counter[DownloadStatus] = Counter()
    semaphore = asyncio.Semaphore(concur_req)
    async with httpx.AsyncClient() as client:
        to_do = [download(client, cc, base_url, semaphore, verbose)
                 for cc in sorted(cc_list)]
        to_do_iter = asyncio.as_completed(to_do)  # results as they finish
        if not verbose:
            to_do_iter = tqdm.tqdm(to_do_iter, total=len(cc_list))
        for coro in to_do_iter:
            try:
                status = await coro
            except httpx.HTTPStatusError as exc:
                resp = exc.response
                error_msg = f'HTTP error {resp.status_code} - {resp.reason_phrase}'
                error = exc
            except httpx.RequestError as exc:  # timeouts, refused connections
                error_msg = f'{exc} {type(exc)}'.strip()
                error = exc
            except KeyboardInterrupt:
                break
            else:
                error = None
            if error:
                status = DownloadStatus.ERROR
                if verbose:
                    cc = Path(str(error.request.url)).stem.upper()
                    print(f'{cc} error: {error_msg}')
            counter[status] += 1
    return counter


def download_many(cc_list, base_url, verbose, concur_req):
    return asyncio.run(supervisor(cc_list, base_url, verbose, concur_req))


# ---- the command line (flags2_common.py) ----

def expand_cc_args(every_cc, all_cc, cc_args, limit) -> list[str]:
    codes: set[str] = set()
    a_z = string.ascii_uppercase
    if every_cc:                      # -e: AA..ZZ, 676 codes
        codes.update(a + b for a in a_z for b in a_z)
    elif all_cc:                      # -a: every flag the server has
        codes.update(COUNTRY_CODES_FILE.read_text().split())
    else:
        for cc in (c.upper() for c in cc_args):
            if len(cc) == 1 and cc in a_z:      # B means BA..BZ
                codes.update(cc + c for c in a_z)
            elif len(cc) == 2 and all(c in a_z for c in cc):
                codes.add(cc)
            else:
                raise ValueError('*** Usage error: each CC argument '
                                 'must be A to Z or AA to ZZ.')
    return sorted(codes)[:limit]


def process_args(default_concur_req):
    labels = ', '.join(sorted(SERVERS))
    parser = argparse.ArgumentParser(description='Download flags for country codes. '
                                                 'Default: top 20 countries by population.')
    parser.add_argument('cc', metavar='CC', nargs='*',
                        help='country code or 1st letter (eg. B for BA...BZ)')
    parser.add_argument('-a', '--all', action='store_true')
    parser.add_argument('-e', '--every', action='store_true')
    parser.add_argument('-l', '--limit', metavar='N', type=int, default=sys.maxsize)
    parser.add_argument('-m', '--max_req', metavar='CONCURRENT', type=int,
                        default=default_concur_req)
    parser.add_argument('-s', '--server', metavar='LABEL', default='LOCAL')
    parser.add_argument('-v', '--verbose', action='store_true')
    args = parser.parse_args()
    if args.max_req < 1:
        sys.exit('*** Usage error: --max_req CONCURRENT must be >= 1')
    if args.limit < 1:
        sys.exit('*** Usage error: --limit N must be >= 1')
    args.server = args.server.upper()
    if args.server not in SERVERS:
        sys.exit(f'*** Usage error: --server LABEL must be one of {labels}')
    try:
        cc_list = expand_cc_args(args.every, args.all, args.cc, args.limit)
    except ValueError as exc:
        sys.exit(exc.args[0])
    return args, cc_list or sorted(POP20_CC)[:args.limit]


def initial_report(cc_list, actual_req, server_label):
    if len(cc_list) <= 10:
        cc_msg = ', '.join(cc_list)
    else:
        cc_msg = f'from {cc_list[0]} to {cc_list[-1]}'
    print(f'{server_label} site: {SERVERS[server_label]}')
    plural = 's' if len(cc_list) != 1 else ''
    print(f'Searching for {len(cc_list)} flag{plural}: {cc_msg}')
    if actual_req == 1:
        print('1 connection will be used.')
    else:
        print(f'{actual_req} concurrent connections will be used.')


def final_report(counter, start_time):
    elapsed = time.perf_counter() - start_time
    print('-' * 20)
    ok, not_found, errors = (counter[s] for s in DownloadStatus)
    print(f'{ok:3} flag{"s" if ok != 1 else ""} downloaded.')
    if not_found:
        print(f'{not_found:3} not found.')
    if errors:
        print(f'{errors:3} error{"s" if errors != 1 else ""}.')
    print(f'Elapsed time: {elapsed:.2f}s')


def main(download_many, default_concur_req, max_concur_req):
    args, cc_list = process_args(default_concur_req)
    actual_req = min(args.max_req, max_concur_req, len(cc_list))
    initial_report(cc_list, actual_req, args.server)
    DEST_DIR.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    counter = download_many(cc_list, SERVERS[args.server], args.verbose, actual_req)
    final_report(counter, t0)


if __name__ == '__main__':
    main(download_many, DEFAULT_CONCUR_REQ, MAX_CONCUR_REQ)
